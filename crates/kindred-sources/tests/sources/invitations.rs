//! Calendar parts of messages: read into invitations with their METHOD and events, one
//! per distinct text; a broken part is skipped and reported where it is, and the message
//! is kept.

use std::collections::HashSet;
use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use kindred_core::invites::InviteMethod;
use kindred_sources::batches::{self, ReadOptions};
use kindred_sources::ics::{parse_ics, ExpansionWindow};
use kindred_sources::mbox::MboxReader;
use kindred_sources::mime::{parse_message, Envelope};
use kindred_sources::sample::{write_sample, SampleSpec};

fn envelope() -> Envelope {
    Envelope {
        source_key: "test".to_owned(),
        ..Envelope::default()
    }
}

#[test]
fn the_sample_invitations_are_the_meetings_of_the_sample_calendar() {
    let end = Utc.with_ymd_and_hms(2025, 3, 1, 6, 30, 0).unwrap();
    let (mut mbox, mut ics) = (Vec::new(), Vec::new());
    write_sample(&SampleSpec::scaled(2_000, end), &mut mbox, &mut ics).unwrap();
    let window = ExpansionWindow::around(end);
    let calendar = parse_ics(&String::from_utf8(ics).unwrap(), "sample.ics", &window);
    let uids: HashSet<&str> = calendar.events.iter().map(|e| e.uid.as_str()).collect();

    let mut invitations = 0;
    for raw in MboxReader::new(mbox.as_slice(), 0, 0) {
        let parsed = parse_message(&raw.unwrap().bytes, envelope()).unwrap();
        assert!(
            parsed.calendar_problems.is_empty(),
            "{:?}",
            parsed.calendar_problems
        );
        let message = parsed.message;
        assert!(
            message.invitations.len() <= 1,
            "the same calendar inline and attached is one invitation: {}",
            message.subject
        );
        for invitation in &message.invitations {
            invitations += 1;
            assert_eq!(
                invitation.method,
                InviteMethod::Request,
                "{}",
                message.subject
            );
            assert!(invitation.text.contains("BEGIN:VEVENT"));
            for event in &invitation.events {
                assert!(
                    uids.contains(event.uid.as_str()),
                    "the invitation {:?} is for a meeting of the calendar",
                    event.summary
                );
            }
        }
    }
    assert!(invitations > 0, "the sample mailbox carries invitations");
}

#[test]
fn torture_calendar_parts_are_read_or_skipped_with_their_location() {
    let Some(data) = kindred_testkit::corpus_dir("invitations") else {
        return;
    };
    let root = data.join("mime-torture");
    let options = ReadOptions::new(ExpansionWindow::around(
        Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap(),
    ));
    let read = |relative: &str| {
        let path = root.join(relative);
        let (sources, errors) = batches::discover(&[PathBuf::from(&path)]);
        assert!(errors.is_empty(), "{errors:?}");
        let (mut messages, mut failures) = (Vec::new(), Vec::new());
        for source in &sources {
            batches::read(source, 0, &options, &mut |batch| {
                messages.extend(batch.messages.into_iter().map(|p| p.message));
                failures.extend(batch.errors);
                true
            })
            .unwrap();
        }
        (path, messages, failures)
    };

    // An Exchange invitation: base64, a Windows zone name, a daily series. Its Date has
    // no year, so the message is placed when the invitation was stamped, as a mailbox's
    // delivery time would place it.
    let (_, messages, failures) = read("notmuch-corpora/test/corpora/attachment/text-calendar.eml");
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(messages.len(), 1);
    let raw = std::fs::read(root.join("notmuch-corpora/test/corpora/attachment/text-calendar.eml"))
        .unwrap();
    let stamped = Envelope {
        source_key: "eml:text-calendar".to_owned(),
        labels: Vec::new(),
        fallback_date: Some(Utc.with_ymd_and_hms(2024, 5, 26, 18, 24, 10).unwrap()),
    };
    let parsed = parse_message(&raw, stamped).unwrap();
    assert!(
        parsed.calendar_problems.is_empty(),
        "{:?}",
        parsed.calendar_problems
    );
    let invitation = &parsed.message.invitations[0];
    assert_eq!(invitation.method, InviteMethod::Request);
    let first = &invitation.events[0];
    assert_eq!(first.summary, "test [In-person]");
    assert_eq!(
        first.starts_at,
        Utc.with_ymd_and_hms(2024, 5, 27, 17, 0, 0).unwrap(),
        "14:00 in the zone the invitation defines, on its daylight time (UTC-3) in May"
    );
    assert!(invitation.events.len() > 1, "the daily series is expanded");

    // A calendar part that is only `BEGIN:VCALENDAR`: skipped, reported, message kept.
    let (path, messages, failures) =
        read("rust-mail-parser-1.0.1/eml/regressions/mixed-calendar.eml");
    assert_eq!(messages.len(), 1, "the message itself is kept");
    assert!(messages[0].invitations.is_empty());
    assert!(!failures.is_empty(), "the broken part is reported");
    for failure in &failures {
        assert_eq!(PathBuf::from(&failure.path), path, "errors name their file");
        assert!(
            failure.location.starts_with("message 1, calendar part 1"),
            "errors say where: {failure}"
        );
    }
}
