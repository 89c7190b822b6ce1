//! `kindred people`: ranking over the store, its counts checked against ground truth.

use serde_json::Value;

use crate::{count, Home};

#[test]
fn enron_people_counts_match_the_ground_truth_of_each_correspondent() {
    let Some(data) = kindred_testkit::corpus_dir("enron people") else {
        return;
    };
    for owner in ["fossum-d", "cuilla-m"] {
        let truth: Value = serde_json::from_slice(
            &std::fs::read(data.join(format!("enron/ground_truth_{owner}.json"))).unwrap(),
        )
        .unwrap();
        let home = Home::default();
        let mbox = data.join(format!("enron/{owner}.mbox"));
        let mut args = vec!["import".to_owned(), mbox.display().to_string()];
        for address in truth["owner_addresses"].as_array().unwrap() {
            args.extend(["--me".to_owned(), address.as_str().unwrap().to_owned()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        home.json(&args);
        let people = home.json(&["people", "--limit", "100000"]);
        let people = people.as_array().unwrap();
        let owners: Vec<&str> = truth["owner_addresses"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            people
                .iter()
                .all(|p| !owners.contains(&p["emails"][0].as_str().unwrap())),
            "{owner}: I am never one of my people"
        );
        for expected in truth["dedup"]["top_correspondents"].as_array().unwrap() {
            let address = expected["address"].as_str().unwrap();
            if address.starts_with("noreply@")
                || address.starts_with("no-reply@")
                || address.starts_with("no.address@")
            {
                assert!(
                    people.iter().all(|p| p["emails"][0] != address),
                    "{owner}: the automated or placeholder {address} is not one of my people"
                );
                continue;
            }
            let person = people
                .iter()
                .find(|p| p["emails"][0] == address)
                .unwrap_or_else(|| panic!("{owner}: {address} is among my people"));
            assert_eq!(
                (count(&person["sent"]), count(&person["received"])),
                (
                    count(&expected["sent_to"]),
                    count(&expected["received_from"])
                ),
                "{owner}: {address} sent/received over deduplicated messages"
            );
        }
    }
}

#[test]
fn the_sample_ranks_two_way_ties_first_and_explains_every_score() {
    let home = Home::default();
    home.json(&["sample"]);
    let people = home.json(&["people", "--limit", "10"]);
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 10);
    for (index, person) in people.iter().enumerate() {
        assert_eq!(count(&person["rank"]), index as u64 + 1);
        for key in [
            "person_id",
            "name",
            "emails",
            "organization",
            "score",
            "sent",
            "received",
            "meetings",
            "first_contact_at",
            "last_contact_at",
        ] {
            assert!(
                person.get(key).is_some(),
                "people entries have {key}: {person}"
            );
        }
        assert!(
            count(&person["sent"]) > 0 && count(&person["received"]) > 0,
            "the strongest ties are two-way: {person}"
        );
        let explanation = person["explanation"].as_array().unwrap();
        assert!(
            !explanation.is_empty(),
            "every score is explained: {person}"
        );
    }
    let scores: Vec<f64> = people
        .iter()
        .map(|p| p["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "strongest first: {scores:?}"
    );
    assert!(
        people
            .iter()
            .all(|p| p["emails"][0] != "maya.lindqvist@larkspur.example"),
        "the mailbox's owner is not ranked"
    );
}

#[test]
fn organisations_fold_subdomains_exclude_freemail_and_flag_mine() {
    let home = Home::default();
    home.json(&["sample"]);
    let people = home.json(&["people", "--limit", "100000"]);
    let organizations = home.json(&["orgs", "--limit", "100000"]);
    let organizations = organizations.as_array().unwrap();
    assert!(organizations.len() >= 30, "the sample's ~40 organisations");
    assert_eq!(
        organizations[0]["is_mine"], true,
        "I work closest with my own organisation"
    );
    let domains: Vec<&str> = organizations
        .iter()
        .map(|o| o["domain"].as_str().unwrap())
        .collect();
    for domain in &domains {
        assert!(
            !domains
                .iter()
                .any(|other| other.ends_with(&format!(".{domain}"))),
            "subdomains fold into {domain}"
        );
        assert!(
            !["gmail.com", "yahoo.com", "outlook.com"].contains(domain),
            "freemail is not an organisation"
        );
    }
    let people_in_orgs: u64 = organizations.iter().map(|o| count(&o["people"])).sum();
    let people_with_org = people
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["organization"].is_null())
        .count() as u64;
    assert_eq!(
        people_in_orgs, people_with_org,
        "every person with an organisation is counted once"
    );
}

#[test]
fn search_org_and_offset_page_through_the_same_ranking() {
    let home = Home::default();
    home.json(&["sample"]);
    let everyone = home.json(&["people", "--limit", "100000"]);
    let everyone = everyone.as_array().unwrap();
    assert!(
        everyone.len() > 100,
        "the sample has more people than one page"
    );

    let last = everyone.last().unwrap();
    let email = last["emails"][0].as_str().unwrap();
    let found = home.json(&["people", "--search", &email.to_uppercase()]);
    assert_eq!(
        found
            .as_array()
            .unwrap()
            .iter()
            .map(|p| &p["emails"][0])
            .collect::<Vec<_>>(),
        [&last["emails"][0]],
        "the last-ranked person is found by their address, case aside"
    );
    assert_eq!(
        found[0]["rank"], last["rank"],
        "with their rank in the whole list"
    );

    let page = home.json(&["people", "--offset", "10", "--limit", "5"]);
    assert_eq!(
        page.as_array().unwrap().as_slice(),
        &everyone[10..15],
        "--offset skips the strongest ten"
    );

    let domain = everyone
        .iter()
        .find_map(|p| p["organization"].as_str())
        .unwrap();
    let at_org = home.json(&["people", "--org", domain, "--limit", "100000"]);
    let expected: Vec<&Value> = everyone
        .iter()
        .filter(|p| p["organization"] == domain)
        .collect();
    assert_eq!(
        at_org.as_array().unwrap().iter().collect::<Vec<_>>(),
        expected,
        "--org lists the organisation's people in rank order"
    );

    let text = home.run(&["people", "--limit", "3", "--offset", "3"]);
    assert!(text.status.success());
    let text = String::from_utf8(text.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "three people and where they stand: {text}");
    assert_eq!(
        lines[3],
        format!(
            "4–6 of {} people (--offset 6 for the next ones)",
            everyone.len()
        ),
        "the text says how many match in all"
    );
}
