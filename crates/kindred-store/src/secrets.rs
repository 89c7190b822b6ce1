//! Secrets: the database key (and later tokens) live only in a secret store — the OS
//! keyring by default, or an explicitly chosen 0600 file on machines without one.
//! Secret values are types with no `Clone` or `Serialize`, zeroised on drop, redacted in
//! `Debug`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rand::RngCore;
use thiserror::Error;
use zeroize::{Zeroize, Zeroizing};

/// The keyring service every Kindred secret is filed under.
pub const SERVICE: &str = "kindred";

/// The database encryption key: 32 random bytes.
pub struct DatabaseKey([u8; 32]);

impl DatabaseKey {
    /// A fresh random key.
    #[must_use]
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// SQLCipher's raw-key form, `"x'<64 hex digits>'"`, which skips key derivation.
    #[must_use]
    pub fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"x'{}'\"", hex::encode(self.0)))
    }

    fn to_secret(&self) -> SecretString {
        SecretString(Zeroizing::new(hex::encode(self.0)))
    }

    fn from_secret(secret: &SecretString) -> Option<Self> {
        let bytes = Zeroizing::new(hex::decode(secret.0.as_str()).ok()?);
        let array: [u8; 32] = bytes.as_slice().try_into().ok()?;
        Some(Self(array))
    }
}

impl Drop for DatabaseKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for DatabaseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DatabaseKey(<redacted>)")
    }
}

/// A secret text value, zeroised on drop.
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    #[must_use]
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString(<redacted>)")
    }
}

/// Why the secret store could not be used. Messages say what to do.
#[derive(Debug, Error)]
pub enum SecretError {
    #[error(
        "no D-Bus session bus, so the system keyring cannot be reached ({0}); run Kindred in a \
         desktop session, or choose a file-based secret store with KINDRED_SECRETS=file:<path>"
    )]
    NoSessionBus(String),
    #[error(
        "the system keyring did not answer or is locked ({0}); unlock it (e.g. log in to the \
         desktop session, or `gnome-keyring-daemon --unlock`) or choose KINDRED_SECRETS=file:<path>"
    )]
    Unavailable(String),
    #[error("the secret file {path} cannot be used: {reason}")]
    File { path: PathBuf, reason: String },
    #[error("KINDRED_SECRETS={0} is not understood; use `keyring` or `file:<path>`")]
    BadSetting(String),
}

/// Where secrets are kept. A trait so tests can use an in-memory store; the real
/// keyring is exercised by the integration tests.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The secret named `name`, or `None` when there is none.
    ///
    /// # Errors
    /// The store cannot be reached.
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretError>;
    /// Stores `value` under `name`, replacing any previous value.
    ///
    /// # Errors
    /// The store cannot be reached or written.
    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretError>;
    /// Deletes `name`; deleting a missing secret is not an error.
    ///
    /// # Errors
    /// The store cannot be reached or written.
    fn delete(&self, name: &str) -> Result<(), SecretError>;
    /// A short description for diagnostics, e.g. `system keyring (Secret Service)`.
    fn describe(&self) -> String;
}

/// Reads the database key named `name`, creating and storing a new one when `create`.
///
/// # Errors
/// The store cannot be reached or holds something that is not a key.
pub fn database_key(
    store: &dyn SecretStore,
    name: &str,
    create: bool,
) -> Result<Option<DatabaseKey>, SecretError> {
    if let Some(secret) = store.get(name)? {
        return Ok(DatabaseKey::from_secret(&secret));
    }
    if !create {
        return Ok(None);
    }
    let key = DatabaseKey::generate();
    store.set(name, &key.to_secret())?;
    Ok(Some(key))
}

/// The secret store chosen by `KINDRED_SECRETS` (`keyring`, the default, or
/// `file:<path>`).
///
/// # Errors
/// The setting is not understood.
pub fn from_setting(setting: Option<&str>) -> Result<Box<dyn SecretStore>, SecretError> {
    match setting.map(str::trim) {
        None | Some("" | "keyring") => Ok(Box::new(KeyringStore)),
        Some(other) => match other.strip_prefix("file:") {
            Some(path) if !path.is_empty() => Ok(Box::new(FileStore::new(PathBuf::from(path)))),
            _ => Err(SecretError::BadSetting(other.to_owned())),
        },
    }
}

/// The OS keyring through the `keyring` crate (Secret Service on Linux).
#[derive(Debug)]
pub struct KeyringStore;

impl KeyringStore {
    fn entry(name: &str) -> Result<keyring::Entry, SecretError> {
        if cfg!(target_os = "linux") && std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            return Err(SecretError::NoSessionBus(
                "DBUS_SESSION_BUS_ADDRESS is not set".to_owned(),
            ));
        }
        keyring::Entry::new(SERVICE, name).map_err(keyring_error)
    }
}

