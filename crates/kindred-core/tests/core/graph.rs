//! Graph algorithms: communities, modularity, PageRank and betweenness, on known graphs
//! and on random small graphs.

use kindred_core::graph::{betweenness, communities, modularity, pagerank, WeightedGraph};
use proptest::prelude::*;

/// Zachary's karate club (0-indexed, as in the standard `karate_club_graph`): 34 members,
/// 78 friendships.
const KARATE_EDGES: [(u32, u32); 78] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];

/// Mr. Hi's faction before the fission, as in Zachary's paper; everyone else sided with
/// the officer. Member 8 (person 9) sided with the officer but joined Mr. Hi's new club,
/// so the club-membership split (8 with Mr. Hi) has the lower Q ≈ 0.3582.
const MR_HI_FACTION: [u32; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 16, 17, 19, 21];

fn karate() -> WeightedGraph {
    WeightedGraph::new(34, KARATE_EDGES.iter().map(|&(a, b)| (a, b, 1.0)))
}

fn unweighted(nodes: usize, edges: &[(u32, u32)]) -> WeightedGraph {
    WeightedGraph::new(nodes, edges.iter().map(|&(a, b)| (a, b, 1.0)))
}

/// Two 5-cliques {0..5} and {5..10} joined by the single edge 4–5.
fn two_cliques() -> WeightedGraph {
    let mut edges = Vec::new();
    for base in [0u32, 5] {
        for a in base..base + 5 {
            for b in a + 1..base + 5 {
                edges.push((a, b));
            }
        }
    }
    edges.push((4, 5));
    unweighted(10, &edges)
}

fn assert_close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: expected {expected} ± {tolerance}, got {actual}"
    );
}

#[test]
fn builder_merges_parallel_edges_and_drops_self_loops_and_invalid_edges() {
    let graph = WeightedGraph::new(
        4,
        [
            (0, 1, 1.0),
            (1, 0, 2.0),
            (2, 2, 5.0),
            (0, 9, 1.0),
            (1, 2, 0.0),
            (1, 2, f64::NAN),
            (2, 3, 1.5),
        ],
    );
    assert_eq!(graph.node_count(), 4, "node count includes isolated nodes");
    assert_eq!(
        graph.edge_count(),
        2,
        "0–1 merged, 2–3 kept, the rest ignored"
    );
    // Merged weight 3 on 0–1: a walker on that edge alone splits rank evenly.
    let rank = pagerank(&WeightedGraph::new(2, [(0, 1, 1.0), (1, 0, 2.0)]));
    assert_close(rank[0], 0.5, 1e-12, "a single merged edge is symmetric");
}

#[test]
fn karate_club_communities_reach_known_modularity() {
    let graph = karate();
    assert_eq!(graph.edge_count(), 78, "the karate club has 78 friendships");
    let mut best = f64::NEG_INFINITY;
    for seed in 0..8 {
        let community = communities(&graph, seed);
        assert_eq!(community.len(), 34, "one label per member");
        let quality = modularity(&graph, &community);
        assert!(
            quality >= 0.40,
            "seed {seed}: Louvain should reach Q ≥ 0.40 (optimum ≈ 0.4198), got {quality}"
        );
        assert!(
            quality <= 0.4199,
            "seed {seed}: Q {quality} cannot exceed the optimum"
        );
        best = best.max(quality);
    }
    assert!(
        best >= 0.4197,
        "some seed should find the optimum partition, best Q {best}"
    );
}

#[test]
fn karate_club_faction_split_has_textbook_modularity() {
    let split: Vec<u32> = (0..34)
        .map(|node| u32::from(!MR_HI_FACTION.contains(&node)))
        .collect();
    assert_close(
        modularity(&karate(), &split),
        0.3715,
        5e-4,
        "two-faction split Q",
    );
}

#[test]
fn two_cliques_joined_by_one_edge_form_two_communities() {
    let graph = two_cliques();
    let community = communities(&graph, 42);
    assert_eq!(
        community,
        vec![0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
        "each clique is one community"
    );
    assert!(
        modularity(&graph, &community) > 0.4,
        "the clique split has high modularity"
    );
}

/// Seeded planted partition: node `i` is in group `i % groups`; 80 % of edges stay inside
/// a group. A small xorshift keeps the test free of extra dependencies.
fn planted(nodes: u32, groups: u32, edges: usize, seed: u64) -> WeightedGraph {
    let mut state = seed | 1;
    let mut below = |bound: u32| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        u32::try_from(state % u64::from(bound)).unwrap()
    };
    let list: Vec<(u32, u32, f64)> = (0..edges)
        .map(|_| {
            let a = below(nodes);
            let b = if below(10) < 8 {
                below(nodes / groups) * groups + a % groups
            } else {
                below(nodes)
            };
            (a, b, f64::from(1 + below(5)))
        })
        .collect();
    WeightedGraph::new(nodes as usize, list)
}

