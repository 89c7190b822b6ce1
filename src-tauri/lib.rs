//! The Kindred desktop app: a thin Tauri shell over `kindred-api`. It builds the state
//! once in `setup()`, adapts commands and progress channels, and keeps the app in the
//! system tray when the window closes (the window itself goes a minute later: `window`).
//! No SQL, no business rules here.

mod commands;
mod state;
mod tray;
pub mod updater;
mod window;

use std::process::ExitCode;

use tauri::{Manager, RunEvent, WindowEvent};

use crate::state::AppState;

/// The argument the login item starts Kindred with: run in the tray, window closed.
const BACKGROUND_ARG: &str = "--background";

/// Runs the app until the person quits.
#[must_use]
pub fn run() -> ExitCode {
    composite_without_gl_when_no_gpu();
    skip_gtk_gl();
    kindred_api::logging::init("info");
    if let Some(problem) = missing_display() {
        eprintln!("Kindred cannot open its window: {problem}");
        return ExitCode::FAILURE;
    }
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            window::show(app);
        }))
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args([BACKGROUND_ARG])
                .build(),
        )
        .plugin(tauri_plugin_updater::Builder::new().build())
        .setup(|app| {
            // The tray first, so that it shows the first status background sync reports.
            let in_tray = tray::install(app.handle());
            app.manage(tray::TrayPresence(in_tray));
            app.manage(window::MainWindow::default());
            // Started at login: stay in the tray, unless there is no tray to stay in.
            let in_background = in_tray && std::env::args().any(|arg| arg == BACKGROUND_ARG);
            if !in_background {
                window::show(app.handle());
            }
            let state = tauri::async_runtime::block_on(AppState::open(
                app.handle().clone(),
                !in_background,
            ));
            app.manage(state);
            tracing::info!(
                "Kindred {} is running {}",
                env!("CARGO_PKG_VERSION"),
                if in_background {
                    "in the tray, its window closed"
                } else {
                    "with its window open"
                }
            );
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().state::<tray::TrayPresence>().0 {
                    api.prevent_close();
                    window::hide(window);
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_stats,
            commands::explore_sample,
            commands::import_paths,
            commands::search_messages,
            commands::query_people,
            commands::list_organizations,
            commands::get_wrapped,
            commands::get_graph,
            commands::get_person,
            commands::merge_people,
            commands::split_person,
            commands::connect_google,
            commands::list_accounts,
            commands::sync_now,
            commands::get_sync_status,
            commands::set_sync_paused,
            commands::set_sync_interval,
            commands::disconnect_google,
            commands::snapshot_google,
            commands::get_autostart,
            commands::set_autostart,
            commands::get_diagnostics,
            commands::get_diagnostics_report,
            commands::export_data,
            commands::ask,
            commands::list_conversations,
            commands::get_conversation,
            commands::confirm_proposed_action,
            commands::get_story,
            commands::get_llm_settings,
            commands::set_llm_settings,
            commands::test_llm_connection,
            commands::open_message,
            commands::open_link,
            commands::set_unsaved_work,
            commands::take_update_check_request,
            commands::list_rules,
            commands::add_rule,
            commands::set_rule_enabled,
            commands::remove_rule,
            commands::dry_run_rule,
            commands::list_tasks,
            commands::add_task,
            commands::move_task,
            commands::list_activity,
            commands::list_instructions,
            commands::add_instruction,
            commands::edit_instruction,
            commands::confirm_instruction,
            commands::remove_instruction,
            commands::get_retention_days,
            commands::set_retention_days,
            commands::delete_all_data,
            commands::quit_app,
            commands::check_for_update,
            commands::install_update,
            commands::list_events,
            commands::export_events_ics,
            commands::extract_event,
            commands::get_extraction_label,
            commands::set_extraction_label,
        ])
        .build(tauri::generate_context!())
        .map(|app| {
            app.run(|app, event| match event {
                // The window let go while the tray is up: Kindred stays, syncing. Quit and
                // restarts carry an exit code and go ahead.
                RunEvent::ExitRequested {
                    code: None, api, ..
                } if app.state::<window::MainWindow>().take_let_go() => api.prevent_exit(),
                // A click on the Dock icon brings the window back, made anew if it went.
                #[cfg(target_os = "macos")]
                RunEvent::Reopen { .. } => window::show(app),
                // Quit, or the last window closing without a tray: let running sync work
                // finish or release its lease before the process ends.
                RunEvent::Exit => {
                    tauri::async_runtime::block_on(app.state::<AppState>().shutdown());
                }
                _ => {}
            });
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("Kindred stopped: {error}");
            ExitCode::FAILURE
        }
    }
}

/// WebKitGTK composites its layers with OpenGL. Without a GPU, that is Mesa's software
/// renderer: it draws nothing faster than WebKit's own painting and holds about 90 MB of
/// buffers across the app's processes (docs/benchmarks.md). So with no GPU render node,
/// Kindred asks WebKit to composite without GL, unless the environment already says
/// (`WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps compositing on). WebGL still works. This runs
/// before any thread starts, so setting the variable races with no one.
fn composite_without_gl_when_no_gpu() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if cfg!(target_os = "linux") && std::env::var_os(VARIABLE).is_none() && !has_render_node() {
        std::env::set_var(VARIABLE, "1");
    }
}

/// Kindred draws nothing with GTK's own OpenGL (WebKit renders with its own), yet GTK
/// probes GL when it opens the display, which loads the GL driver, and with Mesa its LLVM
/// (~44 MB resident), into an app that may rest in the tray without ever opening a window.
/// So GTK's GL is off, unless the environment says otherwise (`GDK_GL`). Like the variable
/// above, this is set before any thread starts.
fn skip_gtk_gl() {
    const VARIABLE: &str = "GDK_GL";
    if cfg!(target_os = "linux") && std::env::var_os(VARIABLE).is_none() {
        std::env::set_var(VARIABLE, "disable");
    }
}

/// Whether a DRM render node (`/dev/dri/renderD*`), through which GL reaches a GPU, exists.
fn has_render_node() -> bool {
    std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
        entries
            .flatten()
            .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// On Linux and the BSDs a window needs an X11 or Wayland display.
fn missing_display() -> Option<&'static str> {
    let unix_desktop = cfg!(any(
        target_os = "linux",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd"
    ));
    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    (unix_desktop && !has_display).then_some(
        "no display (neither DISPLAY nor WAYLAND_DISPLAY is set). Start it from a desktop \
         session, or use the `kindred` command-line program",
    )
}
