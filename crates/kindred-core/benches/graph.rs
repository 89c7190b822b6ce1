//! Benchmarks for the graph algorithms on a generated relationship graph with community
//! structure: 5,000 people in 50 groups, 50,000 ties (80 % inside a group), seeded.

use std::collections::BTreeSet;

use criterion::{criterion_group, criterion_main, Criterion};
use kindred_core::graph::{betweenness, communities, modularity, pagerank, WeightedGraph};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

const NODES: u32 = 5_000;
const GROUPS: u32 = 50;
const EDGES: usize = 50_000;

/// Seeded planted-partition edge list: node `i` belongs to group `i % GROUPS`. Draws until
/// there are `EDGES` distinct ties, so the built graph has exactly that many edges.
fn generated_edges() -> Vec<(u32, u32, f64)> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let mut below = |bound: u32| u32::try_from(rng.next_u64() % u64::from(bound)).unwrap_or(0);
    let mut seen = BTreeSet::new();
    let mut edges = Vec::with_capacity(EDGES);
    while edges.len() < EDGES {
        let a = below(NODES);
        let b = if below(10) < 8 {
            below(NODES / GROUPS) * GROUPS + a % GROUPS
        } else {
            below(NODES)
        };
        if a != b && seen.insert((a.min(b), a.max(b))) {
            edges.push((a, b, f64::from(1 + below(10))));
        }
    }
    edges
}

fn graph_benches(c: &mut Criterion) {
    let edges = generated_edges();
    let graph = WeightedGraph::new(NODES as usize, edges.iter().copied());
    assert_eq!(
        graph.edge_count(),
        EDGES,
        "the generated graph has distinct edges"
    );
    let planted: Vec<u32> = (0..NODES).map(|node| node % GROUPS).collect();
    let found = communities(&graph, 1);
    assert!(
        modularity(&graph, &found) >= modularity(&graph, &planted) - 1e-9,
        "communities should do at least as well as the planted groups"
    );

    c.bench_function("build", |b| {
        b.iter(|| WeightedGraph::new(NODES as usize, edges.iter().copied()));
    });
    c.bench_function("communities", |b| b.iter(|| communities(&graph, 1)));
    c.bench_function("pagerank", |b| b.iter(|| pagerank(&graph)));
    c.bench_function("build+communities+pagerank", |b| {
        b.iter(|| {
            let graph = WeightedGraph::new(NODES as usize, edges.iter().copied());
            (communities(&graph, 1), pagerank(&graph))
        });
    });

    let mut slow = c.benchmark_group("betweenness");
    slow.sample_size(10);
    slow.bench_function("sampled_256_pivots", |b| {
        b.iter(|| betweenness(&graph, Some((256, 1))));
    });
    slow.finish();
}

criterion_group!(benches, graph_benches);
criterion_main!(benches);