#[test]
fn planted_groups_are_recovered() {
    let graph = planted(600, 12, 6_000, 11);
    let found = communities(&graph, 4);
    let truth: Vec<u32> = (0..600).map(|node| node % 12).collect();
    let expected: Vec<u32> = (0..600).map(|node| found[node % 12]).collect();
    assert_eq!(
        found, expected,
        "every planted group is exactly one community"
    );
    assert!(
        modularity(&graph, &found) >= modularity(&graph, &truth) - 1e-12,
        "the found partition is at least as modular as the planted one"
    );
}

#[test]
fn everything_in_one_community_has_zero_modularity() {
    assert_close(
        modularity(&two_cliques(), &[7; 10]),
        0.0,
        1e-12,
        "all-in-one Q",
    );
    assert_close(modularity(&karate(), &[0; 34]), 0.0, 1e-12, "all-in-one Q");
}

#[test]
fn edgeless_graphs_give_singletons_and_zero_modularity() {
    let graph = WeightedGraph::new(3, []);
    assert_eq!(
        communities(&graph, 1),
        vec![0, 1, 2],
        "isolated nodes are singletons"
    );
    assert_close(
        modularity(&graph, &[0, 1, 2]),
        0.0,
        0.0,
        "no edges, no modularity",
    );
    assert!(
        communities(&WeightedGraph::new(0, []), 1).is_empty(),
        "empty graph"
    );
}

#[test]
fn isolated_nodes_stay_alone_beside_real_communities() {
    let mut edges = vec![(0, 1), (1, 2), (0, 2)];
    edges.extend([(3, 4), (4, 5), (3, 5)]);
    let community = communities(&unweighted(8, &edges), 3);
    assert_eq!(
        community,
        vec![0, 0, 0, 1, 1, 1, 2, 3],
        "triangles plus two isolated nodes"
    );
}

#[test]
fn weights_decide_community_membership() {
    // Node 2 is tied weakly to the 0–1 pair and strongly to the 3–4 pair.
    let graph = WeightedGraph::new(
        5,
        [
            (0, 1, 5.0),
            (3, 4, 5.0),
            (1, 2, 0.5),
            (2, 3, 4.0),
            (0, 4, 0.1),
        ],
    );
    let community = communities(&graph, 9);
    assert_eq!(community[2], community[3], "node 2 joins its strong tie");
    assert_ne!(community[1], community[2], "node 2 leaves its weak tie");
}

#[test]
fn pagerank_matches_hand_computed_path() {
    // Path 0–1–2: a = 0.05 + 0.85·b/2 and b = 0.05 + 0.85·2a give a = 19/74, b = 18/37.
    // A bipartite graph converges only at rate 0.85 per iteration, so allow 1e-8.
    let rank = pagerank(&unweighted(3, &[(0, 1), (1, 2)]));
    assert_close(rank[0], 19.0 / 74.0, 1e-8, "end of path");
    assert_close(rank[1], 18.0 / 37.0, 1e-8, "middle of path");
    assert_close(rank[2], 19.0 / 74.0, 1e-8, "end of path");
}

