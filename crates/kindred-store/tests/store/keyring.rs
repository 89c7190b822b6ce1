//! The real system keyring (Secret Service). The test suite runs under a private D-Bus
//! session with an unlocked gnome-keyring (scripts/with-keyring.sh), as a desktop would.

use kindred_store::secrets::{KeyringStore, SecretStore};
use kindred_store::{key_name, Store};

#[tokio::test]
async fn the_database_key_lives_in_the_system_keyring() {
    assert!(
        std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some(),
        "run the tests as scripts/test.sh does: under dbus-run-session with \
         scripts/with-keyring.sh, so the real keyring is there"
    );
    let dir = tempfile::tempdir().unwrap();
    let keyring = KeyringStore;
    let store = Store::open(dir.path(), &keyring).await.unwrap();
    store.close().await;
    let name = key_name(dir.path());
    let stored = keyring.get(&name).unwrap();
    assert_eq!(
        stored.as_ref().map(|s| s.expose().len()),
        Some(64),
        "a 32-byte key, hex-encoded, is in the keyring"
    );
    let reopened = Store::open(dir.path(), &keyring).await;
    assert!(reopened.is_ok(), "the keyring's key opens the store again");
    reopened.unwrap().close().await;
    keyring.delete(&name).unwrap();
    assert!(
        keyring.get(&name).unwrap().is_none(),
        "the entry is deleted"
    );
}
