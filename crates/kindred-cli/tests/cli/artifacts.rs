//! Stored insights: a second read is served from the store and equals the first; new
//! evidence makes them stale, and the next read reflects it.

use crate::{count, Home};

#[test]
fn insights_are_served_from_the_store_until_new_evidence_arrives() {
    let home = Home::default();
    home.json(&["sample", "--scale", "600"]);
    for args in [
        vec!["people", "--limit", "1000"],
        vec!["graph"],
        vec!["wrapped", "--year", "2025"],
        vec!["orgs"],
    ] {
        let computed = home.json(&args);
        let stored = home.json(&args);
        assert_eq!(
            computed, stored,
            "{args:?}: the stored result is the computed one"
        );
    }
    let people = home.json(&["people", "--limit", "1000"]);
    let before = people.as_array().unwrap().len();

    let mbox = home.path().join("new.mbox");
    std::fs::write(
        &mbox,
        "From x@x Mon Mar  2 10:00:00 2026\nFrom: Newcomer <newcomer@fresh.example>\n\
         To: maya.lindqvist@larkspur.example\nSubject: hello\nMessage-ID: <new-1@fresh.example>\n\
         Date: Mon, 2 Mar 2026 10:00:00 +0000\n\nhello\n\n",
    )
    .unwrap();
    let summary = home.json(&["import", mbox.to_str().unwrap()]);
    assert_eq!(count(&summary["imported"]["messages"]), 1);
    let after = home.json(&["people", "--limit", "1000"]);
    let after = after.as_array().unwrap();
    assert_eq!(after.len(), before + 1, "the stale ranking is not served");
    assert!(after
        .iter()
        .any(|p| p["emails"][0] == "newcomer@fresh.example"));
}
