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

#[test]
fn a_maildir_imports_every_folder_once_and_its_sent_folder_finds_me() {
    let home = Home::default();
    let maildir = home.path().join("Maildir");
    for folder in ["", ".Sent", ".Projects.Alpha"] {
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(maildir.join(folder).join(sub)).unwrap();
        }
    }
    let message = |from: &str, to: &str, day: u32, subject: &str| {
        format!(
            "From: {from}\nTo: {to}\nDate: {day:02} Mar 2024 09:00:00 +0100\n\
             Message-ID: <{day}@example.org>\nSubject: {subject}\n\nText of {subject}\n"
        )
    };
    let files = [
        (
            "new/1.host",
            message("ann@acme.example", "me@home.example", 1, "Budget"),
        ),
        (
            "cur/2.host:2,S",
            message("bob@acme.example", "me@home.example", 2, "Lunch"),
        ),
        (
            ".Sent/cur/3.host:2,S",
            message("me@home.example", "ann@acme.example", 3, "Re: Budget"),
        ),
        (
            ".Sent/cur/4.host:2,S",
            message("me@home.example", "bob@acme.example", 4, "Re: Lunch"),
        ),
        (
            ".Projects.Alpha/cur/5.host:2,",
            message("ann@acme.example", "me@home.example", 5, "Alpha"),
        ),
        (
            "tmp/6.host",
            message("eve@acme.example", "me@home.example", 6, "still arriving"),
        ),
    ];
    for (path, text) in &files {
        std::fs::write(maildir.join(path), text).unwrap();
    }
    let path = maildir.to_str().unwrap();
    let summary = home.json(&["import", path]);
    assert_eq!(
        count(&summary["imported"]["messages"]),
        5,
        "tmp/ is not delivered mail"
    );
    let stats = home.stats();
    assert_eq!(
        count(&stats["people"]),
        2,
        "me (the sender of the Sent folder) is not one of my people: {stats}"
    );
    let again = home.json(&["import", path]);
    assert_eq!(count(&again["imported"]["messages"]), 0, "{again}");
}
