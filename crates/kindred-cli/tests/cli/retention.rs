//! `kindred retention`: the setting's JSON, a pass now, and a zero refused.

use crate::{count, Home};

#[test]
fn retention_is_off_by_default_set_applied_and_recorded() {
    let home = Home::default();
    home.json(&["sample", "--scale", "300"]);
    let before = count(&home.stats()["messages"]);
    assert!(
        home.json(&["retention"])["days"].is_null(),
        "off by default"
    );
    assert_eq!(home.json(&["retention", "--days", "60"])["days"], 60);
    let pass = home.json(&["retention", "--apply"]);
    let deleted = count(&pass["messages_deleted"]);
    assert!(deleted > 0, "{pass}");
    assert_eq!(count(&home.stats()["messages"]), before - deleted);
    let log = home.json(&["activity", "--kind", "retention"]);
    assert_eq!(log.as_array().unwrap().len(), 1, "{log}");

    let zero = home.run(&["retention", "--days", "0"]);
    assert!(!zero.status.success());
    assert!(String::from_utf8_lossy(&zero.stderr).contains("at least 1 day"));
    assert!(home.json(&["retention", "--off"])["days"].is_null());
}
