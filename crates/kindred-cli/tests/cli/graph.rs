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
