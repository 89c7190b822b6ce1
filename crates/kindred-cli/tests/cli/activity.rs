//! `kindred activity`: the log as one JSON document, and a `--since` it cannot read
//! refused with what it accepts.

use crate::Home;

#[test]
fn activity_lists_json_and_refuses_an_unreadable_since() {
    let home = Home::default();
    let entries = home.json(&["activity", "--since", "7d"]);
    assert_eq!(
        entries,
        serde_json::json!([]),
        "a new store has done nothing yet"
    );

    let output = home.run(&["activity", "--since", "last tuesday"]);
    assert!(!output.status.success(), "an unreadable --since fails");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--since 'last tuesday'") && stderr.contains("RFC 3339"),
        "the error names the input and what is accepted: {stderr}"
    );
}
