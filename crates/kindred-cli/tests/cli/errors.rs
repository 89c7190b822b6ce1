//! Errors a person meets on the command line are clear and change nothing.

use crate::{count, Home};

#[test]
fn a_wrong_key_is_reported_with_the_file_and_nothing_is_touched() {
    let home = Home::default();
    home.json(&["sample", "--scale", "200"]);
    let database = home.data_dir().join("kindred.db");
    let before = std::fs::read(&database).unwrap();

    let secrets = std::fs::read_to_string(home.secrets()).unwrap();
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&secrets).unwrap();
    for value in map.values_mut() {
        *value = serde_json::Value::String("ab".repeat(32));
    }
    std::fs::write(home.secrets(), serde_json::to_vec(&map).unwrap()).unwrap();

    let output = home.run(&["stats", "--json"]);
    assert!(!output.status.success(), "a wrong key fails the command");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&database.display().to_string()), "{stderr}");
    assert!(
        stderr.contains("key is wrong or the file is corrupt"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["error"]["code"], "wrong_key", "{json}");
    assert!(
        std::fs::read(&database).unwrap() == before,
        "the database is untouched"
    );
}

#[test]
fn a_broken_message_is_skipped_with_its_location_and_the_rest_imports() {
    let home = Home::default();
    let mbox = home.path().join("mixed.mbox");
    std::fs::write(
        &mbox,
        "From a@b.com Mon Jan  1 00:00:00 2024\nFrom: Ann <ann@acme.com>\nTo: me@home.org\n\
         Date: Mon, 1 Jan 2024 10:00:00 +0000\nSubject: fine\n\nbody one\n\n\
         From nobody Mon Jan  1 00:00:00 x\n\n\n\
         From c@d.com Tue Jan  2 00:00:00 2024\nFrom: Bob <bob@acme.com>\nTo: me@home.org\n\
         Date: Tue, 2 Jan 2024 10:00:00 +0000\nSubject: also fine\n\nbody two\n",
    )
    .unwrap();
    let mbox = mbox.to_str().unwrap();
    let summary = home.json(&["import", mbox]);
    assert_eq!(count(&summary["imported"]["messages"]), 2, "{summary}");
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{summary}");
    assert_eq!(errors[0]["path"], mbox);
    assert!(
        errors[0]["location"]
            .as_str()
            .unwrap()
            .contains("message 2 at byte"),
        "{summary}"
    );

    let strict_home = Home::default();
    let strict = strict_home.run(&["import", mbox, "--strict", "--json"]);
    assert!(!strict.status.success(), "--strict fails on skipped items");
    assert_eq!(
        count(&strict_home.stats()["messages"]),
        2,
        "but still imports the rest"
    );
}

#[test]
fn a_bad_me_address_is_refused_before_anything_is_imported() {
    let home = Home::default();
    let output = home.run(&["import", "/nonexistent", "--me", "not an address", "--json"]);
    assert!(!output.status.success());
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["error"]["code"], "invalid_input", "{json}");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not an address"));
}

#[test]
fn a_missing_path_is_reported_not_fatal() {
    let home = Home::default();
    let summary = home.json(&["import", "/nonexistent/mail.mbox"]);
    let errors = summary["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{summary}");
    assert_eq!(errors[0]["path"], "/nonexistent/mail.mbox");
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::Read as _;
    let home = Home::default();
    home.json(&["sample"]);
    let whole = home.run(&["graph", "--json"]).stdout;
    assert!(
        whole.len() > 1 << 16,
        "more than a pipe holds, so the writer meets the closed pipe"
    );
    let mut child = home
        .command(&["graph", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(first.starts_with(b"{"), "JSON starts");
    assert!(
        output.status.success(),
        "`kindred graph | head` exits cleanly: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
