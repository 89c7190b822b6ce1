//! Assistant benchmark: the local embedder's throughput, hybrid search latency over a
//! store of generated mail cut into chunks, and the engine's overhead to the first
//! streamed token of an answer.
//!
//! `cargo bench --workspace --bench assistant [-- MESSAGES]` (default 175,000 messages,
//! which the sample generator turns into more than 200,000 chunks). The store is built
//! once per run (several minutes); the timings are of the measured operations alone.
//! With `KINDRED_BENCH_DIR=DIR` the store (and its key, in a file beside it) is kept in
//! DIR and reused by later runs, which then skip generating, importing and indexing.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use kindred_ai::retrieval::{chunk_body, clean_body, embed_locally, search_words};
use kindred_api::{AskRequest, Config, Kindred, LlmSettingsUpdate, SearchRequest};
use kindred_fakellm::{FakeLlm, Reply};
use kindred_store::secrets::{FileStore, MemoryStore, SecretStore};
use kindred_store::Store;

/// Queries of the kinds people type: names, topics, phrases, a misspelling.
const QUERIES: &[&str] = &[
    "rollout plan",
    "invoice",
    "budget review",
    "partner program",
    "workshop",
    "contract renewal",
    "lunch friday",
    "integration sandbox",
    "photos from barcelona",
    "birthday",
    "pilot results",
    "thanks for pulling this together",
    "quarterly numbers",
    "intgration",
    "logo and a short description",
    "kickoff",
    "travel",
    "offsite agenda",
    "support",
    "dinner",
];

fn main() {
    let messages: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(175_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(messages));
}

fn ms(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((sorted.len() as f64) * p).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

async fn run(messages: usize) {
    let temporary = tempfile::tempdir().expect("a temporary directory");
    let kept = std::env::var_os("KINDRED_BENCH_DIR").map(std::path::PathBuf::from);
    let dir = kept.clone().unwrap_or_else(|| temporary.path().to_owned());
    let secrets: Box<dyn SecretStore> = match &kept {
        Some(dir) => Box::new(FileStore::new(dir.join("secrets.json"))),
        None => Box::new(MemoryStore::default()),
    };
    let config = Config {
        data_dir: dir.join("data"),
        secrets,
    };
    let kindred = Kindred::open(&config).await.expect("a store");
    let stored = usize::try_from(kindred.stats().await.expect("stats").messages).unwrap_or(0);
    if stored < messages {
        let started = Instant::now();
        kindred
            .load_sample(Some(messages), &|_| {})
            .await
            .expect("the sample imports");
        println!(
            "store: {messages} messages generated and imported in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("store: {stored} messages kept in {}", dir.display());
    }

    embedding(&config).await;

    let started = Instant::now();
    let indexed = kindred
        .index_messages(config.secrets.as_ref(), &|_| {})
        .await
        .expect("indexing")
        .messages;
    let chunks = chunk_count(&config).await;
    if indexed > 0 {
        println!(
            "indexing (clean, chunk, embed, FTS and vec0 writes): {indexed} messages, {chunks} chunks in {:.1} s ({:.0} chunks/s)",
            started.elapsed().as_secs_f64(),
            chunks as f64 / started.elapsed().as_secs_f64()
        );
    }

    let mut times = Vec::new();
    for round in 0..10 {
        for query in QUERIES {
            let request = SearchRequest {
                query: (*query).to_owned(),
                person: None,
                from: None,
                to: None,
                limit: 20,
            };
            let started = Instant::now();
            let results = kindred
                .search_hybrid(config.secrets.as_ref(), &request)
                .await
                .expect("search");
            assert!(results.vectors.used, "{query}: {:?}", results.vectors);
            let hits = results.hits;
            let elapsed = started.elapsed();
            if round > 0 {
                times.push(elapsed);
            } else if query == &QUERIES[0] {
                println!(
                    "first search after opening (reads the binary vectors into memory): {}",
                    ms(elapsed)
                );
            }
            assert!(
                !hits.is_empty() || *query == "intgration",
                "{query} finds something"
            );
        }
    }
    times.sort();
    println!(
        "hybrid search over {chunks} chunks, {} queries (first round not counted): p50 {}, p95 {}, max {}",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95)),
        ms(*times.last().expect("timings"))
    );

    passes(&config).await;
    first_token(&kindred, &config).await;
    kindred.close().await;
}

