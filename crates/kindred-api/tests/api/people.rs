//! Pages of my people: a search finds anyone, however far down the ranking, and every
//! filter, organisation and offset pages through the same ranking `people` gives, with
//! the total that match.

use kindred_api::{Kindred, PeopleFilter, PeopleQuery, PersonSummary};

use crate::support::{import_mbox, open};

const ME: &str = "maya.lindqvist@larkspur.example";
/// More people than the first page the People screen asks for (100).
const PEOPLE: usize = 150;
const ORGANIZATIONS: [&str; 3] = ["acme.example", "globex.example", "initech.example"];

/// A message each way with each of `PEOPLE` correspondents, the first most recently, so
/// the ranking follows their order. The last is Léa Ström, whose name has accents.
fn mailbox() -> String {
    let mut mbox = String::new();
    for index in 0..PEOPLE {
        let (name, local) = if index == PEOPLE - 1 {
            ("Léa Ström".to_owned(), "lea.strom".to_owned())
        } else {
            (format!("Person {index:03}"), format!("person{index:03}"))
        };
        let address = format!("{local}@{}", ORGANIZATIONS[index % ORGANIZATIONS.len()]);
        // Day by day back from 28 February 2026, the first correspondent the latest.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
            - chrono::Duration::days(i64::try_from(index).unwrap());
        let date = day.format("%d %b %Y");
        for (from, to, hour) in [
            (format!("{name} <{address}>"), ME.to_owned(), 9),
            (ME.to_owned(), address.clone(), 10),
        ] {
            mbox.push_str(&format!(
                "From x@x Mon Mar  2 10:00:00 2026\nFrom: {from}\nTo: {to}\n\
                 Subject: catching up {index}\nMessage-ID: <page-{index}-{hour}@test.example>\n\
                 Date: {date} {hour}:00:00 +0000\n\nhello\n\n"
            ));
        }
    }
    mbox
}

async fn kindred(dir: &std::path::Path) -> Kindred {
    let kindred = open(dir).await;
    import_mbox(&kindred, dir, "people.mbox", &mailbox(), &[ME]).await;
    kindred
}

fn query(search: &str, offset: u32, limit: u32) -> PeopleQuery {
    PeopleQuery {
        search: search.to_owned(),
        offset,
        limit,
        ..PeopleQuery::default()
    }
}

fn emails(people: &[PersonSummary]) -> Vec<&str> {
    people.iter().map(|p| p.emails[0].as_str()).collect()
}

#[tokio::test]
async fn a_search_finds_a_person_ranked_beyond_the_first_page() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = kindred(dir.path()).await;
    let everyone = kindred.people(10_000).await.unwrap();
    assert_eq!(
        everyone.len(),
        PEOPLE,
        "every correspondent is one of my people"
    );

    let first = kindred.people_page(&query("", 0, 100)).await.unwrap();
    assert_eq!(
        first.total, 150,
        "the total counts every match, not the page"
    );
    assert_eq!(
        first.people,
        everyone[..100],
        "the first page is the top of the ranking"
    );
    assert!(
        first
            .people
            .iter()
            .all(|p| p.name.as_deref() != Some("Léa Ström")),
        "Léa ranks last, beyond the first page"
    );

    for search in [
        "lea strom",
        "LÉA",
        "ström lea.strom@initech",
        "initech.example lea",
    ] {
        let found = kindred.people_page(&query(search, 0, 100)).await.unwrap();
        assert_eq!(found.total, 1, "{search:?}: one person has every word");
        assert_eq!(
            emails(&found.people),
            ["lea.strom@initech.example"],
            "{search:?}: name, address and organisation match, case and accents aside"
        );
        assert_eq!(
            found.people[0].rank, 150,
            "{search:?}: her rank is the ranking's"
        );
    }
    let none = kindred
        .people_page(&query("lea acme", 0, 100))
        .await
        .unwrap();
    assert_eq!(
        (none.people.len(), none.total),
        (0, 0),
        "every word must match: Léa is not at Acme"
    );
    kindred.close().await;
}

#[tokio::test]
async fn pages_filters_and_organisations_follow_the_ranking() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = kindred(dir.path()).await;
    let everyone = kindred.people(10_000).await.unwrap();

    let mut paged = Vec::new();
    for offset in (0..160).step_by(40) {
        let page = kindred.people_page(&query("", offset, 40)).await.unwrap();
        assert_eq!(
            page.total, 150,
            "offset {offset}: the total is on every page"
        );
        paged.extend(page.people);
    }
    assert_eq!(paged, everyone, "pages in turn give the whole ranking once");
    let past = kindred.people_page(&query("", 500, 40)).await.unwrap();
    assert_eq!(
        (past.people.len(), past.total),
        (0, 150),
        "an offset past the end is an empty page"
    );

    let globex = kindred
        .people_page(&PeopleQuery {
            organization: Some("Globex.example".to_owned()),
            search: "person".to_owned(),
            limit: 1000,
            ..PeopleQuery::default()
        })
        .await
        .unwrap();
    let expected: Vec<&PersonSummary> = everyone
        .iter()
        .filter(|p| p.organization.as_deref() == Some("globex.example"))
        .collect();
    assert_eq!(expected.len(), 50, "a third of my people are at Globex");
    assert_eq!(
        globex.people.iter().collect::<Vec<_>>(),
        expected,
        "the organisation's people, in rank order, the domain's case aside"
    );
    assert_eq!(globex.total, 50);
    assert_eq!(
        globex.counts.all, 50,
        "the counts are of the search and organisation"
    );
    assert_eq!(globex.ranked, 150, "everyone ranked, whatever the query");
    assert_eq!(
        globex.top_score, everyone[0].score,
        "bars are drawn against my strongest tie of all"
    );

    for filter in [
        PeopleFilter::All,
        PeopleFilter::Fading,
        PeopleFilter::New,
        PeopleFilter::OweReply,
    ] {
        let expected = kindred.people_matching(filter, 10_000).await.unwrap();
        let page = kindred
            .people_page(&PeopleQuery {
                filter,
                limit: 10_000,
                ..PeopleQuery::default()
            })
            .await
            .unwrap();
        assert_eq!(
            page.people, expected,
            "{filter:?}: the same people as the list"
        );
        assert_eq!(page.total as usize, expected.len(), "{filter:?}: total");
        let count = match filter {
            PeopleFilter::All => page.counts.all,
            PeopleFilter::Fading => page.counts.fading,
            PeopleFilter::New => page.counts.new,
            PeopleFilter::OweReply => page.counts.owe_reply,
        };
        assert_eq!(
            count, page.total,
            "{filter:?}: its count is what it selects"
        );
        assert_eq!(
            page.counts.all, 150,
            "{filter:?}: every filter's count is given"
        );
    }
    let new = kindred
        .people_matching(PeopleFilter::New, 10_000)
        .await
        .unwrap();
    assert!(
        !new.is_empty() && new.len() < PEOPLE,
        "the filter selects some, not all: {} new",
        new.len()
    );
    kindred.close().await;
}
