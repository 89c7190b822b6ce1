//! `kindred instructions`: added in force, edited, removed; a proposal of the assistant's
//! is not in force until confirmed; each change in the activity log.

use crate::Home;

#[test]
fn instructions_are_added_edited_and_removed_with_each_change_logged() {
    let home = Home::default();
    let added = home.json(&["instructions", "add", "always answer in French"]);
    assert_eq!(added["status"], "active");
    assert_eq!(added["created_by"], "person");
    let id = added["id"].to_string();
    let edited = home.json(&["instructions", "edit", &id, "always answer in German"]);
    assert_eq!(edited["text"], "always answer in German");
    let listed = home.json(&["instructions", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["text"], "always answer in German");
    home.json(&["instructions", "remove", &id]);
    assert_eq!(home.json(&["instructions", "list"]), serde_json::json!([]));

    for (args, says) in [
        (vec!["instructions", "add", "   "], "needs some text"),
        (vec!["instructions", "remove", &id], "no instruction has id"),
    ] {
        let output = home.run(&args);
        assert!(!output.status.success(), "{args:?} fails");
        assert!(String::from_utf8_lossy(&output.stderr).contains(says));
    }
    let log = home.json(&["activity", "--kind", "instruction."]);
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "instruction.removed",
            "instruction.edited",
            "instruction.added"
        ]
    );
}
