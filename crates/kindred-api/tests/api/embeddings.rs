//! Retrieval with the configured endpoint's embeddings model, against the fake LLM on
//! 127.0.0.1: chunks embedded in batches through `/v1/embeddings` and the question too; a
//! 429 retried; a malformed reply a clear error that writes nothing of its batch; vectors
//! of one model never compared with another's — a change of model means search by words
//! alone, saying so, until re-indexing has rebuilt them; the job retries a failing
//! endpoint with backoff.

use std::sync::Arc;
use std::time::Duration;

use kindred_api::jobs::{JobEvent, JobHandlers, RunnerOptions};
use kindred_api::{
    register_index_job, IndexReport, Kindred, LlmSettingsUpdate, SearchRequest, SearchResults,
    INDEX_JOB,
};
use kindred_fakellm::{FakeLlm, Reply, EMBEDDINGS_MODEL, MODEL};
use kindred_store::jobs::Backoff;
use kindred_store::secrets::MemoryStore;

use crate::support::{dana_to_robin, import_mbox, open_kept, run_until_one_finishes, store_of};

/// A mailbox of `count` weekly reports and two messages to find.
fn mailbox(count: u32, month: &str) -> String {
    let message = |day: u32, subject: &str, body: &str| dana_to_robin(day, month, subject, body);
    let mut mail: String = (0..count)
        .map(|n| {
            message(
                1 + n / 10,
                &format!("Weekly metrics {month} {n:03}"),
                "Numbers of the week attached.",
            )
        })
        .collect();
    mail.push_str(&message(
        27,
        &format!("Harpsichord recital {month}"),
        "The harpsichord recital is on Sunday at the chapel.",
    ));
    mail.push_str(&message(
        28,
        &format!("Quarterly invoice {month}"),
        "The invoice for the Acme account is attached.",
    ));
    mail
}

struct Setup {
    _dir: tempfile::TempDir,
    dir: std::path::PathBuf,
    kindred: Arc<Kindred>,
    secrets: MemoryStore,
    fake: FakeLlm,
}

impl Setup {
    async fn new(dimensions: usize) -> Self {
        let temporary = tempfile::tempdir().unwrap();
        let dir = temporary.path().to_owned();
        let kindred = open_kept(&dir).await;
        let fake = FakeLlm::start().unwrap();
        fake.set_dimensions(dimensions);
        let setup = Self {
            _dir: temporary,
            dir,
            kindred: Arc::new(kindred),
            secrets: MemoryStore::default(),
            fake,
        };
        setup.embeddings_model(EMBEDDINGS_MODEL).await;
        setup
    }

    async fn embeddings_model(&self, model: &str) {
        self.kindred
            .set_llm_settings(
                &self.secrets,
                LlmSettingsUpdate {
                    base_url: Some(self.fake.base_url()),
                    model: Some(MODEL.to_owned()),
                    embeddings_model: Some(model.to_owned()),
                    ..LlmSettingsUpdate::default()
                },
            )
            .await
            .unwrap();
    }

    async fn import(&self, name: &str, mail: &str) {
        import_mbox(
            &self.kindred,
            &self.dir,
            name,
            mail,
            &["robin@vale.example"],
        )
        .await;
    }

    /// Indexes what is not yet, with the configured embeddings model.
    async fn index(&self) -> IndexReport {
        self.kindred
            .index_messages(&self.secrets, &|_| {})
            .await
            .unwrap()
    }

    async fn search(&self, query: &str) -> SearchResults {
        let request = SearchRequest {
            query: query.to_owned(),
            person: None,
            from: None,
            to: None,
            limit: 3,
        };
        self.kindred
            .search_hybrid(&self.secrets, &request)
            .await
            .unwrap()
    }
}

/// What the search says of its vectors, if anything.
fn note(results: &SearchResults) -> &str {
    results.vectors.note.as_deref().unwrap_or_default()
}

fn subjects(results: &SearchResults) -> Vec<(String, String)> {
    results
        .hits
        .iter()
        .map(|hit| (hit.subject.clone(), hit.matched_by.clone()))
        .collect()
}

