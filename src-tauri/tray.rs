//! The system-tray icon: Open and Quit. Closing the window keeps Kindred running here.
//! On Linux the tray needs libayatana-appindicator3 (loaded at run time); without it the
//! app runs without a tray, says so, and closing the window quits.

use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager};

/// Whether the tray icon is up, which decides what closing the window does.
pub struct TrayPresence(pub bool);

/// Brings the main window back and focuses it.
pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        if let Err(error) = window
            .show()
            .and_then(|()| window.unminimize())
            .and_then(|()| window.set_focus())
        {
            tracing::warn!("could not bring the window back: {error}");
        }
    }
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
    let open = MenuItem::with_id(app, "open", "Open Kindred", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut builder = TrayIconBuilder::with_id("kindred")
        .tooltip("Kindred")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => show_main_window(app),
            "quit" => app.exit(0),
            _ => {}
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
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
