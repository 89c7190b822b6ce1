//! Every file of the MIME torture corpus is read without a panic, and each message in it
//! comes out either as a normalised message or as an error naming the file and where.

use std::path::PathBuf;

use chrono::{TimeZone, Utc};
use kindred_sources::batches::{self, ReadOptions};
use kindred_sources::ics::ExpansionWindow;

#[test]
fn every_torture_message_is_parsed_or_reported_with_its_location() {
    let Some(data) = kindred_testkit::corpus_dir("mime_torture") else {
        return;
    };
    let root = data.join("mime-torture");
    let catalog = std::fs::read_to_string(root.join("catalog.tsv")).unwrap();
    let options = ReadOptions::new(ExpansionWindow::around(
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    ));
    let (mut parsed, mut reported) = (0, 0);
    for line in catalog.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let (path, kind) = (root.join(fields[0]), fields[2]);
        let (sources, errors) = batches::discover(&[PathBuf::from(&path)]);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        let (mut messages, mut failures) = (0, Vec::new());
        for source in &sources {
            batches::read(source, 0, &options, &mut |batch| {
                messages += batch.messages.len();
                failures.extend(batch.errors);
                true
            })
            .unwrap();
        }
        for failure in &failures {
            assert_eq!(PathBuf::from(&failure.path), path, "errors name their file");
            assert!(
                !failure.location.is_empty() && !failure.reason.is_empty(),
                "{failure}"
            );
        }
        // A broken calendar part is reported beside its message, which is still kept.
        failures.retain(|failure| !failure.location.contains(", calendar part "));
        let items = messages + failures.len();
        if kind == "message" {
            assert_eq!(
                items,
                1,
                "{}: one message, parsed or reported",
                path.display()
            );
        } else {
            assert!(
                items >= 1,
                "{}: an mbox yields its messages",
                path.display()
            );
        }
        parsed += messages;
        reported += failures.len();
    }
    assert!(
        parsed > 700,
        "most of the corpus is real mail that parses: {parsed}"
    );
    eprintln!("mime torture: {parsed} messages parsed, {reported} reported");
}