#[tokio::test]
async fn chunks_and_questions_are_embedded_by_the_endpoint_in_batches_and_a_429_is_retried() {
    let setup = Setup::new(60).await;
    setup.import("mar.mbox", &mailbox(98, "Mar")).await;
    setup.fake.push_embeddings(Reply::rate_limited(1));
    let report = setup
        .kindred
        .index_messages(&setup.secrets, &|_| {})
        .await
        .expect("a 429 is retried");
    assert_eq!(
        (
            report.messages,
            report.embedded,
            report.model.as_str(),
            report.complete
        ),
        (100, 100, EMBEDDINGS_MODEL, true)
    );
    let requests = setup.fake.embeddings_requests();
    let sizes: Vec<usize> = requests
        .iter()
        .map(|request| request.body["input"].as_array().unwrap().len())
        .collect();
    assert_eq!(
        sizes,
        [64, 64, 36],
        "the refused batch again after the 429, then the rest, at most 64 texts a request"
    );
    assert!(requests
        .iter()
        .all(|request| request.body["model"] == EMBEDDINGS_MODEL));

    // No message holds both words, so only vectors find the recital: the endpoint's
    // vectors (60 dimensions, 64 bits), compared with the question's, embedded there too.
    let results = setup.search("harpsichord zeppelin").await;
    assert!(results.vectors.used, "{:?}", results.vectors);
    assert_eq!(results.vectors.model, EMBEDDINGS_MODEL);
    assert_eq!(results.vectors.note, None);
    assert_eq!(
        subjects(&results).first(),
        Some(&("Harpsichord recital Mar".to_owned(), "vector".to_owned()))
    );
    let last = setup.fake.embeddings_requests().pop().unwrap();
    assert_eq!(
        last.body["input"],
        serde_json::json!(["harpsichord zeppelin"]),
        "the question is embedded by the endpoint"
    );
    setup.kindred.close().await;
}

#[tokio::test]
async fn a_malformed_reply_is_a_clear_error_that_writes_nothing_of_its_batch() {
    let setup = Setup::new(48).await;
    setup.import("mar.mbox", &mailbox(98, "Mar")).await;
    setup
        .fake
        .push_embeddings(Reply::text("the first batch, answered"));
    setup.fake.push_embeddings(Reply::Malformed);
    let progress = std::sync::Mutex::new(Vec::new());
    let error = setup
        .kindred
        .index_messages(&setup.secrets, &|at| {
            progress.lock().unwrap().push((at.stage, at.indexed));
        })
        .await
        .unwrap_err();
    assert!(
        error.message.contains("not an OpenAI-compatible answer")
            && error.message.contains(&setup.fake.base_url()),
        "the error names the endpoint and what was wrong: {}",
        error.message
    );
    assert_eq!(
        progress.into_inner().unwrap().last(),
        Some(&("embedding".to_owned(), 64)),
        "the first batch was written, the second not"
    );
    let results = setup.search("invoice").await;
    assert!(!results.vectors.used, "half a model's vectors are not used");
    assert!(
        note(&results).contains("do not cover every message"),
        "{:?}",
        results.vectors
    );
    assert_eq!(
        subjects(&results),
        [("Quarterly invoice Mar".to_owned(), "text".to_owned())],
        "search goes on by words"
    );
    let report = setup.index().await;
    assert_eq!(
        (report.embedded, report.complete),
        (36, true),
        "indexing again resumes after the batch written"
    );
    assert!(setup.search("invoice").await.vectors.used);

    // With the index complete, new mail the endpoint fails to embed leaves the old
    // vectors in use; the newest mail is found by its words meanwhile.
    setup.import("apr.mbox", &mailbox(3, "Apr")).await;
    setup.fake.push_embeddings(Reply::Malformed);
    let results = setup.search("harpsichord recital").await;
    assert!(results.vectors.used, "{:?}", results.vectors);
    assert!(
        note(&results).contains("newest mail has no vectors yet"),
        "{:?}",
        results.vectors
    );
    let found = subjects(&results);
    assert!(
        found.contains(&("Harpsichord recital Mar".to_owned(), "both".to_owned()))
            && found.contains(&("Harpsichord recital Apr".to_owned(), "text".to_owned())),
        "{found:?}"
    );
    setup.kindred.close().await;
}

