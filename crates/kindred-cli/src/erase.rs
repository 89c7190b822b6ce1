//! `kindred delete-all --yes`: deletes everything Kindred keeps, after an explicit yes.

use std::path::PathBuf;
use std::process::ExitCode;

use kindred_api::{ApiError, Config, Kindred};

use crate::print_json;

/// Deletes everything, or refuses without `yes`.
pub async fn run(data_dir: Option<PathBuf>, yes: bool, json: bool) -> Result<ExitCode, ApiError> {
    if !yes {
        return Err(ApiError::invalid_input(
            "delete-all deletes every message, event, person, setting, token and log Kindred \
             keeps, and revokes its access to your Google accounts; it cannot be undone. \
             Nothing was deleted: run `kindred delete-all --yes` to confirm",
        ));
    }
    let config = Config::from_env(data_dir)?;
    let kindred = Kindred::open(&config).await?;
    let summary = kindred.delete_all(config.secrets.as_ref()).await?;
    if json {
        print_json(&summary);
        return Ok(ExitCode::SUCCESS);
    }
    for email in &summary.revoked {
        println!("revoked Kindred's access to {email}");
    }
    for email in &summary.not_confirmed {
        println!(
            "deleted the tokens of {email}, but Google did not confirm the revocation: \
             revoke Kindred at https://myaccount.google.com/permissions"
        );
    }
    println!(
        "deleted {} secrets and {}",
        summary.secrets_deleted,
        summary.removed.join(", ")
    );
    for path in &summary.left_alone {
        println!("left alone (not Kindred's): {path}");
    }
    Ok(ExitCode::SUCCESS)
}
