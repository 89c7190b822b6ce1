//! Import: paths → sources → parsed batches → the store, each batch committed with its
//! checkpoint. Reading and parsing run on a blocking thread (parsing in parallel) while
//! the previous batch is written, so the writer is never idle for long; memory is bounded
//! by two batches in flight.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::PathBuf;

use chrono::Utc;
use kindred_core::Address;
use kindred_sources::batches::{self, Batch, ReadOptions, Source, SourceKind};
use kindred_sources::ics::ExpansionWindow;
use kindred_sources::SourceError;
use kindred_store::ingest::Checkpoint;
use tokio::sync::mpsc;

use crate::dto::{ImportError, ImportProgress, ImportSummary};
use crate::{ApiError, Kindred};

/// What to import.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    pub paths: Vec<PathBuf>,
    /// The person's own addresses, added to those already known.
    pub me: Vec<String>,
}

/// Batches in flight between the reader and the writer.
const BATCHES_IN_FLIGHT: usize = 2;

impl Kindred {
    /// Imports every source in `request`, reporting progress to `progress`. Items that
    /// cannot be read are skipped and listed in the summary; the rest is stored.
    /// Running it again adds nothing; after an interruption it resumes where the last
    /// committed batch ended.
    ///
    /// # Errors
    /// An address in `request.me` is not an address, or the store refused a write.
    pub async fn import(
        &self,
        request: ImportRequest,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportSummary, ApiError> {
        let me = self.merge_me(&request.me).await?;
        let paths = request.paths;
        // Finding sources and fingerprinting them reads files: off the async workers.
        let (sources, discovery_errors) = tokio::task::spawn_blocking(move || {
            let (sources, errors) = batches::discover(&paths);
            let fingerprinted: Vec<(Source, String)> = sources
                .into_iter()
                .map(|source| {
                    let fingerprint = fingerprint(&source);
                    (source, fingerprint)
                })
                .collect();
            (fingerprinted, errors)
        })
        .await
        .map_err(|e| ApiError::internal("finding the sources to import", &e))?;
        let mut summary = ImportSummary {
            errors: discovery_errors.into_iter().map(import_error).collect(),
            ..ImportSummary::default()
        };
        progress(ImportProgress::Started {
            sources: sources.len() as u64,
        });
        let options = ReadOptions::new(ExpansionWindow::around(Utc::now()));
        for (source, fingerprint) in sources {
            self.import_source(source, fingerprint, &options, &me, &mut summary, progress)
                .await?;
        }
        if me.is_empty() {
            if let Some(address) = self.store.dominant_sent_address().await? {
                tracing::info!("no address given as the person's own; inferred one from sent mail");
                self.store
                    .set_me_addresses(&BTreeSet::from([address]))
                    .await?;
            }
        }
        if summary.imported.messages > 0 {
            self.queue_indexing().await?;
        }
        if summary.imported.messages + summary.imported.events + summary.events_updated > 0 {
            // Events it created or changed (calendars, invitations) are new to the rules,
            // and so are the people its mail made new or fading.
            self.queue_rules_pass().await?;
        }
        progress(ImportProgress::Finished {
            summary: summary.clone(),
        });
        Ok(summary)
    }

    /// Adds `extra` to the stored "me" addresses, returning the whole set.
    async fn merge_me(&self, extra: &[String]) -> Result<BTreeSet<Address>, ApiError> {
        let mut me = self.store.me_addresses().await?;
        let mut added = false;
        for raw in extra {
            let address = Address::parse(raw).map_err(|reason| {
                ApiError::invalid_input(format!(
                    "--me {raw:?} is not an email address ({reason:?}); give it as name@example.com"
                ))
            })?;
            added |= me.insert(address);
        }
        if added {
            self.store.set_me_addresses(&me).await?;
        }
        Ok(me)
    }

    async fn import_source(
        &self,
        source: Source,
        fingerprint: String,
        options: &ReadOptions,
        me: &BTreeSet<Address>,
        summary: &mut ImportSummary,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<(), ApiError> {
        let key = source.checkpoint_key();
        let name = source.display_name();
        let stored = self.store.checkpoint(&key).await?;
        let resume_at = match stored {
            Some(checkpoint) if checkpoint.fingerprint == fingerprint => {
                let grown = source.kind == SourceKind::Mbox && source.bytes > checkpoint.position;
                if checkpoint.finished && !grown {
                    summary.already_imported += 1;
                    return Ok(());
                }
                checkpoint.position
            }
            _ => 0,
        };
        progress(ImportProgress::Source {
            path: name.clone(),
            bytes_total: source.bytes,
        });

        let (sender, mut receiver) = mpsc::channel::<Batch>(BATCHES_IN_FLIGHT);
        let reader_source = source.clone();
        let reader_options = options.clone();
        let reader = tokio::task::spawn_blocking(move || {
            batches::read(&reader_source, resume_at, &reader_options, &mut |batch| {
                sender.blocking_send(batch).is_ok()
            })
        });

        while let Some(batch) = receiver.recv().await {
            let parsed: Vec<_> = batch
                .messages
                .into_iter()
                .map(|p| {
                    summary.dropped_addresses += u64::from(p.dropped_addresses);
                    p.message
                })
                .collect();
            let checkpoint = Checkpoint {
                source_key: key.clone(),
                fingerprint: fingerprint.clone(),
                position: batch.resume_at,
                finished: batch.finished,
            };
            let outcome = self
                .store
                .write_batch(&parsed, &batch.events, Some(&checkpoint), me)
                .await?;
            summary.imported.messages += outcome.messages_inserted;
            summary.imported.events += outcome.events_inserted;
            summary.events_updated += outcome.events_updated;
            summary.duplicates += outcome.messages_duplicate;
            summary
                .errors
                .extend(batch.errors.into_iter().map(import_error));
            tracing::debug!(position = batch.resume_at, "committed a batch");
            progress(ImportProgress::Progress {
                path: name.clone(),
                bytes_done: batch.bytes_done,
                bytes_total: source.bytes,
                messages: summary.imported.messages,
                events: summary.imported.events,
            });
        }
        let read = reader
            .await
            .map_err(|e| ApiError::internal("reading the source", &e))?;
        if let Err(error) = read {
            summary.errors.push(ImportError {
                path: name,
                location: "file".to_owned(),
                reason: error.to_string(),
            });
        }
        Ok(())
    }
}

fn import_error(error: SourceError) -> ImportError {
    ImportError {
        path: error.path,
        location: error.location,
        reason: error.reason,
    }
}

/// What identifies a source's content for its checkpoint: the kind and the first 64 KiB
/// of a file (a replaced file starts afresh; a grown mbox keeps its prefix and resumes).
fn fingerprint(source: &Source) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    match &source.kind {
        SourceKind::Maildir => hasher.update(b"maildir"),
        SourceKind::TakeoutEntry { entry, .. } => {
            hasher.update(entry.as_bytes());
            hasher.update(&source.bytes.to_le_bytes());
        }
        SourceKind::Mbox | SourceKind::Eml | SourceKind::Ics => {
            let mut head = Vec::with_capacity(64 * 1024);
            if let Ok(file) = std::fs::File::open(&source.path) {
                // An unreadable file fingerprints as empty; reading it reports the error.
                let _ = file.take(64 * 1024).read_to_end(&mut head);
            }
            hasher.update(&head);
            if source.kind != SourceKind::Mbox {
                hasher.update(&source.bytes.to_le_bytes());
            }
        }
    }
    hasher.digest().to_string()
}
