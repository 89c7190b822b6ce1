//! `kindred rules`: an invalid rule is refused with its line and column and never saved;
//! valid rules are listed, disabled, enabled and removed, each change in the activity log;
//! a dry run counts what a rule would have fired on over the stored history.

use serde_json::Value;

use crate::{count, Home};

/// A message in mbox form, on day `day` of March 2026.
fn message(from: &str, to: &str, day: u32, subject: &str, extra: &str) -> String {
    format!(
        "From sender@x Mon Mar {day:2} 10:00:00 2026\n\
         From: {from}\nTo: {to}\nSubject: {subject}\n\
         Message-ID: <rules-{day}@test.example>\n\
         Date: Mon, {day} Mar 2026 10:00:00 +0000\n{extra}\n\
         Body of {subject}.\n\n"
    )
}

/// A home holding four messages: two from acme.com (one from a subdomain), one I sent to
/// Dana, and a shop's invitation.
fn home_with_mail() -> Home {
    let home = Home::default();
    let mbox = home.path().join("rules.mbox");
    let me = "Me <me@home.org>";
    let mail = [
        message(
            "Dana Scully <dana@acme.com>",
            me,
            2,
            "Quarterly numbers",
            "X-Gmail-Labels: Important\n",
        ),
        message("Bob <bob@eu.acme.com>", me, 3, "Lunch", ""),
        message(me, "dana@acme.com", 4, "Re: Quarterly numbers", ""),
        message(
            "Shop <news@shop.example>",
            me,
            5,
            "Invitation: Sale @ Mon",
            "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\n\
             Content-Type: text/calendar; method=REQUEST\n\n\
             BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:sale@shop.example\n\
             DTSTART:20260309T100000Z\nSUMMARY:Sale\nEND:VEVENT\nEND:VCALENDAR\n--b--\n",
        ),
    ]
    .concat();
    std::fs::write(&mbox, mail).unwrap();
    let imported = home.json(&["import", "--me", "me@home.org", mbox.to_str().unwrap()]);
    assert_eq!(count(&imported["imported"]["messages"]), 4);
    home
}

fn would_fire(home: &Home, rule: &str) -> u64 {
    count(&home.json(&["rules", "dry-run", rule])["would_fire"])
}

#[test]
fn an_invalid_rule_is_refused_with_line_column_and_suggestion_and_not_saved() {
    let home = Home::default();
    let output = home.run(&["rules", "add", "when message.received then creat_task"]);
    assert!(
        !output.status.success(),
        "an invalid rule fails the command"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 1, column 28")
            && stderr.contains("unknown action 'creat_task'")
            && stderr.contains("did you mean 'create_task'?"),
        "the error names where, what and the fix: {stderr}"
    );
    assert_eq!(
        home.json(&["rules", "list"]),
        serde_json::json!([]),
        "an invalid rule is never saved"
    );
}

#[test]
fn rules_are_added_listed_disabled_enabled_and_removed_with_each_change_logged() {
    let home = Home::default();
    let added = home.json(&[
        "rules",
        "add",
        "when message.received  if from:*@acme.com then create_task title=\"Reply to {subject}\" priority=high due=+2d",
    ]);
    let id = added["id"].as_i64().unwrap();
    assert_eq!(added["enabled"], true, "a new rule is enabled");
    assert_eq!(added["trigger"], "message.received");
    assert_eq!(
        added["text"],
        "when message.received if from:*@acme.com then create_task title=\"Reply to {subject}\" \
         priority=high due=+2d",
        "the rule is kept in its canonical text"
    );

    let disabled = home.json(&["rules", "disable", &id.to_string()]);
    assert_eq!(disabled["enabled"], false);
    let listed = home.json(&["rules", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(
        listed[0]["enabled"], false,
        "the list shows the rule disabled"
    );
    assert_eq!(
        home.json(&["rules", "enable", &id.to_string()])["enabled"],
        true
    );
    assert_eq!(home.json(&["rules", "remove", &id.to_string()])["id"], id);
    assert_eq!(home.json(&["rules", "list"]), serde_json::json!([]));

    let output = home.run(&["rules", "remove", &id.to_string()]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("no rule has id {id}")),
        "removing a missing rule says which"
    );

    let log = home.json(&["activity", "--actor", "person", "--kind", "rule."]);
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "rule.removed",
            "rule.enabled",
            "rule.disabled",
            "rule.added"
        ],
        "every change the person made is in the activity log, newest first"
    );
}

