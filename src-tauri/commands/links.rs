//! Opening things outside the app: a link from a message, once the engine has checked it,
//! and the sign-in page, each with the system's handler for its scheme.

use kindred_api::{ApiError, ErrorCode};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

/// Opens `url` with the system's handler for its scheme: the browser for web links, the mail
/// or phone app for `mailto:` and `tel:`.
pub(crate) fn open_in_browser(app: &AppHandle, url: &str) -> Result<(), ApiError> {
    app.opener().open_url(url, None::<&str>).map_err(|error| {
        ApiError::new(
            ErrorCode::Io,
            format!("the system could not open the link: {error}"),
        )
    })
}

/// Opens a link the person chose in a message, if it is a web, mail or phone link.
#[tauri::command]
#[tracing::instrument(skip(app, url), err)]
pub async fn open_link(app: AppHandle, url: String) -> Result<(), ApiError> {
    open_in_browser(&app, &kindred_api::link_target(&url)?)
}
