//! The relationship graph: me and my people as nodes; edges for being in the same
//! messages and meetings (diluted by their size) and for my ties (by strength);
//! communities by modularity and PageRank from `kindred-core`. Exported as JSON or GraphML.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use kindred_core::graph::{self as algorithms, WeightedGraph};

use kindred_store::interactions::Evidence;

use crate::directory::Directory;
use crate::dto::{GraphEdge, GraphNode, PersonSummary, RelationshipGraph};
use crate::evidence::off_workers;
use crate::{ApiError, Kindred};

/// The seed of community detection and of betweenness sampling, fixed so the same store
/// gives the same graph.
const COMMUNITY_SEED: u64 = 1;
/// Sources sampled for betweenness: exact up to this many nodes, an unbiased estimate above.
const BETWEENNESS_PIVOTS: usize = 64;
/// The artifact holding the whole graph.
const GRAPH_ARTIFACT: &str = "graph";
/// Edges kept for display, per node kept.
const EDGES_PER_NODE: usize = 10;

impl Kindred {
    /// The whole relationship graph.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn graph(&self) -> Result<RelationshipGraph, ApiError> {
        Ok(Arc::unwrap_or_clone(self.shared_graph().await?))
    }

    /// The whole relationship graph, shared as it is kept.
    pub(crate) async fn shared_graph(&self) -> Result<Arc<RelationshipGraph>, ApiError> {
        self.cached(GRAPH_ARTIFACT, "", self.compute_graph()).await
    }

    /// The graph pruned for display: me and my `max_nodes` strongest people, and among
    /// them the strongest edges, at most ten times as many as nodes. Communities,
    /// centralities and introducers are those of the whole graph.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn graph_for_display(&self, max_nodes: usize) -> Result<RelationshipGraph, ApiError> {
        Ok(prune(&*self.shared_graph().await?, max_nodes))
    }

    async fn compute_graph(&self) -> Result<RelationshipGraph, ApiError> {
        let people = self.ranked_people().await?;
        let directory = self.directory().await?;
        let evidence = self.evidence().await?;
        off_workers("computing the graph", move || {
            graph_of(&people, &directory, &evidence)
        })
        .await
    }
}

