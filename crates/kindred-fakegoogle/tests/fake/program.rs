//! The `kindred-fakegoogle` program: prints the environment, serves a loaded mbox through
//! a real sign-in, and exits when its standard input closes.

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::support::{challenge, client, write_mbox, Mail, USER, VERIFIER};

#[tokio::test]
async fn program_prints_exports_serves_and_stops_when_stdin_closes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mbox = write_mbox(
        dir.path(),
        &[
            Mail {
                from: "bob@example.com",
                date: "Mon, 1 Jan 2024 10:00:00 +0000",
                subject: "a",
            },
            Mail {
                from: USER,
                date: "Tue, 2 Jan 2024 10:00:00 +0000",
                subject: "b",
            },
        ],
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_kindred-fakegoogle"))
        .args(["--user", USER, "--mbox"])
        .arg(&mbox)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut env = HashMap::new();
    for line in stdout.lines().take(8) {
        let line = line.expect("a line");
        let (key, value) = line
            .strip_prefix("export ")
            .and_then(|rest| rest.split_once('='))
            .unwrap_or_else(|| panic!("an export line: {line}"));
        env.insert(key.to_owned(), value.trim_matches('\'').to_owned());
    }
    let var = |key: &str| {
        env.get(key)
            .unwrap_or_else(|| panic!("{key} is exported"))
            .clone()
    };

    let response = client()
        .get(var("KINDRED_GOOGLE_AUTH_URL"))
        .query(&[
            ("client_id", var("KINDRED_GOOGLE_CLIENT_ID").as_str()),
            ("redirect_uri", "http://localhost:8080/"),
            ("response_type", "code"),
            ("scope", "https://www.googleapis.com/auth/gmail.readonly"),
            ("code_challenge", challenge(VERIFIER).as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .expect("the consent page answers");
    let location = response.headers()["location"]
        .to_str()
        .expect("ASCII")
        .to_owned();
    let code = url::Url::parse(&location)
        .expect("a URL")
        .query_pairs()
        .find(|(key, _)| key == "code")
        .map(|(_, code)| code.into_owned())
        .expect("a code");
    let tokens: Value = client()
        .post(var("KINDRED_GOOGLE_TOKEN_URL"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("code_verifier", VERIFIER),
            ("redirect_uri", "http://localhost:8080/"),
            ("client_id", var("KINDRED_GOOGLE_CLIENT_ID").as_str()),
            (
                "client_secret",
                var("KINDRED_GOOGLE_CLIENT_SECRET").as_str(),
            ),
        ])
        .send()
        .await
        .expect("the token endpoint answers")
        .json()
        .await
        .expect("JSON");
    assert!(
        tokens.get("refresh_token").is_none(),
        "no access_type=offline, no refresh token"
    );
    let profile: Value = client()
        .get(format!(
            "{}/gmail/v1/users/me/profile",
            var("KINDRED_GMAIL_API_URL")
        ))
        .bearer_auth(tokens["access_token"].as_str().expect("access_token"))
        .send()
        .await
        .expect("the API answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        profile["messagesTotal"], 2,
        "the --mbox messages are served"
    );
    assert!(var("KINDRED_CALENDAR_API_URL").ends_with("/calendar/v3"));

    drop(child.stdin.take());
    let exit = tokio::time::timeout(
        Duration::from_secs(10),
        tokio::task::spawn_blocking(move || child.wait()),
    )
    .await
    .expect("the program exits once stdin closes")
    .expect("the wait finishes")
    .expect("the exit status");
    assert!(exit.success(), "it exits cleanly: {exit}");
}