/// The local embedder alone, on one core, over the chunks of up to 20,000 messages.
async fn embedding(config: &Config) {
    let store = Store::open(&config.data_dir, config.secrets.as_ref())
        .await
        .expect("the store opens again");
    let bodies = store.unindexed_messages(20_000).await.expect("messages");
    store.close().await;
    if bodies.is_empty() {
        println!("local embedding: not measured, the kept store is indexed already");
        return;
    }
    let texts: Vec<String> = bodies
        .iter()
        .flat_map(|m| {
            chunk_body(&clean_body(&m.body))
                .into_iter()
                .map(move |chunk| format!("{}\n{}\n{chunk}", m.subject, m.sender))
        })
        .collect();
    let started = Instant::now();
    let mut checksum = 0f32;
    for text in &texts {
        checksum += embed_locally(text)[0];
    }
    let elapsed = started.elapsed();
    println!(
        "local embedding, one core: {} chunks in {} = {:.0} chunks/s (checksum {checksum:.3})",
        texts.len(),
        ms(elapsed),
        texts.len() as f64 / elapsed.as_secs_f64()
    );
}

async fn chunk_count(config: &Config) -> u64 {
    let store = Store::open(&config.data_dir, config.secrets.as_ref())
        .await
        .expect("the store opens again");
    let count = store.chunk_count().await.expect("a count");
    store.close().await;
    u64::try_from(count).unwrap_or(0)
}

/// The full-text pass alone, through the store: BM25 over the chunks, top 100, for the
/// query's words as hybrid search gives them (function words left out).
async fn passes(config: &Config) {
    let store = Store::open(&config.data_dir, config.secrets.as_ref())
        .await
        .expect("the store opens again");
    let filter = kindred_store::chunks::ChunkFilter::default();
    let mut text = Vec::new();
    let mut slowest = vec![Duration::ZERO; QUERIES.len()];
    for round in 0..6 {
        for (query, slowest) in QUERIES.iter().zip(&mut slowest) {
            let started = Instant::now();
            store
                .search_chunks_text(&search_words(query), 100, &filter)
                .await
                .expect("full-text pass");
            if round > 0 {
                text.push(started.elapsed());
                *slowest = (*slowest).max(started.elapsed());
            }
        }
    }
    store.close().await;
    text.sort();
    let mut by_query: Vec<(&str, Duration)> = QUERIES.iter().copied().zip(slowest).collect();
    by_query.sort_by_key(|(_, time)| std::cmp::Reverse(*time));
    let worst: Vec<String> = by_query
        .iter()
        .take(4)
        .map(|(query, time)| format!("{query:?} {}", ms(*time)))
        .collect();
    println!(
        "full-text pass alone: BM25 top 100 p50 {}, p95 {}; slowest: {}",
        ms(percentile(&text, 0.5)),
        ms(percentile(&text, 0.95)),
        worst.join(", ")
    );
}

/// From `ask` to the first streamed piece of text, against the fake LLM on 127.0.0.1
/// that answers at once: the engine's own work (settings, history, prompt, request) plus
/// one loopback HTTP exchange.
async fn first_token(kindred: &Kindred, config: &Config) {
    let fake = FakeLlm::start().expect("the fake LLM starts");
    fake.respond_with(|_| Reply::text("Dana introduced you at the Acme kickoff."));
    kindred
        .set_llm_settings(
            config.secrets.as_ref(),
            LlmSettingsUpdate {
                base_url: Some(fake.base_url()),
                model: Some(kindred_fakellm::MODEL.to_owned()),
                ..LlmSettingsUpdate::default()
            },
        )
        .await
        .expect("settings");
    let mut times = Vec::new();
    let mut conversation = None;
    for round in 0..51 {
        let first: Mutex<Option<Duration>> = Mutex::new(None);
        let started = Instant::now();
        let answer = kindred
            .ask(
                config.secrets.as_ref(),
                &AskRequest {
                    question: "Who introduced me to Acme?".to_owned(),
                    conversation,
                    confirm: false,
                },
                &mut |_| {
                    let mut first = first.lock().expect("a lock");
                    first.get_or_insert_with(|| started.elapsed());
                },
            )
            .await
            .expect("an answer");
        conversation = Some(answer.conversation_id);
        if round > 0 {
            times.push(first.into_inner().expect("a lock").expect("a token"));
        }
    }
    times.sort();
    println!(
        "first streamed token (engine + loopback HTTP, fake answers at once), {} asks in one conversation: p50 {}, p95 {}",
        times.len(),
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.95))
    );
}
