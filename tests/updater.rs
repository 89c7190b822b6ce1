//! Signed updates: the app's updater (`kindred_app::updater`) driving the real
//! tauri-plugin-updater inside a mock Tauri app, against a real HTTP server on 127.0.0.1
//! that serves `latest.json` and an artifact signed with a minisign key generated here.
//! A verified update is found and downloaded with progress; a tampered artifact, a
//! signature by another key, a missing signature, a server error and a malformed
//! `latest.json` are refused with a clear error. Nothing is installed by these tests.
//!
//! The server is named through `KINDRED_UPDATE_ENDPOINT`, as a person would point the app
//! at a mirror; the mock app's configured endpoint is a closed port, so a test passing
//! proves the override was used. The variable is process-wide, so the tests take turns.

use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{header, StatusCode};
use axum::routing::get;
use axum::Router;
use base64::Engine as _;
use chrono::{Duration, TimeZone, Utc};
use kindred_api::{Config, ErrorCode, Kindred, UpdateProgress};
use kindred_app::updater::{self, ENDPOINT_ENV};
use kindred_store::secrets::FileStore;
use minisign::KeyPair;
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets, MockRuntime};
use tauri::App;

/// The version the mock app runs (`mock_context`'s package version).
const RUNNING: &str = "0.1.0";
/// The version the server offers.
const OFFERED: &str = "0.2.0";
const NOTES: &str = "Faster sync; the graph remembers where you left it.";
const PUB_DATE: &str = "2026-11-20T09:30:00Z";

/// One test at a time: they set the process-wide endpoint variable.
static ENDPOINT: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A minisign key pair in the formats Tauri uses: the public key as the base64 of its
/// `.pub` file (what `tauri.conf.json` holds), signatures as the base64 of a `.sig` file.
struct SigningKey(KeyPair);

impl SigningKey {
    fn generate() -> Self {
        Self(KeyPair::generate_unencrypted_keypair().unwrap())
    }

    fn public(&self) -> String {
        base64(&self.0.pk.to_box().unwrap().to_string())
    }

    /// Signs `artifact` for `version` as `tauri signer sign` does (the version in the
    /// trusted comment).
    fn sign(&self, artifact: &[u8], version: &str) -> String {
        let trusted = format!("timestamp:1763631000\tfile:Kindred.AppImage\tversion:{version}");
        let signature = minisign::sign(
            Some(&self.0.pk),
            &self.0.sk,
            Cursor::new(artifact),
            Some(&trusted),
            None,
        )
        .unwrap();
        base64(&signature.to_string())
    }
}

fn base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The release the server offers: a few hundred kilobytes, so the download comes in
/// several chunks.
fn artifact() -> Vec<u8> {
    (0..300_000u32).map(|i| (i % 251) as u8).collect()
}

/// The `latest.json` key of this machine, as the updater looks it up.
fn platform() -> String {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        other => other,
    };
    format!("{os}-{}", std::env::consts::ARCH)
}

/// What the fake update server answers.
#[derive(Clone)]
struct Release {
    manifest_status: StatusCode,
    manifest: String,
    artifact: Vec<u8>,
}

impl Release {
    /// A release of `artifact` announced with `signature`, served from `server`.
    fn signed(server: SocketAddr, version: &str, artifact: Vec<u8>, signature: &str) -> Self {
        let manifest = json!({
            "version": version,
            "notes": NOTES,
            "pub_date": PUB_DATE,
            "platforms": {
                platform(): {
                    "url": format!("http://{server}/download/Kindred.AppImage"),
                    "signature": signature,
                }
            }
        });
        Self {
            manifest_status: StatusCode::OK,
            manifest: manifest.to_string(),
            artifact,
        }
    }
}

/// The update server on 127.0.0.1: `GET /latest.json` and `GET /download/...`.
struct UpdateServer {
    address: SocketAddr,
    release: std::sync::Arc<Mutex<Option<Release>>>,
}

