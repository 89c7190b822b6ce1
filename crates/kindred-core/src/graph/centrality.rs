//! Centrality measures: weighted PageRank and Brandes betweenness.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::collections::BinaryHeap;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{shuffle, WeightedGraph};

/// Damping factor: the probability of following an edge rather than jumping anywhere.
const DAMPING: f64 = 0.85;
/// Iteration stops once the L1 change between two iterations falls below this.
const TOLERANCE: f64 = 1e-9;
/// Iteration stops after this many rounds even if not converged.
const MAX_ITERATIONS: usize = 100;

/// Weighted PageRank with damping 0.85.
///
/// A walker at node `i` moves to neighbour `j` with probability `w_ij / strength(i)`.
/// Dangling nodes (no edges) spread their rank uniformly over all nodes, so isolated
/// people still receive the teleport share. Iterates until the L1 change is below `1e-9`
/// or 100 iterations have run. The result has one entry per node, every entry is finite
/// and positive, and the entries sum to 1 (an empty graph gives an empty vector).
#[must_use]
pub fn pagerank(graph: &WeightedGraph) -> Vec<f64> {
    let n = graph.node_count();
    if n == 0 {
        return Vec::new();
    }
    #[allow(clippy::cast_precision_loss)] // node counts are far below 2^52
    let uniform = 1.0 / n as f64;
    let strength = graph.strengths();
    let double_m = graph.double_total_weight();
    // Start from the d → 1 limit (rank ∝ strength) blended with the teleport share: much
    // closer to the answer than uniform, which matters on near-bipartite graphs where the
    // error only shrinks by the damping factor per iteration.
    let mut rank: Vec<f64> = if double_m > 0.0 {
        strength
            .iter()
            .map(|&degree| (1.0 - DAMPING) * uniform + DAMPING * degree / double_m)
            .collect()
    } else {
        vec![uniform; n]
    };
    let mut next = vec![0.0f64; n];
    // What each node passes along each unit of weight of its edges this round.
    let mut share = vec![0.0f64; n];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f64 = rank
            .iter()
            .zip(strength)
            .filter(|&(_, &degree)| degree <= 0.0)
            .map(|(&value, _)| value)
            .sum();
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        for ((slot, &value), &degree) in share.iter_mut().zip(&rank).zip(strength) {
            *slot = if degree > 0.0 { value / degree } else { 0.0 };
        }
        // The graph is symmetric, so gathering from neighbours equals scattering to them.
        for (node, slot) in next.iter_mut().enumerate() {
            let inflow: f64 = graph
                .edges_of(node)
                .map(|(neighbour, weight)| share[neighbour] * weight)
                .sum();
            *slot = base + DAMPING * inflow;
        }
        let change: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < TOLERANCE {
            break;
        }
    }
    // The iteration preserves the sum exactly in real arithmetic; renormalise away drift.
    let sum: f64 = rank.iter().sum();
    for value in &mut rank {
        *value /= sum;
    }
    rank
}

/// Betweenness centrality by Brandes' algorithm on shortest paths where an edge of weight
/// `w` has length `1 / w`, so strong ties are short.
///
/// Normalised for an undirected graph: a node's score is the fraction of pairs of *other*
/// nodes whose shortest paths pass through it (split evenly over tied paths), so it lies
/// in `[0, 1]`; the centre of a star scores exactly 1 and graphs under 3 nodes score 0.
/// Path lengths within a relative `1e-12` count as ties.
///
/// `sample`: `None` is exact (`O(n·m·log n)`). `Some((pivots, seed))` runs from `pivots`
/// distinct source nodes chosen by a seeded shuffle and scales by `n / pivots`: an unbiased
/// estimate, clamped to `[0, 1]`, deterministic for a given seed. `pivots >= n` is exact;
/// `pivots == 0` gives all zeros.
#[must_use]
pub fn betweenness(graph: &WeightedGraph, sample: Option<(usize, u64)>) -> Vec<f64> {
    let n = graph.node_count();
    let mut score = vec![0.0f64; n];
    if n < 3 {
        return score;
    }
    let mut sources: Vec<usize> = (0..n).collect();
    if let Some((pivots, seed)) = sample {
        if pivots < n {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            shuffle(&mut sources, &mut rng);
            sources.truncate(pivots);
            sources.sort_unstable();
        }
    }
    if sources.is_empty() {
        return score;
    }
    // A source with a single neighbour (a leaf) reaches everyone through that neighbour:
    // its dependencies are the neighbour's, except on the neighbour itself, which lies on
    // its path to every other node it reaches. So a leaf is not searched from; its
    // neighbour is, once, for itself if it is a source too and for all its leaves.
    let mut searches: BTreeMap<usize, (u32, u32)> = BTreeMap::new();
    for &source in &sources {
        let mut edges = graph.edges_of(source);
        match (edges.next(), edges.next()) {
            (Some((neighbour, _)), None) => searches.entry(neighbour).or_default().1 += 1,
            _ => searches.entry(source).or_default().0 += 1,
        }
    }
    let searches: Vec<(usize, u32, u32)> = searches
        .into_iter()
        .map(|(root, (itself, leaves))| (root, itself, leaves))
        .collect();
    // The searches are split in halves run side by side; each half sums into its own
    // scores, added in a fixed order, so the result does not depend on timing.
    let (first, second) = searches.split_at(searches.len() / 2);
    let from = |searches: &[(usize, u32, u32)]| {
        let mut search = ShortestPaths::new(n);
        let mut score = vec![0.0f64; n];
        for &(root, itself, leaves) in searches {
            search.accumulate_from(graph, root, (itself, leaves), &mut score);
        }
        score
    };
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| from(second));
        let first = from(first);
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    for ((total, a), b) in score.iter_mut().zip(first).zip(second) {
        *total = a + b;
    }
    #[allow(clippy::cast_precision_loss)] // node counts are far below 2^52
    let (nodes, used) = (n as f64, sources.len() as f64);
    // Raw Brandes sums over ordered pairs; undirected normalisation divides by (n-1)(n-2).
    let scale = (nodes / used) / ((nodes - 1.0) * (nodes - 2.0));
    for value in &mut score {
        *value = (*value * scale).clamp(0.0, 1.0);
    }
    score
}

