//! Retrieval evaluation: recall@5 of full-text search alone, vectors alone and hybrid
//! search over the questions the sample generator plants with the messages that answer
//! them (see `kindred_sources::sample::SampleQuestion`).
//!
//! `cargo bench --workspace --bench recall [-- MESSAGES]` (default: the bundled sample,
//! 5,000 messages).

use std::time::Instant;

use kindred_api::{Config, Kindred};
use kindred_store::secrets::MemoryStore;

fn main() {
    let messages: Option<usize> = std::env::args().skip(1).find_map(|arg| arg.parse().ok());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let config = Config {
            data_dir: dir.path().join("data"),
            secrets: Box::new(MemoryStore::default()),
        };
        let kindred = Kindred::open(&config).await.expect("a store");
        let summary = kindred
            .load_sample(messages, &|_| {})
            .await
            .expect("the sample imports");
        kindred
            .index_messages(config.secrets.as_ref(), &|_| {})
            .await
            .expect("indexing");
        let started = Instant::now();
        let evaluation = kindred
            .evaluate_retrieval(config.secrets.as_ref(), messages)
            .await
            .expect("the evaluation");
        println!(
            "recall@5 over {} planted questions on the sample of {} messages ({:.1} s): full-text alone {:.3}, vectors alone {:.3}, hybrid {:.3}",
            evaluation.questions,
            summary.imported.messages,
            started.elapsed().as_secs_f64(),
            evaluation.text,
            evaluation.vectors,
            evaluation.hybrid
        );
        kindred.close().await;
    });
}
