//! What the window tells the shell about itself: whether it holds unsaved work (so that a
//! closed window is kept rather than let go), and whether it was opened by the tray's
//! "Check for updates…" (a request a window that did not exist yet could not hear).

use tauri::State;

use crate::window::MainWindow;

/// Records whether the window holds work the person has not saved.
#[tauri::command]
#[allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands a command its state by value"
)]
pub fn set_unsaved_work(window: State<'_, MainWindow>, unsaved: bool) {
    window.set_unsaved(unsaved);
}

/// Whether the tray asked for a look for updates that the window has not made yet; asking
/// answers it.
#[tauri::command]
#[allow(
    clippy::needless_pass_by_value,
    reason = "Tauri hands a command its state by value"
)]
pub fn take_update_check_request(window: State<'_, MainWindow>) -> bool {
    window.take_update_check_request()
}
