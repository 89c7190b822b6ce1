//! Community detection (multi-level Louvain with a refinement pass and a connectivity
//! split) and Newman modularity.

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{shuffle, WeightedGraph};

/// Newman modularity of a partition of a weighted graph:
/// `Q = Σ_c [ W_c / m − (S_c / 2m)² ]`, where `W_c` is the weight of the edges inside
/// community `c`, `S_c` the summed weighted degree of its nodes and `m` the total edge
/// weight.
///
/// Community labels are arbitrary `u32` values; only equality matters. A graph without
/// edges has modularity `0`. The result lies in `[-0.5, 1)`.
///
/// # Panics
///
/// Panics if `community.len() != graph.node_count()`: a partition must label every node.
#[must_use]
pub fn modularity(graph: &WeightedGraph, community: &[u32]) -> f64 {
    assert_eq!(
        community.len(),
        graph.node_count(),
        "modularity needs one community label per node"
    );
    let double_m = graph.double_total_weight();
    if double_m <= 0.0 {
        return 0.0;
    }
    let labels = compact_labels(community);
    let count = labels
        .iter()
        .map(|&label| label as usize + 1)
        .max()
        .unwrap_or(0);
    let mut inside = vec![0.0f64; count];
    let mut degree = vec![0.0f64; count];
    for (node, &label) in labels.iter().enumerate() {
        degree[label as usize] += graph.strengths()[node];
        for (neighbour, weight) in graph.edges_of(node) {
            if labels[neighbour] == label {
                // Each internal edge is seen from both ends, so this sums 2·W_c.
                inside[label as usize] += weight;
            }
        }
    }
    inside
        .iter()
        .zip(&degree)
        .map(|(&within, &total)| within / double_m - (total / double_m).powi(2))
        .sum()
}

/// Community of each node by modularity maximisation, deterministic for a given `seed`.
///
/// Multi-level Louvain: nodes are moved greedily (in a seeded random order) to the
/// neighbouring community with the best modularity gain, communities are collapsed into
/// nodes, and this repeats until nothing moves. The final partition is then refined by
/// one more round of moves on the original graph and every community that is not
/// connected is split into its connected parts (which never lowers modularity).
///
/// Returns one label per node. Labels are dense (`0..k`) and numbered in order of each
/// community's lowest node id, so node 0 is always in community 0. Isolated nodes are
/// singleton communities.
#[must_use]
pub fn communities(graph: &WeightedGraph, seed: u64) -> Vec<u32> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let original = Level::from_graph(graph);
    let mut membership: Vec<u32> = (0..n).map(index_to_u32).collect();
    let mut level = original.clone();
    loop {
        let mut partition: Vec<u32> = (0..level.len()).map(index_to_u32).collect();
        let moved = level.move_nodes(&mut partition, &mut rng);
        if !moved {
            break;
        }
        let partition = compact_labels(&partition);
        for label in &mut membership {
            *label = partition[*label as usize];
        }
        level = level.aggregate(&partition);
    }
    original.move_nodes(&mut membership, &mut rng);
    let membership = split_disconnected(graph, &membership);
    compact_labels(&membership)
}