fn keyring_error(error: keyring::Error) -> SecretError {
    match error {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.contains("D-Bus") || text.contains("dbus") || text.contains("DBus") {
                SecretError::NoSessionBus(text)
            } else {
                SecretError::Unavailable(text)
            }
        }
        other => SecretError::Unavailable(other.to_string()),
    }
}

impl SecretStore for KeyringStore {
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretError> {
        match Self::entry(name)?.get_password() {
            Ok(value) => Ok(Some(SecretString::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(error) => Err(keyring_error(error)),
        }
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretError> {
        Self::entry(name)?
            .set_password(value.expose())
            .map_err(keyring_error)
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        match Self::entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(error) => Err(keyring_error(error)),
        }
    }

    fn describe(&self) -> String {
        "system keyring".to_owned()
    }
}

/// Secrets in one JSON file readable only by its owner (0600), for headless machines
/// that have no keyring. Chosen explicitly with `KINDRED_SECRETS=file:<path>`.
#[derive(Debug)]
pub struct FileStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileStore {
    #[must_use]
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            lock: Mutex::new(()),
        }
    }

    fn error(&self, reason: impl fmt::Display) -> SecretError {
        SecretError::File {
            path: self.path.clone(),
            reason: reason.to_string(),
        }
    }

    fn load(&self) -> Result<SecretMap, SecretError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                serde_json::from_slice(&bytes)
                    .map(SecretMap)
                    .map_err(|e| self.error(format!("not a Kindred secret file ({e})")))
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                Ok(SecretMap(BTreeMap::new()))
            }
            Err(error) => Err(self.error(error)),
        }
    }

    fn save(&self, secrets: &SecretMap) -> Result<(), SecretError> {
        let text = Zeroizing::new(serde_json::to_vec(&secrets.0).map_err(|e| self.error(e))?);
        write_private(&self.path, &text).map_err(|e| self.error(e))
    }
}

/// The secrets of a [`FileStore`] while in memory, zeroised when dropped.
struct SecretMap(BTreeMap<String, String>);

impl Drop for SecretMap {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            value.zeroize();
        }
    }
}

/// Writes `bytes` to `path` atomically with owner-only permissions.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let temporary = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&temporary)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

impl SecretStore for FileStore {
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretError> {
        let _guard = self.lock.lock().map_err(|e| self.error(e))?;
        Ok(self.load()?.0.get(name).cloned().map(SecretString::new))
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretError> {
        let _guard = self.lock.lock().map_err(|e| self.error(e))?;
        let mut secrets = self.load()?;
        secrets.0.insert(name.to_owned(), value.expose().to_owned());
        self.save(&secrets)
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        let _guard = self.lock.lock().map_err(|e| self.error(e))?;
        let mut secrets = self.load()?;
        if secrets.0.remove(name).is_some() {
            self.save(&secrets)?;
        }
        Ok(())
    }

    fn describe(&self) -> String {
        format!("file {} (KINDRED_SECRETS)", self.path.display())
    }
}

/// Secrets in memory, for tests of code that needs a secret store.
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<BTreeMap<String, String>>);

impl SecretStore for MemoryStore {
    fn get(&self, name: &str) -> Result<Option<SecretString>, SecretError> {
        let secrets = self
            .0
            .lock()
            .map_err(|e| SecretError::Unavailable(e.to_string()))?;
        Ok(secrets.get(name).cloned().map(SecretString::new))
    }

    fn set(&self, name: &str, value: &SecretString) -> Result<(), SecretError> {
        let mut secrets = self
            .0
            .lock()
            .map_err(|e| SecretError::Unavailable(e.to_string()))?;
        secrets.insert(name.to_owned(), value.expose().to_owned());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), SecretError> {
        let mut secrets = self
            .0
            .lock()
            .map_err(|e| SecretError::Unavailable(e.to_string()))?;
        secrets.remove(name);
        Ok(())
    }

    fn describe(&self) -> String {
        "in-memory (tests)".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_created_once_and_read_back() {
        let store = MemoryStore::default();
        assert!(database_key(&store, "db", false).unwrap().is_none());
        let created = database_key(&store, "db", true).unwrap().unwrap();
        let read = database_key(&store, "db", false).unwrap().unwrap();
        assert_eq!(created.0, read.0, "the stored key is the created key");
        assert_eq!(format!("{created:?}"), "DatabaseKey(<redacted>)");
    }

    #[test]
    fn the_file_store_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("secrets.json"));
        store
            .set("a", &SecretString::new("one".to_owned()))
            .unwrap();
        assert_eq!(store.get("a").unwrap().unwrap().expose(), "one");
        store.delete("a").unwrap();
        assert!(store.get("a").unwrap().is_none());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secrets.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "only the owner may read secrets");
        }
    }

    #[test]
    fn unknown_settings_are_refused() {
        assert!(matches!(
            from_setting(Some("vault:x")),
            Err(SecretError::BadSetting(_))
        ));
        assert!(from_setting(Some("file:/tmp/x.json")).is_ok());
    }
}
