//! `kindred import`: idempotent and resumable.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::{count, sample_mbox, Home};

#[test]
fn importing_the_same_data_again_adds_nothing() {
    let files = tempfile::tempdir().unwrap();
    let mbox = sample_mbox(files.path(), 1_500);
    let home = Home::default();
    let first = home.json(&["import", mbox.to_str().unwrap()]);
    let messages = count(&first["imported"]["messages"]);
    assert!(messages > 1_000, "{first}");

    let second = home.json(&["import", mbox.to_str().unwrap()]);
    assert_eq!(count(&second["imported"]["messages"]), 0, "{second}");
    assert_eq!(
        count(&second["already_imported"]),
        1,
        "the finished source is skipped"
    );

    let copy = files.path().join("copy-of-sample.mbox");
    std::fs::copy(&mbox, &copy).unwrap();
    let third = home.json(&["import", copy.to_str().unwrap()]);
    assert_eq!(
        count(&third["imported"]["messages"]),
        0,
        "a copy adds nothing: {third}"
    );
    assert_eq!(
        count(&third["duplicates"]),
        count(&first["imported"]["messages"]) + count(&first["duplicates"]),
        "every message of the copy is recognised as already stored"
    );
    assert_eq!(count(&home.stats()["messages"]), messages);
}

#[test]
fn kill_9_mid_import_then_resume_gives_the_same_store_as_a_clean_run() {
    let files = tempfile::tempdir().unwrap();
    let mbox = sample_mbox(files.path(), 20_000);
    let mbox = mbox.to_str().unwrap();

    let clean = Home::default();
    clean.json(&["import", mbox]);
    let expected = clean.stats();

    let killed = Home::default();
    let mut child = killed
        .command(&["import", mbox, "--json"])
        .env("KINDRED_LOG", "kindred_api=debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut committed = false;
    for line in stderr.lines() {
        if line.unwrap().contains("committed a batch") {
            committed = true;
            break;
        }
    }
    assert!(committed, "the import reports its first committed batch");
    child.kill().unwrap();
    assert!(
        !child.wait().unwrap().success(),
        "the import was killed, not finished"
    );

    let partial = count(&killed.stats()["messages"]);
    let total = count(&expected["messages"]);
    assert!(
        partial > 0 && partial < total,
        "the kill landed mid-import: {partial} of {total}"
    );
    let resumed = killed.json(&["import", mbox]);
    assert_eq!(
        count(&resumed["imported"]["messages"]) + partial,
        total,
        "the resumed run adds exactly what was missing"
    );
    assert_eq!(
        killed.stats(),
        expected,
        "same store as an uninterrupted import"
    );
}