/// Converts a node index to a `u32` label; node ids are `u32` by contract.
fn index_to_u32(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

/// Relabels communities densely, numbered by first appearance in node order.
fn compact_labels(community: &[u32]) -> Vec<u32> {
    let mut order: Vec<(u32, usize)> = community
        .iter()
        .enumerate()
        .map(|(node, &label)| (label, node))
        .collect();
    order.sort_unstable();
    // First node of each original label, then rank labels by that first node.
    let mut firsts: Vec<(usize, u32)> = Vec::new();
    for (index, &(label, node)) in order.iter().enumerate() {
        if index == 0 || order[index - 1].0 != label {
            firsts.push((node, label));
        }
    }
    firsts.sort_unstable();
    let mut by_label: Vec<(u32, u32)> = firsts
        .iter()
        .enumerate()
        .map(|(rank, &(_, label))| (label, index_to_u32(rank)))
        .collect();
    by_label.sort_unstable();
    community
        .iter()
        .map(|label| {
            by_label
                .binary_search_by_key(label, |&(original, _)| original)
                .map_or(0, |found| by_label[found].1)
        })
        .collect()
}

/// Splits every community into its connected components within the original graph.
fn split_disconnected(graph: &WeightedGraph, community: &[u32]) -> Vec<u32> {
    let n = graph.node_count();
    let mut component = vec![u32::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0u32;
    for start in 0..n {
        if component[start] != u32::MAX {
            continue;
        }
        component[start] = next;
        stack.push(start);
        while let Some(node) = stack.pop() {
            for (neighbour, _) in graph.edges_of(node) {
                if component[neighbour] == u32::MAX && community[neighbour] == community[start] {
                    component[neighbour] = next;
                    stack.push(neighbour);
                }
            }
        }
        next += 1;
    }
    component
}

/// One level of the Louvain hierarchy: a weighted graph whose nodes may carry self-loops
/// (the internal weight of the communities they stand for).
#[derive(Debug, Clone)]
struct Level {
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
    weights: Vec<f64>,
    /// Weight of each node's self-loop (counted once).
    self_loop: Vec<f64>,
    /// Weighted degree, with a self-loop counted twice.
    strength: Vec<f64>,
    /// `2m`: the sum of all strengths.
    double_m: f64,
}

impl Level {
    fn from_graph(graph: &WeightedGraph) -> Self {
        let n = graph.node_count();
        let strength = graph.strengths().to_vec();
        Self {
            offsets: graph.offsets.clone(),
            neighbours: graph.neighbours.clone(),
            weights: graph.weights.clone(),
            self_loop: vec![0.0; n],
            double_m: strength.iter().sum(),
            strength,
        }
    }

    fn len(&self) -> usize {
        self.strength.len()
    }

    /// Greedy local moving from the given partition (labels must be `< self.len()`).
    /// Returns whether any node changed community.
    fn move_nodes(&self, partition: &mut [u32], rng: &mut ChaCha8Rng) -> bool {
        let n = self.len();
        if self.double_m <= 0.0 {
            return false;
        }
        let mut total = vec![0.0f64; n];
        for (node, &label) in partition.iter().enumerate() {
            total[label as usize] += self.strength[node];
        }
        let mut order: Vec<usize> = (0..n).collect();
        shuffle(&mut order, rng);

        let mut link = vec![0.0f64; n];
        let mut touched: Vec<usize> = Vec::new();
        let mut any_moved = false;
        // Sweeps stop when a full pass moves nothing; the cap bounds pathological cycling
        // caused by floating-point ties.
        for _ in 0..64 {
            let mut moved = false;
            for &node in &order {
                let current = partition[node] as usize;
                for entry in self.offsets[node]..self.offsets[node + 1] {
                    let label = partition[self.neighbours[entry] as usize] as usize;
                    // Weights are strictly positive, so zero means not yet touched.
                    if link[label] == 0.0 {
                        touched.push(label);
                    }
                    link[label] += self.weights[entry];
                }
                let degree = self.strength[node];
                total[current] -= degree;
                let gain = |label: usize| link[label] - total[label] * degree / self.double_m;
                let mut best = current;
                let mut best_gain = gain(current);
                touched.sort_unstable();
                for &label in &touched {
                    let candidate = gain(label);
                    if candidate > best_gain + 1e-12 * (1.0 + best_gain.abs()) {
                        best = label;
                        best_gain = candidate;
                    }
                }
                total[best] += degree;
                for &label in &touched {
                    link[label] = 0.0;
                }
                touched.clear();
                if best != current {
                    partition[node] = index_to_u32(best);
                    moved = true;
                    any_moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        any_moved
    }

    /// Collapses each community of `partition` (dense labels `0..k`) into one node.
    fn aggregate(&self, partition: &[u32]) -> Self {
        let count = partition
            .iter()
            .map(|&label| label as usize + 1)
            .max()
            .unwrap_or(0);
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
        for (node, &label) in partition.iter().enumerate() {
            members[label as usize].push(node);
        }
        let mut offsets = Vec::with_capacity(count + 1);
        offsets.push(0);
        let mut neighbours = Vec::new();
        let mut weights = Vec::new();
        let mut self_loop = vec![0.0f64; count];
        let mut strength = vec![0.0f64; count];
        let mut link = vec![0.0f64; count];
        let mut touched: Vec<usize> = Vec::new();
        for (community, nodes) in members.iter().enumerate() {
            for &node in nodes {
                self_loop[community] += self.self_loop[node];
                strength[community] += self.strength[node];
                for entry in self.offsets[node]..self.offsets[node + 1] {
                    let other = partition[self.neighbours[entry] as usize] as usize;
                    let weight = self.weights[entry];
                    if other == community {
                        // Seen from both ends: half each time adds the edge once.
                        self_loop[community] += weight / 2.0;
                    } else {
                        if link[other] == 0.0 {
                            touched.push(other);
                        }
                        link[other] += weight;
                    }
                }
            }
            touched.sort_unstable();
            for &other in &touched {
                neighbours.push(index_to_u32(other));
                weights.push(link[other]);
                link[other] = 0.0;
            }
            touched.clear();
            offsets.push(neighbours.len());
        }
        Self {
            offsets,
            neighbours,
            weights,
            self_loop,
            strength,
            double_m: self.double_m,
        }
    }
}
