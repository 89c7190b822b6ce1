//! Shared set-up: a started fake with one account, an HTTP client that does not follow
//! redirects, PKCE values, and small mbox files written on the spot.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const USER: &str = "ada@example.com";

/// A 43-character PKCE verifier and its S256 challenge.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9qaQ7PmgbN1Ex0DcQ8Vy2ww1aF";

pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .expect("an HTTP client builds")
}

/// A fake with `config` and the account [`USER`].
pub async fn fake_with(config: FakeConfig) -> FakeGoogle {
    let fake = FakeGoogle::start(config).await.expect("the fake starts");
    fake.add_user(USER);
    fake
}

pub async fn fake() -> FakeGoogle {
    fake_with(FakeConfig::default()).await
}

/// GETs `path` with a bearer token; returns the status and the JSON body.
pub async fn get(fake: &FakeGoogle, token: &str, path: &str) -> (u16, Value) {
    let response = client()
        .get(format!("{}{path}", fake.base_url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("the fake answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The `error.errors[0].reason` of a Google error body.
pub fn reason(body: &Value) -> &str {
    body["error"]["errors"][0]["reason"]
        .as_str()
        .unwrap_or_default()
}

/// One message of a test mailbox.
pub struct Mail<'a> {
    pub from: &'a str,
    pub date: &'a str,
    pub subject: &'a str,
}

/// The RFC 2822 text of a message, CRLF line ends.
pub fn rfc2822(mail: &Mail<'_>, message_id: &str) -> String {
    format!(
        "From: {}\r\nTo: {USER}\r\nSubject: {}\r\nDate: {}\r\nMessage-ID: <{message_id}>\r\n\r\nHello about {}.\r\n",
        mail.from, mail.subject, mail.date, mail.subject
    )
}

/// Writes `mails` as an mbox in `dir`.
pub fn write_mbox(dir: &Path, mails: &[Mail<'_>]) -> PathBuf {
    let mut text = String::new();
    for (index, mail) in mails.iter().enumerate() {
        text.push_str("From sender@example.com Mon Jan  1 00:00:00 2024\n");
        text.push_str(&rfc2822(mail, &format!("m{index}@example.com")).replace("\r\n", "\n"));
        text.push('\n');
    }
    let path = dir.join("test.mbox");
    std::fs::write(&path, text).expect("the mbox is written");
    path
}