#[test]
fn pagerank_star_centre_ranks_highest_and_sums_to_one() {
    let rank = pagerank(&unweighted(6, &[(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]));
    assert_close(rank.iter().sum(), 1.0, 1e-12, "ranks are a distribution");
    for leaf in 2..6 {
        assert_close(rank[leaf], rank[1], 1e-12, "symmetric leaves rank equally");
    }
    assert!(rank[0] > rank[1], "the centre outranks every leaf");
}

#[test]
fn pagerank_gives_isolated_nodes_the_teleport_share() {
    let rank = pagerank(&unweighted(4, &[(0, 1)]));
    assert_close(rank.iter().sum(), 1.0, 1e-12, "ranks are a distribution");
    assert_close(rank[2], rank[3], 1e-12, "isolated nodes rank equally");
    assert!(
        rank[2] > 0.0 && rank[2] < rank[0],
        "isolated nodes rank low but positive"
    );
    let alone = pagerank(&WeightedGraph::new(3, []));
    for value in alone {
        assert_close(value, 1.0 / 3.0, 1e-12, "no edges: uniform");
    }
    assert!(
        pagerank(&WeightedGraph::new(0, [])).is_empty(),
        "empty graph"
    );
}

#[test]
fn pagerank_follows_weight() {
    // Node 0 holds a strong tie to 1 and a weak tie to 2.
    let rank = pagerank(&WeightedGraph::new(3, [(0, 1, 10.0), (0, 2, 1.0)]));
    assert!(
        rank[1] > rank[2],
        "the strong tie receives more rank: {rank:?}"
    );
}

#[test]
fn betweenness_path_middle_is_exactly_one() {
    let score = betweenness(&unweighted(3, &[(0, 1), (1, 2)]), None);
    assert_eq!(
        score,
        vec![0.0, 1.0, 0.0],
        "only the middle node bridges the ends"
    );
}

#[test]
fn betweenness_star_centre_is_one_and_leaves_zero() {
    let score = betweenness(&unweighted(5, &[(0, 1), (0, 2), (0, 3), (0, 4)]), None);
    assert_close(
        score[0],
        1.0,
        1e-12,
        "the centre lies on every leaf-to-leaf path",
    );
    for &leaf in &score[1..] {
        assert_close(leaf, 0.0, 0.0, "leaves bridge nothing");
    }
}

#[test]
fn betweenness_splits_tied_paths_evenly() {
    // Square 0–1–2–3–0: each pair of opposite corners has two shortest paths.
    let score = betweenness(&unweighted(4, &[(0, 1), (1, 2), (2, 3), (3, 0)]), None);
    for value in score {
        // One opposite pair per node, half credit, over (n-1)(n-2)/2 = 3 pairs.
        assert_close(value, 0.5 / 3.0, 1e-12, "symmetric square");
    }
}

#[test]
fn betweenness_strong_ties_are_short_paths() {
    // Square 0–1–2–3–0 where the route through 1 is strong and through 3 is weak.
    let graph = WeightedGraph::new(4, [(0, 1, 4.0), (1, 2, 4.0), (2, 3, 1.0), (3, 0, 1.0)]);
    let score = betweenness(&graph, None);
    assert!(
        score[1] > score[3],
        "0 reaches 2 through the strong ties via 1: {score:?}"
    );
    assert_close(score[3], 0.0, 0.0, "the weak route is never shortest");
}

#[test]
fn betweenness_sampling_is_deterministic_and_exact_when_pivots_cover_all() {
    let graph = karate();
    let exact = betweenness(&graph, None);
    assert_eq!(
        betweenness(&graph, Some((34, 5))),
        exact,
        "all pivots is exact"
    );
    assert_eq!(
        betweenness(&graph, Some((100, 5))),
        exact,
        "more pivots than nodes is exact"
    );
    let sampled = betweenness(&graph, Some((12, 5)));
    assert_eq!(
        sampled,
        betweenness(&graph, Some((12, 5))),
        "same seed, same estimate"
    );
    assert!(
        sampled.iter().all(|v| (0.0..=1.0).contains(v)),
        "estimates stay in [0, 1]"
    );
    assert!(
        betweenness(&graph, Some((0, 5))).iter().all(|&v| v == 0.0),
        "no pivots"
    );
    let top = (0..34).max_by(|&a, &b| exact[a].total_cmp(&exact[b]));
    assert_eq!(top, Some(0), "Mr. Hi is the karate club's main broker");
    assert_close(
        exact[0],
        0.4376,
        1e-3,
        "known normalised betweenness of node 0",
    );
}

/// Betweenness by its definition on an unweighted graph, from breadth-first distances and
/// path counts between every pair: for each node, the share of the shortest paths between
/// each ordered pair of other nodes that pass through it, over `(n - 1)(n - 2)`.
fn betweenness_by_definition(nodes: usize, edges: &[(u32, u32)]) -> Vec<f64> {
    let mut neighbours = vec![Vec::new(); nodes];
    for &(a, b) in edges {
        if a != b && !neighbours[a as usize].contains(&(b as usize)) {
            neighbours[a as usize].push(b as usize);
            neighbours[b as usize].push(a as usize);
        }
    }
    // distance[s][t] (None: unreachable) and paths[s][t] from a breadth-first search.
    let mut distance = vec![vec![None; nodes]; nodes];
    let mut paths = vec![vec![0.0f64; nodes]; nodes];
    for source in 0..nodes {
        distance[source][source] = Some(0usize);
        paths[source][source] = 1.0;
        let mut queue = std::collections::VecDeque::from([source]);
        while let Some(node) = queue.pop_front() {
            let here = distance[source][node].unwrap_or_default();
            for &next in &neighbours[node] {
                if distance[source][next].is_none() {
                    distance[source][next] = Some(here + 1);
                    queue.push_back(next);
                }
                if distance[source][next] == Some(here + 1) {
                    paths[source][next] += paths[source][node];
                }
            }
        }
    }
    let mut score = vec![0.0; nodes];
    if nodes < 3 {
        return score;
    }
    for (through, value) in score.iter_mut().enumerate() {
        for s in (0..nodes).filter(|&s| s != through) {
            for t in (0..nodes).filter(|&t| t != through && t != s) {
                if let (Some(a), Some(b), Some(whole)) =
                    (distance[s][through], distance[through][t], distance[s][t])
                {
                    if a + b == whole {
                        *value += paths[s][through] * paths[through][t] / paths[s][t];
                    }
                }
            }
        }
        *value /= ((nodes - 1) * (nodes - 2)) as f64;
    }
    score
}

fn small_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32, f64)>)> {
    (1usize..24).prop_flat_map(|nodes| {
        let id = 0..u32::try_from(nodes).unwrap_or(1);
        (
            Just(nodes),
            proptest::collection::vec((id.clone(), id, 0.1f64..10.0), 0..80),
        )
    })
}

