//! The log files: written to `<data dir>/logs` at the level `KINDRED_LOG` sets, and after
//! a sync against the fake Google they hold no address and no token.

use kindred_store::secrets::{FileStore, SecretStore};

use crate::erase::{ada_with_mail, SignedInAda, ADA};

#[test]
fn after_a_sync_the_log_files_hold_no_address_and_no_token() {
    let SignedInAda {
        fake,
        runtime: _runtime,
        home,
    } = ada_with_mail(40);
    let output = home
        .command(&["sync", "--once"])
        .envs(fake.env())
        .env("KINDRED_LOG", "debug")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(ADA),
        "the terminal shows the address, so the files had it to redact: {stderr}"
    );

    let secrets = FileStore::new(home.secrets());
    let refresh = secrets
        .get(&format!("google-refresh-token:{ADA}"))
        .unwrap()
        .unwrap();
    let access = secrets
        .get(&format!("google-access-token:{ADA}"))
        .unwrap()
        .unwrap();
    let access = access.expose().split_once(' ').unwrap().1.to_owned();

    let files: Vec<_> = std::fs::read_dir(home.data_dir().join("logs"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one file for today: {files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("kindred.") && name.ends_with(".log"),
        "{name}"
    );
    let log = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        log.lines().filter(|line| line.contains("DEBUG")).count() > 10,
        "the file keeps the debug level KINDRED_LOG asks for: {log}"
    );
    let user_part = ADA.split('@').next().unwrap();
    for secret in [
        ADA,
        "ada%40example.com",
        refresh.expose(),
        access.as_str(),
        &format!("{user_part}@"),
    ] {
        assert!(
            !log.contains(secret),
            "the log files never hold {secret:?}:\n{log}"
        );
    }
    assert!(log.contains("[redacted]"), "redacted values are marked");
}
