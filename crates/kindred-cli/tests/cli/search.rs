//! `kindred search` is hybrid: words through the chunks' full-text index and likeness
//! through the local embeddings (or an endpoint's, after `kindred llm reindex`), fused;
//! quoted replies and signatures are not searched; filters by person and dates; new mail
//! is indexed as it comes.

use serde_json::Value;

use crate::Home;

fn message(from: &str, day: u32, subject: &str, body: &str) -> String {
    let slug: String = subject
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!(
        "From sender@x Mon Jan  1 10:00:00 2025\n\
         From: {from}\nTo: Robin Vale <robin@vale.example>\nSubject: {subject}\n\
         Message-ID: <{slug}-{day}@search.example>\n\
         Date: Mon, {day} Mar 2025 10:00:00 +0000\n\n{body}\n\n"
    )
}

const DANA: &str = "Dana Reyes <dana@acme.example>";
const LEE: &str = "Lee Park <lee@globex.example>";

fn import(home: &Home, name: &str, mail: &str) {
    let mbox = home.path().join(name);
    std::fs::write(&mbox, mail).unwrap();
    home.json(&[
        "import",
        mbox.to_str().unwrap(),
        "--me",
        "robin@vale.example",
    ]);
}

fn subjects(hits: &Value) -> Vec<String> {
    hits.as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["subject"].as_str().unwrap().to_owned())
        .collect()
}

fn mailbox() -> String {
    [
        message(DANA, 3, "Quarterly invoice", "The invoice for the Acme account is attached."),
        message(
            LEE,
            5,
            "Re: lunch",
            "Thursday works.\n\n> Shall we talk about the quarterly invoice over lunch?\n\n-- \nLee Park\nHead of Zebra Logistics",
        ),
        message(LEE, 12, "Offsite agenda", "Agenda for the Globex offsite: roadmap and budget."),
        message(DANA, 20, "Budget review", "Let us review the budget for Acme next week."),
    ]
    .concat()
}

#[test]
fn search_fuses_words_and_likeness_and_skips_quoted_text() {
    let home = Home::default();
    import(&home, "search.mbox", &mailbox());
    let hits = home.json(&["search", "invoice"]);
    let first = &hits[0];
    assert_eq!(first["subject"], "Quarterly invoice");
    assert_eq!(first["matched_by"], "both");
    for field in ["message_id", "subject", "from", "date", "snippet", "score"] {
        assert!(!first[field].is_null(), "{field} is in every hit: {first}");
    }
    assert_eq!(first["date"], "2025-03-03T10:00:00Z");
    assert!(first["snippet"].as_str().unwrap().contains("invoice"));
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .all(|hit| hit["subject"] != "Re: lunch" || hit["matched_by"] == "vector"),
        "the word only in a quoted reply is not a text match: {hits}"
    );
    let signature = home.json(&["search", "zebra"]);
    assert!(
        signature
            .as_array()
            .unwrap()
            .iter()
            .all(|hit| hit["matched_by"] == "vector"),
        "a word only in a signature is not a text match: {signature}"
    );

    let typo = home.json(&["search", "invoce", "--limit", "1"]);
    assert_eq!(
        subjects(&typo),
        ["Quarterly invoice"],
        "likeness finds a misspelling"
    );
    assert_eq!(typo[0]["matched_by"], "vector");
}

#[test]
fn filters_narrow_by_person_and_dates_and_new_mail_is_found() {
    let home = Home::default();
    import(&home, "search.mbox", &mailbox());
    let lee = home.json(&["search", "budget", "--person", "lee@globex.example"]);
    assert_eq!(subjects(&lee), ["Offsite agenda"], "{lee}");
    let late = home.json(&["search", "budget", "--from", "2025-03-15"]);
    assert_eq!(subjects(&late), ["Budget review"]);
    let early = home.json(&["search", "budget", "--to", "2025-03-12"]);
    assert_eq!(
        subjects(&early),
        ["Offsite agenda"],
        "--to includes its day"
    );
    let backwards = home.run(&[
        "search",
        "budget",
        "--from",
        "2025-03-15",
        "--to",
        "2025-03-01",
    ]);
    assert!(!backwards.status.success());
    assert!(String::from_utf8_lossy(&backwards.stderr).contains("is before --from"));

    assert!(subjects(&home.json(&["search", "kangaroo"]))
        .iter()
        .all(|s| s != "Kangaroo sighting"));
    import(
        &home,
        "more.mbox",
        &message(DANA, 25, "Kangaroo sighting", "A kangaroo in the car park."),
    );
    let fresh = home.json(&["search", "kangaroo"]);
    assert_eq!(
        subjects(&fresh)[0],
        "Kangaroo sighting",
        "new mail is indexed before searching"
    );
}

