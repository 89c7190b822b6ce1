//! Export: everything the person has in Kindred, into a folder of files other programs
//! read — messages as mbox, events as iCalendar, people and organisations as vCard and
//! JSON, accounts, rules, tasks, relationship stories and the activity log as JSON, and a
//! manifest saying what is where. The mbox and the .ics import into Kindred again with the same messages and
//! events.
//!
//! Pages are read from the store and written on a blocking thread; each file is written
//! under a temporary name and renamed when complete, so a folder never holds a half file
//! under its final name; a failed export removes what it wrote. Existing files are never
//! overwritten. The export is recorded in the activity log.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use kindred_sources::writers::{ics, mbox, vcard};
use serde::Serialize;
use ts_rs::TS;

use crate::evidence::off_workers;
use crate::{
    ActivityFilter, Actor, ApiError, ErrorCode, Kindred, NewActivityEntry, OrganizationSummary,
    PersonSummary,
};

/// Messages or events read from the store per page.
const PAGE: u32 = 500;

/// The files an export writes, in the order it writes them.
pub const EXPORT_FILES: [&str; 12] = [
    "messages.mbox",
    "events.ics",
    "people.vcf",
    "people.json",
    "organizations.vcf",
    "organizations.json",
    "accounts.json",
    "rules.json",
    "tasks.json",
    "stories.json",
    "activity.json",
    "manifest.json",
];

/// What an export is writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportPart {
    Messages,
    Events,
    People,
    Organizations,
    Accounts,
    Rules,
    Tasks,
    Stories,
    Activity,
}

/// Progress of an export, streamed to the UI and the terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportProgress {
    Started {
        directory: String,
        #[ts(type = "number")]
        messages: u64,
        #[ts(type = "number")]
        events: u64,
    },
    /// `done` of `total` items of `part` are written.
    Progress {
        part: ExportPart,
        #[ts(type = "number")]
        done: u64,
        #[ts(type = "number")]
        total: u64,
    },
    Finished {
        summary: ExportSummary,
    },
}

/// The result of `kindred export`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ExportSummary {
    /// The folder written to, absolute.
    pub directory: String,
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(type = "number")]
    pub events: u64,
    #[ts(type = "number")]
    pub people: u64,
    #[ts(type = "number")]
    pub organizations: u64,
    #[ts(type = "number")]
    pub accounts: u64,
    #[ts(type = "number")]
    pub rules: u64,
    #[ts(type = "number")]
    pub tasks: u64,
    /// Relationship stories written so far.
    #[ts(type = "number")]
    pub stories: u64,
    /// Entries of the activity log.
    #[ts(type = "number")]
    pub activity: u64,
    /// The files written, by name inside `directory`.
    pub files: Vec<String>,
}

/// `manifest.json`: what the export holds and how to read it.
#[derive(Serialize)]
struct Manifest<'a> {
    format: &'static str,
    format_version: u32,
    kindred_version: &'static str,
    schema_version: i64,
    exported_at: String,
    /// The person's own addresses (`kindred import --me` takes them back).
    me: Vec<String>,
    counts: &'a ExportSummary,
    notes: [&'static str; 3],
}

/// A file being written under a temporary name.
struct PartFile {
    path: PathBuf,
    temporary: PathBuf,
    writer: BufWriter<File>,
}

impl PartFile {
    fn create(directory: &Path, name: &str) -> Result<Self, ApiError> {
        let path = directory.join(name);
        let temporary = directory.join(partial_name(name));
        let file = File::create(&temporary).map_err(|e| write_error(&temporary, &e))?;
        Ok(Self {
            path,
            temporary,
            writer: BufWriter::new(file),
        })
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), ApiError> {
        self.writer
            .write_all(bytes)
            .map_err(|e| write_error(&self.path, &e))
    }

    /// Flushes the file to disk and gives it its name.
    fn finish(self) -> Result<(), ApiError> {
        let Self {
            path,
            temporary,
            writer,
        } = self;
        let file = writer
            .into_inner()
            .map_err(|e| write_error(&path, e.error()))?;
        file.sync_all().map_err(|e| write_error(&path, &e))?;
        std::fs::rename(&temporary, &path).map_err(|e| write_error(&path, &e))
    }
}

/// The name a file has while it is written.
fn partial_name(name: &str) -> String {
    format!(".{name}.partial")
}

fn write_error(path: &Path, error: &io::Error) -> ApiError {
    ApiError::new(
        ErrorCode::Io,
        format!("cannot write {}: {error}", path.display()),
    )
}

/// Runs file work off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    off_workers("writing the export", work).await?
}

