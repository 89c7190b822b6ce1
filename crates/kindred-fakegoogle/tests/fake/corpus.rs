//! A real mailbox from the shared Enron corpus, served whole.

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;
use kindred_fakegoogle::{FakeConfig, FakeGoogle};

use crate::support::get;

const OWNER: &str = "robert.badeer@enron.com";

#[tokio::test]
async fn enron_mailbox_is_listed_labelled_and_returned_byte_exact() {
    let Some(corpus) =
        kindred_testkit::corpus_dir("enron_mailbox_is_listed_labelled_and_returned_byte_exact")
    else {
        return;
    };
    let mbox = corpus.join("enron/badeer-r.mbox");
    if !mbox.is_file() {
        eprintln!(
            "enron corpus: {} not found; corpus check not run",
            mbox.display()
        );
        return;
    }
    let fake = FakeGoogle::start(FakeConfig::default())
        .await
        .expect("starts");
    fake.add_user(OWNER);
    let loaded = fake.load_mbox(OWNER, &mbox).expect("the mbox reads");
    assert_eq!(loaded, 877, "the README's message count");
    let (token, _) = fake.issue_tokens(OWNER);

    let mut labels = BTreeMap::new();
    for label in ["SENT", "INBOX"] {
        let (_, body) = get(
            &fake,
            &token,
            &format!("/gmail/v1/users/me/messages?labelIds={label}&maxResults=1"),
        )
        .await;
        labels.insert(
            label,
            body["resultSizeEstimate"].as_u64().expect("estimate"),
        );
    }
    assert_eq!(labels["SENT"], 193, "outgoing per the ground truth");
    assert_eq!(labels["INBOX"], 684, "incoming per the ground truth");

    let (_, first) = get(&fake, &token, "/gmail/v1/users/me/messages?maxResults=500").await;
    let next = first["nextPageToken"]
        .as_str()
        .expect("877 messages need two pages");
    let (_, second) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/messages?maxResults=500&pageToken={next}"),
    )
    .await;
    let listed = first["messages"].as_array().expect("page 1").len()
        + second["messages"].as_array().expect("page 2").len();
    assert_eq!(listed, 877);
    let newest = first["messages"][0]["id"].as_str().expect("id");
    let (_, raw) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/messages/{newest}?format=raw"),
    )
    .await;
    assert_eq!(
        raw["internalDate"], "1015620781000",
        "the newest is 2002-03-08T20:53:01Z"
    );
    let bytes = URL_SAFE
        .decode(raw["raw"].as_str().expect("raw"))
        .expect("base64url");
    let text = std::fs::read(&mbox).expect("reads");
    assert!(
        text.windows(bytes.len())
            .any(|window| window == bytes.as_slice()),
        "the raw message is a byte-exact slice of the mbox"
    );
}