#[test]
fn with_an_embeddings_model_search_says_it_is_by_words_until_llm_reindex_has_run() {
    let home = Home::default();
    import(&home, "search.mbox", &mailbox());
    let fake = kindred_fakellm::FakeLlm::start().unwrap();
    fake.set_dimensions(40);
    let with_endpoint = |args: &[&str]| {
        let mut command = home.command(args);
        command
            .arg("--json")
            .env("KINDRED_LLM_BASE_URL", fake.base_url())
            .env(
                "KINDRED_EMBEDDINGS_MODEL",
                kindred_fakellm::EMBEDDINGS_MODEL,
            )
            .env_remove("KINDRED_LLM_MODEL")
            .env_remove("KINDRED_LLM_API_KEY");
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "kindred {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let json: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
        (json, String::from_utf8_lossy(&output.stderr).into_owned())
    };

    let (hits, stderr) = with_endpoint(&["search", "invoice"]);
    assert_eq!(subjects(&hits), ["Quarterly invoice"]);
    assert_eq!(hits[0]["matched_by"], "text");
    assert!(
        stderr.contains("note: vectors not used")
            && stderr.contains("made by local, not by the configured model fake-embed")
            && stderr.contains("kindred llm reindex"),
        "the search says it is by words alone, why, and what to do: {stderr}"
    );
    assert!(fake.embeddings_requests().is_empty());

    let (report, _) = with_endpoint(&["llm", "reindex"]);
    assert_eq!(
        report,
        serde_json::json!({"messages": 0, "events": 0, "embedded": 4, "model": "fake-embed",
                           "complete": true})
    );
    let (hits, stderr) = with_endpoint(&["search", "invoice"]);
    assert!(!stderr.contains("note:"), "{stderr}");
    assert_eq!(hits[0]["subject"], "Quarterly invoice");
    assert_eq!(hits[0]["matched_by"], "both");
    assert_eq!(
        fake.embeddings_requests().last().unwrap().body["input"],
        serde_json::json!(["invoice"]),
        "the question is embedded by the endpoint"
    );
}

#[test]
fn an_imported_calendar_event_is_found_by_search() {
    let home = Home::default();
    import(&home, "search.mbox", &mailbox());
    let ics = home.path().join("calendar.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:offsite-1\r\n\
         DTSTART:20250325T090000Z\r\nDTEND:20250325T170000Z\r\nSUMMARY:Globex offsite\r\n\
         DESCRIPTION:Roadmap workshop and team dinner.\r\nLOCATION:Lakeside lodge\r\n\
         ATTENDEE;CN=Lee Park:mailto:lee@globex.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    home.json(&["import", ics.to_str().unwrap()]);
    let hits = home.json(&["search", "lakeside lodge"]);
    assert_eq!(subjects(&hits), ["Globex offsite"], "{hits}");
    let event = &hits[0];
    assert_eq!(event["kind"], "event");
    assert!(event["event_id"].as_i64().is_some() && event["message_id"].is_null());
    assert_eq!(event["from"], "Lee Park");
    assert_eq!(event["date"], "2025-03-25T09:00:00Z");
    assert_eq!(event["matched_by"], "both");
    let lee = home.json(&["search", "dinner", "--person", "lee@globex.example"]);
    assert_eq!(
        subjects(&lee).first().map(String::as_str),
        Some("Globex offsite"),
        "an attendee's events are theirs: {lee}"
    );
    let dana = home.json(&["search", "dinner", "--person", "dana@acme.example"]);
    assert!(
        !subjects(&dana).contains(&"Globex offsite".to_owned()),
        "and not someone else's: {dana}"
    );
    let text = home.run(&["search", "lakeside"]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("Globex offsite"));
}