/// Creates `directory` if needed and checks that no export file is in it yet.
fn prepare(directory: &Path) -> Result<PathBuf, ApiError> {
    std::fs::create_dir_all(directory).map_err(|e| {
        ApiError::new(
            ErrorCode::Io,
            format!(
                "cannot create the export folder {}: {e}",
                directory.display()
            ),
        )
    })?;
    let directory = directory
        .canonicalize()
        .map_err(|e| write_error(directory, &e))?;
    if let Some(existing) = EXPORT_FILES
        .iter()
        .map(|name| directory.join(name))
        .find(|path| path.exists())
    {
        return Err(ApiError::invalid_input(format!(
            "{} already exists; export into an empty folder (nothing was written or overwritten)",
            existing.display()
        )));
    }
    Ok(directory)
}

impl Kindred {
    /// Exports everything into `directory` (created if missing), reporting progress.
    ///
    /// # Errors
    /// `directory` already holds an export file (`invalid_input`; nothing is written),
    /// a file cannot be written (`io`), or the store cannot be read.
    pub async fn export(
        &self,
        directory: &Path,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<ExportSummary, ApiError> {
        let owned = directory.to_owned();
        let directory = blocking(move || prepare(&owned)).await?;
        let result = self.export_into(&directory, progress).await;
        if result.is_err() {
            // A failed export takes back what it wrote (none of these names existed
            // before it started), so the folder is as it was and a retry can use it.
            blocking(move || {
                for name in EXPORT_FILES {
                    for path in [directory.join(name), directory.join(partial_name(name))] {
                        if path.is_file() {
                            std::fs::remove_file(&path).map_err(|e| write_error(&path, &e))?;
                        }
                    }
                }
                Ok(())
            })
            .await?;
        }
        result
    }

    async fn export_into(
        &self,
        directory: &Path,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<ExportSummary, ApiError> {
        let directory = directory.to_owned();
        let totals = self.store.totals().await?;
        progress(ExportProgress::Started {
            directory: directory.display().to_string(),
            messages: totals.messages,
            events: totals.events,
        });
        // A part written whole: all of it done.
        let finished = |part, count: u64| {
            progress(ExportProgress::Progress {
                part,
                done: count,
                total: count,
            });
        };
        let mut summary = ExportSummary {
            directory: directory.display().to_string(),
            ..ExportSummary::default()
        };
        summary.messages = self
            .export_messages(&directory, totals.messages, progress)
            .await?;
        summary.events = self
            .export_events(&directory, totals.events, progress)
            .await?;

        let people = self.people(usize::MAX).await?;
        summary.people = people.len() as u64;
        let cards: Vec<vcard::Card> = people.iter().map(person_card).collect();
        write_cards_and_json(&directory, "people", &cards, &people).await?;
        finished(ExportPart::People, summary.people);

        let organizations = self.organizations(usize::MAX).await?;
        summary.organizations = organizations.len() as u64;
        let cards: Vec<vcard::Card> = organizations.iter().map(organization_card).collect();
        write_cards_and_json(&directory, "organizations", &cards, &organizations).await?;
        finished(ExportPart::Organizations, summary.organizations);

        let accounts = self.accounts().await?;
        summary.accounts = accounts.len() as u64;
        write_json(&directory, "accounts.json", &accounts).await?;
        finished(ExportPart::Accounts, summary.accounts);

        let rules = self.rules().await?;
        summary.rules = rules.len() as u64;
        write_json(&directory, "rules.json", &rules).await?;
        finished(ExportPart::Rules, summary.rules);

        let tasks = self.tasks(None).await?;
        summary.tasks = tasks.len() as u64;
        write_json(&directory, "tasks.json", &tasks).await?;
        finished(ExportPart::Tasks, summary.tasks);

        let stories: Vec<serde_json::Value> = self
            .store
            .export_artifacts(crate::story::STORY_ARTIFACT)
            .await?
            .into_iter()
            .map(|(subject, body)| {
                // The subject is `<person id>:<how it was written>`.
                let (person_id, written_by) = subject.split_once(':').unwrap_or((&subject, ""));
                serde_json::json!({
                    "person_id": person_id.parse::<i64>().ok(),
                    "written_by": written_by,
                    "story": serde_json::from_str::<serde_json::Value>(&body)
                        .unwrap_or(serde_json::Value::String(body.clone())),
                })
            })
            .collect();
        summary.stories = stories.len() as u64;
        write_json(&directory, "stories.json", &stories).await?;
        finished(ExportPart::Stories, summary.stories);

        let activity = self
            .activity(&ActivityFilter {
                limit: Some(u32::MAX),
                ..ActivityFilter::default()
            })
            .await?;
        summary.activity = activity.len() as u64;
        write_json(&directory, "activity.json", &activity).await?;
        finished(ExportPart::Activity, summary.activity);

        summary.files = EXPORT_FILES.iter().map(|&name| name.to_owned()).collect();
        let manifest = Manifest {
            format: "kindred-export",
            format_version: 1,
            kindred_version: env!("CARGO_PKG_VERSION"),
            schema_version: kindred_store::schema_version(),
            exported_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            me: self
                .store
                .me_addresses()
                .await?
                .iter()
                .map(ToString::to_string)
                .collect(),
            counts: &summary,
            notes: [
                "messages.mbox is mboxrd; each message is rebuilt as plain text from what Kindred \
                 keeps (participants, date, subject, ids, thread, labels, body); attachments are \
                 not kept and not included",
                "events.ics holds one VEVENT per occurrence, in UTC; occurrences of a series \
                 carry RECURRENCE-ID",
                "`kindred import messages.mbox events.ics --me ADDRESS` reads them back",
            ],
        };
        write_json(&directory, "manifest.json", &manifest).await?;
        self.record_activity(&NewActivityEntry {
            actor: Actor::Person,
            kind: "export".to_owned(),
            subject: format!("folder {}", summary.directory),
            ok: true,
            detail: format!(
                "{} messages, {} events, {} people, {} organisations",
                summary.messages, summary.events, summary.people, summary.organizations
            ),
        })
        .await?;
        tracing::info!(
            messages = summary.messages,
            events = summary.events,
            "export finished"
        );
        progress(ExportProgress::Finished {
            summary: summary.clone(),
        });
        Ok(summary)
    }

    async fn export_messages(
        &self,
        directory: &Path,
        total: u64,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<u64, ApiError> {
        let owned = directory.to_owned();
        let mut file = blocking(move || PartFile::create(&owned, "messages.mbox")).await?;
        let mut done = 0;
        let mut after = None;
        loop {
            let page = self.store.export_messages(after, PAGE).await?;
            done += page.messages.len() as u64;
            file = blocking(move || {
                let mut text = Vec::new();
                for message in &page.messages {
                    mbox::write_message(&mut text, message)
                        .map_err(|e| ApiError::internal("rendering a message", &e))?;
                }
                file.write(&text)?;
                Ok(file)
            })
            .await?;
            progress(ExportProgress::Progress {
                part: ExportPart::Messages,
                done,
                total,
            });
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        blocking(move || file.finish()).await?;
        Ok(done)
    }

    async fn export_events(
        &self,
        directory: &Path,
        total: u64,
        progress: &(dyn Fn(ExportProgress) + Send + Sync),
    ) -> Result<u64, ApiError> {
        let owned = directory.to_owned();
        let mut file = blocking(move || {
            let mut file = PartFile::create(&owned, "events.ics")?;
            file.write(ics::header().as_bytes())?;
            Ok(file)
        })
        .await?;
        let mut done = 0;
        let mut after = None;
        loop {
            let page = self.store.export_events(after, PAGE).await?;
            done += page.events.len() as u64;
            file = blocking(move || {
                let text: String = page.events.iter().map(ics::event).collect();
                file.write(text.as_bytes())?;
                Ok(file)
            })
            .await?;
            progress(ExportProgress::Progress {
                part: ExportPart::Events,
                done,
                total,
            });
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        blocking(move || {
            file.write(ics::footer().as_bytes())?;
            file.finish()
        })
        .await?;
        Ok(done)
    }
}

async fn write_cards_and_json<T: Serialize + Sync>(
    directory: &Path,
    stem: &str,
    cards: &[vcard::Card],
    items: &[T],
) -> Result<(), ApiError> {
    let text: String = cards.iter().map(vcard::card).collect();
    let owned = directory.to_owned();
    let name = format!("{stem}.vcf");
    blocking(move || {
        let mut file = PartFile::create(&owned, &name)?;
        file.write(text.as_bytes())?;
        file.finish()
    })
    .await?;
    write_json(directory, &format!("{stem}.json"), items).await
}

async fn write_json<T: Serialize + ?Sized>(
    directory: &Path,
    name: &str,
    value: &T,
) -> Result<(), ApiError> {
    let mut text = serde_json::to_vec_pretty(value)
        .map_err(|e| ApiError::internal("rendering the export as JSON", &e))?;
    text.push(b'\n');
    let owned = directory.to_owned();
    let name = name.to_owned();
    blocking(move || {
        let mut file = PartFile::create(&owned, &name)?;
        file.write(&text)?;
        file.finish()
    })
    .await
}

fn person_card(person: &PersonSummary) -> vcard::Card {
    vcard::Card {
        uid: format!("kindred:person:{}", person.person_id),
        kind: vcard::CardKind::Individual,
        full_name: person
            .name
            .clone()
            .or_else(|| person.emails.first().cloned())
            .unwrap_or_default(),
        emails: person.emails.clone(),
        organization: person.organization.clone(),
        url: None,
        note: Some(format!(
            "Kindred rank {}, score {:.2}; {} sent, {} received, {} meetings",
            person.rank, person.score, person.sent, person.received, person.meetings
        )),
    }
}

fn organization_card(organization: &OrganizationSummary) -> vcard::Card {
    vcard::Card {
        uid: format!("kindred:org:{}", organization.domain),
        kind: vcard::CardKind::Org,
        full_name: organization.name.clone(),
        emails: Vec::new(),
        organization: None,
        url: Some(format!("https://{}", organization.domain)),
        note: Some(format!(
            "Kindred rank {}, {} people, score {:.2}",
            organization.rank, organization.people, organization.score
        )),
    }
}
