//! End-to-end: "Connect Google" in the real app in a real window (Xvfb, tauri-driver and
//! WebKitWebDriver) against the fake Google. The app's system browser is a shim that
//! fetches the authorization URL with curl, following the fake's 302 to the app's
//! loopback listener, as a browser would; the sync view then reports the first sync done
//! and the overview counts exactly the messages the fake serves. `scripts/test.sh`
//! provides the display and the drivers.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use chrono::{Duration as Days, Utc};
use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use serde_json::{json, Value};

const EMAIL: &str = "dana@example.com";
/// Sign-in, first sync and recompute of a small mailbox in a debug build.
const SYNC_TIMEOUT: Duration = Duration::from_secs(120);

struct Driver {
    process: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ended = self.process.kill();
        let _reaped = self.process.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
    assert!(
        found,
        "{tool} is not on PATH; run the suite with scripts/test.sh, which installs it"
    );
}

/// A mailbox of `count` messages from the last weeks (inside the default 365-day window),
/// each from a different correspondent to `EMAIL`.
fn write_mbox(path: &Path, count: usize) {
    let mut text = String::new();
    for index in 0..count {
        let day = i64::try_from(index).unwrap() + 1;
        let date = (Utc::now() - Days::days(day)).to_rfc2822();
        text.push_str(&format!(
            "From sender{index}@example.org Mon Jan  1 00:00:00 2024\n\
             From: Sender {index} <sender{index}@example.org>\n\
             To: Dana <{EMAIL}>\n\
             Subject: Hello number {index}\n\
             Date: {date}\n\
             Message-ID: <message-{index}@example.org>\n\
             \n\
             Message body {index}.\n\n"
        ));
    }
    std::fs::write(path, text).unwrap();
}

