//! End-to-end: the real app in a real window (Xvfb), driven through tauri-driver and
//! WebKitWebDriver as a person would use it — launch, explore the sample mailbox, see the
//! stats, then the people, Wrapped and the graph — with the real system keyring. `scripts/test.sh` provides the display, the
//! D-Bus session with an unlocked keyring, and the drivers.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// How long the app may take to generate and import the sample in a debug build.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(240);

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

/// Two distinct free ports: both listeners are held until both ports are known.
fn free_ports() -> (u16, u16) {
    let first = TcpListener::bind("127.0.0.1:0").unwrap();
    let second = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = |listener: &TcpListener| listener.local_addr().unwrap().port();
    (port(&first), port(&second))
}

fn require(tool: &str) {
    let found = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
        .unwrap_or(false);
    assert!(
        found,
        "{tool} is not on PATH; run the suite with scripts/test.sh, which installs it"
    );
}

fn start_driver(data_dir: &Path) -> Driver {
    assert!(
        std::env::var_os("DISPLAY").is_some(),
        "no display; run the suite with scripts/test.sh (xvfb-run)"
    );
    require("tauri-driver");
    require("WebKitWebDriver");
    let (port, native_port) = free_ports();
    let process = Command::new("tauri-driver")
        .args(["--port", &port.to_string()])
        .args(["--native-port", &native_port.to_string()])
        .env("KINDRED_DATA_DIR", data_dir)
        .env_remove("KINDRED_SECRETS")
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
    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.driver.url, self.id)
    }

    fn post(&self, path: &str, body: &Value) -> Value {
        value_of(ureq::post(&self.url(path)).send_json(body.clone()), path)
    }

    fn get(&self, path: &str) -> Value {
        value_of(ureq::get(&self.url(path)).call(), path)
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

    /// The `data-value` of the element matching `css`, once it is there. Read by a script
    /// rather than through an element reference, which a re-render would make stale.
    fn data_value(&self, css: &str) -> u64 {
        self.element(css);
        let script = format!("return document.querySelector({css:?}).dataset.value");
        let value = self.post("/execute/sync", &json!({"script": script, "args": []}));
        value
            .as_str()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| panic!("{css} has a numeric data-value: {value}"))
    }

    /// What `script` returns about the page, run once the element matching `css` is there.
    fn evaluate(&self, css: &str, script: &str) -> Value {
        self.element(css);
        self.post("/execute/sync", &json!({"script": script, "args": []}))
    }

    fn screenshot(&self, path: &Path) {
        let encoded = self.get("/screenshot");
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap())
            .unwrap();
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, png).unwrap();
    }
}

/// The `value` of a WebDriver response; an error response fails the test with its body.
fn value_of(response: Result<ureq::Response, ureq::Error>, path: &str) -> Value {
    match response {
        Ok(response) => response.into_json::<Value>().unwrap()["value"].clone(),
        Err(ureq::Error::Status(code, response)) => {
            panic!(
                "{path}: WebDriver answered {code}: {}",
                response.into_string().unwrap_or_default()
            )
        }
        Err(error) => panic!("{path}: {error}"),
    }
}

/// Where screenshots go: read at run time, since a target directory shared by two
/// checkouts may hold a test binary built in the other one.
fn artifacts() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo test");
    Path::new(&manifest).join("tests/artifacts")
}

#[test]
fn the_app_opens_on_first_run_explores_the_sample_and_shows_its_stats_people_wrapped_and_graph() {
    let data = tempfile::tempdir().unwrap();
    let driver = start_driver(data.path());
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
    let wait = u64::try_from(IMPORT_TIMEOUT.as_millis()).unwrap();
    session.post("/timeouts", &json!({ "implicit": wait }));

    session.click("[data-testid='explore-sample']");
    session.click("[data-testid='import-continue']");
    let shown = session.data_value("[data-testid='stat-messages']");
    let people = session.data_value("[data-testid='stat-people']");
    session.screenshot(&artifacts().join("app-overview.png"));

    session.click("[data-testid='nav-people']");
    let rows = session.evaluate(
        "[data-testid='person-row']",
        "return [...document.querySelectorAll('[data-testid=person-row] .name')].map((name) => name.textContent)",
    );
    let why = session.evaluate(
        "[data-testid='why-term']",
        "return document.querySelectorAll('[data-testid=why-term]').length",
    );
    session.screenshot(&artifacts().join("app-people.png"));

    session.click("[data-testid='nav-wrapped']");
    let card = session.evaluate(
        "[data-testid='wrapped-card']",
        "return document.querySelector('[data-testid=wrapped-card]').dataset.card",
    );
    session.screenshot(&artifacts().join("app-wrapped.png"));

    session.click("[data-testid='nav-graph']");
    let graph = session.evaluate(
        "[data-testid='graph-stage']:not([data-nodes='0']) canvas",
        "const stage = document.querySelector('[data-testid=graph-stage]'); \
         return [stage.dataset.renderer, Number(stage.dataset.nodes)]",
    );
    session.screenshot(&artifacts().join("app-graph.png"));
    ureq::delete(&session.url("")).call().unwrap();
    drop(driver);

    assert!(
        shown > 4_000,
        "the overview shows the sample's messages: {shown}"
    );
    assert!(people >= 200, "and its people: {people}");
    assert_eq!(card, "messages", "Wrapped opens on its first card");
    assert!(
        why.as_u64() > Some(0),
        "the selected person's score is explained: {why}"
    );
    assert!(
        matches!(graph[0].as_str(), Some("webgl" | "canvas")),
        "the graph is drawn, with WebGL or the canvas fallback: {graph}"
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (stats, strongest, nodes) = runtime.block_on(async {
        let config = kindred_api::Config::from_env(Some(data.path().to_owned())).unwrap();
        let kindred = kindred_api::Kindred::open(&config).await.unwrap();
        let stats = kindred.stats().await.unwrap();
        let strongest = kindred.people(1).await.unwrap();
        let nodes = kindred.graph_for_display(2000).await.unwrap().nodes.len();
        kindred.close().await;
        (stats, strongest, nodes)
    });
    let first = strongest.first().and_then(|person| person.name.clone());
    assert_eq!(
        rows[0].as_str(),
        first.as_deref(),
        "People opens on the engine's strongest relationship"
    );
    assert_eq!(
        graph[1].as_u64(),
        u64::try_from(nodes).ok(),
        "the graph shows every node of the engine's graph for display"
    );
    assert_eq!(
        stats.messages, shown,
        "the window shows what the encrypted store holds"
    );
    assert_eq!(stats.people, people);
}
