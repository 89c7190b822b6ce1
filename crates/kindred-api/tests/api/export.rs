//! Export: the progress a UI sees, and the round trip — what an export writes imports
//! into a fresh store as the same messages, events and people.

use std::sync::Mutex;

use kindred_api::{ExportPart, ExportProgress, ImportRequest, EXPORT_FILES};

use crate::support::{activity_of_kind, open};

#[tokio::test]
async fn an_export_reports_progress_and_imports_back_as_the_same_evidence_and_people() {
    let dir = tempfile::tempdir().unwrap();
    let original = open(&dir.path().join("original")).await;
    original.load_sample(Some(1_200), &|_| {}).await.unwrap();
    let before = original.stats().await.unwrap();

    let events = Mutex::new(Vec::new());
    let folder = dir.path().join("export");
    let summary = original
        .export(&folder, &|event| events.lock().unwrap().push(event))
        .await
        .unwrap();
    let events = events.into_inner().unwrap();
    assert!(
        matches!(events.first(), Some(ExportProgress::Started { messages, events, .. })
            if *messages == before.messages && *events == before.events),
        "an export starts by saying how much it will write: {:?}",
        events.first()
    );
    assert_eq!(
        events.last(),
        Some(&ExportProgress::Finished {
            summary: summary.clone()
        }),
        "and ends with the summary it returns"
    );
    let mut last_messages = 0;
    for event in &events {
        if let ExportProgress::Progress {
            part: ExportPart::Messages,
            done,
            total,
        } = event
        {
            assert!(*done >= last_messages, "message progress never goes back");
            assert!(done <= total, "{done} of {total}");
            last_messages = *done;
        }
    }
    assert_eq!(
        last_messages, before.messages,
        "progress reaches every message"
    );
    assert_eq!(summary.messages, before.messages);
    let recorded = activity_of_kind(&original, "export").await;
    assert_eq!(recorded.len(), 1, "the export is in the activity log");
    assert_eq!(summary.events, before.events);
    for name in EXPORT_FILES {
        assert!(folder.join(name).is_file(), "{name} is written");
    }
    let leftovers: Vec<_> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| !EXPORT_FILES.contains(&name.as_str()))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary file is left: {leftovers:?}"
    );

    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    let me: Vec<String> = manifest["me"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    assert!(!me.is_empty(), "the manifest names the person's addresses");

    let copy = open(&dir.path().join("copy")).await;
    let imported = copy
        .import(
            ImportRequest {
                paths: vec![folder.join("messages.mbox"), folder.join("events.ics")],
                me,
            },
            &|_| {},
        )
        .await
        .unwrap();
    assert!(imported.errors.is_empty(), "{:?}", imported.errors);
    assert_eq!(imported.duplicates, 0, "no two exported messages merge");
    let after = copy.stats().await.unwrap();
    assert_eq!(after.messages, before.messages, "every message comes back");
    assert_eq!(after.events, before.events, "every event comes back");
    assert_eq!(after.people, before.people, "the same people");
    assert_eq!(after.organizations, before.organizations);
    assert_eq!(after.first_message_at, before.first_message_at);
    assert_eq!(after.last_message_at, before.last_message_at);

    let ranked = |people: Vec<kindred_api::PersonSummary>| -> Vec<(Vec<String>, u64, u64, u64)> {
        people
            .into_iter()
            .map(|p| (p.emails, p.sent, p.received, p.meetings))
            .collect()
    };
    assert_eq!(
        ranked(copy.people(50).await.unwrap()),
        ranked(original.people(50).await.unwrap()),
        "the copy ranks the same people with the same counts: threads, replies and bulk \
         mail survived the export"
    );
    original.close().await;
    copy.close().await;
}

#[tokio::test]
async fn an_export_never_overwrites_an_earlier_one() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    kindred.load_sample(Some(50), &|_| {}).await.unwrap();
    let folder = dir.path().join("export");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("people.json"), "mine").unwrap();
    let error = kindred.export(&folder, &|_| {}).await.unwrap_err();
    assert_eq!(error.code, kindred_api::ErrorCode::InvalidInput);
    assert!(
        error.message.contains("people.json") && error.message.contains("already exists"),
        "the error names the file in the way: {}",
        error.message
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("people.json")).unwrap(),
        "mine"
    );
    assert!(
        !folder.join("messages.mbox").exists(),
        "nothing is written when the folder is not empty"
    );
    kindred.close().await;
}

#[tokio::test]
async fn a_failed_export_takes_back_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    kindred.load_sample(Some(50), &|_| {}).await.unwrap();
    let folder = dir.path().join("export");
    // A folder where the people file's temporary file would go: writing it fails after
    // the messages and events are written.
    std::fs::create_dir_all(folder.join(".people.vcf.partial")).unwrap();
    let error = kindred.export(&folder, &|_| {}).await.unwrap_err();
    assert_eq!(error.code, kindred_api::ErrorCode::Io);
    assert!(error.message.contains("people.vcf"), "{}", error.message);
    let left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        vec![".people.vcf.partial".to_owned()],
        "the messages and events written before the failure are removed again"
    );
    kindred.close().await;
}
