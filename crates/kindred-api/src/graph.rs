//! The relationship graph: me and my people as nodes; edges for being in the same
//! messages and meetings (diluted by their size) and for my ties (by strength);
//! communities by modularity and PageRank from `kindred-core`. Exported as JSON or GraphML.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use kindred_core::graph::{self as algorithms, WeightedGraph};

use crate::dto::{GraphEdge, GraphNode, RelationshipGraph};
use crate::{ApiError, Kindred};

/// The seed of community detection, fixed so the same store gives the same communities.
const COMMUNITY_SEED: u64 = 1;

impl Kindred {
    /// The whole relationship graph.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn graph(&self) -> Result<RelationshipGraph, ApiError> {
        let people = self.people(usize::MAX).await?;
        let directory = self.directory().await?;
        let groups = self.store.co_participation().await?;
        let mut nodes = vec![GraphNode {
            id: 0,
            person_id: None,
            label: "Me".to_owned(),
            email: None,
            is_me: true,
            score: 0.0,
            community: 0,
            pagerank: 0.0,
        }];
        let mut index_of: HashMap<i64, u32> = HashMap::new();
        for person in &people {
            let id = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
            index_of.insert(person.person_id, id);
            nodes.push(GraphNode {
                id,
                person_id: Some(person.person_id),
                label: person
                    .name
                    .clone()
                    .unwrap_or_else(|| person.emails[0].clone()),
                email: person.emails.first().cloned(),
                is_me: false,
                score: person.score,
                community: 0,
                pagerank: 0.0,
            });
        }
        let mut weights: BTreeMap<(u32, u32), f64> = BTreeMap::new();
        for (node, person) in nodes.iter().skip(1).zip(&people) {
            if person.score > 0.0 {
                *weights.entry((0, node.id)).or_default() += person.score;
            }
        }
        for group in &groups {
            let mut members: Vec<u32> = group
                .iter()
                .filter_map(|&address| directory.find(address))
                .filter_map(|person| index_of.get(&person.id).copied())
                .collect();
            members.sort_unstable();
            members.dedup();
            if members.len() < 2 {
                continue;
            }
            let share = 1.0 / (members.len() - 1) as f64;
            for (i, &a) in members.iter().enumerate() {
                for &b in &members[i + 1..] {
                    *weights.entry((a.min(b), a.max(b))).or_default() += share;
                }
            }
        }
        let graph = WeightedGraph::new(
            nodes.len(),
            weights.iter().map(|(&(a, b), &weight)| (a, b, weight)),
        );
        // Communities among my people, without me: everyone is tied to me, and those ties
        // would pull every group into mine.
        let among_people = WeightedGraph::new(
            nodes.len(),
            weights
                .iter()
                .filter(|(&(a, _), _)| a != 0)
                .map(|(&(a, b), &weight)| (a, b, weight)),
        );
        let communities = algorithms::communities(&among_people, COMMUNITY_SEED);
        let pagerank = algorithms::pagerank(&graph);
        for node in &mut nodes {
            let index = node.id as usize;
            node.community = communities.get(index).copied().unwrap_or_default();
            node.pagerank = pagerank.get(index).copied().unwrap_or_default();
        }
        let edges = weights
            .into_iter()
            .map(|((source, target), weight)| GraphEdge {
                source,
                target,
                weight,
            })
            .collect();
        Ok(RelationshipGraph { nodes, edges })
    }
}

/// The graph as GraphML, for Gephi, yEd, networkx and the like.
#[must_use]
pub fn to_graphml(graph: &RelationshipGraph) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n\
         <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n\
         <key id=\"email\" for=\"node\" attr.name=\"email\" attr.type=\"string\"/>\n\
         <key id=\"score\" for=\"node\" attr.name=\"score\" attr.type=\"double\"/>\n\
         <key id=\"community\" for=\"node\" attr.name=\"community\" attr.type=\"int\"/>\n\
         <key id=\"pagerank\" for=\"node\" attr.name=\"pagerank\" attr.type=\"double\"/>\n\
         <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n\
         <graph id=\"relationships\" edgedefault=\"undirected\">\n",
    );
    for node in &graph.nodes {
        let _ = writeln!(
            xml,
            "<node id=\"n{}\"><data key=\"label\">{}</data><data key=\"email\">{}</data>\
             <data key=\"score\">{}</data><data key=\"community\">{}</data>\
             <data key=\"pagerank\">{}</data></node>",
            node.id,
            escape(&node.label),
            escape(node.email.as_deref().unwrap_or_default()),
            node.score,
            node.community,
            node.pagerank
        );
    }
    for edge in &graph.edges {
        let _ = writeln!(
            xml,
            "<edge source=\"n{}\" target=\"n{}\"><data key=\"weight\">{}</data></edge>",
            edge.source, edge.target, edge.weight
        );
    }
    xml.push_str("</graph>\n</graphml>\n");
    xml
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
