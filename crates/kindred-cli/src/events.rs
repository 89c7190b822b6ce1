//! `kindred events [--from DATE] [--to DATE] [--ics FILE]`: the stored events (calendars,
//! imports and invitations in mail), listed or exported as one `.ics` file;
//! `kindred events --extract MESSAGE_ID` reads an event out of one message;
//! `kindred events label [NAME | --clear]` shows or chooses the extraction label, whose new
//! mail is read for events.

use std::path::PathBuf;
use std::process::ExitCode;

use kindred_api::{ApiError, EventDto, EventsFilter, Kindred};
use serde_json::json;

use crate::print_json;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct EventsArgs {
    #[command(subcommand)]
    command: Option<EventsCommand>,
    /// Only events starting on or after this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Only events starting before this date (YYYY-MM-DD, UTC).
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Write the events to this iCalendar file instead of listing them.
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
    /// Read an event out of this message instead: its invitation, else the configured
    /// language model (offline: invitations only). Exits with 1 when the model's answer
    /// is rejected.
    #[arg(long, value_name = "MESSAGE_ID", conflicts_with_all = ["from", "to", "ics"])]
    extract: Option<i64>,
}

#[derive(Debug, clap::Subcommand)]
pub enum EventsCommand {
    /// Show the extraction label, or choose it: new mail carrying this Gmail label (not a
    /// first sync's backfill, not an import) is read for an event once, like a rule's
    /// extract_event.
    Label {
        /// The label as stored with the mail (e.g. Events; a label you created in Gmail is
        /// stored as its id, Label_…); case does not matter.
        #[arg(value_name = "NAME", conflicts_with = "clear")]
        name: Option<String>,
        /// Stop reading labelled mail for events.
        #[arg(long)]
        clear: bool,
    },
}

pub async fn execute(
    kindred: &Kindred,
    args: EventsArgs,
    json: bool,
) -> Result<ExitCode, ApiError> {
    if let Some(EventsCommand::Label { name, clear }) = args.command {
        let label = match (name, clear) {
            (Some(name), _) => kindred.set_extraction_label(Some(&name)).await?,
            (None, true) => kindred.set_extraction_label(None).await?,
            (None, false) => kindred.extraction_label().await?,
        };
        if json {
            print_json(&json!({ "label": label }));
        } else if let Some(label) = label {
            println!("new mail labelled {label} is read for events");
        } else {
            println!("no extraction label: kindred events label NAME chooses one");
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(message_id) = args.extract {
        let secrets = kindred_api::secrets_from_env()?;
        let outcome = kindred
            .extract_event(secrets.as_ref(), message_id, "person")
            .await?;
        if json {
            print_json(&outcome);
        } else {
            println!("message {message_id}: {}", outcome.detail);
        }
        return Ok(if outcome.source == "rejected" {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let filter = EventsFilter {
        from: args.from,
        to: args.to,
    };
    if let Some(path) = args.ics {
        let written = kindred.export_events_ics(&filter, &path).await?;
        if json {
            print_json(&json!({ "written": written, "path": path }));
        } else {
            println!("wrote {written} events to {}", path.display());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let events = kindred.events(&filter).await?;
    if json {
        print_json(&events);
    } else if events.is_empty() {
        println!("no events");
    } else {
        for event in &events {
            println!("{}", event_line(event));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `12  2026-03-04T10:00:00Z  Planning @ Room 1  (cancelled) [from mail 4, 9]`.
fn event_line(event: &EventDto) -> String {
    let mut line = format!("{:>5}  {}  {}", event.id, event.starts_at, event.title);
    if !event.location.is_empty() {
        line.push_str(&format!(" @ {}", event.location));
    }
    if event.status != "confirmed" {
        line.push_str(&format!("  ({})", event.status));
    }
    if !event.messages.is_empty() {
        let ids: Vec<String> = event.messages.iter().map(i64::to_string).collect();
        line.push_str(&format!("  [from mail {}]", ids.join(", ")));
    }
    line
}
