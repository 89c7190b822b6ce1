//! Pure graph algorithms over the relationship graph: community detection by modularity
//! maximisation, weighted PageRank and betweenness centrality.
//!
//! Everything here is a deterministic function of its inputs: no IO, no clock, no
//! `HashMap` iteration order, and randomness only from a caller-supplied seed. The graph
//! is undirected and weighted; a weight is the strength of a tie, so for path-based
//! measures the *length* of an edge is `1 / weight` (strong ties are short).
//!
//! The graph is stored as a compact adjacency (CSR): every undirected edge appears once in
//! each endpoint's sorted neighbour list.

use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha8Rng;

mod centrality;
mod community;

pub use centrality::{betweenness, pagerank};
pub use community::{communities, modularity};

/// An immutable undirected weighted graph over the nodes `0..node_count()`.
///
/// Built once by [`WeightedGraph::new`]; parallel edges are merged by adding their
/// weights, and self-loops are ignored.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedGraph {
    /// `offsets[i]..offsets[i + 1]` indexes node `i`'s entries in `neighbours`/`weights`.
    offsets: Vec<usize>,
    /// Neighbour ids, sorted ascending within each node's range.
    neighbours: Vec<u32>,
    /// Merged weight of the edge to the matching entry of `neighbours`.
    weights: Vec<f64>,
    /// Weighted degree (sum of incident edge weights) of each node.
    strength: Vec<f64>,
}

impl WeightedGraph {
    /// Builds a graph with `nodes` nodes from `(a, b, weight)` edges.
    ///
    /// Contract:
    /// - edges are undirected: `(a, b, w)` and `(b, a, w)` mean the same tie;
    /// - parallel edges add up: two `(a, b, 1.0)` edges make one edge of weight `2.0`;
    /// - self-loops (`a == b`) are ignored;
    /// - edges naming a node `>= nodes`, and edges whose weight is not finite and strictly
    ///   positive, are ignored (a zero or negative tie has no meaning as a strength and no
    ///   length as a path).
    ///
    /// Node ids are `u32`, so `nodes` above `u32::MAX + 1` cannot be addressed by any edge.
    pub fn new(nodes: usize, edges: impl IntoIterator<Item = (u32, u32, f64)>) -> Self {
        let mut directed: Vec<(u32, u32, f64)> = Vec::new();
        for (a, b, weight) in edges {
            let in_range = (a as usize) < nodes && (b as usize) < nodes;
            if a == b || !in_range || !weight.is_finite() || weight <= 0.0 {
                continue;
            }
            directed.push((a, b, weight));
            directed.push((b, a, weight));
        }
        // A stable sort keeps the summation order of parallel edges fixed by input order.
        directed.sort_by_key(|&(a, b, _)| (a, b));

        let mut offsets = vec![0usize; nodes + 1];
        let mut neighbours: Vec<u32> = Vec::with_capacity(directed.len());
        let mut weights: Vec<f64> = Vec::with_capacity(directed.len());
        let mut strength = vec![0.0f64; nodes];
        let mut last: Option<(u32, u32)> = None;
        for (a, b, weight) in directed {
            if last == Some((a, b)) {
                if let Some(merged) = weights.last_mut() {
                    *merged += weight;
                }
            } else {
                neighbours.push(b);
                weights.push(weight);
                offsets[a as usize + 1] += 1;
                last = Some((a, b));
            }
            strength[a as usize] += weight;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        Self {
            offsets,
            neighbours,
            weights,
            strength,
        }
    }

    /// Number of nodes, including isolated ones.
    #[must_use]
    pub fn node_count(&self) -> usize {
        self.strength.len()
    }

    /// Number of distinct undirected edges after merging parallel edges and dropping
    /// self-loops and ignored edges.
    #[must_use]
    pub fn edge_count(&self) -> usize {
        self.neighbours.len() / 2
    }

    /// Neighbours of `node` (ascending) with the merged weight of each edge.
    fn edges_of(&self, node: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let range = self.offsets[node]..self.offsets[node + 1];
        self.neighbours[range.clone()]
            .iter()
            .zip(&self.weights[range])
            .map(|(&neighbour, &weight)| (neighbour as usize, weight))
    }

    /// Weighted degree of every node.
    fn strengths(&self) -> &[f64] {
        &self.strength
    }

    /// Total edge weight counted from both ends: `2m` in Newman's notation.
    fn double_total_weight(&self) -> f64 {
        self.strength.iter().sum()
    }
}

/// Fisher–Yates shuffle driven by the seeded generator.
fn shuffle(items: &mut [usize], rng: &mut ChaCha8Rng) {
    for last in (1..items.len()).rev() {
        let bound = u64::try_from(last + 1).unwrap_or(u64::MAX);
        let pick = usize::try_from(rng.next_u64() % bound).unwrap_or(0);
        items.swap(last, pick);
    }
}
