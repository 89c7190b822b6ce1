//! `kindred doctor`: what works and what does not, with what to do; exits non-zero when
//! a check is an error.

use std::process::ExitCode;

use kindred_api::{ApiError, CheckStatus, Kindred};

use crate::print_json;

/// Runs the checks and prints them.
pub async fn run(kindred: &Kindred, json: bool) -> Result<ExitCode, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let report = kindred.doctor(secrets.as_ref()).await?;
    if json {
        print_json(&report);
    } else {
        println!("Kindred {} — {}", report.version, report.data_dir);
        for check in &report.checks {
            let mark = match check.status {
                CheckStatus::Ok => "ok",
                CheckStatus::Warning => "warning",
                CheckStatus::Error => "ERROR",
                CheckStatus::Skipped => "-",
            };
            println!("{mark:>7}  {}: {}", check.name, check.detail);
            if let Some(hint) = &check.hint {
                println!("         → {hint}");
            }
        }
    }
    Ok(if report.healthy {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
