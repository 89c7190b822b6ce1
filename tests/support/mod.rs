//! What the real-window tests share: tauri-driver started with the app's environment, a
//! WebDriver session on the app, and the few WebDriver calls the tests make. The tests
//! run under `scripts/test.sh`, which provides the display (Xvfb) and the drivers.
#![allow(
    dead_code,
    reason = "each test binary uses its own part of the shared support"
)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// tauri-driver, ended with the test.
pub struct Driver {
    process: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ended = self.process.kill();
        let _reaped = self.process.wait();
    }
}

/// Two distinct free ports: both listeners are held until both ports are known.
fn free_ports() -> (u16, u16) {
    let first = TcpListener::bind("127.0.0.1:0").unwrap();
    let second = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = |listener: &TcpListener| listener.local_addr().unwrap().port();
    (port(&first), port(&second))
}

/// Fails the test with a way forward when `tool` is not on PATH.
pub fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()));
    assert!(
        found,
        "{tool} is not on PATH; run the suite with scripts/test.sh, which installs it"
    );
}

/// Fails the test with a way forward when there is no display to open windows on.
pub fn require_display() {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display; run the suite with scripts/test.sh (xvfb-run)"
    );
}

impl Driver {
    /// Starts tauri-driver; `environment` sets what the app it launches will see.
    pub fn start(environment: impl FnOnce(&mut Command)) -> Self {
        require_display();
        require("tauri-driver");
        require("WebKitWebDriver");
        let (port, native_port) = free_ports();
        let mut command = Command::new("tauri-driver");
        command
            .args(["--port", &port.to_string()])
            .args(["--native-port", &native_port.to_string()])
            .stdout(Stdio::null());
        environment(&mut command);
        let driver = Self {
            process: command.spawn().unwrap(),
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

    /// Launches the app in a session whose element lookups wait up to `wait`.
    pub fn session(&self, wait: Duration) -> Session<'_> {
        let created: Value = ureq::post(&format!("{}/session", self.url))
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
            driver: self,
            id: created["value"]["sessionId"].as_str().unwrap().to_owned(),
        };
        let implicit = u64::try_from(wait.as_millis()).unwrap();
        session.post("/timeouts", &json!({ "implicit": implicit }));
        session
    }
}

/// WebDriver's code for the right arrow key.
pub const ARROW_RIGHT: &str = "\u{E014}";
/// WebDriver's code for the Enter key.
pub const ENTER: &str = "\u{E007}";

/// A WebDriver session on the app.
pub struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.driver.url, self.id)
    }

    pub fn post(&self, path: &str, body: &Value) -> Value {
        value_of(ureq::post(&self.url(path)).send_json(body.clone()), path)
    }

    fn get(&self, path: &str) -> Value {
        value_of(ureq::get(&self.url(path)).call(), path)
    }

    /// Closes the app.
    pub fn end(self) {
        ureq::delete(&self.url("")).call().unwrap();
    }

    /// The element matching `css`, waited for by the driver's implicit wait. When it does
    /// not come, the window as it was is kept as `tests/artifacts/missing-element.png`.
    pub fn element(&self, css: &str) -> String {
        let request = json!({"using": "css selector", "value": css});
        let found = match ureq::post(&self.url("/element")).send_json(request) {
            Ok(response) => response.into_json::<Value>().unwrap()["value"].clone(),
            Err(error) => {
                self.screenshot("missing-element.png");
                panic!("no element {css}: {error}");
            }
        };
        found
            .as_object()
            .and_then(|object| object.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {found}"))
            .to_owned()
    }

    pub fn click(&self, css: &str) {
        let element = self.element(css);
        self.post(&format!("/element/{element}/click"), &json!({}));
    }

    /// Types `text` into the element matching `css` (focusing it first), as keystrokes;
    /// WebDriver's key codes (`ARROW_RIGHT`) press special keys.
    pub fn type_text(&self, css: &str, text: &str) {
        let element = self.element(css);
        self.post(
            &format!("/element/{element}/value"),
            &json!({ "text": text }),
        );
    }

    /// Clicks the element matching `css`, which closes the app, and tells whether it has
    /// closed within `limit`: the driver no longer reaches its window. The click itself
    /// may get no answer, the window going while it is handled.
    pub fn click_to_close(&self, css: &str, limit: Duration) -> bool {
        let element = self.element(css);
        let _answer =
            ureq::post(&self.url(&format!("/element/{element}/click"))).send_json(json!({}));
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if ureq::get(&self.url("/title")).call().is_err() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        false
    }

    /// The numeric `data-value` of the element matching `css`, once it is there.
    pub fn data_value(&self, css: &str) -> u64 {
        let script = format!("return document.querySelector({css:?}).dataset.value");
        let value = self.evaluate(css, &script);
        value
            .as_str()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| panic!("{css} has a numeric data-value: {value}"))
    }

    /// What `script` returns about the page, run once the element matching `css` is
    /// there. Read by a script rather than through an element reference, which a
    /// re-render would make stale.
    pub fn evaluate(&self, css: &str, script: &str) -> Value {
        self.element(css);
        self.post("/execute/sync", &json!({"script": script, "args": []}))
    }

    /// A PNG of the window as it is now, as `tests/artifacts/NAME`. WebKit answers a
    /// screenshot with the next frame it paints; without GL compositing (the app's mode
    /// where there is no GPU, as under Xvfb) a page at rest paints none, so the request
    /// would wait forever. A 1-pixel mark in the corner repaints for a couple of seconds
    /// meanwhile, in colours that both round to transparent, and then goes.
    pub fn screenshot(&self, name: &str) {
        self.post(
            "/execute/sync",
            &json!({"script": SCREENSHOT_TICK, "args": []}),
        );
        let encoded = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap())
            .unwrap();
        let path = artifacts().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// Repaints a 1-pixel mark that leaves no trace for 120 frames, then removes it.
const SCREENSHOT_TICK: &str = "const tick = document.createElement('div'); \
    tick.style.cssText = 'position:fixed;left:0;top:0;width:1px;height:1px;pointer-events:none'; \
    document.body.append(tick); \
    let frames = 0; \
    const paint = () => { \
        tick.style.background = frames % 2 ? 'rgba(0, 0, 0, 0.001)' : 'rgba(255, 255, 255, 0.001)'; \
        if (++frames < 120) requestAnimationFrame(paint); else tick.remove(); \
    }; \
    requestAnimationFrame(paint);";

/// The `value` of a WebDriver response; an error response fails the test with its body.
fn value_of(response: Result<ureq::Response, ureq::Error>, path: &str) -> Value {
    match response {
        Ok(response) => response.into_json::<Value>().unwrap()["value"].clone(),
        Err(ureq::Error::Status(code, response)) => panic!(
            "{path}: WebDriver answered {code}: {}",
            response.into_string().unwrap_or_default()
        ),
        Err(error) => panic!("{path}: {error}"),
    }
}

/// Where screenshots go: read at run time, since a target directory shared by two
/// checkouts may hold a test binary built in the other one.
fn artifacts() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    Path::new(&manifest).join("tests/artifacts")
}
