//! `kindred doctor`: a healthy store checks out (the LLM "not configured"); a damaged
//! database, an account Google refuses and an unreachable LLM are errors with hints and
//! a non-zero exit; a reachable LLM answers.

use std::io::{Seek, SeekFrom, Write};
use std::process::Command;

use kindred_fakellm::{FakeLlm, Reply, MODEL};
use kindred_store::secrets::FileStore;
use kindred_store::sync::SyncPhase;
use kindred_store::Store;
use serde_json::Value;

use crate::erase::{ada_with_mail, SignedInAda, ADA};
use crate::Home;

const LLM_VARIABLES: [&str; 4] = [
    "KINDRED_LLM_BASE_URL",
    "KINDRED_LLM_MODEL",
    "KINDRED_EMBEDDINGS_MODEL",
    "KINDRED_LLM_API_KEY",
];

/// `kindred doctor --json` with no LLM in the environment: its exit status and report.
fn doctor(home: &Home, extra_env: &[(&str, String)]) -> (bool, Value) {
    let mut command: Command = home.command(&["doctor", "--json"]);
    for variable in LLM_VARIABLES {
        command.env_remove(variable);
    }
    command.envs(extra_env.iter().map(|(k, v)| (*k, v.as_str())));
    let output = command.output().unwrap();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "one JSON document ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.success(), report)
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} check in {report}"))
}

#[test]
fn a_healthy_store_checks_out_and_says_the_llm_is_not_configured() {
    let home = Home::default();
    home.json(&["sample", "--scale", "200"]);
    let (success, report) = doctor(&home, &[]);
    assert!(success, "{report}");
    assert_eq!(report["healthy"], true);
    assert_eq!(check(&report, "database")["status"], "ok", "{report}");
    assert!(check(&report, "database")["detail"]
        .as_str()
        .unwrap()
        .contains("MB"));
    assert_eq!(check(&report, "schema")["status"], "ok");
    let secrets = check(&report, "secret_store");
    assert_eq!(
        secrets["status"], "warning",
        "a secret file, not the keyring"
    );
    assert!(secrets["hint"]
        .as_str()
        .unwrap()
        .contains("KINDRED_SECRETS"));
    assert_eq!(check(&report, "jobs")["status"], "ok");
    let llm = check(&report, "llm");
    assert_eq!(llm["status"], "skipped");
    assert!(llm["detail"].as_str().unwrap().contains("not configured"));
    for check in report["checks"].as_array().unwrap() {
        if check["status"] == "ok" || check["status"] == "skipped" {
            assert!(
                check["hint"].is_null(),
                "no hint when nothing is wrong: {check}"
            );
        }
    }
}

#[test]
fn a_damaged_database_is_an_error_with_what_to_do() {
    let home = Home::default();
    home.json(&["sample", "--scale", "300"]);
    let path = home.data_dir().join("kindred.db");
    let length = std::fs::metadata(&path).unwrap().len();
    let mut file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    // A page in the middle: the first page (the header) stays readable.
    file.seek(SeekFrom::Start(length / 2)).unwrap();
    file.write_all(&[0x5a; 64]).unwrap();
    drop(file);
    let (success, report) = doctor(&home, &[]);
    assert!(!success, "an error exits non-zero");
    assert_eq!(report["healthy"], false);
    let database = check(&report, "database");
    assert_eq!(database["status"], "error", "{report}");
    assert!(
        database["hint"]
            .as_str()
            .unwrap()
            .contains("kindred export"),
        "{database}"
    );
}

#[test]
fn an_account_google_refuses_and_an_unreachable_llm_are_errors_and_a_working_llm_answers() {
    let SignedInAda {
        fake,
        runtime: _runtime,
        home,
    } = ada_with_mail(20);
    fake.invalidate_refresh_tokens(ADA);
    let synced = home
        .command(&["sync", "--once"])
        .envs(fake.env())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&synced.stderr);
    assert!(stderr.contains("sign in again"), "{stderr}");
    assert!(
        !stderr.contains("log directory"),
        "the first run creates the log folder quietly: {stderr}"
    );

    let unreachable = [
        ("KINDRED_LLM_BASE_URL", "http://127.0.0.1:9/v1".to_owned()),
        ("KINDRED_LLM_MODEL", MODEL.to_owned()),
    ];
    let (success, report) = doctor(&home, &unreachable);
    assert!(!success);
    let account = check(&report, &format!("account {ADA}"));
    assert_eq!(account["status"], "error", "{report}");
    assert!(account["hint"]
        .as_str()
        .unwrap()
        .contains("kindred login google"));
    let llm = check(&report, "llm");
    assert_eq!(llm["status"], "error", "{report}");
    assert!(llm["hint"].as_str().unwrap().contains("kindred llm"));

    let llm_server = FakeLlm::start().unwrap();
    llm_server.push(Reply::text("ok"));
    let working = [
        ("KINDRED_LLM_BASE_URL", llm_server.base_url()),
        ("KINDRED_LLM_MODEL", MODEL.to_owned()),
    ];
    let (_, report) = doctor(&home, &working);
    let llm = check(&report, "llm");
    assert_eq!(llm["status"], "ok", "{report}");
    assert!(llm["detail"].as_str().unwrap().contains(MODEL));
}

#[test]
fn a_synced_account_is_caught_up_and_an_unfinished_initial_sync_is_a_warning() {
    let SignedInAda {
        fake,
        runtime,
        home,
    } = ada_with_mail(25);
    let synced = home
        .command(&["sync", "--once"])
        .envs(fake.env())
        .output()
        .unwrap();
    assert!(
        synced.status.success(),
        "{}",
        String::from_utf8_lossy(&synced.stderr)
    );
    let (success, report) = doctor(&home, &[]);
    assert!(success, "{report}");
    let account = check(&report, &format!("account {ADA}"));
    assert_eq!(account["status"], "ok", "{report}");
    let detail = account["detail"].as_str().unwrap();
    assert!(
        detail.contains("25 messages and 0 events added")
            && detail.contains("mail caught up, 25 messages"),
        "{detail}"
    );

    // As a sync killed while fetching leaves it: the mail's initial sync unfinished.
    runtime.block_on(async {
        let secrets = FileStore::new(home.secrets());
        let store = Store::open(&home.data_dir(), &secrets).await.unwrap();
        let account = store.account("google", ADA).await.unwrap().unwrap();
        let mut state = store
            .sync_state(account.id, "gmail")
            .await
            .unwrap()
            .unwrap();
        state.phase = SyncPhase::Fetching;
        store
            .set_sync_state(account.id, "gmail", &state)
            .await
            .unwrap();
        store.close().await;
    });
    let (_, report) = doctor(&home, &[]);
    let account = check(&report, &format!("account {ADA}"));
    assert_eq!(account["status"], "warning", "{report}");
    assert!(
        account["detail"]
            .as_str()
            .unwrap()
            .contains("initial sync is unfinished"),
        "{account}"
    );
    assert!(account["hint"].as_str().unwrap().contains("continues"));
}
