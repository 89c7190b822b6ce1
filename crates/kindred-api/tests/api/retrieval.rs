//! Hybrid search's nearest-neighbour pass runs over the chunks' binary vectors held in
//! memory: they are the bits sqlite-vec stores, they follow new mail, and a deletion
//! (whose chunk ids may then be given to other chunks) makes them be read again.

use chrono::{TimeZone, Utc};
use kindred_ai::retrieval::embed_locally;
use kindred_ai::vectors::sign_bits;
use kindred_api::{ErrorCode, Kindred, SearchRequest};
use kindred_store::chunks::{ChunkOf, NewChunk, VectorBatch};
use kindred_store::secrets::MemoryStore;

use crate::support::{dana_to_robin, import_mbox, open_kept, store_of};

async fn import(kindred: &Kindred, dir: &std::path::Path, name: &str, mail: &str) {
    import_mbox(kindred, dir, name, mail, &["robin@vale.example"]).await;
}

async fn best(kindred: &Kindred, query: &str) -> Option<(String, String)> {
    let request = SearchRequest {
        query: query.to_owned(),
        person: None,
        from: None,
        to: None,
        limit: 1,
    };
    let results = kindred
        .search_hybrid(&MemoryStore::default(), &request)
        .await
        .unwrap();
    assert!(
        results.vectors.used && results.vectors.note.is_none(),
        "the local embedder's vectors are used: {:?}",
        results.vectors
    );
    results
        .hits
        .first()
        .map(|hit| (hit.subject.clone(), hit.matched_by.clone()))
}

/// `count` messages alike but for their time in `month`, with one chunk each.
fn alike(month: &str, count: u32) -> String {
    (0..count)
        .map(|n| {
            dana_to_robin(
                1 + n / 60,
                month,
                &format!("Weekly metrics report at {:02}", n % 60),
                "Numbers of the week attached.",
            )
        })
        .collect()
}

#[tokio::test]
async fn the_vectors_in_memory_follow_new_mail_and_are_read_again_after_a_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    let march = [
        dana_to_robin(
            1,
            "Feb",
            "Quarterly invoice",
            "The invoice for the Acme account.",
        ),
        dana_to_robin(
            2,
            "Feb",
            "Offsite agenda",
            "Roadmap and budget for the offsite.",
        ),
        alike("Mar", 148),
    ]
    .concat();
    import(&kindred, dir.path(), "march.mbox", &march).await;
    assert_eq!(
        best(&kindred, "invoce").await,
        Some(("Quarterly invoice".to_owned(), "vector".to_owned())),
        "a misspelling is found by likeness alone"
    );
    import(
        &kindred,
        dir.path(),
        "april.mbox",
        &dana_to_robin(7, "Apr", "Kangaroo sighting", "A kangaroo in the car park."),
    )
    .await;
    assert_eq!(
        best(&kindred, "kangeroo").await,
        Some(("Kangaroo sighting".to_owned(), "vector".to_owned())),
        "a chunk added after the vectors were read is among them at the next search"
    );

    kindred.set_evidence_retention_days(Some(30)).await.unwrap();
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    let pass = kindred.apply_retention(now).await.unwrap();
    assert_eq!(
        pass.messages_deleted, 151,
        "every message is older than 30 days"
    );
    // The store starts its ids again: the new chunks take the deleted ones' ids, up to the
    // same highest id. The first pass keeps 100 of the 151 by their bits, so bits still
    // held for the deleted texts would leave the recital's chunk (id 150) out: its old bits
    // are a weekly report's, no nearer the query than the hundred reports before it.
    import(
        &kindred,
        dir.path(),
        "may.mbox",
        &[
            alike("Apr", 149),
            dana_to_robin(
                20,
                "May",
                "Harpsichord recital",
                "The harpsichord recital is on Sunday.",
            ),
            dana_to_robin(
                21,
                "May",
                "Weekly metrics report",
                "Numbers of the week attached.",
            ),
        ]
        .concat(),
    )
    .await;
    assert_eq!(
        best(&kindred, "harpsicord").await,
        Some(("Harpsichord recital".to_owned(), "vector".to_owned())),
        "after a deletion the vectors are read again, not matched by their old texts"
    );
    assert_ne!(
        best(&kindred, "invoce").await.map(|(subject, _)| subject),
        Some("Quarterly invoice".to_owned()),
        "deleted chunks are gone"
    );
    kindred.close().await;
}

