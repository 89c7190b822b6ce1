//! End-to-end: the real app in a real window (Xvfb), driven through tauri-driver and
//! WebKitWebDriver as a person would use it — launch, explore the sample mailbox, see the
//! stats, then the people, Wrapped and the graph — with the real system keyring. `scripts/test.sh` provides the display, the
//! D-Bus session with an unlocked keyring, and the drivers.

mod support;

use std::time::Duration;

use support::Driver;

/// How long the app may take to generate and import the sample in a debug build.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(240);

#[test]
fn the_app_opens_on_first_run_explores_the_sample_and_shows_its_stats_people_wrapped_and_graph() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(|command| {
        command
            .env("KINDRED_DATA_DIR", data.path())
            .env_remove("KINDRED_SECRETS");
    });
    let session = driver.session(IMPORT_TIMEOUT);

    session.click("[data-testid='explore-sample']");
    session.click("[data-testid='import-continue']");
    let shown = session.data_value("[data-testid='stat-messages']");
    let people = session.data_value("[data-testid='stat-people']");
    session.screenshot("app-overview.png");

    session.click("[data-testid='nav-people']");
    let rows = session.evaluate(
        "[data-testid='person-row']",
        "return [...document.querySelectorAll('[data-testid=person-row] .name')].map((name) => name.textContent)",
    );
    let why = session.evaluate(
        "[data-testid='why-term']",
        "return document.querySelectorAll('[data-testid=why-term]').length",
    );
    session.screenshot("app-people.png");

    session.click("[data-testid='nav-wrapped']");
    let card = session.evaluate(
        "[data-testid='wrapped-card']",
        "return document.querySelector('[data-testid=wrapped-card]').dataset.card",
    );
    session.screenshot("app-wrapped.png");

    session.click("[data-testid='nav-graph']");
    let graph = session.evaluate(
        "[data-testid='graph-stage']:not([data-nodes='0']) canvas",
        "const stage = document.querySelector('[data-testid=graph-stage]'); \
         return [stage.dataset.renderer, Number(stage.dataset.nodes)]",
    );
    session.screenshot("app-graph.png");
    session.end();
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
