//! `kindred wrapped`: a window's figures against ground truth and their shape.

use serde_json::Value;

use crate::{count, Home};

#[test]
fn enron_wrapped_matches_the_ground_truth_in_utc() {
    let Some(data) = kindred_testkit::corpus_dir("enron wrapped") else {
        return;
    };
    let truth: Value = serde_json::from_slice(
        &std::fs::read(data.join("enron/ground_truth_fossum-d.json")).unwrap(),
    )
    .unwrap();
    let home = Home::default();
    let mbox = data.join("enron/fossum-d.mbox");
    home.json(&[
        "import",
        mbox.to_str().unwrap(),
        "--me",
        "drew.fossum@enron.com",
    ]);
    let output = home
        .command(&[
            "wrapped",
            "--from",
            "1999-01-01",
            "--to",
            "2002-12-31",
            "--json",
        ])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let dedup = &truth["dedup"];
    assert_eq!(
        count(&report["sent"]),
        count(&dedup["outgoing"]),
        "my messages"
    );
    assert_eq!(
        count(&report["received"]),
        count(&dedup["incoming"]),
        "theirs"
    );
    assert_eq!(
        report["busiest_weekday"],
        dedup["busiest_weekday_utc"]["value"]
    );
    assert_eq!(report["busiest_hour"], dedup["busiest_hour_utc"]["value"]);
}

#[test]
fn the_sample_wrapped_has_every_card_and_the_window_before() {
    let home = Home::default();
    home.json(&["sample"]);
    let report = home.json(&["wrapped"]);
    for key in [
        "from",
        "to",
        "sent",
        "received",
        "people",
        "new_people",
        "top_people",
        "top_organizations",
        "busiest_weekday",
        "busiest_hour",
        "median_reply_minutes",
        "meetings",
        "longest_streak_days",
        "after_hours_share",
        "weekend_share",
        "newsletters_share",
        "previous",
    ] {
        assert!(report.get(key).is_some(), "wrapped has {key}");
    }
    assert!(
        count(&report["sent"]) > 100 && count(&report["received"]) > 100,
        "{report}"
    );
    assert_eq!(report["top_people"].as_array().unwrap().len(), 5);
    assert!(report["median_reply_minutes"]["mine"].as_f64().is_some());
    assert!(report["median_reply_minutes"]["theirs"].as_f64().is_some());
    for share in ["after_hours_share", "weekend_share", "newsletters_share"] {
        let value = report[share].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&value), "{share} = {value}");
    }
    let heatmap = report["heatmap"].as_array().unwrap();
    assert_eq!(heatmap.len(), 7);
    assert!(heatmap
        .iter()
        .all(|day| day.as_array().unwrap().len() == 24));
    let previous = &report["previous"];
    assert_eq!(
        previous["to"], report["from"],
        "the window before ends where this one starts"
    );
    assert!(previous["previous"].is_null());

    let year = home.run(&["wrapped", "--year", "2025", "--json"]);
    assert!(year.status.success());
    let backwards = home.run(&[
        "wrapped",
        "--from",
        "2025-02-01",
        "--to",
        "2025-01-01",
        "--json",
    ]);
    assert!(
        !backwards.status.success(),
        "a window that ends before it starts is refused"
    );
}
