//! End-to-end: the real app in a real window (Xvfb), driven through tauri-driver and
//! WebKitWebDriver as a person would use it, with the real system keyring — launch on the
//! first-run screen, explore the sample mailbox, see the stats, then Wrapped, the people
//! and a person's page with the story of the relationship, the graph, an answer of the
//! assistant in offline mode with its sources, a rule's dry run and the task board, and
//! finally delete all the data: nothing is left in the data folder or the keyring, and
//! the app closes. Each screen is kept as a screenshot in `tests/artifacts/`.
//! `scripts/test.sh` provides the display, the D-Bus session with an unlocked keyring,
//! and the drivers.

mod support;

use std::time::Duration;

use support::{Driver, ARROW_RIGHT, ENTER};

/// How long the app may take to generate and import the sample in a debug build.
const IMPORT_TIMEOUT: Duration = Duration::from_secs(240);
/// A rule that fires for every message, so its dry run over the sample cannot be empty.
const RULE: &str = "when message.received then log message=\"{subject}\"";

#[test]
#[allow(
    clippy::too_many_lines,
    reason = "one journey through every screen, in the order a person takes it"
)]
fn the_journey_from_first_run_through_every_screen_to_deleting_all_data() {
    let data = tempfile::tempdir().unwrap();
    let driver = Driver::start(|command| {
        command
            .env("KINDRED_DATA_DIR", data.path())
            .env_remove("KINDRED_SECRETS");
    });
    let session = driver.session(IMPORT_TIMEOUT);

    session.element("[data-testid='explore-sample']");
    session.screenshot("app-welcome.png");
    session.click("[data-testid='explore-sample']");
    session.click("[data-testid='import-continue']");
    let shown = session.data_value("[data-testid='stat-messages']");
    let people = session.data_value("[data-testid='stat-people']");
    session.screenshot("app-overview.png");

    session.click("[data-testid='nav-wrapped']");
    let card = session.evaluate(
        "[data-testid='wrapped-card']",
        "return document.querySelector('[data-testid=wrapped-card]').dataset.card",
    );
    session.screenshot("app-wrapped.png");

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

    session.click("[data-testid='person-open']");
    let page_name = session.evaluate(
        "[data-testid='person-address']",
        "return document.querySelector('[data-testid=person-name]').textContent.trim()",
    );
    let story_citations = session.evaluate(
        "[data-testid='story-text']",
        "return document.querySelectorAll('[data-testid=story-text] [data-testid=citation]').length",
    );
    session.screenshot("app-person.png");

    session.click("[data-testid='nav-graph']");
    let graph = session.evaluate(
        "[data-testid='graph-stage']:not([data-nodes='0']) canvas",
        "const stage = document.querySelector('[data-testid=graph-stage]'); \
         return [stage.dataset.renderer, Number(stage.dataset.nodes)]",
    );
    session.screenshot("app-graph.png");

    // What the window showed, against the engine itself (a second reader of the store
    // while the app keeps it open).
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

    session.click("[data-testid='nav-assistant']");
    let offline = session.evaluate(
        "[data-testid='provider-status'][data-offline]",
        "return document.querySelector('[data-testid=provider-status]').dataset.offline",
    );
    let question = format!(
        "When did I last talk with {}?",
        rows[0].as_str().unwrap_or("my strongest contact")
    );
    session.type_text("[data-testid='question']", &format!("{question}{ENTER}"));
    let sources = session.evaluate(
        "[data-testid='message-assistant'] [data-testid='source']",
        "return document.querySelectorAll('[data-testid=message-assistant] [data-testid=source]').length",
    );
    session.screenshot("app-assistant.png");

    session.click("[data-testid='nav-rules']");
    session.type_text("[data-testid='rule-text']", RULE);
    session.click("[data-testid='rule-dry-run']");
    let fired = session.evaluate(
        "[data-testid='dry-run-count']",
        "return document.querySelector('[data-testid=dry-run-count]').textContent",
    );
    session.screenshot("app-rules-dry-run.png");

    session.click("[data-testid='nav-tasks']");
    session.type_text(
        "[data-testid='task-title']",
        "Thank the sample's strongest contact",
    );
    session.click("[data-testid='task-add']");
    session.type_text(
        "[data-column='todo'] [data-testid='task-card']",
        ARROW_RIGHT,
    );
    session.element("[data-column='doing'] [data-testid='task-card']");
    // Away and back: the board reloads from the engine, which kept the move.
    session.click("[data-testid='nav-overview']");
    session.click("[data-testid='nav-tasks']");
    let doing = session.evaluate(
        "[data-column='doing'] [data-testid='task-card']",
        "return [...document.querySelectorAll('[data-column=doing] [data-testid=task-title-text]')]\
         .map((title) => title.textContent)",
    );
    session.screenshot("app-tasks.png");

    session.click("[data-testid='nav-settings']");
    // Settings fills in as its parts load: the button is clicked once the parts above it
    // that move it have come.
    session.element("[data-testid='retention']");
    session.element("[data-testid='llm-base-url']");
    session.click("[data-testid='delete-all']");
    session.type_text("[data-testid='delete-all-word']", "delete");
    session.click("[data-testid='delete-all-confirm']");
    session.element("[data-testid='delete-all-dialog'][data-phase='deleted']");
    session.screenshot("app-deleted.png");
    let closed = session.click_to_close("[data-testid='delete-all-quit']", Duration::from_secs(30));
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
    assert_eq!(
        page_name.as_str(),
        rows[0].as_str(),
        "the person page opens on the person selected in People"
    );
    assert!(
        story_citations.as_u64() > Some(0),
        "the person's story cites its sources: {story_citations}"
    );
    assert!(
        matches!(graph[0].as_str(), Some("webgl" | "canvas")),
        "the graph is drawn, with WebGL or the canvas fallback: {graph}"
    );
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
    assert_eq!(
        offline.as_str(),
        Some("true"),
        "without an LLM the assistant says it is in offline mode"
    );
    assert!(
        sources.as_u64() > Some(0),
        "the offline answer cites its sources: {sources}"
    );
    let fired_count: u64 = fired
        .as_str()
        .and_then(|text| text.split_whitespace().nth(3))
        .and_then(|count| count.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("the dry run says how often the rule fired: {fired}"));
    assert!(
        fired_count > 0,
        "a rule for every message fires over the sample: {fired}"
    );
    assert_eq!(
        doing,
        serde_json::json!(["Thank the sample's strongest contact"]),
        "the task added and moved with the keyboard is in Doing, as the engine keeps it"
    );
    assert!(closed, "Close Kindred ends the app");
    let left: Vec<_> = std::fs::read_dir(data.path())
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(
        left.is_empty(),
        "nothing is left in the data folder: {left:?}"
    );
    let config = kindred_api::Config::from_env(Some(data.path().to_owned())).unwrap();
    let key = config
        .secrets
        .get(&kindred_store::key_name(data.path()))
        .unwrap();
    assert!(key.is_none(), "the database key is gone from the keyring");
}