#[test]
fn a_dry_run_counts_firings_over_history_with_recent_examples() {
    let home = home_with_mail();
    let report = home.json(&[
        "rules",
        "dry-run",
        "when message.received if domain:acme.com then create_task title=\"Reply to {from.name}\"",
    ]);
    assert_eq!(
        count(&report["would_fire"]),
        2,
        "Dana and Bob (a subdomain) wrote from acme.com"
    );
    let examples: &Vec<Value> = report["examples"].as_array().unwrap();
    let titles: Vec<&str> = examples
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Lunch", "Quarterly numbers"], "most recent first");
    assert_eq!(
        examples[0]["would"],
        "create task \"Reply to Bob\" (normal)"
    );
    assert!(examples[0]["item"]
        .as_str()
        .unwrap()
        .starts_with("message "));

    assert_eq!(
        would_fire(&home, "when message.sent if to:DANA@acme.com then log"),
        1
    );
    assert_eq!(
        would_fire(
            &home,
            "when message.received if subject~\"quarterly NUMBERS\" then log"
        ),
        1,
        "my reply is sent, not received"
    );
    assert_eq!(
        would_fire(&home, "when message.received if label:important then log"),
        1
    );
    assert_eq!(
        would_fire(&home, "when message.received if has:invite then log"),
        1
    );
    assert_eq!(
        would_fire(
            &home,
            "when message.received if org:acme and from:bob@* then log"
        ),
        1
    );
    assert_eq!(
        home.json(&["rules", "list"]),
        serde_json::json!([]),
        "a dry run saves nothing"
    );

    let output = home.run(&[
        "rules",
        "dry-run",
        "when message.received if from: then log",
    ]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 1, column 31"));
}

/// `kill -9` of `kindred rules apply` at several instants, then a run to the end: every
/// matching message has exactly one firing and one task, whenever the kills landed.
#[test]
fn kill_nine_during_a_rules_run_then_a_rerun_fires_exactly_once_per_item() {
    let home = Home::default();
    let scratch = tempfile::tempdir().unwrap();
    let mbox = crate::sample_mbox(scratch.path(), 2_000);
    home.json(&["import", mbox.to_str().unwrap()]);
    let rule = "when message.received then create_task title=\"Reply: {subject}\"";
    let expected = would_fire(&home, rule);
    assert!(expected > 500, "the sample has received mail ({expected})");
    let id = home.json(&["rules", "add", rule])["id"].to_string();

    let fired = |home: &Home| {
        home.json(&["activity", "--kind", "rule.fired", "--limit", "100000"])
            .as_array()
            .unwrap()
            .len() as u64
    };
    let mut interrupted = 0;
    for delay_ms in [150, 300, 600, 1_200, 2_400] {
        let mut child = home.command(&["rules", "apply", &id]).spawn().unwrap();
        // The kill lands wherever the run has got to: that is the point of the test.
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let so_far = fired(&home);
        if !status.success() && so_far > 0 && so_far < expected {
            interrupted += 1;
        }
    }
    let last = home.json(&["rules", "apply", &id]);
    assert_eq!(
        count(&last["fired"]) + count(&last["already_fired"]),
        expected
    );
    assert!(
        interrupted >= 1,
        "at least one kill landed in the middle of a run"
    );
    assert_eq!(fired(&home), expected, "one firing per matching message");
    let tasks = home.json(&["tasks", "list"]);
    let tasks = tasks.as_array().unwrap();
    assert_eq!(
        tasks.len() as u64,
        expected,
        "one task per matching message"
    );
    let mut linked: Vec<i64> = tasks
        .iter()
        .map(|t| t["messages"][0].as_i64().unwrap())
        .collect();
    linked.sort_unstable();
    linked.dedup();
    assert_eq!(linked.len() as u64, expected, "no message has two tasks");
}
