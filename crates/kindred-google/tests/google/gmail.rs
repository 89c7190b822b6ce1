//! Gmail sync: the initial sync, incremental replays of adds, deletes and label changes,
//! reconcile after an expired historyId, faults, quota, and accounts side by side.

use std::collections::BTreeSet;

use kindred_fakegoogle::FakeConfig;
use kindred_google::{SyncProgress, SyncStage};

use crate::{raw_message, sample_mbox, World};

const ADA: &str = "ada@example.com";

#[tokio::test]
async fn the_initial_sync_stores_exactly_the_mailbox_and_a_second_pass_adds_nothing() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    let loaded = world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 400))
        .unwrap();
    assert_eq!(loaded, 400);
    let account = world.sign_in(ADA, None).await;
    let report = world.sync_ok(&account).await;
    assert_eq!(report.counts.mail_added, 400, "every message is added once");
    world.assert_mail_matches(&account).await;
    let again = world.sync_ok(&account).await;
    assert_eq!(
        again.counts.mail_added + again.counts.mail_deleted + again.counts.mail_updated,
        0
    );
    let runs = world.store.sync_runs(account.id, 5).await.unwrap();
    assert_eq!(runs.len(), 2, "one audit row per pass");
    assert_eq!(
        runs[0].counts.mail_added, 0,
        "an empty pass is recorded as such"
    );
    assert!(runs[0].finished_at.is_some());
}

#[tokio::test]
async fn incremental_sync_applies_adds_deletes_and_label_changes() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 120))
        .unwrap();
    let account = world.sign_in(ADA, None).await;
    world.sync_ok(&account).await;

    let ids: Vec<String> = world.fake.message_ids(ADA).into_iter().collect();
    world.fake.delete_message(ADA, &ids[0]);
    world.fake.delete_message(ADA, &ids[1]);
    world
        .fake
        .modify_labels(ADA, &ids[2], &["STARRED", "Label_7"], &["INBOX"]);
    world.fake.modify_labels(ADA, &ids[3], &["IMPORTANT"], &[]);
    let added: Vec<String> = (1..=3)
        .map(|day| {
            world.fake.add_raw_message(
                ADA,
                &raw_message("new@example.org", ADA, &format!("new{day}"), day),
                &["INBOX", "UNREAD"],
            )
        })
        .collect();
    let report = world.sync_ok(&account).await;
    assert_eq!(report.counts.mail_added, 3);
    assert_eq!(report.counts.mail_deleted, 2);
    assert_eq!(report.counts.mail_updated, 2);
    world.assert_mail_matches(&account).await;
    let labels = world.store.gmail_labels(account.id, &ids[2]).await.unwrap();
    assert!(
        labels.contains("STARRED") && labels.contains("Label_7"),
        "{labels:?}"
    );
    assert!(
        !labels.contains("INBOX"),
        "a removed label is gone: {labels:?}"
    );
    let new = world
        .store
        .gmail_labels(account.id, &added[0])
        .await
        .unwrap();
    assert_eq!(
        new,
        BTreeSet::from(["INBOX".to_owned(), "UNREAD".to_owned()])
    );
    let hits = world.store.search_messages("new2", 5).await.unwrap();
    assert_eq!(hits.len(), 1, "a new message is searchable");
}

#[tokio::test]
async fn an_expired_history_id_reconciles_to_the_exact_mailbox() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 150))
        .unwrap();
    let account = world.sign_in(ADA, None).await;
    world.sync_ok(&account).await;
    let ids: Vec<String> = world.fake.message_ids(ADA).into_iter().collect();
    for id in &ids[..5] {
        world.fake.delete_message(ADA, id);
    }
    for day in 1..=4 {
        world.fake.add_raw_message(
            ADA,
            &raw_message("late@example.org", ADA, &format!("late{day}"), day),
            &["INBOX"],
        );
    }
    world.fake.expire_history(ADA);
    let report = world.sync_ok(&account).await;
    assert_eq!(report.counts.mail_deleted, 5, "what is gone is deleted");
    assert_eq!(
        report.counts.mail_added, 4,
        "only what is missing is fetched"
    );
    world.assert_mail_matches(&account).await;
    let deleted_gone = world.store.search_messages("late3", 5).await.unwrap();
    assert_eq!(deleted_gone.len(), 1);
}

#[tokio::test]
async fn twenty_percent_injected_faults_still_give_the_exact_mailbox() {
    let config = FakeConfig {
        fault_rate: 0.2,
        stall: std::time::Duration::from_secs(3),
        ..FakeConfig::default()
    };
    let world = World::start(config).await;
    world.fake.add_user(ADA);
    world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 250))
        .unwrap();
    let account = world.sign_in(ADA, None).await;
    world.sync_ok(&account).await;
    world.assert_mail_matches(&account).await;
    let ids: Vec<String> = world.fake.message_ids(ADA).into_iter().collect();
    world.fake.delete_message(ADA, &ids[7]);
    world.fake.add_raw_message(
        ADA,
        &raw_message("x@example.org", ADA, "faulty", 4),
        &["INBOX"],
    );
    world.sync_ok(&account).await;
    world.assert_mail_matches(&account).await;
    assert!(world.fake.stats().faults > 0, "faults were injected");
}

