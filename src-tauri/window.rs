//! The main window lives only while it is wanted. It is created when Kindred opens it (at
//! launch, or from the tray, or when the app is started again), and closing it with the
//! tray up hides it at once and lets it go a minute later: its webview's processes end and
//! Kindred rests in the tray with the engine alone (docs/benchmarks.md). Opened again
//! within the minute, it comes back as it was; after that it is made anew, on the screen
//! it showed (the UI keeps the screen in the address: `#people`). While it holds
//! something the person has not saved (a rule being written, a question being typed) it
//! is kept, hidden, until they come back to it.
//!
//! Started at login (`--background`), Kindred creates no window until the person asks. A
//! window that goes any other way (a WebDriver session ending) still ends the app, as the
//! last window does.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, Window};

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
    /// Whether the window is going because Kindred let it go (rather than, say, a
    /// WebDriver session closing it), so that the app stays when it was the last.
    letting_go: AtomicBool,
    /// The screen the window let go showed (its address's fragment, `people`), where the
    /// next one opens.
    screen: Mutex<Option<String>>,
}

impl MainWindow {
    /// Records whether the window holds work the person has not saved.
    pub fn set_unsaved(&self, unsaved: bool) {
        self.unsaved.store(unsaved, Ordering::SeqCst);
    }

    /// Counts a hide of the window; returns its number.
    fn hidden(&self) -> u64 {
        self.hides.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether the window hidden by hide number `hide` may be let go now that it is
    /// `visible` or not: it has been neither shown nor hidden again since, and holds no
    /// unsaved work.
    fn may_let_go(&self, hide: u64, visible: bool) -> bool {
        let unchanged = !visible && self.hides.load(Ordering::SeqCst) == hide;
        if unchanged && self.unsaved.load(Ordering::SeqCst) {
            tracing::info!("the closed window holds unsaved work: it is kept");
            return false;
        }
        unchanged
    }

    /// Whether the last window went because Kindred let it go, which keeps the app in the
    /// tray; asking answers it.
    pub fn take_let_go(&self) -> bool {
        self.letting_go.swap(false, Ordering::SeqCst)
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

/// Shows the main window and focuses it, creating it when there is none. It is created
/// from the async runtime, never from the caller's thread: on Windows, creating a window
/// from a menu or event handler deadlocks.
pub fn show(app: &AppHandle) {
    match app.get_webview_window(MAIN) {
        Some(window) => {
            if let Err(error) = bring_back(&window) {
                tracing::warn!("could not bring the window back: {error}");
            }
        }
        None => {
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                if let Err(error) = create(&app) {
                    tracing::warn!("could not open the window: {error}");
                }
            });
        }
    }
}

fn bring_back(window: &WebviewWindow) -> tauri::Result<()> {
    window.show()?;
    window.unminimize()?;
    window.set_focus()
}

/// Creates the main window from its configuration, shown, on the screen the last one
/// showed when it was let go.
fn create(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    let mut config = app
        .config()
        .app
        .windows
        .iter()
        .find(|window| window.label == MAIN)
        .ok_or_else(|| tauri::Error::WindowNotFound)?
        .clone();
    let screen = app
        .state::<MainWindow>()
        .screen
        .lock()
        .map_or(None, |mut screen| screen.take());
    if let Some(screen) = screen {
        tracing::info!("opening the window on the screen it showed: {screen}");
        config.url = WebviewUrl::App(PathBuf::from(format!("#{screen}")));
    }
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
    let hide = window.app_handle().state::<MainWindow>().hidden();
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(RELEASE_AFTER).await;
        let visible = window.is_visible().unwrap_or(true);
        if !window
            .app_handle()
            .state::<MainWindow>()
            .may_let_go(hide, visible)
        {
            return;
        }
        tracing::info!("the window was closed a minute ago: letting it go");
        let state = window.app_handle().state::<MainWindow>();
        let shown = window
            .app_handle()
            .get_webview_window(MAIN)
            .and_then(|webview| webview.url().ok())
            .and_then(|address| address.fragment().map(str::to_owned))
            .filter(|screen| !screen.is_empty());
        if let Ok(mut screen) = state.screen.lock() {
            *screen = shown;
        }
        state.letting_go.store(true, Ordering::SeqCst);
        if let Err(error) = window.destroy() {
            state.letting_go.store(false, Ordering::SeqCst);
            tracing::warn!("could not let the window go: {error}");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::MainWindow;

    #[test]
    fn a_window_still_hidden_since_its_hide_may_go() {
        let window = MainWindow::default();
        let hide = window.hidden();
        assert!(window.may_let_go(hide, false));
    }

    #[test]
    fn a_window_shown_again_stays() {
        let window = MainWindow::default();
        let hide = window.hidden();
        assert!(!window.may_let_go(hide, true));
    }

    #[test]
    fn only_the_latest_hide_lets_the_window_go() {
        let window = MainWindow::default();
        let first = window.hidden();
        let second = window.hidden();
        assert!(!window.may_let_go(first, false));
        assert!(window.may_let_go(second, false));
    }

    #[test]
    fn a_window_holding_unsaved_work_stays_until_it_is_saved() {
        let window = MainWindow::default();
        let hide = window.hidden();
        window.set_unsaved(true);
        assert!(!window.may_let_go(hide, false));
        window.set_unsaved(false);
        assert!(window.may_let_go(hide, false));
    }

    #[test]
    fn the_trays_update_request_is_answered_once() {
        let window = MainWindow::default();
        assert!(!window.take_update_check_request());
        window
            .update_check_requested
            .store(true, std::sync::atomic::Ordering::SeqCst);
        assert!(window.take_update_check_request());
        assert!(!window.take_update_check_request());
    }
}
