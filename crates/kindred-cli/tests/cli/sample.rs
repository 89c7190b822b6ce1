//! `kindred sample`, `stats` and `search`: the sample mailbox makes a useful store.

use crate::{count, Home};

#[test]
fn the_sample_fills_a_store_that_stats_and_search_describe() {
    let home = Home::default();
    let summary = home.json(&["sample"]);
    let imported = count(&summary["imported"]["messages"]);
    assert!(
        imported > 4_000,
        "the bundled sample has about 5,000 messages: {imported}"
    );
    assert!(count(&summary["imported"]["events"]) > 50, "and meetings");
    assert!(
        summary["errors"].as_array().unwrap().is_empty(),
        "{summary}"
    );

    let stats = home.stats();
    let keys: Vec<&str> = stats
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "messages",
        "events",
        "people",
        "organizations",
        "first_message_at",
        "last_message_at",
    ] {
        assert!(keys.contains(&key), "stats has {key}: {stats}");
    }
    assert_eq!(
        count(&stats["messages"]),
        imported,
        "stats counts what was imported"
    );
    assert!(count(&stats["people"]) >= 200, "{stats}");
    assert!(count(&stats["organizations"]) >= 35, "{stats}");
    let first = stats["first_message_at"].as_str().unwrap();
    let last = stats["last_message_at"].as_str().unwrap();
    assert!(
        first < last && last.ends_with('Z'),
        "ISO 8601 UTC span: {first} .. {last}"
    );

    let hits = home.json(&["search", "rollout", "--limit", "3"]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 3, "the sample talks about rollouts");
    for hit in hits {
        for key in ["message_id", "subject", "from", "date", "snippet"] {
            assert!(hit.get(key).is_some(), "search hit has {key}: {hit}");
        }
        assert!(
            hit["snippet"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .contains("[rollout"),
            "the snippet marks the match: {hit}"
        );
    }

    let again = home.json(&["sample"]);
    assert_eq!(
        count(&again["imported"]["messages"]),
        0,
        "loading the sample twice adds nothing"
    );
    assert_eq!(count(&home.stats()["messages"]), imported);
}

#[test]
fn search_text_with_operators_is_taken_literally() {
    let home = Home::default();
    home.json(&["sample"]);
    let hits = home.json(&["search", "\"unbalanced AND (", "--limit", "5"]);
    assert!(
        hits.is_array(),
        "no FTS syntax error reaches the person: {hits}"
    );
}
