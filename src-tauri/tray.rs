//! The system-tray icon: the sync state and last sync time (a disabled first item and the
//! tooltip), Open, Sync now, Pause/Resume sync, Check for updates and Quit. Closing the window keeps Kindred
//! running here, syncing in the background. The items are built once and updated in
//! place as the status changes.
//! On Linux the tray needs libayatana-appindicator3 (loaded at run time); without it the
//! app runs without a tray, says so, and closing the window quits.

use std::future::Future;

use kindred_api::{ApiError, SyncStatus};
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

use crate::state::AppState;

const TRAY_ID: &str = "kindred";

/// Whether the tray icon is up, which decides what closing the window does.
pub struct TrayPresence(pub bool);

/// The menu items whose text follows the sync status.
struct StatusItems {
    status: MenuItem<Wry>,
    pause: MenuItem<Wry>,
}

/// Shows `status` in the tray's first item, its tooltip and the pause item, if the tray
/// is up.
pub fn show_status(app: &AppHandle, status: &SyncStatus) {
    let Some(items) = app.try_state::<StatusItems>() else {
        return;
    };
    let line = status.describe();
    let pause = if status.paused {
        "Resume sync"
    } else {
        "Pause sync"
    };
    let updated = items
        .status
        .set_text(&line)
        .and_then(|()| items.pause.set_text(pause))
        .and_then(|()| match app.tray_by_id(TRAY_ID) {
            Some(tray) => tray.set_tooltip(Some(format!("Kindred — {line}"))),
            None => Ok(()),
        });
    if let Err(error) = updated {
        tracing::warn!("the tray could not show the sync status: {error}");
    }
}

/// Runs a background-sync action from the menu, logging its failure (the window shows
/// the status it leads to).
fn spawn_action<F, Fut>(app: &AppHandle, action: F)
where
    F: FnOnce(std::sync::Arc<kindred_api::Background>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<SyncStatus, ApiError>> + Send,
{
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let result = match app.state::<AppState>().background() {
            Ok(background) => action(background).await,
            Err(error) => Err(error),
        };
        if let Err(error) = result {
            tracing::warn!("the tray action failed: {error}");
        }
    });
}

/// Installs the tray icon; returns whether it is up.
pub fn install(app: &AppHandle) -> bool {
    if !indicator_library_present() {
        tracing::warn!(
            "no system tray: libayatana-appindicator3 is not installed; closing the window \
             will quit Kindred (install libayatana-appindicator3-1 for the tray)"
        );
        return false;
    }
    match build(app) {
        Ok(()) => true,
        Err(error) => {
            tracing::warn!("no system tray: {error}; closing the window will quit Kindred");
            false
        }
    }
}

fn build(app: &AppHandle) -> tauri::Result<()> {
    let status = MenuItem::with_id(app, "status", "Starting…", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Kindred", true, None::<&str>)?;
    let sync_now = MenuItem::with_id(app, "sync_now", "Sync now", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, "pause", "Pause sync", true, None::<&str>)?;
    let updates = MenuItem::with_id(app, "updates", "Check for updates…", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(
        app,
        &[
            &status, &separator, &open, &sync_now, &pause, &updates, &quit,
        ],
    )?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Kindred")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => crate::window::show(app),
            "sync_now" => {
                spawn_action(app, |background| async move { background.sync_now().await });
            }
            "pause" => {
                spawn_action(
                    app,
                    |background| async move { background.toggle_paused().await },
                );
            }
            "updates" => crate::window::show_to_check_for_updates(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    app.manage(StatusItems { status, pause });
    Ok(())
}

/// Whether the library the Linux tray loads at run time can be found.
fn indicator_library_present() -> bool {
    if !cfg!(target_os = "linux") {
        return true;
    }
    const NAMES: [&str; 2] = ["libayatana-appindicator3.so.1", "libappindicator3.so.1"];
    const DIRS: [&str; 6] = [
        "/usr/lib",
        "/usr/lib64",
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/local/lib",
        "/lib/x86_64-linux-gnu",
    ];
    let extra = std::env::var("LD_LIBRARY_PATH").unwrap_or_default();
    DIRS.iter()
        .copied()
        .chain(extra.split(':').filter(|d| !d.is_empty()))
        .any(|dir| {
            NAMES
                .iter()
                .any(|name| std::path::Path::new(dir).join(name).exists())
        })
}
