//! The activity log as shells and the rest of the engine see it: every action Kindred
//! takes is recorded here with who acted (the person, sync, a rule, the assistant), when,
//! on what and how it went; the log is read newest first, filtered, and kept for the
//! retention period set in settings.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use kindred_store::activity::{ActivityQuery, ActivityRow, NewActivity, Outcome};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Kindred};

/// The setting holding how many days the activity log keeps an entry.
const RETENTION_SETTING: &str = "activity.retention_days";
/// The retention period when none is set.
pub const DEFAULT_RETENTION_DAYS: u32 = 365;
/// How many entries a read returns when the filter names no limit.
const DEFAULT_LIMIT: u32 = 200;

/// Who took an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The person, through the app or the CLI.
    Person,
    /// Sync and import running on their own.
    Sync,
    /// The rule with this id.
    Rule(i64),
    /// The assistant.
    Assistant,
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Person => f.write_str("person"),
            Self::Sync => f.write_str("sync"),
            Self::Rule(id) => write!(f, "rule {id}"),
            Self::Assistant => f.write_str("assistant"),
        }
    }
}

impl FromStr for Actor {
    type Err = ApiError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "person" => Ok(Self::Person),
            "sync" => Ok(Self::Sync),
            "assistant" => Ok(Self::Assistant),
            other => other
                .strip_prefix("rule")
                .and_then(|id| id.trim().parse().ok())
                .map(Self::Rule)
                .ok_or_else(|| {
                    ApiError::invalid_input(format!(
                        "unknown actor '{other}': use person, sync, assistant or 'rule N'"
                    ))
                }),
        }
    }
}

/// An action to record. `kind` names the action in dotted lower case: `sync`,
/// `rule.fired`, `webhook`, `task.created`, `story.generated`, `assistant.action`,
/// `token.refresh`, `export`, `deletion`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActivityEntry {
    pub actor: Actor,
    pub kind: String,
    /// What it was about: `message 42`, `account dana@example.com`, `task 7`.
    pub subject: String,
    pub ok: bool,
    /// What a person reading the log needs: counts, the error, the URL called.
    pub detail: String,
}

/// One recorded action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ActivityEntry {
    #[ts(type = "number")]
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// `person`, `sync`, `rule N` or `assistant`.
    pub actor: String,
    pub kind: String,
    pub subject: String,
    /// `ok` or `failed`.
    pub outcome: String,
    pub detail: String,
}

/// Which actions to read; every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct ActivityFilter {
    /// At or after this instant (RFC 3339).
    pub since: Option<String>,
    /// `person`, `sync`, `rule N` or `assistant`.
    pub actor: Option<String>,
    /// A kind (`webhook`), or a prefix ending in a dot (`rule.`).
    pub kind: Option<String>,
    /// Only actions that failed.
    pub failed_only: bool,
    /// At most this many, newest first (default 200).
    pub limit: Option<u32>,
}

impl Kindred {
    /// Records an action in the activity log, now.
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn record_activity(
        &self,
        entry: &NewActivityEntry,
    ) -> Result<ActivityEntry, ApiError> {
        let actor = entry.actor.to_string();
        let activity = NewActivity {
            actor: &actor,
            kind: &entry.kind,
            subject: &entry.subject,
            outcome: if entry.ok {
                Outcome::Ok
            } else {
                Outcome::Failed
            },
            detail: &entry.detail,
        };
        let at = Utc::now().timestamp_millis();
        let id = self.store.append_activity(&activity, at).await?;
        Ok(entry_dto(ActivityRow {
            id,
            at,
            actor: actor.clone(),
            kind: entry.kind.clone(),
            subject: entry.subject.clone(),
            outcome: activity.outcome,
            detail: entry.detail.clone(),
        }))
    }

    /// The recorded actions `filter` selects, newest first.
    ///
    /// # Errors
    /// `since` is not an RFC 3339 instant or `actor` is not an actor; the store cannot be
    /// read.
    pub async fn activity(&self, filter: &ActivityFilter) -> Result<Vec<ActivityEntry>, ApiError> {
        let since = filter
            .since
            .as_deref()
            .map(|since| {
                DateTime::parse_from_rfc3339(since)
                    .map(|at| at.timestamp_millis())
                    .map_err(|error| {
                        ApiError::invalid_input(format!(
                            "since '{since}' is not an RFC 3339 instant \
                             (like 2026-11-22T09:00:00Z): {error}"
                        ))
                    })
            })
            .transpose()?;
        let actor = filter
            .actor
            .as_deref()
            .map(|actor| actor.parse::<Actor>().map(|actor| actor.to_string()))
            .transpose()?;
        let rows = self
            .store
            .activity(&ActivityQuery {
                since,
                actor,
                kind: filter.kind.clone(),
                failed_only: filter.failed_only,
                limit: filter.limit.unwrap_or(DEFAULT_LIMIT),
            })
            .await?;
        Ok(rows.into_iter().map(entry_dto).collect())
    }

    /// How many days the activity log keeps an entry.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn activity_retention_days(&self) -> Result<u32, ApiError> {
        Ok(self
            .store
            .setting(RETENTION_SETTING)
            .await?
            .and_then(|days| days.parse().ok())
            .unwrap_or(DEFAULT_RETENTION_DAYS))
    }

    /// Sets how many days the activity log keeps an entry (at least one).
    ///
    /// # Errors
    /// `days` is zero; the store refused the write.
    pub async fn set_activity_retention_days(&self, days: u32) -> Result<(), ApiError> {
        if days == 0 {
            return Err(ApiError::invalid_input(
                "the activity log's retention must be at least one day",
            ));
        }
        self.store
            .set_setting(RETENTION_SETTING, &days.to_string())
            .await?;
        Ok(())
    }

    /// Forgets the entries older than the retention period as of `now`; returns how many.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub async fn prune_activity(&self, now: DateTime<Utc>) -> Result<u64, ApiError> {
        let days = self.activity_retention_days().await?;
        let before = now - Duration::days(i64::from(days));
        Ok(self.store.prune_activity(before.timestamp_millis()).await?)
    }
}

/// The RFC 3339 spelling of a stored instant (unix milliseconds).
pub(crate) fn iso_millis(millis: i64) -> String {
    DateTime::from_timestamp_millis(millis)
        .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn entry_dto(row: ActivityRow) -> ActivityEntry {
    ActivityEntry {
        id: row.id,
        at: iso_millis(row.at),
        actor: row.actor,
        kind: row.kind,
        subject: row.subject,
        outcome: row.outcome.as_str().to_owned(),
        detail: row.detail,
    }
}
