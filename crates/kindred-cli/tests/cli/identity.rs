//! Identity as the person meets it: sure merges happen alone, weaker likeness is proposed,
//! `kindred merge` and `kindred split` are the person's word and survive new evidence.

use serde_json::Value;

use crate::{count, Home};

/// A message in mbox form.
fn message(from: &str, to: &str, day: u32, subject: &str, extra: &str) -> String {
    format!(
        "From sender@x Mon Mar {day:2} 10:00:00 2026\n\
         From: {from}\nTo: {to}\nSubject: {subject}\n\
         Message-ID: <{subject}-{day}@test.example>\n\
         Date: Mon, {day} Mar 2026 10:00:00 +0000\n{extra}\n\
         Body of {subject}.\n\n"
    )
}

fn mailbox() -> String {
    let me = "Robin Vale <robin@vale.example>";
    [
        message(
            me,
            "dana.smith@gmail.com, d.a.n.a.smith+work@googlemail.com",
            2,
            "plans",
            "",
        ),
        message("Dana Smith <dana.smith@gmail.com>", me, 3, "re-plans", ""),
        message("Dana <danasmith+work@gmail.com>", me, 4, "lunch", ""),
        message("Diana G <dgagliardi@reliant.com>", me, 5, "gas", ""),
        message(me, "dgagliardi@reliantenergy.com", 6, "re-gas", ""),
        message(
            "D. Gagliardi <dgagliardi@reliantenergy.com>",
            me,
            7,
            "more-gas",
            "",
        ),
        message("Nobody <no.address@enron.com>", me, 8, "notice", ""),
        message(
            "Weekly <news@letters.example>",
            me,
            9,
            "issue",
            "List-Unsubscribe: <mailto:u@letters.example>\n",
        ),
    ]
    .concat()
}

fn person<'a>(people: &'a [Value], email: &str) -> Option<&'a Value> {
    people
        .iter()
        .find(|p| p["emails"].as_array().unwrap().iter().any(|e| e == email))
}

fn import(home: &Home) {
    let mbox = home.path().join("identity.mbox");
    std::fs::write(&mbox, mailbox()).unwrap();
    home.json(&[
        "import",
        mbox.to_str().unwrap(),
        "--me",
        "robin@vale.example",
    ]);
}