/// No entry: the end of a node's list of predecessors.
const NONE: u32 = u32::MAX;

/// Reusable buffers for one single-source shortest-path pass of Brandes' algorithm.
struct ShortestPaths {
    distance: Vec<f64>,
    paths: Vec<f64>,
    dependency: Vec<f64>,
    /// Each node's predecessors on shortest paths, as linked lists in one arena: the
    /// first entry of each node's list, and per entry its node and the next entry.
    first_predecessor: Vec<u32>,
    predecessor: Vec<(u32, u32)>,
    settled_order: Vec<usize>,
    settled: Vec<bool>,
    heap: BinaryHeap<Candidate>,
}

impl ShortestPaths {
    fn new(n: usize) -> Self {
        Self {
            distance: vec![f64::INFINITY; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            first_predecessor: vec![NONE; n],
            predecessor: Vec::new(),
            settled_order: Vec::with_capacity(n),
            settled: vec![false; n],
            heap: BinaryHeap::new(),
        }
    }

    /// Adds `predecessor` to the predecessors of `node`.
    fn add_predecessor(&mut self, node: usize, predecessor: usize) {
        let entry = u32::try_from(self.predecessor.len()).unwrap_or(NONE);
        self.predecessor
            .push((predecessor as u32, self.first_predecessor[node]));
        self.first_predecessor[node] = entry;
    }

    /// Dijkstra from `source`, then adds each node's dependency to `score`: for `source`
    /// itself and for each of its leaves that is a source (`sources`: whether `source` is
    /// one, and how many of its leaves are), each leaf adding to `source` the other nodes
    /// reached.
    fn accumulate_from(
        &mut self,
        graph: &WeightedGraph,
        source: usize,
        (itself, leaves): (u32, u32),
        score: &mut [f64],
    ) {
        self.distance.fill(f64::INFINITY);
        self.paths.fill(0.0);
        self.dependency.fill(0.0);
        self.settled.fill(false);
        self.first_predecessor.fill(NONE);
        self.predecessor.clear();
        self.settled_order.clear();
        self.heap.clear();

        self.distance[source] = 0.0;
        self.paths[source] = 1.0;
        self.heap.push(Candidate {
            distance: 0.0,
            node: source,
        });
        while let Some(Candidate { distance, node }) = self.heap.pop() {
            if self.settled[node] || distance > self.distance[node] {
                continue;
            }
            self.settled[node] = true;
            self.settled_order.push(node);
            for (neighbour, weight) in graph.edges_of(node) {
                if self.settled[neighbour] {
                    continue;
                }
                let through = distance + 1.0 / weight;
                let known = self.distance[neighbour];
                let tolerance = 1e-12 * through.max(1.0);
                if through < known - tolerance {
                    self.distance[neighbour] = through;
                    self.paths[neighbour] = self.paths[node];
                    self.first_predecessor[neighbour] = NONE;
                    self.add_predecessor(neighbour, node);
                    self.heap.push(Candidate {
                        distance: through,
                        node: neighbour,
                    });
                } else if (through - known).abs() <= tolerance {
                    self.paths[neighbour] += self.paths[node];
                    self.add_predecessor(neighbour, node);
                }
            }
        }
        for &node in self.settled_order.iter().rev() {
            let share = (1.0 + self.dependency[node]) / self.paths[node];
            let mut entry = self.first_predecessor[node];
            while entry != NONE {
                let (predecessor, next) = self.predecessor[entry as usize];
                let predecessor = predecessor as usize;
                self.dependency[predecessor] += self.paths[predecessor] * share;
                entry = next;
            }
            if node != source {
                score[node] += f64::from(itself + leaves) * self.dependency[node];
            }
        }
        #[allow(clippy::cast_precision_loss)] // node counts are far below 2^52
        let others = self.settled_order.len().saturating_sub(2) as f64;
        score[source] += f64::from(leaves) * others;
    }
}

/// A heap entry ordered so that the smallest distance pops first (ties by node id).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    distance: f64,
    node: usize,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .distance
            .total_cmp(&self.distance)
            .then_with(|| other.node.cmp(&self.node))
    }
}
