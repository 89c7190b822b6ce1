//! `kindred delete-all --yes`: deletes everything Kindred keeps, after an explicit yes.

use std::path::PathBuf;
use std::process::ExitCode;

use kindred_api::{ApiError, Config, ErrorCode, Kindred};

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
    let summary = match Kindred::open(&config).await {
        Ok(kindred) => kindred.delete_all(config.secrets.as_ref()).await?,
        // A store whose key is lost or wrong, or whose file is damaged, is deleted unread.
        Err(error)
            if matches!(
                error.code,
                ErrorCode::WrongKey | ErrorCode::StoreUnavailable
            ) =>
        {
            eprintln!("warning: {}", error.message);
            eprintln!("warning: deleting the store without reading it");
            kindred_api::delete_unreadable(&config).await?
        }
        Err(error) => return Err(error),
    };
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
    if summary.accounts_unknown {
        println!(
            "the store could not be read, so its Google accounts are unknown: revoke Kindred \
             at https://myaccount.google.com/permissions"
        );
    }
    for path in &summary.left_alone {
        println!("left alone (not Kindred's): {path}");
    }
    Ok(ExitCode::SUCCESS)
}