/// The graph of `people` (ranked), grouped by `directory`, tied by who was in what
/// together in `evidence`.
fn graph_of(
    people: &[PersonSummary],
    directory: &Directory,
    evidence: &Evidence,
) -> RelationshipGraph {
    let mut nodes = vec![GraphNode {
        id: 0,
        person_id: None,
        label: "Me".to_owned(),
        email: None,
        is_me: true,
        score: 0.0,
        community: 0,
        pagerank: 0.0,
        betweenness: 0.0,
        introduced_by: None,
    }];
    // The node of each person of the directory, by their index there.
    let mut node_of = vec![None; directory.people.len()];
    for person in people {
        let id = u32::try_from(nodes.len()).unwrap_or(u32::MAX);
        if let Some(slot) = directory
            .index_of(person.person_id)
            .and_then(|index| node_of.get_mut(index as usize))
        {
            *slot = Some(id);
        }
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
            betweenness: 0.0,
            introduced_by: None,
        });
    }
    let node = |address: i64| {
        directory
            .index_of(address)
            .and_then(|index| node_of[index as usize])
    };
    // Every tie as it is found, then summed per pair in the order found.
    let mut ties: Vec<((u32, u32), f64)> = Vec::new();
    for (node, person) in nodes.iter().skip(1).zip(people) {
        if person.score > 0.0 {
            ties.push(((0, node.id), person.score));
        }
    }
    let mut members: Vec<u32> = Vec::new();
    for group in evidence.co_participation() {
        members.clear();
        members.extend(group.iter().filter_map(|&address| node(address)));
        members.sort_unstable();
        members.dedup();
        if members.len() < 2 {
            continue;
        }
        let share = 1.0 / (members.len() - 1) as f64;
        for (i, &a) in members.iter().enumerate() {
            for &b in &members[i + 1..] {
                ties.push(((a, b), share));
            }
        }
    }
    ties.sort_by_key(|&(pair, _)| pair);
    let mut weights: Vec<((u32, u32), f64)> = Vec::new();
    for (pair, weight) in ties {
        match weights.last_mut() {
            Some((last, total)) if *last == pair => *total += weight,
            _ => weights.push((pair, weight)),
        }
    }
    let graph = WeightedGraph::new(
        nodes.len(),
        weights.iter().map(|&((a, b), weight)| (a, b, weight)),
    );
    // Communities among my people, without me: everyone is tied to me, and those ties
    // would pull every group into mine.
    let among_people = WeightedGraph::new(
        nodes.len(),
        weights
            .iter()
            .filter(|((a, _), _)| *a != 0)
            .map(|&((a, b), weight)| (a, b, weight)),
    );
    let communities = algorithms::communities(&among_people, COMMUNITY_SEED);
    let pagerank = algorithms::pagerank(&graph);
    let betweenness = algorithms::betweenness(&graph, Some((BETWEENNESS_PIVOTS, COMMUNITY_SEED)));
    let mut introducer_of: HashMap<u32, u32> = HashMap::new();
    for (address, sender, answered) in evidence.first_appearances() {
        let Some(introduced) = node(address) else {
            continue;
        };
        let introducer = [sender, answered]
            .into_iter()
            .flatten()
            .filter_map(node)
            .find(|&candidate| candidate != introduced);
        if let Some(introducer) = introducer {
            introducer_of.insert(introduced, introducer);
        }
    }
    for node in &mut nodes {
        let index = node.id as usize;
        node.community = communities.get(index).copied().unwrap_or_default();
        node.pagerank = pagerank.get(index).copied().unwrap_or_default();
        node.betweenness = betweenness.get(index).copied().unwrap_or_default();
        node.introduced_by = introducer_of.get(&node.id).copied();
    }
    let edges = weights
        .into_iter()
        .map(|((source, target), weight)| GraphEdge {
            source,
            target,
            weight,
        })
        .collect();
    RelationshipGraph { nodes, edges }
}

/// Me and the `max_nodes` strongest people, renumbered densely with me first, and the
/// strongest edges among them (at most [`EDGES_PER_NODE`] per node, my ties always kept).
fn prune(graph: &RelationshipGraph, max_nodes: usize) -> RelationshipGraph {
    let RelationshipGraph { nodes, edges } = graph;
    if nodes.len() <= max_nodes + 1 && edges.len() <= EDGES_PER_NODE * nodes.len() {
        return graph.clone();
    }
    let mut people: Vec<&GraphNode> = nodes.iter().filter(|n| !n.is_me).collect();
    people.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
    let mut kept: Vec<GraphNode> = nodes.iter().filter(|n| n.is_me).cloned().collect();
    kept.extend(people.into_iter().take(max_nodes).cloned());
    let renumbered: HashMap<u32, u32> = kept
        .iter()
        .enumerate()
        .map(|(index, node)| (node.id, u32::try_from(index).unwrap_or(u32::MAX)))
        .collect();
    let me: Vec<u32> = kept.iter().filter(|n| n.is_me).map(|n| n.id).collect();
    let (mut mine, mut others): (Vec<GraphEdge>, Vec<GraphEdge>) = edges
        .iter()
        .filter(|e| renumbered.contains_key(&e.source) && renumbered.contains_key(&e.target))
        .cloned()
        .partition(|e| me.contains(&e.source) || me.contains(&e.target));
    others.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    others.truncate((EDGES_PER_NODE * kept.len()).saturating_sub(mine.len()));
    mine.extend(others);
    for edge in &mut mine {
        edge.source = renumbered[&edge.source];
        edge.target = renumbered[&edge.target];
    }
    for node in &mut kept {
        node.id = renumbered[&node.id];
        node.introduced_by = node.introduced_by.and_then(|i| renumbered.get(&i).copied());
    }
    RelationshipGraph {
        nodes: kept,
        edges: mine,
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
