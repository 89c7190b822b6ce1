//! Tasks as shells see them: listed for the board, added by the person (rules and the
//! assistant add theirs through their own paths), moved between todo, doing and done.
//! Each change is written to the activity log.

use chrono::{NaiveDate, Utc};
use kindred_core::rules::Priority;
use kindred_store::activity::{NewActivity, Outcome};
use kindred_store::tasks::{NewTask, TaskQuery, TaskRow};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::activity::iso_millis;
use crate::{ApiError, ErrorCode, Kindred};

/// The statuses a task moves through, in board order.
pub const TASK_STATUSES: [&str; 3] = ["todo", "doing", "done"];

/// A task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TaskDto {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub notes: String,
    /// `todo`, `doing` or `done`.
    pub status: String,
    /// `low`, `normal` or `high`.
    pub priority: String,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    /// `person`, `rule N` or `assistant`.
    pub created_by: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
    pub completed_at: Option<String>,
    /// The messages it came from.
    #[ts(type = "number[]")]
    pub messages: Vec<i64>,
    /// The events it came from.
    #[ts(type = "number[]")]
    pub events: Vec<i64>,
}

/// A task the person adds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct NewTaskRequest {
    pub title: String,
    pub notes: String,
    /// `low`, `normal` (the default) or `high`.
    pub priority: Option<String>,
    /// YYYY-MM-DD.
    pub due: Option<String>,
    #[ts(type = "number[]")]
    pub messages: Vec<i64>,
    #[ts(type = "number[]")]
    pub events: Vec<i64>,
}

impl Kindred {
    /// The tasks, open ones first (by priority, then due date), or only those in `status`.
    ///
    /// # Errors
    /// `status` is not todo, doing or done; the store cannot be read.
    pub async fn tasks(&self, status: Option<&str>) -> Result<Vec<TaskDto>, ApiError> {
        let status = status.map(checked_status).transpose()?;
        Ok(self
            .store
            .tasks(TaskQuery { status })
            .await?
            .into_iter()
            .map(task_dto)
            .collect())
    }

    /// Adds a task of the person's, to do.
    ///
    /// # Errors
    /// An empty title, an unknown priority or a due date that is not YYYY-MM-DD; the store
    /// refused the write.
    pub async fn add_task(&self, request: &NewTaskRequest) -> Result<TaskDto, ApiError> {
        let title = request.title.trim();
        if title.is_empty() {
            return Err(ApiError::invalid_input("a task needs a title"));
        }
        let priority = match request.priority.as_deref() {
            None => Priority::Normal,
            Some(text) => Priority::parse(text).ok_or_else(|| {
                ApiError::invalid_input(format!(
                    "priority '{text}' is not one of low, normal, high"
                ))
            })?,
        };
        if let Some(due) = &request.due {
            NaiveDate::parse_from_str(due, "%Y-%m-%d").map_err(|_| {
                ApiError::invalid_input(format!("due date '{due}' is not a date like 2026-12-01"))
            })?;
        }
        let now = Utc::now().timestamp_millis();
        let id = self
            .store
            .insert_task(
                &NewTask {
                    title,
                    notes: &request.notes,
                    priority: priority.as_str(),
                    due: request.due.as_deref(),
                    created_by: "person",
                    messages: &request.messages,
                    events: &request.events,
                },
                now,
            )
            .await?;
        self.log_task(id, "task.created", title).await?;
        self.task(id).await
    }

    /// Moves task `id` to `status` (todo, doing or done).
    ///
    /// # Errors
    /// No such task or status; the store refused the write.
    pub async fn move_task(&self, id: i64, status: &str) -> Result<TaskDto, ApiError> {
        let status = checked_status(status)?;
        let now = Utc::now().timestamp_millis();
        if !self.store.set_task_status(id, status, now).await? {
            return Err(no_task(id));
        }
        let kind = if status == "done" {
            "task.done"
        } else {
            "task.moved"
        };
        self.log_task(id, kind, status).await?;
        self.task(id).await
    }

    async fn task(&self, id: i64) -> Result<TaskDto, ApiError> {
        self.store
            .task(id)
            .await?
            .map(task_dto)
            .ok_or_else(|| no_task(id))
    }

    async fn log_task(&self, id: i64, kind: &str, detail: &str) -> Result<(), ApiError> {
        let subject = format!("task {id}");
        self.store
            .append_activity(
                &NewActivity {
                    actor: "person",
                    kind,
                    subject: &subject,
                    outcome: Outcome::Ok,
                    detail,
                },
                Utc::now().timestamp_millis(),
            )
            .await?;
        Ok(())
    }
}

fn checked_status(status: &str) -> Result<&'static str, ApiError> {
    TASK_STATUSES
        .into_iter()
        .find(|known| *known == status)
        .ok_or_else(|| {
            ApiError::invalid_input(format!(
                "status '{status}' is not one of {}",
                TASK_STATUSES.join(", ")
            ))
        })
}

fn no_task(id: i64) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("no task has id {id}; `kindred tasks list` shows them"),
    )
}

fn task_dto(row: TaskRow) -> TaskDto {
    TaskDto {
        id: row.id,
        title: row.title,
        notes: row.notes,
        status: row.status,
        priority: row.priority,
        due: row.due,
        created_by: row.created_by,
        created_at: iso_millis(row.created_at),
        updated_at: iso_millis(row.updated_at),
        completed_at: row.completed_at.map(iso_millis),
        messages: row.messages,
        events: row.events,
    }
}
