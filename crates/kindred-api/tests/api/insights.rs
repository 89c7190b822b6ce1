//! Insights kept up to date: a Kindred that keeps what it read (the evidence and the
//! directory of people) and takes in only what was added since ranks, groups and draws
//! exactly as a Kindred that reads everything afresh.

use std::path::Path;

use kindred_api::{Config, Kindred};

use crate::support::{import_mbox, in_memory};

/// An mbox of `messages`: (from, to, subject, day of March 2026).
fn mbox(messages: &[(&str, &str, &str, u32)]) -> String {
    let mut mbox = String::new();
    for (index, (from, to, subject, day)) in messages.iter().enumerate() {
        mbox.push_str(&format!(
            "From x@x Mon Mar  2 10:00:00 2026\nFrom: {from}\nTo: {to}\nSubject: {subject}\n\
             Message-ID: <kept-{subject}-{index}@test.example>\n\
             Date: {day} Mar 2026 10:00:00 +0000\n\nhello\n\n"
        ));
    }
    mbox
}

async fn import(kindred: &Kindred, dir: &Path, name: &str, text: &str) {
    import_mbox(kindred, dir, name, text, &[]).await;
}

/// What `kept` serves equals what a Kindred just opened computes from nothing (its
/// stored copies are in the store before they are cleared, so none is read back).
async fn assert_same_as_afresh(kept: &Kindred, config: &Config, step: &str) {
    let people = kept.people(10_000).await.unwrap();
    let organizations = kept.organizations(10_000).await.unwrap();
    let graph = kept.graph().await.unwrap();
    kept.insights_stored().await;
    let afresh = Kindred::open(config).await.unwrap();
    afresh.invalidate_insights().await.unwrap();
    assert_eq!(
        people,
        afresh.people(10_000).await.unwrap(),
        "{step}: people"
    );
    assert_eq!(
        organizations,
        afresh.organizations(10_000).await.unwrap(),
        "{step}: organisations"
    );
    assert_eq!(graph, afresh.graph().await.unwrap(), "{step}: graph");
    afresh.close().await;
}

const ME: &str = "Maya Lindqvist <maya.lindqvist@larkspur.example>";

#[tokio::test]
async fn a_kindred_that_keeps_what_it_read_ranks_as_one_that_reads_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let config = in_memory(dir.path());
    let kept = Kindred::open(&config).await.unwrap();
    kept.load_sample(Some(600), &|_| {}).await.unwrap();
    import(
        &kept,
        dir.path(),
        "dana.mbox",
        &mbox(&[
            ("Dana Smith <dana.smith@gmail.com>", ME, "plans", 2),
            (ME, "dana.smith@gmail.com", "plans", 3),
            ("kit.lee@gmail.com", ME, "tickets", 2),
            (ME, "kit.lee@gmail.com", "tickets", 3),
        ]),
    )
    .await;
    let before = kept.people(10_000).await.unwrap();
    kept.graph().await.unwrap();

    // New addresses only: a new person with an organisation, another address of Dana's
    // (the same Gmail account), which joins her, and one of Kit's, which names Kit.
    import(
        &kept,
        dir.path(),
        "new.mbox",
        &mbox(&[
            ("Newcomer <newcomer@fresh.example>", ME, "hello", 4),
            (ME, "newcomer@fresh.example", "hello", 5),
            ("d.ana.smith+lists@googlemail.com", ME, "more plans", 6),
            (ME, "d.ana.smith+lists@googlemail.com", "more plans", 7),
            ("Kit Lee <kitlee+travel@gmail.com>", ME, "seats", 6),
        ]),
    )
    .await;
    let people = kept.people(10_000).await.unwrap();
    assert_eq!(
        people.len(),
        before.len() + 1,
        "one new person, Dana stays one"
    );
    let dana = people
        .iter()
        .find(|p| p.emails.contains(&"dana.smith@gmail.com".to_owned()))
        .unwrap();
    assert_eq!(
        dana.emails,
        ["dana.smith@gmail.com", "d.ana.smith+lists@googlemail.com"]
    );
    assert_eq!((dana.sent, dana.received), (2, 2));
    let newcomer = people
        .iter()
        .find(|p| p.emails == ["newcomer@fresh.example"])
        .unwrap();
    assert_eq!(newcomer.organization.as_deref(), Some("fresh.example"));
    assert!(people
        .iter()
        .any(|p| p.name.as_deref() == Some("Kit Lee") && p.emails.len() == 2));
    assert_same_as_afresh(&kept, &config, "after new addresses").await;

    // A known address renamed: the directory is read again whole.
    import(
        &kept,
        dir.path(),
        "renamed.mbox",
        &mbox(&[("Dana Q. Smith <dana.smith@gmail.com>", ME, "news", 8)]),
    )
    .await;
    let people = kept.people(10_000).await.unwrap();
    assert!(people
        .iter()
        .any(|p| p.name.as_deref() == Some("Dana Q. Smith")));
    assert_same_as_afresh(&kept, &config, "after a rename").await;
    kept.close().await;
}
