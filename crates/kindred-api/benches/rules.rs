//! Rules benchmark: a dry run of 100 rules over a generated store (every message read and
//! matched against every rule), a dry run of one rule, what a rules pass spends on new
//! messages: reading them and matching them against 100 stored rules, and what a pass
//! spends looking at people for `person.new` / `person.fading` (the ranking cached).
//!
//! `cargo bench --workspace --bench rules [-- MESSAGES]` (default 100,000 messages). The
//! store is built once per run (a few minutes at 100,000) and the people ranking computed
//! before timing (a rule may test `person.rank`); each timing is the best of three.

use std::time::{Duration, Instant};

use kindred_api::{Config, Kindred};
use kindred_store::secrets::MemoryStore;

/// Words common in the sample's subjects.
const WORDS: [&str; 10] = [
    "update", "meeting", "plan", "review", "invoice", "lunch", "draft", "notes", "budget", "launch",
];

fn main() {
    let messages: usize = std::env::args()
        .skip(1)
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(run(messages));
}

async fn run(messages: usize) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let config = Config {
        data_dir: dir.path().join("data"),
        secrets: Box::new(MemoryStore::default()),
    };
    let kindred = Kindred::open(&config).await.expect("a store");
    let started = Instant::now();
    let imported = kindred
        .load_sample(Some(messages), &|_| {})
        .await
        .expect("the sample imports");
    let people = kindred.people(200).await.expect("people");
    println!(
        "store: {} messages, {} people, built and ranked in {:.0} s",
        imported.imported.messages,
        people.len(),
        started.elapsed().as_secs_f64()
    );

    let rules = rules(&people);
    let texts: Vec<&str> = rules.iter().map(String::as_str).collect();
    let dry_run = best_of_three(|| async {
        let started = Instant::now();
        kindred.dry_run_rules(&texts).await.expect("the dry run");
        started.elapsed()
    })
    .await;
    let firings: u64 = kindred
        .dry_run_rules(&texts)
        .await
        .expect("the dry run")
        .iter()
        .map(|report| report.would_fire)
        .sum();
    println!(
        "dry run of {} rules over {} messages: {} ({firings} firings)",
        texts.len(),
        imported.imported.messages,
        ms(dry_run)
    );

    let one_rule = best_of_three(|| async {
        let started = Instant::now();
        kindred
            .dry_run_rules(&texts[..1])
            .await
            .expect("the dry run");
        started.elapsed()
    })
    .await;
    println!(
        "a dry run of one rule (mostly reading the items): {}",
        ms(one_rule)
    );

    for text in &texts {
        kindred.add_rule(text).await.expect("the rule is valid");
    }
    let stats = kindred.stats().await.expect("stats");
    let step = (stats.messages / 100).max(1);
    let ids: Vec<i64> = (0..100)
        .map(|n| i64::try_from(1 + n * step).unwrap_or(i64::MAX))
        .collect();
    let together = best_of_three(|| async {
        let started = Instant::now();
        kindred
            .rules_matching_messages(&ids)
            .await
            .expect("matching");
        started.elapsed()
    })
    .await;
    println!(
        "a pass over {} new messages, read and matched against {} stored rules: {} ({:.2} ms \
         a message)",
        ids.len(),
        texts.len(),
        ms(together),
        together.as_secs_f64() * 1000.0 / ids.len() as f64
    );
    let alone = best_of_three(|| async {
        let started = Instant::now();
        kindred
            .rules_matching_messages(&ids[..1])
            .await
            .expect("matching");
        started.elapsed()
    })
    .await;
    println!(
        "a pass over one new message (rules and ranks loaded for it alone): {:.2} ms",
        alone.as_secs_f64() * 1000.0
    );

    // The people rules: the first pass takes the baseline, later ones compare with it.
    for text in ["when person.new then log", "when person.fading then log"] {
        kindred.add_rule(text).await.expect("the rule is valid");
    }
    let everyone = kindred.people(usize::MAX).await.expect("people");
    let started = Instant::now();
    kindred.evaluate_new_items().await.expect("the pass");
    let baseline = started.elapsed();
    let compare = best_of_three(|| async {
        let started = Instant::now();
        kindred.evaluate_new_items().await.expect("the pass");
        started.elapsed()
    })
    .await;
    println!(
        "a pass with person rules over {} ranked people ({} new, {} fading), ranking cached: \
         {} taking the baseline, {} comparing with it",
        everyone.len(),
        everyone.iter().filter(|p| p.new_this_period).count(),
        everyone.iter().filter(|p| p.fading).count(),
        ms(baseline),
        ms(compare)
    );
    kindred.close().await;
}

/// 100 rules of five shapes over the store's own people, domains and subject words.
fn rules(people: &[kindred_api::PersonSummary]) -> Vec<String> {
    (0..100)
        .map(|i| {
            let person = &people[i % people.len()];
            let email = &person.emails[0];
            let domain = email.rsplit_once('@').map_or("example.com", |(_, d)| d);
            let word = WORDS[i % WORDS.len()];
            match i % 5 {
                0 => format!(
                    "when message.received if from:{email} then create_task \
                     title=\"Reply to {{subject}}\" priority=high due=+2d"
                ),
                1 => format!(
                    "when message.received if domain:{domain} and has:attachment then notify"
                ),
                2 => format!("when message.received if subject~\"{word}\" then log"),
                3 => format!("when message.sent if to:*@{domain} then tag label=Followup"),
                _ => format!(
                    "when message.received if person.rank<={} and label:Important then \
                     webhook url=https://hooks.example/{i}",
                    5 + i % 40
                ),
            }
        })
        .collect()
}

async fn best_of_three<F, Fut>(mut run: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Duration>,
{
    let mut best = Duration::MAX;
    for _ in 0..3 {
        best = best.min(run().await);
    }
    best
}

fn ms(duration: Duration) -> String {
    format!("{:.0} ms", duration.as_secs_f64() * 1000.0)
}
