//! `kindred tasks`: added, listed open-first, moved and done, with JSON fields as the
//! issue names them, bad input refused by name, and each change in the activity log.

use crate::Home;

#[test]
fn tasks_are_added_listed_moved_and_done() {
    let home = Home::default();
    let low = home.json(&["tasks", "add", "Water the plants", "--priority", "low"]);
    let high = home.json(&[
        "tasks",
        "add",
        "Send the contract",
        "--priority",
        "high",
        "--due",
        "2026-12-01",
        "--notes",
        "the signed one",
    ]);
    assert_eq!(high["status"], "todo");
    assert_eq!(high["priority"], "high");
    assert_eq!(high["due"], "2026-12-01");
    assert_eq!(high["notes"], "the signed one");
    assert_eq!(high["created_by"], "person");

    let listed = home.json(&["tasks", "list"]);
    let titles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Send the contract", "Water the plants"],
        "higher priority first"
    );

    let id = high["id"].to_string();
    assert_eq!(
        home.json(&["tasks", "move", &id, "doing"])["status"],
        "doing"
    );
    let done = home.json(&["tasks", "done", &id]);
    assert_eq!(done["status"], "done");
    assert!(done["completed_at"].is_string(), "done records when");
    let open = home.json(&["tasks", "list", "--status", "todo"]);
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_eq!(open[0]["id"], low["id"]);

    for (args, says) in [
        (vec!["tasks", "add", "  "], "a task needs a title"),
        (
            vec!["tasks", "add", "x", "--priority", "urgent"],
            "priority 'urgent'",
        ),
        (
            vec!["tasks", "add", "x", "--due", "friday"],
            "due date 'friday'",
        ),
        (vec!["tasks", "move", &id, "blocked"], "status 'blocked'"),
        (vec!["tasks", "done", "999"], "no task has id 999"),
    ] {
        let output = home.run(&args);
        assert!(!output.status.success(), "{args:?} fails");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }

    let log = home.json(&["activity", "--kind", "task."]);
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["task.done", "task.moved", "task.created", "task.created"]
    );
}
