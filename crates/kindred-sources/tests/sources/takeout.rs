//! Google Takeout archives: the mbox and calendar entries are found and read as streams,
//! with Gmail's labels, and an mbox entry resumes from a checkpoint.

use std::io::Write;
use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use kindred_sources::batches::{self, Batch, ReadOptions, SourceKind};
use kindred_sources::ics::ExpansionWindow;
use zip::write::SimpleFileOptions;

const MBOX: &str = "From 1@xxx Mon Jan  1 00:00:00 2024\n\
X-Gmail-Labels: Inbox,Important\nFrom: Dana <dana@acme.example>\nTo: me@home.example\n\
Date: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <1@acme.example>\nSubject: Plan\n\nHello\n\n\
From 2@xxx Tue Jan  2 00:00:00 2024\n\
X-Gmail-Labels: Sent\nFrom: Me <me@home.example>\nTo: dana@acme.example\n\
Date: Tue, 2 Jan 2024 10:00:00 +0000\nMessage-ID: <2@home.example>\nSubject: Re: Plan\n\nHi\n";

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:m1\r\n\
DTSTART:20240105T150000Z\r\nDTEND:20240105T153000Z\r\nSUMMARY:Sync\r\n\
ORGANIZER;CN=Dana:mailto:dana@acme.example\r\n\
ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@home.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn takeout(dir: &std::path::Path) -> PathBuf {
    let path = dir.join("takeout-20240110.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = SimpleFileOptions::default();
    for (name, text) in [
        ("Takeout/Mail/All mail Including Spam and Trash.mbox", MBOX),
        ("Takeout/Calendar/me@home.example.ics", ICS),
        ("Takeout/archive_browser.html", "<html></html>"),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    path
}

fn read_all(source: &batches::Source, resume_at: u64, options: &ReadOptions) -> Vec<Batch> {
    let mut batches = Vec::new();
    batches::read(source, resume_at, options, &mut |batch| {
        batches.push(batch);
        true
    })
    .unwrap();
    batches
}

#[test]
fn a_takeout_archive_yields_labelled_mail_and_its_calendar_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let path = takeout(dir.path());
    let (sources, errors) = batches::discover(&[path]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        sources.len(),
        2,
        "the mbox and the .ics; other entries are not sources"
    );
    let mut options = ReadOptions::new(ExpansionWindow::around(
        Utc.with_ymd_and_hms(2024, 6, 1, 0, 0, 0).unwrap(),
    ));
    options.batch_messages = 1;

    let mbox = sources
        .iter()
        .find(|s| matches!(&s.kind, SourceKind::TakeoutEntry { entry, .. } if entry.ends_with(".mbox")))
        .unwrap();
    let batches = read_all(mbox, 0, &options);
    let messages: Vec<_> = batches.iter().flat_map(|b| &b.messages).collect();
    assert_eq!(messages.len(), 2);
    assert!(
        messages[1].message.labels.contains(&"Sent".to_owned()),
        "Gmail labels are kept"
    );
    assert!(
        messages[0]
            .message
            .labels
            .contains(&"All mail Including Spam and Trash".to_owned()),
        "and the mbox it came from"
    );
    assert!(batches.last().unwrap().finished);

    let rest = read_all(mbox, batches[0].resume_at, &options);
    let resumed: Vec<_> = rest.iter().flat_map(|b| &b.messages).collect();
    assert_eq!(
        resumed.len(),
        1,
        "resuming after the first batch reads only the second"
    );
    assert_eq!(resumed[0].message.subject, "Re: Plan");

    let calendar = sources.iter().find(|s| s != &mbox).unwrap();
    let events: Vec<_> = read_all(calendar, 0, &options)
        .into_iter()
        .flat_map(|b| b.events)
        .collect();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].attendees.len(), 2, "organizer and attendee");
}