impl UpdateServer {
    async fn start() -> Self {
        let release: std::sync::Arc<Mutex<Option<Release>>> = std::sync::Arc::default();
        let manifest = std::sync::Arc::clone(&release);
        let download = std::sync::Arc::clone(&release);
        let router = Router::new()
            .route(
                "/latest.json",
                get(move || {
                    let release = manifest.lock().unwrap().clone().unwrap();
                    async move {
                        (
                            release.manifest_status,
                            [(header::CONTENT_TYPE, "application/json")],
                            release.manifest,
                        )
                    }
                }),
            )
            .route(
                "/download/Kindred.AppImage",
                get(move || {
                    let release = download.lock().unwrap().clone().unwrap();
                    async move { Bytes::from(release.artifact) }
                }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self { address, release }
    }

    fn serve(&self, release: Release) {
        *self.release.lock().unwrap() = Some(release);
    }

    fn endpoint(&self) -> String {
        format!("http://{}/latest.json", self.address)
    }
}

/// A mock app running version [`RUNNING`] with the updater plugin configured with
/// `pubkey` and an endpoint nobody listens on.
fn app_trusting(pubkey: &str) -> App<MockRuntime> {
    app_configured(json!({ "pubkey": pubkey, "endpoints": ["http://127.0.0.1:9/latest.json"] }))
}

/// A mock app running version [`RUNNING`] whose `plugins.updater` is `updater`.
fn app_configured(updater: Value) -> App<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".to_owned(), updater);
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .expect("the updater plugin accepts its configuration")
}

/// Points the updater at `server` for the length of the test.
struct Endpoint {
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        std::env::remove_var(ENDPOINT_ENV);
    }
}

async fn use_endpoint(url: &str) -> Endpoint {
    let turn = ENDPOINT.lock().await;
    std::env::set_var(ENDPOINT_ENV, url);
    Endpoint { _turn: turn }
}

/// Collects the progress events of a download.
#[derive(Default)]
struct Progress(Mutex<Vec<UpdateProgress>>);

impl Progress {
    fn events(&self) -> Vec<UpdateProgress> {
        self.0.lock().unwrap().clone()
    }
}

#[tokio::test]
async fn a_signed_update_is_found_described_and_downloaded_with_progress_and_verified() {
    let key = SigningKey::generate();
    let server = UpdateServer::start().await;
    let artifact = artifact();
    let signature = key.sign(&artifact, OFFERED);
    server.serve(Release::signed(
        server.address,
        OFFERED,
        artifact.clone(),
        &signature,
    ));
    let _endpoint = use_endpoint(&server.endpoint()).await;
    let app = app_trusting(&key.public());

    let update = updater::find(app.handle())
        .await
        .expect("the server's latest.json is read")
        .expect("a newer version is offered");
    let info = updater::describe(&update);
    assert_eq!(info.version, OFFERED, "the offered version is shown");
    assert_eq!(info.current_version, RUNNING, "beside the running one");
    assert_eq!(info.notes.as_deref(), Some(NOTES), "with what is new");
    assert_eq!(info.date.as_deref(), Some(PUB_DATE), "and when it came out");

    let progress = Progress::default();
    let record = |event| progress.0.lock().unwrap().push(event);
    let (downloaded, bytes) = updater::download(app.handle(), OFFERED, &record)
        .await
        .expect("a correctly signed update is accepted");
    assert_eq!(downloaded.version, OFFERED);
    assert_eq!(
        bytes, artifact,
        "the verified bytes are the artifact served"
    );

    let events = progress.events();
    let counts: Vec<u64> = events
        .iter()
        .filter_map(|event| match event {
            UpdateProgress::Downloading { downloaded, total } => {
                assert_eq!(*total, Some(artifact.len() as u64), "the size is known");
                Some(*downloaded)
            }
            _ => None,
        })
        .collect();
    assert!(
        counts.len() > 1,
        "progress comes in several steps: {counts:?}"
    );
    assert!(
        counts.windows(2).all(|pair| pair[0] < pair[1]),
        "the downloaded count only grows: {counts:?}"
    );
    assert_eq!(
        counts.last(),
        Some(&(artifact.len() as u64)),
        "up to the whole artifact"
    );
    assert_eq!(
        events.last(),
        Some(&UpdateProgress::Verifying),
        "the signature check follows the download"
    );
}

/// Downloads the offered update and returns the refusal.
async fn refusal(server: &UpdateServer, pubkey: &str) -> kindred_api::ApiError {
    let _endpoint = use_endpoint(&server.endpoint()).await;
    let app = app_trusting(pubkey);
    let progress = Progress::default();
    let record = |event| progress.0.lock().unwrap().push(event);
    match updater::download(app.handle(), OFFERED, &record).await {
        Ok(_) => panic!("an update whose signature does not verify was accepted"),
        Err(error) => error,
    }
}

