//! `kindred retention`: how long evidence is kept, set or turned off, and a pass now.

use std::process::ExitCode;

use kindred_api::{ApiError, Kindred};

use crate::print_json;

/// Sets the retention when asked, applies it with `apply`, and prints the setting (or the
/// pass).
pub async fn run(
    kindred: &Kindred,
    days: Option<u32>,
    off: bool,
    apply: bool,
    json: bool,
) -> Result<ExitCode, ApiError> {
    if off {
        kindred.set_evidence_retention_days(None).await?;
    } else if days.is_some() {
        kindred.set_evidence_retention_days(days).await?;
    }
    if apply {
        let pass = kindred.apply_retention(chrono::Utc::now()).await?;
        if json {
            print_json(&pass);
        } else if let (Some(days), Some(cutoff)) = (pass.days, &pass.cutoff) {
            println!(
                "kept {days} days: deleted {} messages and {} events from before {cutoff}",
                pass.messages_deleted, pass.events_deleted
            );
        } else {
            println!("retention is off: nothing deleted");
        }
        return Ok(ExitCode::SUCCESS);
    }
    let days = kindred.evidence_retention_days().await?;
    if json {
        print_json(&serde_json::json!({ "days": days }));
    } else {
        match days {
            Some(days) => println!("evidence older than {days} days is deleted daily"),
            None => println!("retention is off: evidence is kept for ever"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
