//! Tasks: things to do, created by the person, a rule or the assistant, with a status
//! (todo, doing, done), a priority, an optional due date and links to the messages and
//! events they came from.

use std::collections::HashMap;

use sqlx::SqliteConnection;

use crate::{Store, StoreError};

/// A task to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTask<'a> {
    pub title: &'a str,
    pub notes: &'a str,
    /// `low`, `normal` or `high`.
    pub priority: &'a str,
    /// YYYY-MM-DD.
    pub due: Option<&'a str>,
    /// `person`, `rule <id>` or `assistant`.
    pub created_by: &'a str,
    /// Messages it came from.
    pub messages: &'a [i64],
    /// Events it came from.
    pub events: &'a [i64],
}

/// A stored task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskRow {
    pub id: i64,
    pub title: String,
    pub notes: String,
    pub status: String,
    pub priority: String,
    pub due: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub completed_at: Option<i64>,
    pub messages: Vec<i64>,
    pub events: Vec<i64>,
}

type RawTask = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    Option<i64>,
);

const TASK_COLUMNS: &str =
    "id, title, notes, status, priority, due, created_by, created_at, updated_at, completed_at";

/// Which tasks to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TaskQuery<'a> {
    /// Only this status.
    pub status: Option<&'a str>,
}

impl Store {
    /// Creates a task; returns its id.
    ///
    /// # Errors
    /// The database refused the write (an empty title, an unknown priority).
    pub async fn insert_task(&self, task: &NewTask<'_>, now: i64) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let id = write_task(&mut tx, task, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The tasks `query` selects: open ones first by priority then due date, done ones
    /// last, most recently finished first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn tasks(&self, query: TaskQuery<'_>) -> Result<Vec<TaskRow>, StoreError> {
        let rows: Vec<RawTask> = sqlx::query_as(&format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE ?1 IS NULL OR status = ?1
             ORDER BY status = 'done',
                      CASE priority WHEN 'high' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END,
                      due IS NULL, due, completed_at DESC, id"
        ))
        .bind(query.status)
        .fetch_all(self.reader())
        .await?;
        let links: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT task_id, kind, item_id FROM task_links ORDER BY item_id")
                .fetch_all(self.reader())
                .await?;
        let mut linked: HashMap<i64, (Vec<i64>, Vec<i64>)> = HashMap::new();
        for (task_id, kind, item_id) in links {
            let (messages, events) = linked.entry(task_id).or_default();
            if kind == "message" {
                messages.push(item_id);
            } else {
                events.push(item_id);
            }
        }
        Ok(rows
            .into_iter()
            .map(|raw| {
                let mut task = task_row(raw);
                if let Some((messages, events)) = linked.remove(&task.id) {
                    task.messages = messages;
                    task.events = events;
                }
                task
            })
            .collect())
    }

    /// The task `id`, if it exists.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn task(&self, id: i64) -> Result<Option<TaskRow>, StoreError> {
        Ok(self
            .tasks(TaskQuery::default())
            .await?
            .into_iter()
            .find(|task| task.id == id))
    }

    /// Moves task `id` to `status` (`todo`, `doing`, `done`); returns whether it exists.
    ///
    /// # Errors
    /// The database refused the write (an unknown status).
    pub async fn set_task_status(
        &self,
        id: i64,
        status: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let updated = sqlx::query(
            "UPDATE tasks SET status = ?2, updated_at = ?3,
               completed_at = CASE WHEN ?2 = 'done' THEN coalesce(completed_at, ?3) END
             WHERE id = ?1",
        )
        .bind(id)
        .bind(status)
        .bind(now)
        .execute(self.writer())
        .await?;
        Ok(updated.rows_affected() > 0)
    }
}

/// Creates a task through `connection`, so a rule firing can create one in its own
/// transaction; returns its id.
pub(crate) async fn write_task(
    connection: &mut SqliteConnection,
    task: &NewTask<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO tasks (title, notes, status, priority, due, created_by, created_at,
                            updated_at)
         VALUES (?1, ?2, 'todo', ?3, ?4, ?5, ?6, ?6) RETURNING id",
    )
    .bind(task.title)
    .bind(task.notes)
    .bind(task.priority)
    .bind(task.due)
    .bind(task.created_by)
    .bind(now)
    .fetch_one(&mut *connection)
    .await?;
    let links = task
        .messages
        .iter()
        .map(|id| ("message", id))
        .chain(task.events.iter().map(|id| ("event", id)));
    for (kind, item_id) in links {
        sqlx::query(
            "INSERT OR IGNORE INTO task_links (task_id, kind, item_id) VALUES (?1, ?2, ?3)",
        )
        .bind(id)
        .bind(kind)
        .bind(item_id)
        .execute(&mut *connection)
        .await?;
    }
    Ok(id)
}

fn task_row(
    (id, title, notes, status, priority, due, created_by, created_at, updated_at, completed_at): RawTask,
) -> TaskRow {
    TaskRow {
        id,
        title,
        notes,
        status,
        priority,
        due,
        created_by,
        created_at,
        updated_at,
        completed_at,
        messages: Vec::new(),
        events: Vec::new(),
    }
}