#[tokio::test]
async fn the_bits_in_memory_are_the_bits_sqlite_vec_stores() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    import(
        &kindred,
        dir.path(),
        "one.mbox",
        &dana_to_robin(
            3,
            "Mar",
            "Quarterly invoice",
            "Only here to give the chunk a message.",
        ),
    )
    .await;
    kindred.close().await;
    let store = store_of(&kindred).await;
    let message_id = store.unindexed_messages(1).await.unwrap()[0].id;
    // More than one of vec0's blocks (1,024 vectors each), and a text without words.
    let texts: Vec<String> = (0..1100)
        .map(|n| match n {
            7 => String::new(),
            _ => format!("chunk {n} about ünïcödé topic {}", n % 7),
        })
        .collect();
    let chunks: Vec<NewChunk> = (0..)
        .zip(&texts)
        .map(|(ord, text)| NewChunk {
            of: ChunkOf::Message(message_id),
            ord,
            subject: String::new(),
            sender: String::new(),
            body: text.clone(),
            at: 0,
        })
        .collect();
    store.insert_chunks(&chunks).await.unwrap();
    let ids: Vec<i64> = store
        .chunks_after(0, 2000)
        .await
        .unwrap()
        .iter()
        .map(|chunk| chunk.id)
        .collect();
    let vectors: Vec<(i64, Vec<f32>)> = ids
        .iter()
        .zip(&texts)
        .map(|(id, text)| (*id, embed_locally(text).to_vec()))
        .collect();
    assert!(store
        .write_vectors(&VectorBatch {
            model: "local",
            after: 0,
            through: ids[ids.len() - 1],
            vectors: &vectors,
        })
        .await
        .unwrap());
    let mut stored = store.chunk_bits_after(0, 32).await.unwrap();
    stored.sort();
    assert_eq!(stored.len(), texts.len(), "every chunk is read once");
    for ((_, bits), ((_, vector), chunk)) in stored.iter().zip(vectors.iter().zip(&chunks)) {
        assert_eq!(
            bits.as_slice(),
            sign_bits(vector).as_slice(),
            "vec_quantize_binary and sign_bits agree on {:?}",
            chunk.body
        );
    }
    let mut after = store.chunk_bits_after(stored[999].0, 32).await.unwrap();
    after.sort();
    assert_eq!(
        after,
        stored[1000..],
        "the ones added since are read alone, through vec0, as its blocks hold them"
    );
    store.close().await;
}

#[tokio::test]
async fn on_the_sample_hybrid_search_recalls_at_least_as_well_as_either_pass_alone() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    let error = kindred
        .evaluate_retrieval(&MemoryStore::default(), None)
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(
        error.message.contains("kindred sample"),
        "{}",
        error.message
    );

    kindred.load_sample(Some(1200), &|_| {}).await.unwrap();
    let evaluation = kindred
        .evaluate_retrieval(&MemoryStore::default(), Some(1200))
        .await
        .unwrap();
    assert!(
        evaluation.questions >= 100,
        "the generator plants a question about most threads of a small sample: {evaluation:?}"
    );
    assert!(
        evaluation.text > 0.0 && evaluation.vectors > 0.0,
        "each pass alone answers some: {evaluation:?}"
    );
    assert!(
        evaluation.hybrid >= evaluation.text && evaluation.hybrid >= evaluation.vectors,
        "hybrid search recalls at least as well as either pass alone: {evaluation:?}"
    );
    kindred.close().await;
}

/// The progress (stage, indexed, total) of indexing 300 messages of one chunk each: a
/// batch of 256 chunked, then the rest, then every chunk embedded, then done.
fn indexing_300_steps() -> Vec<(String, u64, u64)> {
    [
        ("chunking", 256),
        ("chunking", 300),
        ("embedding", 300),
        ("done", 300),
    ]
    .into_iter()
    .map(|(stage, indexed)| (stage.to_owned(), indexed, 300))
    .collect()
}

