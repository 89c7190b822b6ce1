//! Kindred's facade: every operation a shell (the desktop app, the `kindred` CLI) may
//! call, with the DTOs they exchange and the one error type they see. Shells parse their
//! arguments, call one function here, and render the result.

mod activity;
mod artifacts;
mod assistant;
pub mod background;
pub mod bindings;
mod conversations;
mod directory;
mod doctor;
pub mod dto;
mod erase;
mod error;
mod events;
mod evidence;
mod export;
mod google;
mod graph;
mod import;
mod instructions;
pub mod jobs;
mod links;
mod llm;
pub mod logging;
mod messages;
mod people;
mod retention;
mod retrieval;
mod rules;
mod sample;
mod story;
mod tasks;
mod update;
mod webhook;
mod wrapped;

use std::path::{Path, PathBuf};

use chrono::SecondsFormat;
use kindred_store::secrets::{self, SecretStore};
use kindred_store::Store;

pub use activity::{
    ActivityEntry, ActivityFilter, Actor, NewActivityEntry, DEFAULT_RETENTION_DAYS,
};
pub use assistant::{AnswerCitation, AskAnswer, AskRequest, ProposedActionDto};
pub use background::{Background, BackgroundEvent, SyncSettings, SyncState, SyncStatus};
pub use conversations::{AskStreamEvent, ConversationMessage, ConversationSummary};
pub use doctor::{CheckStatus, DoctorCheck, DoctorReport};
pub use dto::{
    GraphEdge, GraphNode, ImportError, ImportProgress, ImportSummary, ImportedCounts,
    MeetingFigures, MergeProposal, OrganizationSummary, PeopleFilter, PersonAddressDto,
    PersonDetail, PersonSummary, RankedOrganizationDto, RankedPerson, RecomputeSummary,
    RelationshipGraph, ReplyMinutes, ScoreTermDto, SearchHit, Stats, TimelineMonth,
    UnansweredMessage, WrappedReport,
};
pub use dto::{PeopleCounts, PeoplePage, PeopleQuery};
pub use erase::{delete_unreadable, ErasureSummary};
pub use error::{ApiError, ErrorCode};
pub use events::{
    register_event_jobs, EventDto, EventPersonDto, EventsFilter, ExtractionDto, EXTRACT_EVENT_JOB,
};
pub use export::{ExportPart, ExportProgress, ExportSummary, EXPORT_FILES};
pub use google::{
    secrets_from_env, AccountDto, AccountSyncSummary, SourceCounts, SyncProgressEvent, SyncRequest,
    SyncRunDto, SyncStageDto, SyncSummary, SyncWindow, DEFAULT_WINDOW_DAYS,
};
pub use graph::to_graphml;
pub use import::ImportRequest;
pub use instructions::InstructionDto;
pub use links::{link_target, LinkKind, MessageLink};
pub use llm::{LlmConnection, LlmSetting, LlmSettings, LlmSettingsUpdate, LlmUsage, SettingSource};
pub use messages::{MessageRecipient, MessageView};
pub use retention::{register_retention_job, schedule_retention, RetentionSummary, RETENTION_JOB};
pub use retrieval::{
    register_index_job, HybridHit, IndexProgress, IndexReport, RetrievalEvaluation, SearchRequest,
    SearchResults, VectorUse, INDEX_JOB, LOCAL_MODEL,
};
pub use rules::{
    register_rule_jobs, DryRunExample, DryRunReport, MessageRules, RuleDto, RulesPass, RULES_JOB,
};
pub use sample::write_sample_files;
pub use story::{RelationshipStory, StoryClaim};
pub use tasks::{NewTaskRequest, TaskDto, TASK_STATUSES};
pub use update::{UpdateInfo, UpdateProgress};
pub use webhook::{WebhookOptions, WEBHOOK_ATTEMPTS, WEBHOOK_JOB};
pub use wrapped::WrappedWindow;

/// The platform's identifier for Kindred, shared with the desktop app so that the app
/// and the CLI use the same data directory.
pub const APP_IDENTIFIER: &str = "app.kindred.desktop";

/// Where Kindred keeps its data and secrets.
#[derive(Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub secrets: Box<dyn SecretStore>,
}

impl Config {
    /// The data directory is `data_dir` if given, else `KINDRED_DATA_DIR`, else the
    /// platform's application-data directory; secrets go where `KINDRED_SECRETS` says
    /// (the OS keyring by default).
    ///
    /// # Errors
    /// `KINDRED_SECRETS` is not understood, or no data directory can be found.
    pub fn from_env(data_dir: Option<PathBuf>) -> Result<Self, ApiError> {
        let data_dir = data_dir
            .or_else(|| std::env::var_os("KINDRED_DATA_DIR").map(PathBuf::from))
            .or_else(|| directories::BaseDirs::new().map(|d| d.data_dir().join(APP_IDENTIFIER)))
            .ok_or_else(|| {
                ApiError::invalid_input(
                    "no home directory to keep data in; pass --data-dir or set KINDRED_DATA_DIR",
                )
            })?;
        let setting = std::env::var("KINDRED_SECRETS").ok();
        let secrets = secrets::from_setting(setting.as_deref())?;
        if setting.as_deref().is_some_and(|s| s.starts_with("file:")) {
            tracing::warn!(
                "secrets are kept in a file ({}) rather than the system keyring",
                secrets.describe()
            );
        }
        Ok(Self { data_dir, secrets })
    }
}

/// An open Kindred: the store and what the operations need around it.
#[derive(Debug)]
pub struct Kindred {
    store: Store,
    data_dir: PathBuf,
    evidence: evidence::EvidenceCache,
    vectors: retrieval::VectorCache,
}

impl Kindred {
    /// Opens the store described by `config`, creating it on first run.
    ///
    /// # Errors
    /// The store cannot be opened; the message says why and what to do.
    pub async fn open(config: &Config) -> Result<Self, ApiError> {
        let store = Store::open(&config.data_dir, config.secrets.as_ref()).await?;
        Ok(Self {
            store,
            data_dir: config.data_dir.clone(),
            evidence: evidence::EvidenceCache::default(),
            vectors: retrieval::VectorCache::default(),
        })
    }

    /// The data directory in use.
    #[must_use]
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Waits until the insights computed so far are stored (they are written behind the
    /// computation that serves them).
    pub async fn insights_stored(&self) {
        self.evidence.written().await;
    }

    /// Closes the store cleanly, once the insights computed so far are stored.
    pub async fn close(&self) {
        self.insights_stored().await;
        self.store.close().await;
    }

    /// What the store holds.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn stats(&self) -> Result<Stats, ApiError> {
        let totals = self.store.totals().await?;
        let iso = |at: chrono::DateTime<chrono::Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
        Ok(Stats {
            messages: totals.messages,
            events: totals.events,
            people: totals.people,
            organizations: totals.organizations,
            first_message_at: totals.first_message_at.map(iso),
            last_message_at: totals.last_message_at.map(iso),
        })
    }

    /// Full-text search over subjects, senders and bodies, best matches first.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, ApiError> {
        let rows = self.store.search_messages(query, limit).await?;
        Ok(rows
            .into_iter()
            .map(|row| SearchHit {
                message_id: row.id,
                subject: row.subject,
                from: row.sender,
                date: chrono::DateTime::from_timestamp_millis(row.sent_at)
                    .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
                    .unwrap_or_default(),
                snippet: row.snippet,
            })
            .collect())
    }
}
