//! Background sync: the schedule's settings, and the events a "Sync now" pass reports.

use std::sync::Arc;
use std::time::Duration;

use kindred_api::{
    Background, BackgroundEvent, ErrorCode, SyncProgressEvent, SyncState, SyncStatus,
};
use kindred_store::secrets::MemoryStore;
use tokio::sync::mpsc;

use crate::support::open_kept;

#[tokio::test]
async fn the_sync_schedule_defaults_to_ten_minutes_and_keeps_pause_and_interval() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    let settings = kindred.sync_settings().await.unwrap();
    assert_eq!(
        (settings.paused, settings.interval_minutes),
        (false, 10),
        "a new store syncs every 10 minutes, not paused"
    );
    kindred.set_sync_paused(true).await.unwrap();
    kindred.set_sync_interval(30).await.unwrap();
    kindred.close().await;
    let reopened = open_kept(dir.path()).await;
    let settings = reopened.sync_settings().await.unwrap();
    assert_eq!(
        (settings.paused, settings.interval_minutes),
        (true, 30),
        "pause and interval survive a restart"
    );
    let error = reopened.set_sync_interval(0).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput, "0 minutes is refused");
    assert!(error.message.contains("1 to 1440"), "{}", error.message);
}

#[tokio::test]
async fn sync_now_reports_syncing_the_pass_and_idle_again() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = Arc::new(open_kept(dir.path()).await);
    let (sender, mut events) = mpsc::unbounded_channel();
    let background = Background::start(kindred, Box::new(MemoryStore::default()), move |e| {
        let _ = sender.send(e);
    });
    let first = tokio::time::timeout(Duration::from_secs(10), events.recv())
        .await
        .unwrap()
        .unwrap();
    let BackgroundEvent::Status { status } = first else {
        panic!("background sync starts by publishing its status, not {first:?}");
    };
    assert_eq!(status.state, SyncState::Idle, "nothing connected: idle");
    assert_eq!(status.connected_accounts, 0);

    background.sync_now().await.unwrap();
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .expect("the sync pass ends within 10 s")
            .unwrap();
        let done = matches!(
            &event,
            BackgroundEvent::Status { status } if status.state != SyncState::Syncing
        ) && seen
            .iter()
            .any(|e| matches!(e, BackgroundEvent::Progress { .. }));
        seen.push(event);
        if done {
            break;
        }
    }
    assert!(
        matches!(&seen[0], BackgroundEvent::Status { status } if status.state == SyncState::Syncing),
        "a pass first says it is syncing: {seen:?}"
    );
    assert!(
        seen.iter().any(|e| matches!(
            e,
            BackgroundEvent::Progress {
                event: SyncProgressEvent::Finished { .. }
            }
        )),
        "the engine's progress is forwarded, up to its summary: {seen:?}"
    );
    let status = background.set_paused(true).await.unwrap();
    assert_eq!(status.state, SyncState::Paused, "pausing shows at once");
    background.shutdown().await;
    background.shutdown().await;
}

#[test]
fn the_tray_line_says_the_state_and_when_the_last_sync_was() {
    let status = SyncStatus {
        state: SyncState::Syncing,
        percent: Some(42),
        paused: false,
        interval_minutes: 10,
        last_sync_at: None,
        last_error: None,
        connected_accounts: 1,
    };
    assert_eq!(status.describe(), "Syncing 42 % · not synced yet");
    let idle = SyncStatus {
        state: SyncState::Paused,
        percent: None,
        connected_accounts: 0,
        ..status.clone()
    };
    assert_eq!(idle.describe(), "Sync paused · no account connected");
    let synced = SyncStatus {
        state: SyncState::ReconnectNeeded,
        last_sync_at: Some(chrono::Utc::now().to_rfc3339()),
        ..status
    };
    let line = synced.describe();
    assert!(
        line.starts_with("Reconnect needed · last sync ") && line.len() <= 40,
        "a sync today shows its local time alone: {line}"
    );
}
