//! Signed updates through tauri-plugin-updater: look for one (on start at most once a day,
//! and whenever the person asks), say what is new, download it with progress and install
//! it only when the person consents; the command that asks then restarts the app.
//!
//! Every download is verified against the minisign public key in `tauri.conf.json`
//! (`plugins.updater.pubkey`) before anything is installed: an update whose signature is
//! bad or missing is refused with a message saying so, and the running version stays as
//! it is. The key cannot be changed at run time. The update server is
//! `plugins.updater.endpoints`, or [`ENDPOINT_ENV`] when set (a mirror, a test server).
//!
//! The functions are generic over the Tauri runtime so that the tests drive them, and the
//! plugin's real checks, inside a mock app.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use kindred_api::{ApiError, ErrorCode, Kindred, UpdateInfo, UpdateProgress};
use tauri::{AppHandle, Runtime, Url};
use tauri_plugin_updater::{Error, Update, UpdaterExt};

/// The environment variable that replaces the update server of `tauri.conf.json`.
pub const ENDPOINT_ENV: &str = "KINDRED_UPDATE_ENDPOINT";

/// The window event asking the UI to look for an update now (the tray's menu item).
pub const CHECK_REQUESTED_EVENT: &str = "update-check-requested";

/// What follows every refusal: nothing changed.
const UNCHANGED: &str = "Nothing was installed; this version keeps working.";

/// Whether the look on start is due: at most once a day, as the engine remembers. Without
/// an engine (the store could not be opened) it always is, since an update may be the fix.
pub async fn scheduled_check_due(
    engine: Result<Arc<Kindred>, ApiError>,
    now: DateTime<Utc>,
) -> bool {
    match engine {
        Ok(engine) => engine
            .claim_update_check(now)
            .await
            .unwrap_or_else(|error| {
                tracing::warn!("when updates were last looked for is unknown: {error}");
                true
            }),
        Err(_) => true,
    }
}

/// Asks the update server whether a newer version than this one is offered.
///
/// # Errors
/// [`ENDPOINT_ENV`] is not a URL (`invalid_input`), the server cannot be reached or did
/// not answer with a release (`io`), or its `latest.json` is malformed or has no build
/// for this system (`invalid_input`).
pub async fn find<R: Runtime>(app: &AppHandle<R>) -> Result<Option<Update>, ApiError> {
    let endpoint = endpoint_override()?;
    let server = endpoint
        .as_ref()
        .map_or_else(|| "Kindred's update server".to_owned(), ToString::to_string);
    let mut builder = app.updater_builder();
    if let Some(url) = endpoint {
        builder = builder
            .endpoints(vec![url])
            .map_err(|error| check_error(&error, &server))?;
    }
    let updater = builder
        .build()
        .map_err(|error| check_error(&error, &server))?;
    updater
        .check()
        .await
        .map_err(|error| check_error(&error, &server))
}

/// What `update` offers, for the person to review.
#[must_use]
pub fn describe(update: &Update) -> UpdateInfo {
    UpdateInfo {
        version: update.version.clone(),
        current_version: update.current_version.clone(),
        notes: update.body.clone().filter(|notes| !notes.trim().is_empty()),
        date: update
            .raw_json
            .get("pub_date")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned),
    }
}

/// Downloads the update to `version` that the person reviewed, reporting progress, and
/// verifies its signature; returns it with its verified bytes, ready to install.
///
/// # Errors
/// The server no longer offers `version` (`not_found`, `invalid_input`), the download
/// failed (`io`), or the signature is bad or missing (`invalid_input`): nothing changed.
pub async fn download<R: Runtime>(
    app: &AppHandle<R>,
    version: &str,
    progress: &(dyn Fn(UpdateProgress) + Send + Sync),
) -> Result<(Update, Vec<u8>), ApiError> {
    let Some(update) = find(app).await? else {
        return Err(ApiError::new(
            ErrorCode::NotFound,
            format!("version {version} is no longer offered by the update server. {UNCHANGED}"),
        ));
    };
    if update.version != version {
        return Err(ApiError::invalid_input(format!(
            "the update server now offers version {} instead of {version}: look for updates \
             again and review it before installing. {UNCHANGED}",
            update.version
        )));
    }
    let mut downloaded: u64 = 0;
    let bytes = update
        .download(
            |chunk, total| {
                downloaded += chunk as u64;
                progress(UpdateProgress::Downloading { downloaded, total });
            },
            || progress(UpdateProgress::Verifying),
        )
        .await
        .map_err(|error| install_error(&error, version))?;
    Ok((update, bytes))
}

