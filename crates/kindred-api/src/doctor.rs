//! Diagnostics (`kindred doctor`, the app's About view): the secret store, the database's
//! integrity, size and schema, each account's sync, the job queue and the LLM endpoint —
//! each check with what it found and, when something is wrong, what to do.

use kindred_store::jobs::JobStatus;
use kindred_store::maintenance::Integrity;
use kindred_store::secrets::SecretStore;
use kindred_store::sync::SyncPhase;
use serde::Serialize;
use ts_rs::TS;

use crate::{AccountDto, ApiError, Kindred};

/// Problems of a damaged database named in the report.
const SHOWN_PROBLEMS: usize = 3;
/// Recent jobs looked at for the latest failure.
const RECENT_JOBS: u32 = 200;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Ok,
    /// Works, but something needs attention.
    Warning,
    /// Broken.
    Error,
    /// Not applicable here (e.g. no LLM configured).
    Skipped,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DoctorCheck {
    /// `secret_store`, `database`, `schema`, `account <email>`, `jobs`, `llm`.
    pub name: String,
    pub status: CheckStatus,
    /// What was found, in words.
    pub detail: String,
    /// What to do, when the status is not `ok`.
    pub hint: Option<String>,
}

impl DoctorCheck {
    fn new(name: impl Into<String>, status: CheckStatus, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            status,
            detail: detail.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// `kindred doctor`: every check, and whether none is an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DoctorReport {
    /// No check is an error (warnings allowed).
    pub healthy: bool,
    /// The Kindred version.
    pub version: String,
    pub data_dir: String,
    pub checks: Vec<DoctorCheck>,
}

impl DoctorReport {
    /// The report as text to paste into a bug report: addresses, tokens and names
    /// redacted as in the log files, the home folder written `~`.
    #[must_use]
    pub fn redacted_text(&self) -> String {
        let mut text = format!("Kindred {} — {}\n", self.version, self.data_dir);
        for check in &self.checks {
            text.push_str(&format!(
                "{:?}  {}: {}\n",
                check.status, check.name, check.detail
            ));
            if let Some(hint) = &check.hint {
                text.push_str(&format!("    → {hint}\n"));
            }
        }
        if let Some(home) = directories::BaseDirs::new() {
            text = text.replace(&home.home_dir().display().to_string(), "~");
        }
        crate::logging::redact(&text).into_owned()
    }
}

impl Kindred {
    /// Runs every check. The database check reads every page, so this takes a moment on
    /// a large store.
    ///
    /// # Errors
    /// The store cannot be read at all.
    pub async fn doctor(&self, secrets: &dyn SecretStore) -> Result<DoctorReport, ApiError> {
        let mut checks = vec![
            self.check_secrets(secrets),
            self.check_database().await,
            self.check_schema().await?,
        ];
        for account in self.accounts().await? {
            let mail = self.mail_sync(&account.email).await?;
            checks.push(check_account(&account, mail.as_ref()));
        }
        checks.push(self.check_jobs().await?);
        checks.push(self.check_llm(secrets).await?);
        Ok(DoctorReport {
            healthy: checks.iter().all(|c| c.status != CheckStatus::Error),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: self.data_dir.display().to_string(),
            checks,
        })
    }

    fn check_secrets(&self, secrets: &dyn SecretStore) -> DoctorCheck {
        let name = "secret_store";
        let backend = secrets.describe();
        match secrets.get(&kindred_store::key_name(&self.data_dir)) {
            Ok(Some(_)) if backend.starts_with("file") => DoctorCheck::new(
                name,
                CheckStatus::Warning,
                format!("{backend}: holds the database key"),
            )
            .hint(
                "secrets are in a file rather than the system keyring; unset KINDRED_SECRETS \
                 in a desktop session to use the keyring",
            ),
            Ok(Some(_)) => DoctorCheck::new(
                name,
                CheckStatus::Ok,
                format!("{backend}: holds the database key"),
            ),
            Ok(None) => DoctorCheck::new(
                name,
                CheckStatus::Error,
                format!(
                    "{backend} has no database key for {}",
                    self.data_dir.display()
                ),
            )
            .hint("restore the keyring entry from a backup of the keyring"),
            Err(error) => DoctorCheck::new(name, CheckStatus::Error, format!("{backend}: {error}"))
                .hint("unlock the keyring (log in to the desktop session), or set KINDRED_SECRETS"),
        }
    }