fn assert_refused_for_its_signature(error: &kindred_api::ApiError) {
    assert_eq!(error.code, ErrorCode::InvalidInput, "{error:?}");
    assert!(
        error.message.contains("refused") && error.message.contains("signature"),
        "the message says the signature is why: {}",
        error.message
    );
    assert!(
        error.message.contains("this version keeps working"),
        "and that nothing changed: {}",
        error.message
    );
}

#[tokio::test]
async fn a_tampered_artifact_is_refused_with_the_signature_error() {
    let key = SigningKey::generate();
    let server = UpdateServer::start().await;
    let artifact = artifact();
    let signature = key.sign(&artifact, OFFERED);
    let mut tampered = artifact;
    tampered[1_000] ^= 0x01;
    server.serve(Release::signed(
        server.address,
        OFFERED,
        tampered,
        &signature,
    ));

    assert_refused_for_its_signature(&refusal(&server, &key.public()).await);
}

#[tokio::test]
async fn an_update_signed_with_another_key_is_refused() {
    let (ours, theirs) = (SigningKey::generate(), SigningKey::generate());
    let server = UpdateServer::start().await;
    let artifact = artifact();
    let signature = theirs.sign(&artifact, OFFERED);
    server.serve(Release::signed(
        server.address,
        OFFERED,
        artifact,
        &signature,
    ));

    assert_refused_for_its_signature(&refusal(&server, &ours.public()).await);
}

#[tokio::test]
async fn an_update_without_a_signature_is_refused() {
    let key = SigningKey::generate();
    let server = UpdateServer::start().await;
    server.serve(Release::signed(server.address, OFFERED, artifact(), ""));

    assert_refused_for_its_signature(&refusal(&server, &key.public()).await);
}

#[tokio::test]
async fn a_signature_made_for_an_older_version_is_refused_for_a_newer_announcement() {
    let key = SigningKey::generate();
    let server = UpdateServer::start().await;
    let artifact = artifact();
    // A genuine, correctly signed old release announced as a new version (a downgrade
    // dressed up as an update): the signed version gives it away.
    let signature = key.sign(&artifact, "0.0.9");
    server.serve(Release::signed(
        server.address,
        OFFERED,
        artifact,
        &signature,
    ));

    assert_refused_for_its_signature(&refusal(&server, &key.public()).await);
}

/// The app's own `plugins.updater` in `tauri.conf.json`.
fn committed_updater_config() -> Value {
    let config: Value =
        serde_json::from_str(include_str!("../tauri.conf.json")).expect("tauri.conf.json parses");
    config["plugins"]["updater"].clone()
}

/// The key the app's own `tauri.conf.json` trusts.
fn committed_pubkey() -> String {
    committed_updater_config()["pubkey"]
        .as_str()
        .expect("tauri.conf.json names the update key")
        .to_owned()
}

#[tokio::test]
async fn the_committed_key_is_a_minisign_public_key_that_refuses_updates_signed_by_others() {
    let text = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(committed_pubkey())
            .expect("the key is base64, as Tauri wants it"),
    )
    .unwrap();
    assert!(
        text.starts_with("untrusted comment: minisign public key"),
        "it is a minisign public key file: {text}"
    );
    minisign::PublicKey::from_box(minisign::PublicKeyBox::from_string(&text).unwrap())
        .expect("the key decodes");

    let stranger = SigningKey::generate();
    let server = UpdateServer::start().await;
    let artifact = artifact();
    let signature = stranger.sign(&artifact, OFFERED);
    server.serve(Release::signed(
        server.address,
        OFFERED,
        artifact,
        &signature,
    ));
    let _endpoint = use_endpoint(&server.endpoint()).await;
    // The app's configuration as committed: the plugin accepts it (https endpoints, the key).
    let app = app_configured(committed_updater_config());
    let Err(error) = updater::download(app.handle(), OFFERED, &|_| {}).await else {
        panic!("an update signed by a stranger was accepted by the committed key");
    };
    assert_refused_for_its_signature(&error);
}

/// Looks for an update at `server` and returns the error.
async fn check_failure(server: &UpdateServer) -> kindred_api::ApiError {
    let key = SigningKey::generate();
    let _endpoint = use_endpoint(&server.endpoint()).await;
    let app = app_trusting(&key.public());
    match updater::find(app.handle()).await {
        Ok(found) => panic!(
            "a broken server offered an update: {:?}",
            found.as_ref().map(updater::describe)
        ),
        Err(error) => error,
    }
}

