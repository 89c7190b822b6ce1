//! `kindred login google`, `accounts`, `sync` and `logout google` against the fake Google:
//! the browser flow through `--no-browser`, JSON contracts, no token in the database or
//! on stderr, and `kill -9` of `kindred sync --once` at many points ending in the exact
//! mailbox with nothing duplicated.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use kindred_store::secrets::{FileStore, SecretStore};
use kindred_store::Store;
use serde_json::Value;

use crate::{count, sample_mbox, Home};

const ADA: &str = "ada@example.com";

fn start_fake(config: FakeConfig) -> (tokio::runtime::Runtime, FakeGoogle) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime.block_on(FakeGoogle::start(config)).unwrap();
    (runtime, fake)
}

/// `kindred ARGS` for `home`, pointed at `fake`.
fn google_command(home: &Home, fake: &FakeGoogle, args: &[&str]) -> Command {
    let mut command = home.command(args);
    // Google's per-user quota is the fake's to enforce here; the engine may go as fast
    // as the fake allows (the default, 15,000 units/min, would make these tests slow).
    command
        .envs(fake.env())
        .env("KINDRED_GOOGLE_TIMEOUT_SECS", "2")
        .env("KINDRED_GMAIL_QUOTA_PER_MINUTE", "300000");
    command
}

/// Signs `email` in with `kindred login google --no-browser --json`, opening the printed
/// URL as a browser would. Returns the JSON and everything printed on stderr.
fn login(home: &Home, fake: &FakeGoogle, email: &str, extra: &[&str]) -> (Value, String) {
    let mut args = vec!["login", "google", "--no-browser", "--json"];
    args.extend_from_slice(extra);
    let mut child = google_command(home, fake, &args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    while !first.starts_with("http") {
        first.clear();
        assert!(
            stderr.read_line(&mut first).unwrap() > 0,
            "the URL is printed"
        );
    }
    let url = first.trim_end();
    assert!(
        url.starts_with(&fake.base_url()) && !url.contains(' '),
        "the first stderr line is the authorization URL alone: {url:?}"
    );
    let url = format!("{url}&login_hint={email}");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let page = runtime.block_on(async { reqwest::get(&url).await.unwrap().text().await.unwrap() });
    assert!(page.contains("You can close this tab"), "{page}");
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "login failed: {first}{rest}");
    (
        serde_json::from_slice(&output.stdout).unwrap(),
        format!("{first}{rest}"),
    )
}

fn sync_json(home: &Home, fake: &FakeGoogle, args: &[&str]) -> (Value, String) {
    let mut all = vec!["sync", "--once", "--json"];
    all.extend_from_slice(args);
    let output = google_command(home, fake, &all).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "kindred sync failed: {stderr}");
    (serde_json::from_slice(&output.stdout).unwrap(), stderr)
}

/// The Gmail ids the store of `home` holds for `email`, read under the CLI.
fn stored_ids(home: &Home, email: &str) -> (BTreeSet<String>, u64, u64) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let secrets = FileStore::new(home.secrets());
        let store = Store::open(&home.data_dir(), &secrets).await.unwrap();
        let account = store.account("google", email).await.unwrap().unwrap();
        let ids = store.gmail_ids(account.id).await.unwrap();
        let totals = store.totals().await.unwrap();
        store.close().await;
        (ids, totals.messages, totals.events)
    })
}

#[test]
fn login_accounts_sync_and_logout_keep_their_json_contracts_and_never_show_a_token() {
    let (_runtime, fake) = start_fake(FakeConfig::default());
    fake.add_user(ADA);
    let scratch = tempfile::tempdir().unwrap();
    fake.load_mbox(ADA, &sample_mbox(scratch.path(), 150))
        .unwrap();
    let home = Home::default();

    let (account, login_stderr) = login(&home, &fake, ADA, &["--window", "all"]);
    assert_eq!(account["email"], ADA);
    assert_eq!(account["status"], "connected");
    assert_eq!(account["window"], "all");

    let accounts = home.json(&["accounts"]);
    assert_eq!(accounts.as_array().unwrap().len(), 1);
    assert_eq!(accounts[0]["provider"], "google");
    assert!(accounts[0]["last_sync"].is_null(), "never synced yet");

    let mut command = google_command(&home, &fake, &["sync", "--once", "--json"]);
    let output = command.env("KINDRED_LOG", "debug").output().unwrap();
    let sync_stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{sync_stderr}");
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(count(&summary["mail"]["added"]), 150, "{summary}");
    assert_eq!(count(&summary["mail"]["deleted"]), 0);
    assert_eq!(count(&summary["calendar"]["added"]), 0);
    assert!(summary["errors"].as_array().unwrap().is_empty());
    assert_eq!(summary["accounts"][0]["email"], ADA);
    assert!(
        sync_stderr.contains("progress: ada@example.com fetching mail"),
        "{sync_stderr}"
    );

    let (again, _) = sync_json(&home, &fake, &[]);
    assert_eq!(
        count(&again["mail"]["added"]),
        0,
        "a second pass adds nothing"
    );
    let accounts = home.json(&["accounts"]);
    assert_eq!(
        count(&accounts[0]["last_sync"]["mail"]["added"]),
        0,
        "an empty run is visible"
    );
    assert!(accounts[0]["last_sync"]["finished_at"].is_string());

    let secrets = FileStore::new(home.secrets());
    let refresh = secrets
        .get("google-refresh-token:ada@example.com")
        .unwrap()
        .unwrap();
    let access = secrets
        .get("google-access-token:ada@example.com")
        .unwrap()
        .unwrap();
    let access = access.expose().split_once(' ').unwrap().1.to_owned();
    let mut haystacks = vec![login_stderr.into_bytes(), sync_stderr.into_bytes()];
    let logs = home.data_dir().join("logs");
    for dir in [home.data_dir(), logs] {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                haystacks.push(std::fs::read(path).unwrap());
            }
        }
    }
    for haystack in &haystacks {
        for token in [refresh.expose(), access.as_str()] {
            assert!(
                !haystack.windows(token.len()).any(|w| w == token.as_bytes()),
                "no token in the database files or on stderr"
            );
        }
    }

    let out = google_command(&home, &fake, &["logout", "google", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ended: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ended[0]["status"], "signed_out");
    assert!(secrets
        .get("google-refresh-token:ada@example.com")
        .unwrap()
        .is_none());
    assert!(
        fake.stats().revoked_tokens >= 1,
        "the token was revoked at Google"
    );
    let (after, _) = sync_json(&home, &fake, &[]);
    assert!(
        after["accounts"].as_array().unwrap().is_empty(),
        "a signed-out account is not synced"
    );
    assert_eq!(home.stats()["messages"], 150, "signing out keeps the mail");
}

