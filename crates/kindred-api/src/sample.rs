//! The bundled sample mailbox: generated on the device (deterministically, from a fixed
//! seed and the date of first use) and imported through the same path as real mail.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use kindred_sources::sample::{self, SampleSpec};

use crate::dto::{ImportProgress, ImportSummary};
use crate::import::ImportRequest;
use crate::{ApiError, Kindred};

/// The settings key holding the end date of the sample, fixed at first use so that
/// loading the sample again regenerates the same mail and adds nothing.
const SAMPLE_END_SETTING: &str = "sample.end";

/// Writes the sample with `messages` messages (the bundled size when `None`), ending at
/// `end`, as `sample.mbox` and `sample.ics` in `dir`. Returns the two paths.
///
/// # Errors
/// The files cannot be written.
pub fn write_sample_files(
    dir: &Path,
    messages: Option<usize>,
    end: DateTime<Utc>,
) -> Result<Vec<PathBuf>, ApiError> {
    let spec = messages.map_or_else(
        || SampleSpec::standard(end),
        |count| SampleSpec::scaled(count, end),
    );
    let io_error = |error: std::io::Error| {
        ApiError::new(
            crate::ErrorCode::Io,
            format!(
                "cannot write the sample mailbox in {}: {error}",
                dir.display()
            ),
        )
    };
    std::fs::create_dir_all(dir).map_err(io_error)?;
    let mbox_path = dir.join("sample.mbox");
    let ics_path = dir.join("sample.ics");
    let mut mbox = BufWriter::with_capacity(1 << 20, File::create(&mbox_path).map_err(io_error)?);
    let mut ics = BufWriter::new(File::create(&ics_path).map_err(io_error)?);
    sample::write_sample(&spec, &mut mbox, &mut ics).map_err(io_error)?;
    mbox.into_inner()
        .map_err(|e| io_error(e.into_error()))?
        .sync_all()
        .map_err(io_error)?;
    ics.into_inner()
        .map_err(|e| io_error(e.into_error()))?
        .sync_all()
        .map_err(io_error)?;
    Ok(vec![mbox_path, ics_path])
}

impl Kindred {
    /// The end of the sample loaded in this store, fixed when it was first loaded.
    async fn sample_end(&self) -> Result<Option<DateTime<Utc>>, ApiError> {
        self.store
            .setting(SAMPLE_END_SETTING)
            .await?
            .map(|value| {
                DateTime::parse_from_rfc3339(&value)
                    .map(|at| at.with_timezone(&Utc))
                    .map_err(|e| ApiError::internal("reading the sample's date", &e))
            })
            .transpose()
    }

    /// What the sample loaded in this store was generated from, had it `messages`
    /// messages (the bundled size when `None`); `None` when no sample is loaded.
    pub(crate) async fn sample_spec(
        &self,
        messages: Option<usize>,
    ) -> Result<Option<SampleSpec>, ApiError> {
        Ok(self.sample_end().await?.map(|end| {
            messages.map_or_else(
                || SampleSpec::standard(end),
                |count| SampleSpec::scaled(count, end),
            )
        }))
    }

    /// Fills the store with the sample mailbox (`messages` messages, or the bundled
    /// ~5,000), through the ordinary import.
    ///
    /// # Errors
    /// The sample cannot be written or imported.
    pub async fn load_sample(
        &self,
        messages: Option<usize>,
        progress: &(dyn Fn(ImportProgress) + Send + Sync),
    ) -> Result<ImportSummary, ApiError> {
        let end = match self.sample_end().await? {
            Some(end) => end,
            None => {
                let now = Utc::now();
                self.store
                    .set_setting(SAMPLE_END_SETTING, &now.to_rfc3339())
                    .await?;
                now
            }
        };
        let dir = self.data_dir.join("sample");
        let paths = tokio::task::spawn_blocking(move || write_sample_files(&dir, messages, end))
            .await
            .map_err(|e| ApiError::internal("generating the sample mailbox", &e))??;
        let request = ImportRequest {
            paths,
            me: vec![sample::SAMPLE_ME.to_owned()],
        };
        self.import(request, progress).await
    }
}
