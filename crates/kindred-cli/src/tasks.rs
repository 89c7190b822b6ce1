//! `kindred tasks list|add|move|done`: the task board on the command line.

use std::process::ExitCode;

use kindred_api::{ApiError, Kindred, NewTaskRequest, TaskDto};

use crate::print_json;

#[derive(Debug, clap::Subcommand)]
pub enum TasksCommand {
    /// The tasks, open ones first by priority and due date.
    List {
        /// Only tasks in this status: todo, doing or done.
        #[arg(long)]
        status: Option<String>,
    },
    /// Add a task to do.
    Add {
        title: String,
        #[arg(long, default_value = "")]
        notes: String,
        /// low, normal (default) or high.
        #[arg(long)]
        priority: Option<String>,
        /// The due date, YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        due: Option<String>,
        /// A message it is about (repeatable).
        #[arg(long = "message", value_name = "ID")]
        messages: Vec<i64>,
        /// An event it is about (repeatable).
        #[arg(long = "event", value_name = "ID")]
        events: Vec<i64>,
    },
    /// Move a task to todo, doing or done.
    Move {
        #[arg(value_name = "ID")]
        id: i64,
        #[arg(value_name = "STATUS")]
        status: String,
    },
    /// Mark a task done.
    Done {
        #[arg(value_name = "ID")]
        id: i64,
    },
}

pub async fn execute(
    kindred: &Kindred,
    command: TasksCommand,
    json: bool,
) -> Result<ExitCode, ApiError> {
    match command {
        TasksCommand::List { status } => {
            let tasks = kindred.tasks(status.as_deref()).await?;
            if json {
                print_json(&tasks);
            } else if tasks.is_empty() {
                println!("no tasks");
            } else {
                for task in &tasks {
                    println!("{}", task_line(task));
                }
            }
        }
        TasksCommand::Add {
            title,
            notes,
            priority,
            due,
            messages,
            events,
        } => {
            let request = NewTaskRequest {
                title,
                notes,
                priority,
                due,
                messages,
                events,
            };
            print_task(&kindred.add_task(&request).await?, json);
        }
        TasksCommand::Move { id, status } => {
            print_task(&kindred.move_task(id, &status).await?, json);
        }
        TasksCommand::Done { id } => print_task(&kindred.move_task(id, "done").await?, json),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_task(task: &TaskDto, json: bool) {
    if json {
        print_json(task);
    } else {
        println!("{}", task_line(task));
    }
}

fn task_line(task: &TaskDto) -> String {
    let due = task
        .due
        .as_deref()
        .map(|due| format!(", due {due}"))
        .unwrap_or_default();
    format!(
        "{:>4}  {:<5}  {:<6}  {}  ({}{due})",
        task.id, task.status, task.priority, task.title, task.created_by
    )
}