    async fn check_database(&self) -> DoctorCheck {
        let size = self.store.size_on_disk();
        let file = format!(
            "{} ({:.1} MB)",
            self.store.path().display(),
            size as f64 / 1_000_000.0
        );
        let integrity = match self.store.integrity().await {
            Ok(integrity) => integrity,
            // A page too damaged to read stops the check itself.
            Err(error) => Integrity {
                problems: vec![error.to_string()],
                cipher_problems: Vec::new(),
            },
        };
        if integrity.is_sound() {
            DoctorCheck::new(
                "database",
                CheckStatus::Ok,
                format!("{file}: integrity and encryption checks pass"),
            )
        } else {
            let found: Vec<String> = integrity
                .cipher_problems
                .iter()
                .chain(&integrity.problems)
                .flat_map(|problem| problem.lines())
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("***"))
                .map(str::to_owned)
                .collect();
            let more = match found.len().saturating_sub(SHOWN_PROBLEMS) {
                0 => String::new(),
                more => format!(" (and {more} more)"),
            };
            DoctorCheck::new(
                "database",
                CheckStatus::Error,
                format!(
                    "{file}: {}{more}",
                    found[..found.len().min(SHOWN_PROBLEMS)].join("; ")
                ),
            )
            .hint(
                "the file is damaged: export what can be read (`kindred export DIR`), then \
                 restore a backup or start afresh",
            )
        }
    }

    async fn check_schema(&self) -> Result<DoctorCheck, ApiError> {
        let stored = self.store.stored_schema_version().await?;
        let known = kindred_store::schema_version();
        Ok(if stored == known {
            DoctorCheck::new("schema", CheckStatus::Ok, format!("version {stored}"))
        } else {
            DoctorCheck::new(
                "schema",
                CheckStatus::Error,
                format!("the file says version {stored}, this Kindred knows {known}"),
            )
            .hint("run the newest Kindred; it migrates the file when it opens it")
        })
    }

    /// Where the mail of the account `email` stands: its phase, what the store holds of
    /// it and what is listed but not fetched yet.
    async fn mail_sync(&self, email: &str) -> Result<Option<MailSync>, ApiError> {
        let Some(account) = self.store.account(kindred_google::PROVIDER, email).await? else {
            return Ok(None);
        };
        let Some(state) = self.store.sync_state(account.id, "gmail").await? else {
            return Ok(None);
        };
        Ok(Some(MailSync {
            phase: state.phase,
            stored: self.store.gmail_count(account.id).await?,
            to_fetch: self.store.gmail_pending_count(account.id).await?,
        }))
    }

    async fn check_jobs(&self) -> Result<DoctorCheck, ApiError> {
        let counts = self.store.job_counts().await?;
        let detail = format!(
            "{} pending, {} running, {} failed",
            counts.pending, counts.running, counts.failed
        );
        if counts.failed == 0 {
            return Ok(DoctorCheck::new("jobs", CheckStatus::Ok, detail));
        }
        let latest = self
            .store
            .recent_jobs(RECENT_JOBS)
            .await?
            .into_iter()
            .find(|job| job.status == JobStatus::Failed);
        let detail = match latest {
            Some(job) => format!(
                "{detail}; the latest failure: {} job: {}",
                job.kind,
                job.last_error.unwrap_or_default()
            ),
            None => detail,
        };
        Ok(DoctorCheck::new("jobs", CheckStatus::Warning, detail).hint(
            "failed jobs gave up after their retries; what failed says why (a sync failure \
             is retried at the next sync)",
        ))
    }