#[tokio::test]
async fn over_quota_answers_slow_the_client_down_and_nothing_is_lost() {
    let config = FakeConfig {
        quota_units_per_second: Some(400.0),
        ..FakeConfig::default()
    };
    let settings = kindred_google::SyncSettings {
        // Deliberately above the fake's limit: 429s must be absorbed.
        gmail_units_per_second: 2_000.0,
        ..crate::test_settings()
    };
    let world = World::with_settings(config, settings).await;
    world.fake.add_user(ADA);
    world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 200))
        .unwrap();
    let account = world.sign_in(ADA, None).await;
    world.sync_ok(&account).await;
    world.assert_mail_matches(&account).await;
}

#[tokio::test]
async fn two_accounts_sync_side_by_side_and_a_shared_message_survives_one_deletion() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world.fake.add_user("bea@example.com");
    let shared = raw_message(
        "carl@example.org",
        "ada@example.com, bea@example.com",
        "shared",
        5,
    );
    let in_ada = world.fake.add_raw_message(ADA, &shared, &["INBOX"]);
    world
        .fake
        .add_raw_message("bea@example.com", &shared, &["INBOX"]);
    world.fake.add_raw_message(
        ADA,
        &raw_message("d@example.org", ADA, "only-ada", 6),
        &["INBOX"],
    );
    let ada = world.sign_in(ADA, None).await;
    let bea = world.sign_in("bea@example.com", None).await;
    world.sync_ok(&ada).await;
    world.sync_ok(&bea).await;
    world.assert_mail_matches(&ada).await;
    world.assert_mail_matches(&bea).await;
    assert_eq!(
        world.store.totals().await.unwrap().messages,
        2,
        "the shared message is stored once"
    );

    world.fake.delete_message(ADA, &in_ada);
    world.sync_ok(&ada).await;
    world.assert_mail_matches(&ada).await;
    assert_eq!(
        world
            .store
            .search_messages("shared", 5)
            .await
            .unwrap()
            .len(),
        1,
        "a message another account still holds stays"
    );
}

#[tokio::test]
async fn the_window_limits_the_initial_sync() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 200))
        .unwrap();
    let account = world.sign_in(ADA, Some(30)).await;
    let report = world.sync_ok(&account).await;
    let stored = world.store.gmail_ids(account.id).await.unwrap().len() as u64;
    assert_eq!(report.counts.mail_added, stored);
    assert!(
        stored < 200,
        "mail older than the window is not fetched ({stored} of 200)"
    );
}

#[tokio::test]
async fn progress_goes_listing_then_fetching_mail_then_calendar_with_counts_that_add_up() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world
        .fake
        .load_mbox(ADA, &sample_mbox(world.dir.path(), 300))
        .unwrap();
    let account = world.sign_in(ADA, None).await;
    let events = std::sync::Mutex::new(Vec::new());
    let report = kindred_google::sync_account(
        &world.google,
        &world.store,
        &world.secrets,
        &account,
        &BTreeSet::new(),
        &|event| events.lock().unwrap().push(event),
    )
    .await
    .unwrap();
    assert!(report.error.is_none());
    let events = events.into_inner().unwrap();
    let stages: Vec<SyncStage> = events.iter().map(|e| e.stage).collect();
    let mut order = stages.clone();
    order.dedup();
    assert_eq!(
        order,
        [
            SyncStage::Listing,
            SyncStage::FetchingMail,
            SyncStage::FetchingCalendar
        ],
        "stages come in order, each once"
    );
    let fetching: Vec<&SyncProgress> = events
        .iter()
        .filter(|e| e.stage == SyncStage::FetchingMail)
        .collect();
    assert!(
        fetching.windows(2).all(|w| w[0].done < w[1].done),
        "fetched counts only grow"
    );
    let last = fetching.last().unwrap();
    assert_eq!(
        (last.done, last.total),
        (300, Some(300)),
        "done reaches the total"
    );
    assert!(fetching.iter().all(|e| e.account == ADA));
    assert!(
        fetching
            .iter()
            .any(|e| e.eta_seconds.is_some() && e.per_second > 0.0),
        "a rate and an ETA are given"
    );
}

#[tokio::test]
async fn a_synced_message_keeps_its_html_part_beside_its_text() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    let raw = format!(
        "From: Sender <news@example.org>\r\nTo: {ADA}\r\nSubject: Digest\r\n\
         Date: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <digest@example.org>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nThe weekly digest.\r\n\
         --B\r\nContent-Type: text/html\r\n\r\n<p>The <b>weekly</b> digest.</p>\r\n--B--\r\n"
    );
    world.fake.add_raw_message(ADA, raw.as_bytes(), &["INBOX"]);
    let account = world.sign_in(ADA, None).await;
    world.sync_ok(&account).await;
    let id = world.store.search_messages("digest", 1).await.unwrap()[0].id;
    let (view, _) = world.store.message_view(id).await.unwrap().unwrap();
    assert_eq!(view.body_text.trim(), "The weekly digest.");
    assert_eq!(
        view.html.as_deref().map(str::trim),
        Some("<p>The <b>weekly</b> digest.</p>"),
        "the HTML part comes through Gmail's raw format"
    );
}
