//! `kindred events`: events from an invitation in imported mail, listed as JSON, exported
//! as an .ics file that imports again into another home, read again with `--extract`
//! offline, and a bad date refused; the extraction label shown, chosen and cleared.

use crate::{count, Home};

/// Dana's invitation to a design review, in mbox form.
const INVITATION: &str = "From sender@x Mon Mar  2 10:00:00 2026\n\
From: Dana <dana@acme.com>\nTo: Me <me@home.org>\nSubject: Invitation: Design review\n\
Message-ID: <review@acme.com>\nDate: Mon, 2 Mar 2026 10:00:00 +0000\n\
MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\nJoin us.\n\
--b\nContent-Type: text/calendar; method=REQUEST\n\n\
BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:review-1@acme.com\n\
DTSTART:20260320T140000Z\nDTEND:20260320T150000Z\nSUMMARY:Design review\n\
LOCATION:Room 4\nORGANIZER;CN=Dana:mailto:dana@acme.com\n\
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@home.org\nEND:VEVENT\nEND:VCALENDAR\n--b--\n\n";

#[test]
fn events_from_mail_are_listed_and_exported_as_ics_that_imports_back() {
    let home = Home::default();
    let mbox = home.path().join("invite.mbox");
    std::fs::write(&mbox, INVITATION).unwrap();
    let imported = home.json(&["import", "--me", "me@home.org", mbox.to_str().unwrap()]);
    assert_eq!(count(&imported["imported"]["events"]), 1, "{imported}");

    let events = home.json(&["events"]);
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event["title"], "Design review");
    assert_eq!(event["starts_at"], "2026-03-20T14:00:00Z");
    assert_eq!(event["location"], "Room 4");
    assert_eq!(event["organizer"]["address"], "dana@acme.com");
    assert_eq!(event["attendees"][0]["response"], "accepted");
    assert_eq!(event["messages"].as_array().unwrap().len(), 1);

    let ics = home.path().join("events.ics");
    let exported = home.json(&["events", "--ics", ics.to_str().unwrap()]);
    assert_eq!(count(&exported["written"]), 1);
    let other = Home::default();
    let again = other.json(&["import", ics.to_str().unwrap()]);
    assert_eq!(count(&again["imported"]["events"]), 1);
    let reread = other.json(&["events"]);
    for field in ["title", "starts_at", "ends_at", "location", "status", "uid"] {
        assert_eq!(
            reread[0][field], event[field],
            "{field} survives the round trip"
        );
    }

    let message = event["messages"][0].to_string();
    let extracted = home.json(&["events", "--extract", &message]);
    assert_eq!(
        extracted["source"], "invitation",
        "offline, the invitation is read"
    );
    assert_eq!(extracted["events"][0], event["id"]);

    let output = home.run(&["events", "--from", "March 1st"]);
    assert!(!output.status.success(), "a bad date is refused");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
}

#[test]
fn the_extraction_label_is_shown_chosen_refused_when_blank_and_cleared() {
    let home = Home::default();
    assert_eq!(
        home.json(&["events", "label"])["label"],
        serde_json::Value::Null,
        "no label until one is chosen"
    );
    assert_eq!(home.json(&["events", "label", "Events"])["label"], "Events");
    assert_eq!(
        home.json(&["events", "label"])["label"],
        "Events",
        "the label is kept in the store"
    );

    let output = home.run(&["events", "label", "  "]);
    assert!(!output.status.success(), "a blank label is refused");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("blank"), "{stderr}");
    assert_eq!(
        home.json(&["events", "label"])["label"],
        "Events",
        "a refused label changes nothing"
    );

    assert_eq!(
        home.json(&["events", "label", "--clear"])["label"],
        serde_json::Value::Null
    );
    assert_eq!(
        home.json(&["events", "label"])["label"],
        serde_json::Value::Null
    );
}
