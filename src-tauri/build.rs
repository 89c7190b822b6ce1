//! Declares the app's own commands so that the window's capability in tauri.conf.json
//! can grant exactly these, and nothing not listed there is callable from the web UI.
fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "get_stats",
        "explore_sample",
        "import_paths",
        "search_messages",
        "list_people",
        "list_organizations",
        "get_wrapped",
        "get_graph",
        "get_person",
        "merge_people",
        "split_person",
        "connect_google",
        "list_accounts",
        "sync_now",
        "get_sync_status",
        "set_sync_paused",
        "set_sync_interval",
        "disconnect_google",
        "snapshot_google",
        "get_autostart",
        "set_autostart",
        "get_diagnostics",
        "get_diagnostics_report",
        "export_data",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(commands))
        .unwrap_or_else(|error| panic!("tauri-build failed: {error:#}"));
}