    async fn check_llm(&self, secrets: &dyn SecretStore) -> Result<DoctorCheck, ApiError> {
        if self.llm_settings(secrets).await?.offline {
            return Ok(DoctorCheck::new(
                "llm",
                CheckStatus::Skipped,
                "not configured: the assistant answers from the engine alone",
            ));
        }
        Ok(match self.test_llm_connection(secrets).await {
            Ok(connection) => DoctorCheck::new(
                "llm",
                CheckStatus::Ok,
                format!(
                    "{} answered with {} in {} ms",
                    connection.base_url, connection.model, connection.reply_milliseconds
                ),
            ),
            Err(error) => DoctorCheck::new("llm", CheckStatus::Error, error.message).hint(
                "check the endpoint runs and `kindred llm show`; `kindred llm set` changes it",
            ),
        })
    }
}

/// The state of one account's mail sync.
struct MailSync {
    phase: SyncPhase,
    stored: u64,
    to_fetch: u64,
}

fn check_account(account: &AccountDto, mail: Option<&MailSync>) -> DoctorCheck {
    let name = format!("account {}", account.email);
    match account.status.as_str() {
        "reconnect_needed" => {
            return DoctorCheck::new(name, CheckStatus::Error, "Google refused the sign-in")
                .hint("sign in again: `kindred login google` or Settings › Accounts › Reconnect");
        }
        "signed_out" | "snapshot" => {
            return DoctorCheck::new(
                name,
                CheckStatus::Skipped,
                format!("{}: not synced any more; its data stays", account.status),
            );
        }
        _ => {}
    }
    match &account.last_sync {
        None => DoctorCheck::new(name, CheckStatus::Warning, "connected, never synced")
            .hint("run `kindred sync` or wait for the next background sync"),
        Some(run) => match (&run.error_class, &run.error) {
            (Some(class), error) => DoctorCheck::new(
                name,
                CheckStatus::Warning,
                format!(
                    "the last sync ({}) stopped: {class}: {}",
                    run.started_at,
                    error.as_deref().unwrap_or("")
                ),
            )
            .hint(match class.as_str() {
                "network" => "check the connection; the next sync resumes where this one stopped",
                "quota" => "Google's quota was reached; the next sync resumes later",
                _ => "the next sync retries; if it keeps failing, sign out and in again",
            }),
            (None, _) => {
                let last = format!(
                    "last synced {}: {} messages and {} events added",
                    run.finished_at.as_deref().unwrap_or(&run.started_at),
                    run.mail.added,
                    run.calendar.added
                );
                match mail {
                    Some(mail) if mail.phase == SyncPhase::Incremental => DoctorCheck::new(
                        name,
                        CheckStatus::Ok,
                        format!("{last}; mail caught up, {} messages", mail.stored),
                    ),
                    Some(mail) => DoctorCheck::new(
                        name,
                        CheckStatus::Warning,
                        format!(
                            "{last}; the mail's initial sync is unfinished: {} messages \
                             stored, {} listed still to fetch",
                            mail.stored, mail.to_fetch
                        ),
                    )
                    .hint("the next sync continues where the last one stopped"),
                    None => DoctorCheck::new(name, CheckStatus::Ok, last),
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_redacted_report_names_no_account() {
        let report = DoctorReport {
            healthy: false,
            version: "0.1.0".to_owned(),
            data_dir: "/data".to_owned(),
            checks: vec![DoctorCheck::new(
                "account ada@example.com",
                CheckStatus::Error,
                "Google refused the sign-in of ada@example.com",
            )
            .hint("sign in again")],
        };
        let text = report.redacted_text();
        assert!(!text.contains("ada@example.com"), "{text}");
        assert!(
            text.contains("Error  account [redacted]: Google refused"),
            "{text}"
        );
        assert!(text.contains("→ sign in again"), "{text}");
    }
}