#[tokio::test]
async fn a_server_error_is_reported_and_offers_nothing() {
    let server = UpdateServer::start().await;
    server.serve(Release {
        manifest_status: StatusCode::INTERNAL_SERVER_ERROR,
        manifest: "upstream exploded".to_owned(),
        artifact: Vec::new(),
    });

    let error = check_failure(&server).await;
    assert_eq!(error.code, ErrorCode::Io, "{error:?}");
    assert!(
        error.message.contains(&server.endpoint()),
        "the message names the server: {}",
        error.message
    );
    assert!(
        error.message.contains("this version keeps working"),
        "{}",
        error.message
    );
}

#[tokio::test]
async fn a_malformed_latest_json_is_reported_and_offers_nothing() {
    let server = UpdateServer::start().await;
    for manifest in [
        "{\"version\": ",
        "{\"notes\": \"no version nor platforms\"}",
    ] {
        server.serve(Release {
            manifest_status: StatusCode::OK,
            manifest: manifest.to_owned(),
            artifact: Vec::new(),
        });
        let error = check_failure(&server).await;
        assert!(
            error.message.contains("could not look for updates")
                && error.message.contains("this version keeps working"),
            "{manifest:?} gives a clear error: {}",
            error.message
        );
    }
}

#[tokio::test]
async fn the_same_or_an_older_version_is_no_update_and_a_changed_offer_is_not_installed() {
    let key = SigningKey::generate();
    let server = UpdateServer::start().await;
    let artifact = artifact();
    let _endpoint = use_endpoint(&server.endpoint()).await;
    let app = app_trusting(&key.public());

    let same = key.sign(&artifact, RUNNING);
    server.serve(Release::signed(
        server.address,
        RUNNING,
        artifact.clone(),
        &same,
    ));
    assert!(
        updater::find(app.handle()).await.unwrap().is_none(),
        "the running version is not an update"
    );

    // The person reviewed 0.2.0; meanwhile the server moved on to 0.3.0.
    let newer = key.sign(&artifact, "0.3.0");
    server.serve(Release::signed(server.address, "0.3.0", artifact, &newer));
    let Err(error) = updater::download(app.handle(), OFFERED, &|_| {}).await else {
        panic!("an update the person did not review was downloaded");
    };
    assert_eq!(error.code, ErrorCode::InvalidInput, "{error:?}");
    assert!(error.message.contains("0.3.0"), "{}", error.message);
}

#[tokio::test]
async fn a_bad_endpoint_variable_is_named_in_the_error() {
    let key = SigningKey::generate();
    let _endpoint = use_endpoint("not a url").await;
    let app = app_trusting(&key.public());
    let Err(error) = updater::find(app.handle()).await else {
        panic!("a check with an unusable endpoint succeeded");
    };
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(error.message.contains(ENDPOINT_ENV), "{}", error.message);
}

#[tokio::test]
async fn the_check_on_start_asks_the_server_at_most_once_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        data_dir: dir.path().join("data"),
        secrets: Box::new(FileStore::new(dir.path().join("secrets.json"))),
    };
    let kindred = std::sync::Arc::new(Kindred::open(&config).await.unwrap());
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap();
    let due = |at| updater::scheduled_check_due(Ok(std::sync::Arc::clone(&kindred)), at);

    assert!(due(start).await, "the first start looks");
    assert!(
        !due(start + Duration::hours(3)).await,
        "a restart that day does not"
    );
    assert!(
        !due(start + Duration::hours(23)).await,
        "nor one just under a day later"
    );
    assert!(
        due(start + Duration::hours(24)).await,
        "a day later it looks again"
    );
    assert!(
        due(start).await,
        "a clock moved back does not silence the check for ever"
    );
    kindred.close().await;

    let reopened = Kindred::open(&config).await.unwrap();
    assert!(
        !reopened
            .claim_update_check(start + Duration::minutes(5))
            .await
            .unwrap(),
        "the last check is remembered in the store across restarts"
    );
    reopened.close().await;
    let no_engine = Err(kindred_api::ApiError::new(
        ErrorCode::StoreUnavailable,
        "locked",
    ));
    assert!(
        updater::scheduled_check_due(no_engine, start).await,
        "without a store the app still looks: an update may be the fix"
    );
}