#[test]
fn login_without_a_client_id_says_how_to_configure_one_and_an_empty_sync_needs_none() {
    let home = Home::default();
    let (summary, _) = {
        let output = home
            .command(&["sync", "--once", "--json"])
            .env_remove("KINDRED_GOOGLE_CLIENT_ID")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        (serde_json::from_slice::<Value>(&output.stdout).unwrap(), ())
    };
    assert!(summary["accounts"].as_array().unwrap().is_empty());
    let output = home
        .command(&["login", "google", "--no-browser"])
        .env_remove("KINDRED_GOOGLE_CLIENT_ID")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("KINDRED_GOOGLE_CLIENT_ID"), "{stderr}");
}

/// Runs `kindred sync --once` and kills it with SIGKILL right after its `after`-th
/// progress line (or lets it finish if it ends first). Returns whether it was killed.
fn sync_killed_after(home: &Home, fake: &FakeGoogle, after: usize) -> bool {
    let mut child: Child = google_command(home, fake, &["sync", "--once", "--json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = 0;
    for line in stderr.lines() {
        let line = line.unwrap();
        if line.starts_with("progress: ") {
            seen += 1;
            if seen == after {
                child.kill().unwrap();
                child.wait().unwrap();
                return true;
            }
        }
    }
    child.wait().unwrap();
    false
}

#[test]
fn kill_nine_at_twenty_points_then_a_restart_gives_the_exact_mailbox_without_duplicates() {
    // A quota keeps each pass long enough to be interrupted many times.
    let (_runtime, fake) = start_fake(FakeConfig {
        quota_units_per_second: Some(5_000.0),
        ..FakeConfig::default()
    });
    fake.add_user(ADA);
    let scratch = tempfile::tempdir().unwrap();
    fake.load_mbox(ADA, &sample_mbox(scratch.path(), 3_500))
        .unwrap();

    let reference = Home::default();
    login(&reference, &fake, ADA, &["--window", "all"]);
    sync_json(&reference, &fake, &[]);
    let (reference_ids, reference_messages, _) = stored_ids(&reference, ADA);
    assert_eq!(
        reference_ids,
        fake.message_ids(ADA),
        "the uninterrupted sync is exact"
    );

    let home = Home::default();
    login(&home, &fake, ADA, &["--window", "all"]);
    let mut kills = 0;
    for round in 0..40 {
        if kills >= 24 {
            break;
        }
        // Kill after the 1st or the 2nd committed batch of each pass, in turn.
        if sync_killed_after(&home, &fake, round % 2 + 1) {
            kills += 1;
        }
    }
    assert!(
        kills >= 20,
        "the sync was killed at {kills} points (at least 20 wanted)"
    );
    let (summary, _) = sync_json(&home, &fake, &[]);
    assert!(
        summary["errors"].as_array().unwrap().is_empty(),
        "{summary}"
    );
    let (ids, messages, _) = stored_ids(&home, ADA);
    assert_eq!(
        ids,
        fake.message_ids(ADA),
        "after kills and a restart the store holds exactly Gmail's messages"
    );
    assert_eq!(
        messages, reference_messages,
        "no message is stored twice: the same rows as an uninterrupted sync"
    );
}

#[test]
fn a_snapshot_syncs_once_then_revokes_and_deletes_the_tokens_keeping_the_data() {
    let (_runtime, fake) = start_fake(FakeConfig::default());
    fake.add_user(ADA);
    let scratch = tempfile::tempdir().unwrap();
    fake.load_mbox(ADA, &sample_mbox(scratch.path(), 60))
        .unwrap();
    let home = Home::default();
    login(&home, &fake, ADA, &[]);
    let (summary, _) = sync_json(&home, &fake, &["--snapshot", "--window", "all"]);
    assert_eq!(count(&summary["mail"]["added"]), 60);
    assert_eq!(summary["accounts"][0]["status"], "snapshot");
    let secrets = FileStore::new(home.secrets());
    assert!(secrets
        .get("google-refresh-token:ada@example.com")
        .unwrap()
        .is_none());
    assert!(secrets
        .get("google-access-token:ada@example.com")
        .unwrap()
        .is_none());
    let accounts = home.json(&["accounts"]);
    assert_eq!(accounts[0]["status"], "snapshot");
    assert_eq!(
        accounts[0]["window"], "all",
        "--window is stored with the account"
    );
    assert_eq!(home.stats()["messages"], 60, "the data stays");
}
