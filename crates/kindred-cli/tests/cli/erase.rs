//! `kindred delete-all --yes`: refused without the yes; with it, Google's tokens are
//! revoked at (the fake) Google and nothing is left in the data folder or the secret
//! store — the file store, and the real system keyring.

use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use kindred_store::secrets::{FileStore, KeyringStore, SecretStore, SecretString};
use kindred_store::{key_name, Store};
use serde_json::Value;

use crate::{count, sample_mbox, Home};

pub const ADA: &str = "ada@example.com";

/// Entries in the home's secret file.
fn secret_entries(home: &Home) -> Vec<String> {
    let text = std::fs::read(home.secrets()).unwrap();
    let entries: serde_json::Map<String, Value> = serde_json::from_slice(&text).unwrap();
    entries.keys().cloned().collect()
}

/// Ada signed in to a fake Google that serves her mail. The runtime runs the fake (and is
/// there for a test's own store work); keep it as long as the fake.
pub struct SignedInAda {
    pub fake: FakeGoogle,
    pub runtime: tokio::runtime::Runtime,
    pub home: Home,
}

/// A fake Google serving `messages` of the sample mailbox to Ada, and a home where she is
/// signed in to it.
pub fn ada_with_mail(messages: usize) -> SignedInAda {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(FakeGoogle::start(FakeConfig::default()))
        .unwrap();
    fake.add_user(ADA);
    let scratch = tempfile::tempdir().unwrap();
    fake.load_mbox(ADA, &sample_mbox(scratch.path(), messages))
        .unwrap();
    let home = signed_in(&runtime, &fake);
    SignedInAda {
        fake,
        runtime,
        home,
    }
}

/// A home where Ada is signed in to `fake`: her account in the store, her refresh token
/// in the secret store, as `kindred login google` leaves them.
pub fn signed_in(runtime: &tokio::runtime::Runtime, fake: &FakeGoogle) -> Home {
    let home = Home::default();
    let (_access, refresh) = fake.issue_tokens(ADA);
    let secrets = FileStore::new(home.secrets());
    runtime.block_on(async {
        let store = Store::open(&home.data_dir(), &secrets).await.unwrap();
        store.connect_account("google", ADA, None).await.unwrap();
        store.close().await;
    });
    secrets
        .set(
            &format!("google-refresh-token:{ADA}"),
            &SecretString::new(refresh),
        )
        .unwrap();
    home
}

#[test]
fn delete_all_revokes_google_and_leaves_no_file_and_no_secret() {
    let SignedInAda {
        fake,
        runtime: _runtime,
        home,
    } = ada_with_mail(60);
    let synced = home
        .command(&["sync", "--once", "--json"])
        .envs(fake.env())
        .output()
        .unwrap();
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let synced: Value = serde_json::from_slice(&synced.stdout).unwrap();
    assert_eq!(count(&synced["mail"]["added"]), 60, "{synced}");
    home.json(&["sample", "--scale", "30"]);
    assert!(home.data_dir().join("sample").is_dir());
    let mut llm = home
        .command(&[
            "llm",
            "set",
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "--api-key-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut llm.stdin.take().unwrap(), b"sk-test-key").unwrap();
    assert!(llm.wait().unwrap().success(), "an LLM key is stored");
    assert_eq!(
        secret_entries(&home).len(),
        4,
        "the database key, Ada's refresh and access tokens and the LLM key"
    );
    let messages = count(&home.stats()["messages"]);

    let refused = home.run(&["delete-all"]);
    assert!(!refused.status.success(), "delete-all needs --yes");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--yes") && stderr.contains("Nothing was deleted"),
        "{stderr}"
    );
    assert_eq!(
        count(&home.stats()["messages"]),
        messages,
        "nothing is deleted without --yes"
    );

    let output = home
        .command(&["delete-all", "--yes", "--json"])
        .envs(fake.env())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["revoked"], serde_json::json!([ADA]), "{summary}");
    assert_eq!(
        fake.stats().revoked_tokens,
        1,
        "the refresh token was revoked at Google"
    );
    assert!(
        !home.data_dir().exists(),
        "the data folder is gone: {:?}",
        std::fs::read_dir(home.data_dir()).map(Iterator::count)
    );
    assert!(summary["left_alone"].as_array().unwrap().is_empty());
    assert_eq!(summary["accounts_unknown"], false, "the store was read");
    assert_eq!(
        secret_entries(&home),
        Vec::<String>::new(),
        "no secret is left in the secret store"
    );
}

#[test]
fn a_chosen_data_folder_keeps_files_that_are_not_kindreds() {
    let home = Home::default();
    home.json(&["sample", "--scale", "20"]);
    let notes = home.data_dir().join("notes.txt");
    std::fs::write(&notes, "mine").unwrap();
    let summary = home.json(&["delete-all", "--yes"]);
    assert_eq!(
        std::fs::read_dir(home.data_dir())
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .collect::<Vec<_>>(),
        vec![notes.clone()],
        "only the file that is not Kindred's is left"
    );
    assert_eq!(
        summary["left_alone"],
        serde_json::json!([notes.display().to_string()])
    );
    assert!(secret_entries(&home).is_empty());
}

#[test]
fn delete_all_removes_the_database_key_from_the_system_keyring() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run the tests under dbus-run-session with scripts/with-keyring.sh, so the real \
         keyring is there"
    );
    let home = Home::default();
    let mut sample = home.command(&["sample", "--scale", "20"]);
    let output = sample.env_remove("KINDRED_SECRETS").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let name = key_name(&home.data_dir());
    assert!(
        KeyringStore.get(&name).unwrap().is_some(),
        "the key is in the keyring"
    );
    let output = home
        .command(&["delete-all", "--yes"])
        .env_remove("KINDRED_SECRETS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        KeyringStore.get(&name).unwrap().is_none(),
        "the database key is gone from the keyring"
    );
    assert!(!home.data_dir().exists(), "and the data folder");
}

#[test]
fn a_store_whose_key_is_lost_is_deleted_unread() {
    let home = Home::default();
    home.json(&["sample", "--scale", "20"]);
    let secrets = FileStore::new(home.secrets());
    secrets.delete(&key_name(&home.data_dir())).unwrap();
    assert!(
        !home.run(&["stats"]).status.success(),
        "without its key the store cannot be opened"
    );
    let output = home.run(&["delete-all", "--yes", "--json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(summary["accounts_unknown"], true, "{summary}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("without reading it"),
        "it says the store was deleted unread"
    );
    assert!(!home.data_dir().exists(), "the data folder is gone");
    assert!(secret_entries(&home).is_empty());
}
