//! `kindred export DIR`: the JSON summary's contract, the round trip through `kindred
//! import`, and a second export into the same folder refused without harm.

use crate::{count, Home};

#[test]
fn an_export_imports_into_a_fresh_store_with_the_same_counts() {
    let home = Home::default();
    home.json(&["sample", "--scale", "400"]);
    home.json(&[
        "rules",
        "add",
        "when message.received if domain:acme.com then log",
    ]);
    home.json(&[
        "tasks",
        "add",
        "Send Dana the numbers",
        "--priority",
        "high",
    ]);
    let top = home.json(&["people", "--limit", "1"]);
    let email = top[0]["emails"][0].as_str().unwrap().to_owned();
    let mut story = home.command(&["story", &email, "--json"]);
    for variable in [
        "KINDRED_LLM_BASE_URL",
        "KINDRED_LLM_MODEL",
        "KINDRED_LLM_API_KEY",
    ] {
        story.env_remove(variable);
    }
    assert!(story.output().unwrap().status.success(), "an offline story");
    let before = home.stats();
    let folder = home.path().join("export");
    let summary = home.json(&["export", folder.to_str().unwrap()]);
    for key in [
        "directory",
        "messages",
        "events",
        "people",
        "organizations",
        "accounts",
        "rules",
        "tasks",
        "stories",
        "activity",
        "files",
    ] {
        assert!(
            summary.get(key).is_some(),
            "the summary has {key}: {summary}"
        );
    }
    assert_eq!(summary["messages"], before["messages"], "{summary}");
    assert_eq!(summary["events"], before["events"], "{summary}");

    let read = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(folder.join(name)).unwrap()).unwrap()
    };
    assert_eq!(
        read("rules.json")[0]["text"],
        "when message.received if domain:acme.com then log"
    );
    assert_eq!(read("tasks.json")[0]["title"], "Send Dana the numbers");
    let stories = read("stories.json");
    assert_eq!(stories.as_array().unwrap().len(), 1, "{stories}");
    assert_eq!(stories[0]["written_by"], "offline");
    assert_eq!(stories[0]["person_id"], top[0]["person_id"]);
    assert!(stories[0]["story"]["text"].as_str().is_some(), "{stories}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    let me = manifest["me"][0].as_str().unwrap();
    let copy = Home::default();
    let imported = copy.json(&[
        "import",
        folder.join("messages.mbox").to_str().unwrap(),
        folder.join("events.ics").to_str().unwrap(),
        "--me",
        me,
        "--strict",
    ]);
    assert_eq!(count(&imported["duplicates"]), 0, "{imported}");
    let after = copy.stats();
    for key in ["messages", "events", "people", "organizations"] {
        assert_eq!(after[key], before[key], "{key} survive the round trip");
    }

    let again = home.run(&["export", folder.to_str().unwrap()]);
    assert!(
        !again.status.success(),
        "a second export into the folder is refused"
    );
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("already exists"), "{stderr}");
}
