//! `kindred activity`: what Kindred did, newest first, as text or JSON.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use kindred_api::{ActivityEntry, ActivityFilter, ApiError};

use crate::print_json;

/// The filter of `kindred activity`: `since` is an RFC 3339 instant, a date (midnight
/// UTC) or a span back from `now` (`30m`, `12h`, `7d`).
///
/// # Errors
/// `since` is none of those.
pub fn filter(
    since: Option<&str>,
    actor: Option<String>,
    kind: Option<String>,
    failed_only: bool,
    limit: u32,
    now: DateTime<Utc>,
) -> Result<ActivityFilter, ApiError> {
    let since = since
        .map(|since| {
            parse_since(since, now).ok_or_else(|| {
                ApiError::invalid_input(format!(
                    "--since '{since}' is not a time: use an RFC 3339 instant \
                     (2026-11-22T09:00:00Z), a date (2026-11-22) or a span back (12h, 7d)"
                ))
            })
        })
        .transpose()?;
    Ok(ActivityFilter {
        since: since.map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true)),
        actor,
        kind,
        failed_only,
        limit: Some(limit),
    })
}

fn parse_since(text: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(date.and_hms_opt(0, 0, 0)?.and_utc());
    }
    let unit = text.chars().last()?;
    let amount = i64::from(text[..text.len() - unit.len_utf8()].parse::<u32>().ok()?);
    let span = match unit {
        'm' => Duration::try_minutes(amount)?,
        'h' => Duration::try_hours(amount)?,
        'd' => Duration::try_days(amount)?,
        _ => return None,
    };
    now.checked_sub_signed(span)
}

pub fn print_activity(entries: &[ActivityEntry], json: bool) {
    if json {
        print_json(&entries);
        return;
    }
    for entry in entries {
        let detail = if entry.detail.is_empty() {
            String::new()
        } else {
            format!(": {}", entry.detail)
        };
        println!(
            "{}  {:<10} {:<14} {:<6} {}{detail}",
            entry.at, entry.actor, entry.kind, entry.outcome, entry.subject
        );
    }
    if entries.is_empty() {
        println!("no activity recorded");
    }
}
