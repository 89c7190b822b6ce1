//! `kindred graph`: the relationship graph as JSON and GraphML.

use std::collections::BTreeMap;

use crate::{count, Home};

#[test]
fn the_sample_graph_has_me_my_people_communities_and_pagerank() {
    let home = Home::default();
    home.json(&["sample"]);
    let graph = home.json(&["graph"]);
    let nodes = graph["nodes"].as_array().unwrap();
    let edges = graph["edges"].as_array().unwrap();
    let people = home.json(&["people", "--limit", "100000"]);
    assert_eq!(
        nodes.len(),
        people.as_array().unwrap().len() + 1,
        "my people and me"
    );
    assert_eq!(nodes.iter().filter(|n| n["is_me"] == true).count(), 1);
    assert_eq!(nodes[0]["is_me"], true, "me is node 0");
    for edge in edges {
        let (source, target) = (count(&edge["source"]), count(&edge["target"]));
        assert!(source < target && (target as usize) < nodes.len(), "{edge}");
        assert!(edge["weight"].as_f64().unwrap() > 0.0, "{edge}");
    }
    let pagerank: f64 = nodes.iter().map(|n| n["pagerank"].as_f64().unwrap()).sum();
    assert!(
        (pagerank - 1.0).abs() < 1e-6,
        "PageRank sums to 1: {pagerank}"
    );
    let mut sizes: BTreeMap<u64, usize> = BTreeMap::new();
    for node in nodes {
        *sizes.entry(count(&node["community"])).or_default() += 1;
    }
    let grouped = sizes.values().filter(|&&size| size >= 5).count();
    assert!(
        grouped >= 3,
        "teams, clients and friends form communities: {sizes:?}"
    );

    let output = home.run(&["graph", "--format", "graphml"]);
    assert!(output.status.success());
    let xml = String::from_utf8(output.stdout).unwrap();
    assert!(xml.starts_with("<?xml") && xml.trim_end().ends_with("</graphml>"));
    assert_eq!(xml.matches("<node ").count(), nodes.len());
    assert_eq!(xml.matches("<edge ").count(), edges.len());
}

/// A message in mbox form, sent on day `day` of March 2026.
fn message(from: &str, to: &str, cc: &str, day: u32, id: &str) -> String {
    format!(
        "From x@x Mon Mar {day:2} 10:00:00 2026\n\
         From: {from}\nTo: {to}\nCc: {cc}\nSubject: {id}\nMessage-ID: <{id}@test.example>\n\
         Date: Mon, {day} Mar 2026 10:00:00 +0000\n\n{id}\n\n"
    )
}

#[test]
fn whoever_first_brought_someone_into_my_threads_is_their_introducer() {
    let home = Home::default();
    let me = "me@vale.example";
    let mbox = [
        message("ann@acme.example", me, "", 1, "hello"),
        message(me, "ann@acme.example", "", 2, "re-hello"),
        // Ann introduces Bob: his first appearance is in her message.
        message("ann@acme.example", me, "bob@bolt.example", 3, "meet-bob"),
        message(me, "bob@bolt.example", "ann@acme.example", 4, "hi-bob"),
        message("bob@bolt.example", me, "", 5, "re-hi-bob"),
        // Cy first writes to me himself: nobody introduced him.
        message("cy@cove.example", me, "", 6, "from-cy"),
        message(me, "cy@cove.example", "", 7, "re-cy"),
    ]
    .concat();
    let path = home.path().join("intro.mbox");
    std::fs::write(&path, mbox).unwrap();
    home.json(&["import", path.to_str().unwrap(), "--me", me]);
    let graph = home.json(&["graph"]);
    let nodes = graph["nodes"].as_array().unwrap();
    let node = |email: &str| {
        nodes
            .iter()
            .find(|n| n["email"] == email)
            .unwrap_or_else(|| panic!("{email} is in the graph"))
    };
    assert_eq!(
        node("bob@bolt.example")["introduced_by"],
        node("ann@acme.example")["id"]
    );
    assert!(node("ann@acme.example")["introduced_by"].is_null());
    assert!(node("cy@cove.example")["introduced_by"].is_null());
}

#[test]
fn a_pruned_graph_keeps_me_the_strongest_people_and_their_strongest_ties() {
    let home = Home::default();
    home.json(&["sample"]);
    let full = home.json(&["graph"]);
    let pruned = home.json(&["graph", "--max-nodes", "12"]);
    let nodes = pruned["nodes"].as_array().unwrap();
    let edges = pruned["edges"].as_array().unwrap();
    assert_eq!(nodes.len(), 13, "me and twelve people");
    assert_eq!(nodes[0]["is_me"], true);
    for (index, node) in nodes.iter().enumerate() {
        assert_eq!(count(&node["id"]), index as u64, "ids are dense");
    }
    let weakest_kept = nodes[1..]
        .iter()
        .map(|n| n["score"].as_f64().unwrap())
        .fold(f64::INFINITY, f64::min);
    let full_nodes = full["nodes"].as_array().unwrap();
    let stronger = full_nodes
        .iter()
        .filter(|n| n["is_me"] == false && n["score"].as_f64().unwrap() > weakest_kept)
        .count();
    assert_eq!(
        stronger, 11,
        "the kept are the twelve strongest: only eleven are stronger than the weakest of them"
    );
    assert!(edges.len() <= 10 * nodes.len());
    for edge in edges {
        assert!((count(&edge["target"]) as usize) < nodes.len(), "{edge}");
    }
    let my_ties = edges.iter().filter(|e| count(&e["source"]) == 0).count();
    assert_eq!(my_ties, 12, "my tie to everyone kept is kept");
    assert!(
        full["edges"].as_array().unwrap().len() > edges.len(),
        "the whole graph is kept for queries"
    );
}
