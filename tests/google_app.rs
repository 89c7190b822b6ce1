//! End-to-end: "Connect Google" in the real app in a real window (Xvfb, tauri-driver and
//! WebKitWebDriver) against the fake Google. The app's system browser is a shim that
//! fetches the authorization URL with curl, following the fake's 302 to the app's
//! loopback listener, as a browser would; the sync view then reports the first sync done
//! and the overview counts exactly the messages the fake serves. `scripts/test.sh`
//! provides the display and the drivers.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Duration as Days, Utc};
use kindred_fakegoogle::{FakeConfig, FakeGoogle};
use serde_json::json;

use support::{require, Driver};

const EMAIL: &str = "dana@example.com";
/// Sign-in, first sync and recompute of a small mailbox in a debug build.
const SYNC_TIMEOUT: Duration = Duration::from_secs(120);

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

/// tauri-driver launching the app against `fake`, with the browser shim in `shim_dir`
/// first on PATH, a file secret store in `data_dir` and a home of its own there (where
/// the login item goes).
fn start_driver(data_dir: &Path, fake: &FakeGoogle, shim_dir: &Path) -> Driver {
    require("curl");
    let path = std::env::join_paths(
        std::iter::once(shim_dir.to_owned())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    Driver::start(|command| {
        command
            .env("KINDRED_DATA_DIR", data_dir.join("data"))
            .env(
                "KINDRED_SECRETS",
                format!("file:{}", data_dir.join("secrets").display()),
            )
            .env("PATH", path)
            .env("HOME", data_dir.join("home"))
            .env("BROWSER", shim_dir.join("xdg-open"))
            .envs(fake.env());
    })
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
    let session = driver.session(SYNC_TIMEOUT);

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

    session.click("[data-testid='autostart']");
    // The box ticks at the click; `data-enabled` follows once the engine has answered.
    session.element("[data-testid='autostart'][data-enabled='true']");
    let autostart_dir = scratch.path().join("home/.config/autostart");
    let login_items: Vec<String> = std::fs::read_dir(&autostart_dir)
        .map(|entries| {
            entries
                .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
                .collect()
        })
        .unwrap_or_default();

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
    assert!(
        login_items.len() == 1 && login_items[0].contains("--background"),
        "start at login writes one login item that starts Kindred in the tray: {login_items:?}"
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