#[test]
fn gmail_variants_are_one_person_counted_once_per_message() {
    let home = Home::default();
    import(&home);
    let people = home.json(&["people", "--limit", "100"]);
    let people = people.as_array().unwrap();
    let dana = person(people, "dana.smith@gmail.com").expect("Dana is a person");
    let mut emails: Vec<&str> = dana["emails"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    emails.sort_unstable();
    assert_eq!(
        emails,
        [
            "d.a.n.a.smith+work@googlemail.com",
            "dana.smith@gmail.com",
            "danasmith+work@gmail.com"
        ]
    );
    assert_eq!(
        count(&dana["sent"]),
        1,
        "one message to two of her addresses is one"
    );
    assert_eq!(count(&dana["received"]), 2);
    assert!(
        person(people, "no.address@enron.com").is_none(),
        "a placeholder names no one"
    );
    assert!(
        person(people, "news@letters.example").is_none(),
        "newsletters are not people"
    );
    assert_eq!(people.len(), 3, "Dana and the two Dianas: {people:?}");
}

#[test]
fn a_weaker_likeness_is_proposed_then_merged_and_split_by_the_person() {
    let home = Home::default();
    import(&home);
    let detail = home.json(&["person", "dgagliardi@reliant.com"]);
    let proposals = detail["proposed_merges"].as_array().unwrap();
    assert_eq!(proposals.len(), 1, "{detail}");
    assert_eq!(proposals[0]["emails"][0], "dgagliardi@reliantenergy.com");
    assert!(proposals[0]["reason"]
        .as_str()
        .unwrap()
        .contains("dgagliardi"));
    let people = home.json(&["people"]);
    assert_eq!(
        people.as_array().unwrap().len(),
        3,
        "proposals are never applied alone"
    );

    let other = proposals[0]["person_id"].to_string();
    let merged = home.json(&["merge", "dgagliardi@reliant.com", &other]);
    assert_eq!(merged["addresses"].as_array().unwrap().len(), 2);
    assert_eq!(
        (
            count(&merged["person"]["sent"]),
            count(&merged["person"]["received"])
        ),
        (1, 2)
    );
    assert!(merged["proposed_merges"].as_array().unwrap().is_empty());

    // New evidence recomputes everything; the merge stays.
    let more = home.path().join("more.mbox");
    std::fs::write(
        &more,
        message(
            "Diana G <dgagliardi@reliant.com>",
            "robin@vale.example",
            20,
            "late-gas",
            "",
        ),
    )
    .unwrap();
    home.json(&["import", more.to_str().unwrap()]);
    let diana = home.json(&["person", "dgagliardi@reliantenergy.com"]);
    assert_eq!(count(&diana["person"]["received"]), 3, "{diana}");
    assert_eq!(diana["addresses"].as_array().unwrap().len(), 2);

    let id = diana["person"]["person_id"].to_string();
    let split = home.json(&["split", &id, "dgagliardi@reliant.com"]);
    assert_eq!(split["addresses"].as_array().unwrap().len(), 1);
    let people = home.json(&["people"]);
    assert_eq!(people.as_array().unwrap().len(), 3);
    let alone = home.json(&["person", "dgagliardi@reliant.com"]);
    assert!(
        alone["proposed_merges"].as_array().unwrap().is_empty(),
        "what the person split is not proposed again"
    );
}

#[test]
fn merge_and_split_refuse_what_makes_no_sense_and_change_nothing() {
    let home = Home::default();
    import(&home);
    let before = home.json(&["people"]);
    for args in [
        vec!["merge", "dana.smith@gmail.com", "danasmith+work@gmail.com"],
        vec!["merge", "dana.smith@gmail.com", "nobody@nowhere.example"],
        vec!["split", "dgagliardi@reliant.com", "dgagliardi@reliant.com"],
        vec!["split", "dana.smith@gmail.com", "dgagliardi@reliant.com"],
        vec!["person", "not an address"],
    ] {
        let output = home.run(&args);
        assert!(!output.status.success(), "{args:?} is refused");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.lines().any(|line| line.starts_with("error: ")),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(home.json(&["people"]), before);
}

#[test]
fn enron_dean_c_proposes_the_two_gagliardi_domains_and_ignores_the_placeholder() {
    let Some(data) = kindred_testkit::corpus_dir("enron identity") else {
        return;
    };
    let home = Home::default();
    let mbox = data.join("enron/dean-c.mbox");
    home.json(&[
        "import",
        mbox.to_str().unwrap(),
        "--me",
        "clint.dean@enron.com",
        "--me",
        "craig.dean@enron.com",
    ]);
    let detail = home.json(&["person", "dgagliardi@reliantenergy.com"]);
    assert_eq!(
        (
            count(&detail["person"]["sent"]),
            count(&detail["person"]["received"])
        ),
        (10, 57),
        "the ground truth's dedup figures"
    );
    let proposals = detail["proposed_merges"].as_array().unwrap();
    assert!(
        proposals.iter().any(|p| p["emails"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e == "dgagliardi@reliant.com")),
        "{detail}"
    );
    let merged = home.json(&[
        "merge",
        "dgagliardi@reliantenergy.com",
        "dgagliardi@reliant.com",
    ]);
    assert_eq!(count(&merged["person"]["received"]), 57 + 50);
    let people = home.json(&["people", "--limit", "100000"]);
    assert!(person(people.as_array().unwrap(), "no.address@enron.com").is_none());
}

#[test]
fn organisations_are_named_as_their_people_spell_them_where_that_is_clear() {
    let home = Home::default();
    let me = "Robin Vale <robin@vale.example>";
    let mbox = home.path().join("orgs.mbox");
    let mail = [
        message("Dana Smith (Acme Corp) <dana@acme.com>", me, 2, "a", ""),
        message("Bob Lee | Acme Corp <bob@eu.acme.com>", me, 3, "b", ""),
        message(me, "Bob Lee | Acme Corp <bob@eu.acme.com>", 4, "c", ""),
        message("Kim Park <kim@northwind-labs.com>", me, 5, "d", ""),
    ];
    std::fs::write(&mbox, mail.concat()).unwrap();
    home.json(&[
        "import",
        mbox.to_str().unwrap(),
        "--me",
        "robin@vale.example",
    ]);
    let organizations = home.json(&["orgs"]);
    let name_of = |domain: &str| {
        organizations
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["domain"] == domain)
            .unwrap_or_else(|| panic!("{domain} is an organisation"))["name"]
            .clone()
    };
    assert_eq!(name_of("acme.com"), "Acme Corp", "as its people write it");
    assert_eq!(
        name_of("northwind-labs.com"),
        "Northwind Labs",
        "no name spells the domain: the name from the domain"
    );
}
