//! The sequence of progress events an import emits, as a UI would collect them.

use std::sync::Mutex;

use chrono::{TimeZone, Utc};
use kindred_api::{ImportProgress, ImportRequest};

use crate::support::open;

#[tokio::test]
async fn an_import_reports_start_each_source_monotonic_progress_and_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let end = Utc.with_ymd_and_hms(2026, 1, 15, 12, 0, 0).unwrap();
    let paths =
        kindred_api::write_sample_files(&dir.path().join("files"), Some(5_000), end).unwrap();
    let kindred = open(dir.path()).await;
    let events = Mutex::new(Vec::new());
    let request = ImportRequest {
        paths: paths.clone(),
        me: Vec::new(),
    };
    let summary = kindred
        .import(request, &|event| events.lock().unwrap().push(event))
        .await
        .unwrap();
    let events = events.into_inner().unwrap();

    assert_eq!(
        events.first(),
        Some(&ImportProgress::Started { sources: 2 }),
        "an import starts by saying how many sources it found"
    );
    assert_eq!(
        events.last(),
        Some(&ImportProgress::Finished {
            summary: summary.clone()
        }),
        "and ends with the summary it returns"
    );
    let sources: Vec<&String> = events
        .iter()
        .filter_map(|e| match e {
            ImportProgress::Source { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    assert_eq!(sources.len(), 2, "each source is announced once");
    let mut last = (0, 0);
    let mut progress_events = 0;
    for event in &events {
        if let ImportProgress::Progress {
            bytes_done,
            bytes_total,
            messages,
            ..
        } = event
        {
            progress_events += 1;
            assert!(bytes_done <= bytes_total, "{event:?}");
            assert!(
                *messages >= last.1,
                "message counts never go back: {event:?}"
            );
            last = (*bytes_done, *messages);
        }
    }
    assert!(
        progress_events >= 3,
        "5,000 messages report progress in several batches"
    );
    assert_eq!(
        last.1, summary.imported.messages,
        "the last progress is the total"
    );
    assert!(summary.imported.messages > 4_000 && summary.imported.events > 0);

    let stats = kindred.stats().await.unwrap();
    assert_eq!(stats.messages, summary.imported.messages);
    kindred.close().await;
}
