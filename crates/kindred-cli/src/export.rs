//! `kindred export DIR`: everything into a folder, with a progress bar on a terminal.

use std::path::Path;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use kindred_api::{ApiError, ExportPart, ExportProgress, Kindred};

use crate::print_json;

/// Runs the export and prints its summary.
pub async fn run(
    kindred: &Kindred,
    directory: &Path,
    json: bool,
    show_progress: bool,
) -> Result<ExitCode, ApiError> {
    let bar = show_progress.then(|| {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} {wide_msg} [{bar:30}] {pos}/{len} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    });
    let summary = kindred
        .export(directory, &|event| {
            let Some(bar) = &bar else { return };
            if let ExportProgress::Progress { part, done, total } = event {
                bar.set_length(total);
                bar.set_position(done);
                bar.set_message(part_name(part));
            }
        })
        .await;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    if json {
        print_json(&summary);
    } else {
        println!(
            "exported {} messages, {} events, {} people, {} organisations and {} accounts to {}",
            summary.messages,
            summary.events,
            summary.people,
            summary.organizations,
            summary.accounts,
            summary.directory
        );
        println!("files: {}", summary.files.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn part_name(part: ExportPart) -> &'static str {
    match part {
        ExportPart::Messages => "messages",
        ExportPart::Events => "events",
        ExportPart::People => "people",
        ExportPart::Organizations => "organisations",
        ExportPart::Accounts => "accounts",
        ExportPart::Rules => "rules",
        ExportPart::Tasks => "tasks",
        ExportPart::Stories => "stories",
        ExportPart::Activity => "activity",
    }
}