proptest! {
    #[test]
    fn communities_form_a_valid_dense_partition((nodes, edges) in small_graph(), seed in any::<u64>()) {
        let graph = WeightedGraph::new(nodes, edges);
        let community = communities(&graph, seed);
        prop_assert_eq!(community.len(), nodes, "one label per node");
        let count = community.iter().max().map_or(0, |&max| max as usize + 1);
        for label in 0..count {
            prop_assert!(community.contains(&u32::try_from(label).unwrap()), "labels are dense");
        }
        prop_assert_eq!(community[0], 0, "labels are numbered from node 0");
        let quality = modularity(&graph, &community);
        prop_assert!(quality.is_finite() && (-0.5 - 1e-12..=1.0).contains(&quality), "Q = {}", quality);
        prop_assert!(quality >= -1e-12, "Louvain never ends below singletons' gain: {}", quality);
        prop_assert_eq!(&community, &communities(&graph, seed), "same seed, same partition");
    }

    #[test]
    fn modularity_of_any_partition_is_bounded((nodes, edges) in small_graph(), labels in proptest::collection::vec(0u32..5, 24)) {
        let graph = WeightedGraph::new(nodes, edges);
        let quality = modularity(&graph, &labels[..nodes]);
        prop_assert!(quality.is_finite() && (-0.5 - 1e-12..=1.0).contains(&quality), "Q = {}", quality);
    }

    #[test]
    fn pagerank_is_a_distribution((nodes, edges) in small_graph()) {
        let graph = WeightedGraph::new(nodes, edges);
        let rank = pagerank(&graph);
        prop_assert_eq!(rank.len(), nodes);
        prop_assert!(rank.iter().all(|v| v.is_finite() && *v > 0.0), "finite positive ranks");
        prop_assert!((rank.iter().sum::<f64>() - 1.0).abs() <= 1e-9, "ranks sum to 1");
    }

    #[test]
    fn exact_betweenness_is_its_definition(
        (nodes, edges) in small_graph(),
        leaves in proptest::collection::vec(0u32..24, 0..12),
    ) {
        // Leaves hung on the graph's nodes: sources that are searched through their one
        // neighbour.
        // Each tie once and of length 1: parallel edges would add up to a shorter one.
        let mut edges: Vec<(u32, u32)> = edges
            .into_iter()
            .filter(|&(a, b, _)| a != b)
            .map(|(a, b, _)| (a.min(b), a.max(b)))
            .collect();
        edges.sort_unstable();
        edges.dedup();
        let mut total = nodes;
        for anchor in leaves {
            if (anchor as usize) < nodes {
                edges.push((anchor, u32::try_from(total).unwrap()));
                total += 1;
            }
        }
        let computed = betweenness(&unweighted(total, &edges), None);
        let expected = betweenness_by_definition(total, &edges);
        for (node, (a, b)) in computed.iter().zip(&expected).enumerate() {
            prop_assert!((a - b).abs() <= 1e-9, "node {}: {} against {}", node, a, b);
        }
    }

    #[test]
    fn betweenness_is_normalised_and_deterministic((nodes, edges) in small_graph(), seed in any::<u64>()) {
        let graph = WeightedGraph::new(nodes, edges);
        let exact = betweenness(&graph, None);
        prop_assert_eq!(exact.len(), nodes);
        prop_assert!(exact.iter().all(|v| v.is_finite() && (0.0..=1.0 + 1e-12).contains(v)), "{:?}", exact);
        let pivots = nodes / 2;
        prop_assert_eq!(betweenness(&graph, Some((pivots, seed))), betweenness(&graph, Some((pivots, seed))));
    }
}
