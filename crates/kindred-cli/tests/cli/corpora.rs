//! The shared corpora of real mail and calendars: ground-truth counts for Enron
//! mailboxes, and malformed MIME and iCalendar files that must import or be reported.

use std::path::Path;

use serde_json::Value;

use crate::{count, Home};

fn corpus(test: &str) -> Option<std::path::PathBuf> {
    kindred_testkit::corpus_dir(test)
}

#[test]
fn enron_mailboxes_match_their_ground_truth_after_folder_copies_are_merged() {
    let Some(data) = corpus("enron ground truth") else {
        return;
    };
    for owner in ["fossum-d", "dean-c", "cuilla-m", "badeer-r"] {
        let truth: Value = serde_json::from_slice(
            &std::fs::read(data.join(format!("enron/ground_truth_{owner}.json"))).unwrap(),
        )
        .unwrap();
        let home = Home::default();
        let mbox = data.join(format!("enron/{owner}.mbox"));
        let summary = home.json(&["import", mbox.to_str().unwrap()]);
        assert!(
            summary["errors"].as_array().unwrap().is_empty(),
            "{owner}: {summary}"
        );
        assert_eq!(
            count(&summary["imported"]["messages"]) + count(&summary["duplicates"]),
            count(&truth["raw"]["messages"]),
            "{owner}: every message of the mbox is read"
        );
        let stats = home.stats();
        assert_eq!(
            count(&stats["messages"]),
            count(&truth["dedup"]["messages"]),
            "{owner}: copies in several folders (different Message-IDs) count once"
        );
        for (ours, theirs) in [
            ("first_message_at", "date_min_utc"),
            ("last_message_at", "date_max_utc"),
        ] {
            let expected = truth["dedup"][theirs]
                .as_str()
                .unwrap()
                .replace("+00:00", "Z");
            assert_eq!(stats[ours].as_str().unwrap(), expected, "{owner}: {ours}");
        }
    }
}

/// Every file of the MIME torture corpus and of the iCalendar corpus is imported or
/// reported, with a location; nothing panics and the command succeeds.
#[test]
fn torture_corpora_import_without_panic_and_every_failure_is_reported() {
    let Some(data) = corpus("torture corpora") else {
        return;
    };
    let catalog = std::fs::read_to_string(data.join("mime-torture/catalog.tsv")).unwrap();
    let paths: Vec<String> = catalog
        .lines()
        .skip(1)
        .filter_map(|line| line.split('\t').next())
        .map(|path| data.join("mime-torture").join(path).display().to_string())
        .collect();
    assert_eq!(paths.len(), 816, "the catalog lists every message file");
    let home = Home::default();
    let mut args = vec!["import"];
    args.extend(paths.iter().map(String::as_str));
    let summary = home.json(&args);
    let errors = summary["errors"].as_array().unwrap();
    let accounted = count(&summary["imported"]["messages"]) + count(&summary["duplicates"]);
    assert!(
        accounted + errors.len() as u64 >= 816,
        "each of the 816 files is imported, merged as a duplicate, or reported: {accounted} + {}",
        errors.len()
    );
    for error in errors {
        assert!(
            Path::new(error["path"].as_str().unwrap()).exists(),
            "{error}"
        );
        assert!(!error["location"].as_str().unwrap().is_empty(), "{error}");
        assert!(!error["reason"].as_str().unwrap().is_empty(), "{error}");
    }

    let calendars = Home::default();
    let summary = calendars.json(&["import", data.join("ics").to_str().unwrap()]);
    assert!(
        count(&summary["imported"]["events"]) > 1_000,
        "{}",
        summary["imported"]
    );
    for error in summary["errors"].as_array().unwrap() {
        assert!(error["path"].as_str().unwrap().ends_with(".ics"), "{error}");
        assert!(!error["location"].as_str().unwrap().is_empty(), "{error}");
    }
}
