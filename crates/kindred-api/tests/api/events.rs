//! Events from mail over a real encrypted store: invitations in imported mail become
//! events merged with the calendar's, `has:invite` sees them, the events export as an
//! .ics that imports back the same, `event.created`/`event.updated` rules fire once per
//! change and never on history, and `extract_event` reads invitations offline and asks
//! a (fake, real-HTTP) language model otherwise, rejecting an answer that is not an event;
//! a rule's `extract_event` runs as a job.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use kindred_api::jobs::{JobHandlers, RunnerOptions};
use kindred_api::{
    register_event_jobs, register_rule_jobs, ActivityFilter, EventDto, EventsFilter, ImportRequest,
    Kindred, WebhookOptions, EXTRACT_EVENT_JOB, RULES_JOB,
};
use kindred_fakellm::{FakeLlm, Reply};
use kindred_store::secrets::{MemoryStore, SecretStore};
use serde_json::json;

use crate::support::{
    activity_of_kind, activity_of_rule, firings_of_rule, open_kept, run_until_one_finishes,
    store_of, use_fake_llm,
};

/// A message from Dana on day `day` of March 2026 carrying one calendar part.
fn invitation(
    day: u32,
    id: &str,
    method: &str,
    uid: &str,
    title: &str,
    start: &str,
    place: &str,
) -> String {
    format!(
        "From sender@x Mon Mar {day:2} 10:00:00 2026\n\
         From: Dana <dana@acme.com>\nTo: Me <me@home.org>\nSubject: Invitation: {title}\n\
         Message-ID: <{id}@acme.com>\nDate: Mon, {day} Mar 2026 10:00:00 +0000\n\
         MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b\"\n\n\
         --b\nContent-Type: text/plain\n\nSee the invitation.\n\
         --b\nContent-Type: text/calendar; method={method}\n\n\
         BEGIN:VCALENDAR\nMETHOD:{method}\nBEGIN:VEVENT\nUID:{uid}\nDTSTART:{start}\n\
         DURATION:PT1H\nSUMMARY:{title}\nLOCATION:{place}\n\
         ORGANIZER;CN=Dana:mailto:dana@acme.com\n\
         ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@home.org\nEND:VEVENT\nEND:VCALENDAR\n\
         --b--\n\n"
    )
}

/// Dana's invitation to the launch party of 25 March, sent on the 3rd.
fn launch_party_invitation() -> String {
    invitation(
        3,
        "b",
        "REQUEST",
        "party-1",
        "Launch party",
        "20260325T180000Z",
        "",
    )
}

/// Dana's cancellation of the launch party, sent on the 4th.
fn launch_party_cancellation() -> String {
    invitation(
        4,
        "c",
        "CANCEL",
        "party-1",
        "Launch party",
        "20260325T180000Z",
        "",
    )
}

/// A plain message announcing a meetup in its text.
fn announcement() -> String {
    "From sender@x Tue Mar 10 10:00:00 2026\n\
     From: Bob <bob@rust.example>\nTo: Me <me@home.org>\nSubject: Rust meetup\n\
     Message-ID: <meetup@rust.example>\nDate: Tue, 10 Mar 2026 10:00:00 +0000\n\n\
     Our next meetup is on 26 March at 19:00 at the Old Library, Paris.\n\n"
        .to_owned()
}