#[tokio::test]
async fn an_import_queues_indexing_which_the_job_runner_does_with_progress() {
    use crate::support::run_until_one_finishes;
    use kindred_api::jobs::{JobHandlers, RunnerOptions};
    use kindred_api::{register_index_job, INDEX_JOB};
    use std::sync::Arc;
    use tokio::sync::mpsc::unbounded_channel;

    let dir = tempfile::tempdir().unwrap();
    let kindred = Arc::new(open_kept(dir.path()).await);
    import(&kindred, dir.path(), "march.mbox", &alike("Mar", 300)).await;
    let store = store_of(&kindred).await;
    assert_eq!(store.unindexed_count().await.unwrap(), 300);
    let (progress_sender, mut progress) = unbounded_channel();
    let owner = Arc::new((Arc::clone(&kindred), MemoryStore::default()));
    let handlers = register_index_job(
        JobHandlers::new(),
        &owner,
        |(kindred, secrets)| (&**kindred, secrets),
        move |at| {
            let _ = progress_sender.send(at);
        },
    );
    run_until_one_finishes(&store, handlers, &RunnerOptions::default(), INDEX_JOB).await;
    let mut seen = Vec::new();
    while let Ok(at) = progress.try_recv() {
        assert_eq!(at.model, "local");
        seen.push((at.stage, at.indexed, at.total));
    }
    assert_eq!(
        seen,
        indexing_300_steps(),
        "progress after each batch, up to every message imported, then every chunk embedded"
    );
    assert_eq!(store.unindexed_count().await.unwrap(), 0);
    assert_eq!(store.chunk_count().await.unwrap(), 300, "one chunk each");
    store.close().await;
    kindred.close().await;
}

/// Imports the calendar of one event at St Mary's chapel, `title` with Dana attending and
/// its status `status`: the rehearsal's, again and again as it changes.
async fn import_rehearsal(kindred: &Kindred, dir: &std::path::Path, title: &str, status: &str) {
    let calendar = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:rehearsal-1\r\n\
         DTSTART:20250320T180000Z\r\nDTEND:20250320T200000Z\r\nSUMMARY:{title}\r\n\
         DESCRIPTION:Bring the Bach partita scores.\r\nLOCATION:St Mary's chapel\r\n\
         STATUS:{status}\r\nORGANIZER;CN=Robin Vale:mailto:robin@vale.example\r\n\
         ATTENDEE;CN=Dana Reyes;PARTSTAT=ACCEPTED:mailto:dana@acme.example\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    import(kindred, dir, "rehearsal.ics", &calendar).await;
}

/// Imports the harpsichord rehearsal, confirmed; returns the event's id.
async fn rehearsal(kindred: &Kindred, dir: &std::path::Path) -> i64 {
    import_rehearsal(kindred, dir, "Harpsichord rehearsal", "CONFIRMED").await;
    kindred
        .events(&kindred_api::EventsFilter::default())
        .await
        .unwrap()[0]
        .id
}

async fn search(kindred: &Kindred, query: &str, person: Option<&str>) -> Vec<(String, String)> {
    let request = SearchRequest {
        query: query.to_owned(),
        person: person.map(str::to_owned),
        from: None,
        to: None,
        limit: 5,
    };
    kindred
        .search_hybrid(&MemoryStore::default(), &request)
        .await
        .unwrap()
        .hits
        .into_iter()
        .map(|hit| {
            let id = hit.event_id.map_or_else(
                || format!("message {:?}", hit.message_id),
                |id| format!("event {id}"),
            );
            (
                format!("{}: {}", hit.kind, hit.subject),
                format!("{id} {}", hit.matched_by),
            )
        })
        .collect()
}

#[tokio::test]
async fn events_are_chunks_that_follow_their_changes_and_deletion() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    import(
        &kindred,
        dir.path(),
        "mail.mbox",
        &[
            dana_to_robin(
                3,
                "Mar",
                "Quarterly invoice",
                "The invoice for the Acme account.",
            ),
            dana_to_robin(4, "Mar", "Chapel", "The chapel is booked.").replace(
                "Dana Reyes <dana@acme.example>",
                "Lee Park <lee@globex.example>",
            ),
        ]
        .concat(),
    )
    .await;
    let id = rehearsal(&kindred, dir.path()).await;
    let event = |matched_by: &str| {
        (
            "event: Harpsichord rehearsal".to_owned(),
            format!("event {id} {matched_by}"),
        )
    };
    assert!(
        search(&kindred, "chapel", None)
            .await
            .contains(&event("both")),
        "the place is in the event's chunk"
    );
    assert_eq!(
        search(&kindred, "partita", None).await,
        [event("both")],
        "and the description"
    );
    let dana = search(&kindred, "Reyes", Some("dana@acme.example")).await;
    assert!(
        dana.contains(&event("both")) && dana.len() == 2,
        "and the attendees' names; a person's events are theirs in a filter: {dana:?}"
    );
    assert_eq!(
        search(&kindred, "harpsicord", None).await,
        [event("vector")],
        "a misspelling finds it by likeness"
    );
    assert_eq!(
        search(&kindred, "chapel", Some("lee@globex.example"))
            .await
            .iter()
            .map(|(subject, _)| subject.as_str())
            .collect::<Vec<_>>(),
        ["message: Chapel"],
        "someone who does not attend filters it out"
    );

    import_rehearsal(&kindred, dir.path(), "Organ recital", "CONFIRMED").await;
    assert_eq!(
        search(&kindred, "organ recital", None).await,
        [(
            "event: Organ recital".to_owned(),
            format!("event {id} both")
        )],
        "a changed event is found by its new title"
    );
    assert!(
        search(&kindred, "harpsichord", None).await.is_empty(),
        "and no more by its old one"
    );

    import_rehearsal(&kindred, dir.path(), "Organ recital", "CANCELLED").await;
    assert!(
        search(&kindred, "organ recital", None).await.is_empty(),
        "a cancelled event is not found"
    );
    import_rehearsal(&kindred, dir.path(), "Organ recital", "CONFIRMED").await;
    assert_eq!(search(&kindred, "organ", None).await.len(), 1);

    kindred.set_evidence_retention_days(Some(30)).await.unwrap();
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 0, 0, 0).unwrap();
    kindred.apply_retention(now).await.unwrap();
    assert!(
        search(&kindred, "organ", None).await.is_empty(),
        "a deleted event's chunk goes with it"
    );
    kindred.close().await;
}