/// An `xdg-open` (the opener's first choice on Linux, also named by `BROWSER`) that
/// fetches the URL in the background and returns at once, as a browser launcher does:
/// the app's loopback listener answers only after the opener has returned.
fn browser_shim(dir: &Path) -> PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("browser.log");
    let shim = bin.join("xdg-open");
    std::fs::write(
        &shim,
        format!(
            "#!/bin/sh\nnohup curl --silent --show-error --location --max-time 60 \
             --output /dev/null \"$1\" >>{log} 2>&1 &\nexit 0\n",
            log = log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&shim, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn start_driver(data_dir: &Path, fake: &FakeGoogle, shim_dir: &Path) -> Driver {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display; run the suite with scripts/test.sh (xvfb-run)"
    );
    require("tauri-driver");
    require("WebKitWebDriver");
    require("curl");
    let port = free_port();
    let native_port = free_port();
    let path = std::env::join_paths(
        std::iter::once(shim_dir.to_owned())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let process = Command::new("tauri-driver")
        .args(["--port", &port.to_string()])
        .args(["--native-port", &native_port.to_string()])
        .env("KINDRED_DATA_DIR", data_dir.join("data"))
        .env(
            "KINDRED_SECRETS",
            format!("file:{}", data_dir.join("secrets").display()),
        )
        .env("PATH", path)
        .env("BROWSER", shim_dir.join("xdg-open"))
        .envs(fake.env())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let driver = Driver {
        process,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while ureq::get(&format!("{}/status", driver.url)).call().is_err() {
        assert!(
            Instant::now() < deadline,
            "tauri-driver did not come up on {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    driver
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn post(&self, path: &str, body: &Value) -> Value {
        let url = format!("{}/session/{}{path}", self.driver.url, self.id);
        match ureq::post(&url).send_json(body.clone()) {
            Ok(response) => response.into_json::<Value>().unwrap()["value"].clone(),
            Err(ureq::Error::Status(code, response)) => panic!(
                "{path}: WebDriver answered {code}: {}",
                response.into_string().unwrap_or_default()
            ),
            Err(error) => panic!("{path}: {error}"),
        }
    }

    /// The element matching `css`, waited for by the driver's implicit wait.
    fn element(&self, css: &str) -> String {
        let found = self.post("/element", &json!({"using": "css selector", "value": css}));
        found
            .as_object()
            .and_then(|object| object.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    fn click(&self, css: &str) {
        let element = self.element(css);
        self.post(&format!("/element/{element}/click"), &json!({}));
    }

    /// What `script` returns, run once the element matching `css` is there (read by a
    /// script, not an element reference a re-render would make stale).
    fn evaluate(&self, css: &str, script: &str) -> Value {
        self.element(css);
        self.post("/execute/sync", &json!({"script": script, "args": []}))
    }

    /// A PNG of the window as it is now: two animation frames are let pass first, or
    /// WebKit may hand back the last frame it painted before the latest change.
    fn screenshot(&self, name: &str) {
        self.post(
            "/execute/async",
            &json!({
                "script": "const done = arguments[arguments.length - 1]; \
                           requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                "args": []
            }),
        );
        let url = format!("{}/session/{}/screenshot", self.driver.url, self.id);
        let encoded = ureq::get(&url)
            .call()
            .unwrap()
            .into_json::<Value>()
            .unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded["value"].as_str().unwrap())
            .unwrap();
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
        let path = Path::new(&manifest).join("tests/artifacts").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

#[test]
fn connect_google_signs_in_through_the_browser_redirect_syncs_and_counts_what_google_serves() {
    let scratch = tempfile::tempdir().unwrap();
    let mbox = scratch.path().join("inbox.mbox");
    write_mbox(&mbox, 7);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(FakeGoogle::start(FakeConfig::default()))
        .unwrap();
    fake.add_user(EMAIL);
    fake.load_mbox(EMAIL, &mbox).unwrap();
    let served = fake.message_ids(EMAIL).len();
    assert_eq!(served, 7, "the fake serves every message of the mailbox");

    let shim = browser_shim(scratch.path());
    let driver = start_driver(scratch.path(), &fake, &shim);
    let created: Value = ureq::post(&format!("{}/session", driver.url))
        .send_json(json!({
            "capabilities": {"alwaysMatch": {
                "browserName": "wry",
                "tauri:options": {"application": env!("CARGO_BIN_EXE_kindred-app")}
            }}
        }))
        .unwrap()
        .into_json()
        .unwrap();
    let session = Session {
        driver: &driver,
        id: created["value"]["sessionId"].as_str().unwrap().to_owned(),
    };
    let wait = u64::try_from(SYNC_TIMEOUT.as_millis()).unwrap();
    session.post("/timeouts", &json!({ "implicit": wait }));

    session.click("[data-testid='connect-google']");
    session.element("[data-testid='sync-view'][data-phase='finished']");
    let added = session.evaluate(
        "[data-testid='sync-mail-added']",
        "return document.querySelector('[data-testid=sync-mail-added]').textContent",
    );
    let errors = session.evaluate(
        "[data-testid='sync-view']",
        "return document.querySelectorAll('[data-testid=sync-errors]').length",
    );
    session.screenshot("google-sync-complete.png");

    session.click("[data-testid='sync-continue']");
    let shown = session.evaluate(
        "[data-testid='stat-messages']",
        "return document.querySelector('[data-testid=stat-messages]').dataset.value",
    );
    session.screenshot("google-overview.png");

    session.click("[data-testid='nav-settings']");
    let account = session.evaluate(
        "[data-testid='account']",
        "const a = document.querySelector('[data-testid=account]'); \
         return [a.dataset.email, a.dataset.status]",
    );
    session.screenshot("google-settings-accounts.png");

    assert_eq!(errors, json!(0), "the first sync reports no failed account");
    assert_eq!(
        added,
        json!(served.to_string()),
        "the sync view counts every message the fake serves as added"
    );
    assert_eq!(
        shown,
        json!(served.to_string()),
        "the overview counts exactly the messages Google served"
    );
    assert_eq!(
        account,
        json!([EMAIL, "connected"]),
        "the signed-in account is listed as connected"
    );
    let requests = fake.stats().requests;
    assert_eq!(
        requests.get("oauth2.authorize"),
        Some(&1),
        "the browser shim opened the authorization URL once"
    );
    assert_eq!(
        requests.get("oauth2.token"),
        Some(&1),
        "the app exchanged the code the redirect brought to its loopback listener"
    );
}