fn calendar(dir: &Path) -> PathBuf {
    let path = dir.join("work.ics");
    std::fs::write(
        &path,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:cal-1\r\n\
         DTSTART:20260320T140000Z\r\nDTEND:20260320T150000Z\r\nSUMMARY:Design review\r\n\
         LOCATION:Room 4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    path
}

async fn import(kindred: &Kindred, dir: &Path, name: &str, mail: &[String]) {
    let path = dir.join(name);
    std::fs::write(&path, mail.concat()).unwrap();
    import_paths(kindred, vec![path]).await;
}

async fn import_paths(kindred: &Kindred, paths: Vec<PathBuf>) {
    let summary = kindred
        .import(
            ImportRequest {
                paths,
                me: vec!["me@home.org".to_owned()],
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert!(summary.errors.is_empty(), "{:?}", summary.errors);
}

async fn all_events(kindred: &Kindred) -> Vec<EventDto> {
    kindred.events(&EventsFilter::default()).await.unwrap()
}

/// Design review (in the calendar, and invited to from Outlook), and a launch party
/// invited to and then cancelled.
async fn calendar_and_invitations(kindred: &Kindred, dir: &Path) {
    import_paths(kindred, vec![calendar(dir)]).await;
    import(
        kindred,
        dir,
        "invitations.mbox",
        &[
            invitation(
                2,
                "a",
                "REQUEST",
                "outlook-77",
                "Design Review",
                "20260320T140500Z",
                "room 4",
            ),
            launch_party_invitation(),
            launch_party_cancellation(),
        ],
    )
    .await;
}

#[tokio::test]
async fn invitations_merge_with_the_calendar_and_export_as_ics_that_imports_back() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    calendar_and_invitations(&kindred, dir.path()).await;

    let events = all_events(&kindred).await;
    let titles: Vec<(&str, &str, &str)> = events
        .iter()
        .map(|e| (e.title.as_str(), e.starts_at.as_str(), e.status.as_str()))
        .collect();
    assert_eq!(
        titles,
        [
            ("Design Review", "2026-03-20T14:05:00Z", "confirmed"),
            ("Launch party", "2026-03-25T18:00:00Z", "cancelled"),
        ],
        "the invitation to the calendar's meeting updated it instead of adding one"
    );
    assert_eq!(
        events[0].uid, "cal-1",
        "the calendar's event is the one kept"
    );
    assert_eq!(events[0].messages.len(), 1);
    assert_eq!(
        events[1].messages.len(),
        2,
        "the request and the cancellation"
    );
    assert_eq!(
        events[1].organizer.as_ref().map(|o| o.address.as_str()),
        Some("dana@acme.com")
    );
    let invites = kindred
        .dry_run_rule("when message.received if has:invite then log")
        .await
        .unwrap();
    assert_eq!(
        invites.would_fire, 3,
        "the three messages carry calendar parts"
    );

    let ics = dir.path().join("out.ics");
    assert_eq!(
        kindred
            .export_events_ics(&EventsFilter::default(), &ics)
            .await
            .unwrap(),
        2
    );
    let other = tempfile::tempdir().unwrap();
    let fresh = open_kept(other.path()).await;
    import_paths(&fresh, vec![ics]).await;
    let shape = |events: Vec<EventDto>| -> Vec<(String, String, String, String, String)> {
        events
            .into_iter()
            .map(|e| (e.title, e.starts_at, e.ends_at, e.location, e.status))
            .collect()
    };
    assert_eq!(
        shape(all_events(&fresh).await),
        shape(events),
        "the exported .ics imports back to the same events"
    );
    let exported = activity_of_kind(&kindred, "export").await;
    assert_eq!(exported.len(), 1, "the export is in the activity log");

    let march = kindred
        .events(&EventsFilter {
            from: Some("2026-03-21".to_owned()),
            to: Some("2026-04-01".to_owned()),
        })
        .await
        .unwrap();
    assert_eq!(march.len(), 1);
    let error = kindred
        .events(&EventsFilter {
            from: Some("21/03/2026".to_owned()),
            to: None,
        })
        .await
        .unwrap_err();
    assert!(
        error.message.contains("--from \"21/03/2026\""),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn event_rules_fire_once_per_creation_and_change_and_never_on_history() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    let created = kindred
        .add_rule("when event.created then log message=\"new {title}\"")
        .await
        .unwrap();
    let updated = kindred
        .add_rule("when event.updated then log message=\"changed {title}\"")
        .await
        .unwrap();
    import_paths(&kindred, vec![calendar(dir.path())]).await;
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(
        pass.fired, 0,
        "what was there before the rules looked is history"
    );

    import(
        &kindred,
        dir.path(),
        "request.mbox",
        &[launch_party_invitation()],
    )
    .await;
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(pass.fired, 1, "the invitation created one event");
    let pass = kindred.evaluate_new_items().await.unwrap();
    assert_eq!(pass.fired, 0, "a second pass fires nothing again");

    import(
        &kindred,
        dir.path(),
        "cancel.mbox",
        &[launch_party_cancellation()],
    )
    .await;
    kindred.close().await;
    let reopened = open_kept(dir.path()).await;
    let pass = reopened.evaluate_new_items().await.unwrap();
    assert_eq!(pass.fired, 1, "the cancellation changed the event once");
    assert_eq!(reopened.evaluate_new_items().await.unwrap().fired, 0);

    let new = firings_of_rule(&reopened, created.id).await;
    assert_eq!(new.len(), 1);
    assert!(
        new[0].detail.contains("new Launch party"),
        "{}",
        new[0].detail
    );
    let changed = firings_of_rule(&reopened, updated.id).await;
    assert_eq!(changed.len(), 1);
    assert!(
        changed[0].subject.contains("change"),
        "{}",
        changed[0].subject
    );
}

#[tokio::test]
async fn extract_event_reads_invitations_offline_and_validates_the_models_answer() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    import(
        &kindred,
        dir.path(),
        "mail.mbox",
        &[launch_party_invitation(), announcement()],
    )
    .await;
    let invited = all_events(&kindred).await[0].messages[0];
    let meetup = kindred.search("meetup", 5).await.unwrap()[0].message_id;
    let secrets = MemoryStore::default();

    let offline = kindred
        .extract_event(&secrets, meetup, "person")
        .await
        .unwrap();
    assert_eq!(offline.source, "none", "offline, only invitations are read");
    assert!(offline.detail.contains("offline"), "{}", offline.detail);
    let read = kindred
        .extract_event(&secrets, invited, "person")
        .await
        .unwrap();
    assert_eq!(read.source, "invitation");
    assert_eq!(read.events, [all_events(&kindred).await[0].id]);

    let fake = FakeLlm::start().unwrap();
    use_fake_llm(&kindred, &secrets, &fake).await;
    fake.push(Reply::text(
        "{\"title\": \"Meetup\", \"start\": \"next Thursday\"}",
    ));
    let rejected = kindred
        .extract_event(&secrets, meetup, "rule 7")
        .await
        .unwrap();
    assert_eq!(rejected.source, "rejected");
    assert!(rejected.detail.contains("start"), "{}", rejected.detail);
    assert_eq!(all_events(&kindred).await.len(), 1, "nothing stored");
    let failed = kindred
        .activity(&ActivityFilter {
            kind: Some("event.extracted".to_owned()),
            failed_only: true,
            ..ActivityFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(failed.len(), 1, "the rejection is in the activity log");
    assert_eq!(failed[0].actor, "rule 7");

    let answer = json!({
        "title": "Rust meetup",
        "start": "2026-03-26T19:00:00+01:00",
        "end": "2026-03-26T21:00:00+01:00",
        "time_zone": "Europe/Paris",
        "location": "Old Library, Paris",
        "url": "https://rust.example/meetup"
    });
    fake.push(Reply::text(format!("```json\n{answer}\n```")));
    let extracted = kindred
        .extract_event(&secrets, meetup, "person")
        .await
        .unwrap();
    assert_eq!(extracted.source, "language_model", "{}", extracted.detail);
    let prompt = fake.chat_requests().last().unwrap().prompt_text();
    assert!(
        prompt.contains("26 March at 19:00"),
        "the model reads the message"
    );
    assert!(
        prompt.contains("\"time_zone\""),
        "the model is given the schema"
    );
    let events = all_events(&kindred).await;
    let meetup_event = events.iter().find(|e| e.title == "Rust meetup").unwrap();
    assert_eq!(meetup_event.starts_at, "2026-03-26T18:00:00Z");
    assert_eq!(meetup_event.ends_at, "2026-03-26T20:00:00Z");
    assert_eq!(meetup_event.location, "Old Library, Paris");
    assert!(meetup_event
        .description
        .contains("https://rust.example/meetup"));
    assert_eq!(meetup_event.messages, [meetup]);
    assert_eq!(extracted.events, [meetup_event.id]);
}

/// A rule's `extract_event` is queued as a job; the job asks the model and stores the
/// event, logged under the rule.
#[tokio::test]
async fn a_rules_extract_event_runs_as_a_job_against_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    import(&kindred, dir.path(), "mail.mbox", &[announcement()]).await;
    let meetup = kindred.search("meetup", 5).await.unwrap()[0].message_id;
    let secrets = MemoryStore::default();
    let fake = FakeLlm::start().unwrap();
    use_fake_llm(&kindred, &secrets, &fake).await;
    let answer = json!({"title": "Rust meetup", "start": "2026-03-26T19:00:00+01:00"});
    fake.push(Reply::text(answer.to_string()));
    let rule = kindred
        .add_rule("when message.received if from:bob@rust.example then extract_event")
        .await
        .unwrap();
    assert_eq!(kindred.run_rule_on_history(rule.id).await.unwrap().fired, 1);
    assert!(
        all_events(&kindred).await.is_empty(),
        "the firing only queues the job"
    );

    let store = store_of(&kindred).await;
    let owner = Arc::new((kindred, secrets));
    let handlers = register_event_jobs(JobHandlers::new(), &owner, |(kindred, secrets)| {
        (kindred, secrets as &dyn SecretStore)
    });
    run_until_one_finishes(
        &store,
        handlers,
        &RunnerOptions::default(),
        EXTRACT_EVENT_JOB,
    )
    .await;

    let (kindred, _) = &*owner;
    let events = all_events(kindred).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].title, "Rust meetup");
    assert_eq!(events[0].messages, [meetup]);
    let logged = activity_of_kind(kindred, "event.extracted").await;
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].actor, format!("rule {}", rule.id));
}

/// Runs the queued jobs of the rules until a pass has finished.
async fn run_rules_pass(kindred: &Arc<Kindred>) {
    let store = store_of(kindred).await;
    let handlers = register_rule_jobs(JobHandlers::new(), kindred, WebhookOptions::default());
    run_until_one_finishes(&store, handlers, &RunnerOptions::default(), RULES_JOB).await;
}

#[tokio::test]
async fn an_import_queues_the_rules_pass_that_fires_on_the_events_it_made() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = Arc::new(open_kept(dir.path()).await);
    let rule = kindred
        .add_rule("when event.created then log")
        .await
        .unwrap();
    import_paths(&kindred, vec![calendar(dir.path())]).await;
    run_rules_pass(&kindred).await;
    import(
        &kindred,
        dir.path(),
        "request.mbox",
        &[launch_party_invitation()],
    )
    .await;
    run_rules_pass(&kindred).await;
    let fired = activity_of_rule(&kindred, rule.id).await;
    assert_eq!(
        fired.len(),
        1,
        "the calendar before the rules looked is history; the invitation's event fires once"
    );
}
