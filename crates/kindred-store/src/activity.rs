//! The activity log: one append-only row per action Kindred took (a sync, a rule firing,
//! a webhook call, a task created, an assistant action, an export, a deletion), with who
//! acted, when, on what, and whether it worked. Read newest first, filtered; pruned by age.

use sqlx::{QueryBuilder, Sqlite};

use crate::{Store, StoreError};

/// Whether an action worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    Failed,
}

impl Outcome {
    /// The stored spelling.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "ok" {
            Self::Ok
        } else {
            Self::Failed
        }
    }
}

/// An action to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewActivity<'a> {
    /// Who acted: `person`, `sync`, `rule <id>`, `assistant`.
    pub actor: &'a str,
    /// What kind of action: `sync`, `rule.fired`, `webhook`, `task.created`, ...
    pub kind: &'a str,
    /// What it was about: `message 42`, `account dana@example.com`.
    pub subject: &'a str,
    pub outcome: Outcome,
    /// Anything more a person reading the log needs: counts, the error, the URL.
    pub detail: &'a str,
}

/// A recorded action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: i64,
    /// Unix milliseconds, UTC.
    pub at: i64,
    pub actor: String,
    pub kind: String,
    pub subject: String,
    pub outcome: Outcome,
    pub detail: String,
}

type RawRow = (i64, i64, String, String, String, String, String);

/// Which actions to read. Every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivityQuery {
    /// At or after this instant (unix milliseconds).
    pub since: Option<i64>,
    /// Exactly this actor.
    pub actor: Option<String>,
    /// Exactly this kind, or, ending in `.`, every kind it prefixes (`rule.`).
    pub kind: Option<String>,
    /// Only failures.
    pub failed_only: bool,
    /// At most this many, newest first.
    pub limit: u32,
}

impl Store {
    /// Records `activity` at `at` (unix milliseconds); returns its id.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn append_activity(
        &self,
        activity: &NewActivity<'_>,
        at: i64,
    ) -> Result<i64, StoreError> {
        write_activity(self.writer(), activity, at).await
    }

    /// The recorded actions `query` selects, newest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn activity(&self, query: &ActivityQuery) -> Result<Vec<ActivityRow>, StoreError> {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT id, at, actor, kind, subject, outcome, detail FROM activity_log WHERE 1 = 1",
        );
        if let Some(since) = query.since {
            sql.push(" AND at >= ").push_bind(since);
        }
        if let Some(actor) = &query.actor {
            sql.push(" AND actor = ").push_bind(actor.clone());
        }
        if let Some(kind) = &query.kind {
            if kind.ends_with('.') {
                sql.push(" AND substr(kind, 1, length(")
                    .push_bind(kind.clone())
                    .push(")) = ")
                    .push_bind(kind.clone());
            } else {
                sql.push(" AND kind = ").push_bind(kind.clone());
            }
        }
        if query.failed_only {
            sql.push(" AND outcome = 'failed'");
        }
        sql.push(" ORDER BY at DESC, id DESC LIMIT ")
            .push_bind(i64::from(query.limit));
        let rows: Vec<RawRow> = sql.build_query_as().fetch_all(self.reader()).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, at, actor, kind, subject, outcome, detail)| ActivityRow {
                    id,
                    at,
                    actor,
                    kind,
                    subject,
                    outcome: Outcome::parse(&outcome),
                    detail,
                },
            )
            .collect())
    }

    /// Forgets the actions recorded before `before` (unix milliseconds): the retention
    /// period has passed for them. Returns how many were forgotten.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn prune_activity(&self, before: i64) -> Result<u64, StoreError> {
        let pruned = sqlx::query("DELETE FROM activity_log WHERE at < ?1")
            .bind(before)
            .execute(self.writer())
            .await?;
        Ok(pruned.rows_affected())
    }
}

/// Records `activity` through `executor`, so a larger transaction (a rule firing and its
/// effects) can include it.
pub(crate) async fn write_activity<'e>(
    executor: impl sqlx::SqliteExecutor<'e>,
    activity: &NewActivity<'_>,
    at: i64,
) -> Result<i64, StoreError> {
    let id = sqlx::query_scalar(
        "INSERT INTO activity_log (at, actor, kind, subject, outcome, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
    )
    .bind(at)
    .bind(activity.actor)
    .bind(activity.kind)
    .bind(activity.subject)
    .bind(activity.outcome.as_str())
    .bind(activity.detail)
    .fetch_one(executor)
    .await?;
    Ok(id)
}