/// Downloads, verifies and installs the update to `version`, then says Kindred restarts
/// (the caller restarts it).
///
/// # Errors
/// As [`download`], or the package could not be installed (`io`): the running version
/// is left as it was.
pub async fn install<R: Runtime>(
    app: &AppHandle<R>,
    version: &str,
    progress: &(dyn Fn(UpdateProgress) + Send + Sync),
) -> Result<(), ApiError> {
    let (update, bytes) = download(app, version, progress).await?;
    // `install` checks the signature once more before it replaces anything.
    update
        .install(bytes)
        .map_err(|error| install_error(&error, version))?;
    progress(UpdateProgress::Restarting {
        version: version.to_owned(),
    });
    Ok(())
}

/// The update server of [`ENDPOINT_ENV`], if set.
fn endpoint_override() -> Result<Option<Url>, ApiError> {
    let Some(value) = std::env::var_os(ENDPOINT_ENV) else {
        return Ok(None);
    };
    let value = value.to_string_lossy();
    Url::parse(value.trim()).map(Some).map_err(|error| {
        ApiError::invalid_input(format!(
            "{ENDPOINT_ENV}={value:?} is not a URL ({error}); give the address of the \
             update server's latest.json, e.g. https://example.org/kindred/latest.json"
        ))
    })
}

/// Why looking for an update at `server` failed, for the person.
fn check_error(error: &Error, server: &str) -> ApiError {
    match error {
        Error::Reqwest(_) | Error::Network(_) | Error::ReleaseNotFound => ApiError::new(
            ErrorCode::Io,
            format!(
                "could not look for updates: {server} did not answer with a release ({error}). \
                 Kindred will look again later. {UNCHANGED}"
            ),
        ),
        Error::Serialization(_) | Error::Semver(_) => ApiError::invalid_input(format!(
            "could not look for updates: the latest.json of {server} is malformed ({error}). \
             {UNCHANGED}"
        )),
        Error::TargetNotFound(_) | Error::TargetsNotFound(_) => ApiError::invalid_input(format!(
            "the update on offer at {server} has no build for this system ({error}). \
             {UNCHANGED}"
        )),
        Error::InsecureTransportProtocol | Error::UrlParse(_) | Error::EmptyEndpoints => {
            ApiError::invalid_input(format!(
                "the update server {server} cannot be used: {error} (set {ENDPOINT_ENV} to an \
                 https address)"
            ))
        }
        _ => ApiError::internal("could not look for updates", error),
    }
}

/// Why the update to `version` was not installed, for the person.
fn install_error(error: &Error, version: &str) -> ApiError {
    match error {
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => ApiError::invalid_input(format!(
            "the update to version {version} was refused: its signature does not match \
             Kindred's update key ({error}). It may have been damaged or tampered with. \
             {UNCHANGED}"
        )),
        Error::Reqwest(_) | Error::Network(_) => ApiError::new(
            ErrorCode::Io,
            format!(
                "the update to version {version} could not be downloaded ({error}). \
                 {UNCHANGED}"
            ),
        ),
        Error::PreviousAppNotRestored(_) => ApiError::new(
            ErrorCode::Io,
            format!("the update to version {version} could not be installed: {error}"),
        ),
        _ => ApiError::new(
            ErrorCode::Io,
            format!(
                "the update to version {version} could not be installed ({error}). {UNCHANGED}"
            ),
        ),
    }
}