#[tokio::test]
async fn the_assistants_search_events_finds_an_imported_event_by_its_chunks_and_cites_it() {
    use crate::support::use_fake_llm;
    use kindred_api::AskRequest;
    use kindred_fakellm::{FakeLlm, Reply};

    let dir = tempfile::tempdir().unwrap();
    let kindred = open_kept(dir.path()).await;
    let id = rehearsal(&kindred, dir.path()).await;
    let secrets = MemoryStore::default();
    let fake = FakeLlm::start().unwrap();
    use_fake_llm(&kindred, &secrets, &fake).await;
    // By the attendee and a misspelled word of the description: neither is in the
    // title, and the description holds "partita", not "partitta".
    fake.push(Reply::tool_call(
        "search_events",
        &serde_json::json!({"query": "Reyes partitta"}),
    ));
    fake.push(Reply::text(format!(
        "The rehearsal is on 20 March at St Mary's chapel [event:{id}]."
    )));
    let answer = kindred
        .ask(
            &secrets,
            &AskRequest {
                question: "When do I rehearse with Dana?".to_owned(),
                conversation: None,
                confirm: false,
            },
            &mut |_| {},
        )
        .await
        .unwrap();
    let requests = fake.chat_requests();
    let tool_output = requests[1]
        .messages()
        .iter()
        .rev()
        .find(|message| message["role"] == "tool")
        .and_then(|message| message["content"].as_str().map(str::to_owned))
        .unwrap_or_default();
    assert!(
        tool_output.contains(&format!("[event:{id}]"))
            && tool_output.contains("Harpsichord rehearsal")
            && tool_output.contains("Dana Reyes"),
        "search_events found the event by its chunk: {tool_output}"
    );
    assert!(
        answer
            .citations
            .iter()
            .any(|citation| citation.kind == "event"
                && citation.id == id
                && citation.subject_or_title == "Harpsichord rehearsal"),
        "the answer cites the event: {:?}",
        answer.citations
    );
    kindred.close().await;
}

#[tokio::test]
async fn the_background_reports_the_indexing_jobs_progress_as_events() {
    use kindred_api::{Background, BackgroundEvent};
    use std::sync::Arc;

    let dir = tempfile::tempdir().unwrap();
    let kindred = Arc::new(open_kept(dir.path()).await);
    // The import queues the indexing job; the background's runner takes it at its start.
    import(&kindred, dir.path(), "march.mbox", &alike("Mar", 300)).await;
    let (sender, mut events) = tokio::sync::mpsc::unbounded_channel();
    let background = Background::start(
        Arc::clone(&kindred),
        Box::new(MemoryStore::default()),
        move |event| {
            if let BackgroundEvent::Indexing { progress } = event {
                let _ = sender.send((progress.stage, progress.indexed, progress.total));
            }
        },
    );
    let mut seen = Vec::new();
    while seen
        .last()
        .is_none_or(|(stage, _, _): &(String, u64, u64)| stage != "done")
    {
        let step = tokio::time::timeout(std::time::Duration::from_secs(60), events.recv())
            .await
            .expect("the indexing job reports within a minute")
            .unwrap();
        seen.push(step);
    }
    assert_eq!(
        seen,
        indexing_300_steps(),
        "the job's progress reaches the shells as background events"
    );
    background.shutdown().await;
    kindred.close().await;
}