#[tokio::test]
async fn another_model_means_search_by_words_alone_until_re_indexing_has_rebuilt_the_vectors() {
    let setup = Setup::new(32).await;
    setup.import("mar.mbox", &mailbox(20, "Mar")).await;
    setup.index().await;
    assert!(setup.search("harpsichord zeppelin").await.vectors.used);

    setup.embeddings_model("fake-embed-large").await;
    setup.fake.set_dimensions(96);
    let before = setup.fake.embeddings_requests().len();
    let results = setup.search("harpsichord zeppelin").await;
    assert!(!results.vectors.used);
    let note = note(&results);
    assert!(
        note.contains("made by fake-embed, not by the configured model fake-embed-large")
            && note.contains("kindred llm reindex"),
        "the search says why it is by words alone and what to do: {note}"
    );
    assert!(
        results.hits.is_empty(),
        "no message holds both words, and no vector of another model is compared"
    );
    assert_eq!(
        setup.fake.embeddings_requests().len(),
        before,
        "nothing is embedded by the new model at search time"
    );
    assert_eq!(
        subjects(&setup.search("harpsichord").await),
        [("Harpsichord recital Mar".to_owned(), "text".to_owned())]
    );

    let report = setup.index().await;
    assert_eq!(
        (report.embedded, report.model.as_str(), report.complete),
        (22, "fake-embed-large", true),
        "every chunk is embedded again by the new model"
    );
    let results = setup.search("harpsichord zeppelin").await;
    assert!(results.vectors.used, "{:?}", results.vectors);
    assert_eq!(
        subjects(&results).first(),
        Some(&("Harpsichord recital Mar".to_owned(), "vector".to_owned()))
    );

    // Back to the local embedder (no embeddings model): the same again.
    setup.embeddings_model("").await;
    let results = setup.search("harpsichord").await;
    assert!(!results.vectors.used);
    assert_eq!(results.vectors.model, "local");
    let report = setup.index().await;
    assert_eq!((report.embedded, report.model.as_str()), (22, "local"));
    assert!(setup.search("harpsicord").await.vectors.used);
    setup.kindred.close().await;
}

#[tokio::test]
async fn the_indexing_job_retries_a_failing_endpoint_with_backoff() {
    let setup = Setup::new(16).await;
    setup.import("mar.mbox", &mailbox(8, "Mar")).await;
    // The provider's own three retries, then the job's.
    for _ in 0..4 {
        setup.fake.push_embeddings(Reply::server_error(503));
    }
    let owner = Arc::new((Arc::clone(&setup.kindred), MemoryStore::default()));
    let handlers = register_index_job(
        JobHandlers::new(),
        &owner,
        |(kindred, secrets)| (&**kindred, secrets),
        |_| {},
    );
    // The import queued the indexing.
    let store = store_of(&setup.kindred).await;
    let options = RunnerOptions {
        backoff: Backoff {
            base: Duration::from_millis(50),
            cap: Duration::from_millis(200),
        },
        ..RunnerOptions::default()
    };
    let events = run_until_one_finishes(&store, handlers, &options, INDEX_JOB).await;
    let retried = events
        .iter()
        .filter_map(|event| match event {
            JobEvent::Retrying { kind, error, .. } if kind == INDEX_JOB => Some(error),
            _ => None,
        })
        .next_back()
        .expect("the job was retried after the endpoint failed");
    assert!(retried.contains("503"), "{retried}");
    store.close().await;
    assert!(setup.search("harpsichord zeppelin").await.vectors.used);
    setup.kindred.close().await;
}

#[tokio::test]
async fn a_search_after_a_large_import_embeds_a_few_batches_through_the_endpoint_and_says_so() {
    let setup = Setup::new(24).await;
    setup.import("mar.mbox", &mailbox(8, "Mar")).await;
    setup.index().await;
    setup.import("apr.mbox", &mailbox(198, "Apr")).await;
    let before = setup.fake.embeddings_requests().len();
    let results = setup.search("harpsichord zeppelin").await;
    assert!(results.vectors.used, "{:?}", results.vectors);
    assert!(
        note(&results).contains("some of the newest mail has no vectors yet"),
        "{:?}",
        results.vectors
    );
    assert_eq!(
        setup.fake.embeddings_requests().len() - before,
        3,
        "two batches of new chunks, then the question"
    );
    let report = setup.index().await;
    assert_eq!(
        (report.embedded, report.complete),
        (200 - 128, true),
        "the rest is left to indexing"
    );
    let results = setup.search("harpsichord zeppelin").await;
    assert_eq!(results.vectors.note, None, "{:?}", results.vectors);
    setup.kindred.close().await;
}
