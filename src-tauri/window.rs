//! The main window lives only while it is wanted. It is created when Kindred opens it (at
//! launch, or from the tray, or when the app is started again), and closing it with the
//! tray up hides it at once and lets it go a minute later: its webview's processes end and
//! Kindred rests in the tray with the engine alone (docs/benchmarks.md). Opened again
//! within the minute, it comes back as it was; after that it is made anew, and while it
//! holds something the person has not saved (a rule being written, a question being
//! typed) it is kept, hidden, until they come back to it.
//!
//! Started at login (`--background`), Kindred creates no window until the person asks.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, WebviewWindow, WebviewWindowBuilder, Window};

/// The label of the main window in `tauri.conf.json` (created there with `create: false`).
const MAIN: &str = "main";

/// How long a closed window stays, hidden, before it is let go.
const RELEASE_AFTER: Duration = Duration::from_secs(60);

/// What the shell knows of the main window between its lives.
#[derive(Default)]
pub struct MainWindow {
    /// Counts the hides, so that a release due from one hide is dropped when the window
    /// has been shown (and maybe hidden again) since.
    hides: AtomicU64,
    /// Whether the window holds work the person has not saved (the UI says so).
    unsaved: AtomicBool,
    /// Whether the tray asked for a look for updates the window has not made yet.
    update_check_requested: AtomicBool,
}

impl MainWindow {
    /// Records whether the window holds work the person has not saved.
    pub fn set_unsaved(&self, unsaved: bool) {
        self.unsaved.store(unsaved, Ordering::SeqCst);
    }

    /// Whether the tray asked for a look for updates since the window last asked; asking
    /// answers it.
    pub fn take_update_check_request(&self) -> bool {
        self.update_check_requested.swap(false, Ordering::SeqCst)
    }
}

/// Shows the window and asks it to look for updates. A window that was open hears the
/// event; one made now asks on start ([`MainWindow::take_update_check_request`]).
pub fn show_to_check_for_updates(app: &AppHandle) {
    app.state::<MainWindow>()
        .update_check_requested
        .store(true, Ordering::SeqCst);
    show(app);
    if let Err(error) = app.emit(crate::updater::CHECK_REQUESTED_EVENT, ()) {
        tracing::warn!("the window was not asked to look for updates: {error}");
    }
}

/// Shows the main window and focuses it, creating it when there is none.
pub fn show(app: &AppHandle) {
    let shown = match app.get_webview_window(MAIN) {
        Some(window) => bring_back(&window),
        None => create(app).map(|_window| ()),
    };
    if let Err(error) = shown {
        tracing::warn!("could not show the window: {error}");
    }
}

fn bring_back(window: &WebviewWindow) -> tauri::Result<()> {
    window.show()?;
    window.unminimize()?;
    window.set_focus()
}

/// Creates the main window from its configuration, shown.
fn create(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN)
        .ok_or_else(|| tauri::Error::WindowNotFound)?
        .clone();
    WebviewWindowBuilder::from_config(app, &config)?
        .visible(true)
        .focused(true)
        .build()
}

/// Hides `window` (the person closed it while the tray is up) and lets it go once it has
/// stayed hidden for [`RELEASE_AFTER`], unless it holds unsaved work then.
pub fn hide(window: &Window) {
    if let Err(error) = window.hide() {
        tracing::warn!("could not hide the window: {error}");
        return;
    }
    let state = window.app_handle().state::<MainWindow>();
    let hide = state.hides.fetch_add(1, Ordering::SeqCst) + 1;
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(RELEASE_AFTER).await;
        let state = window.app_handle().state::<MainWindow>();
        let shown_since =
            state.hides.load(Ordering::SeqCst) != hide || window.is_visible().unwrap_or(true);
        if shown_since {
            return;
        }
        if state.unsaved.load(Ordering::SeqCst) {
            tracing::info!("the closed window holds unsaved work: it is kept");
            return;
        }
        tracing::info!("the window was closed a minute ago: letting it go");
        if let Err(error) = window.destroy() {
            tracing::warn!("could not let the window go: {error}");
        }
    });
}
