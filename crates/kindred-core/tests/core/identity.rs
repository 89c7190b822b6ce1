//! Identity: sure merges happen alone, weaker likeness only proposes, and the person's
//! merges and splits win and survive a recompute.

use kindred_core::identity::{proposals, Decision, Identities, KnownAddress, ProposalReason};
use kindred_core::Address;

fn known(id: i64, address: &str, name: Option<&str>) -> KnownAddress {
    KnownAddress {
        id,
        address: Address::parse(address).unwrap(),
        display_name: name.map(str::to_owned),
    }
}

fn book() -> Vec<KnownAddress> {
    vec![
        known(1, "dana.smith@gmail.com", Some("Dana Smith")),
        known(2, "danasmith+work@googlemail.com", None),
        known(3, "dgagliardi@reliant.com", Some("Diana Gagliardi")),
        known(4, "dgagliardi@reliantenergy.com", None),
        known(5, "dsmith@acme.com", Some("Smith, Dana")),
        known(6, "info@acme.com", None),
        known(7, "info@acmecorp.com", None),
        known(8, "pat@acme.com", Some("Pat")),
        known(9, "pat@other.org", Some("Pat")),
    ]
}

#[test]
fn gmail_dot_and_plus_variants_merge_by_themselves_and_nothing_weaker_does() {
    let identities = Identities::resolve(&book(), &[]);
    assert_eq!(identities.person_of(2), Some(1));
    assert_eq!(identities.members(1), &[1, 2]);
    for lone in [3, 4, 5, 6, 7, 8, 9] {
        assert_eq!(identities.person_of(lone), Some(lone), "{lone}");
    }
    assert_eq!(identities.people().count(), 8);
}

#[test]
fn weaker_evidence_is_proposed_with_its_reason() {
    let book = book();
    let identities = Identities::resolve(&book, &[]);
    let found = proposals(&book, &identities, &[]);
    let pairs: Vec<([i64; 2], &ProposalReason)> =
        found.iter().map(|p| (p.people, &p.reason)).collect();
    assert_eq!(
        pairs,
        vec![
            (
                [1, 5],
                &ProposalReason::SameName {
                    name: "dana smith".into()
                }
            ),
            (
                [3, 4],
                &ProposalReason::SameLocalPart {
                    local_part: "dgagliardi".into()
                }
            ),
        ],
        "role addresses (info@) and one-word names (Pat) are no evidence"
    );
}

#[test]
fn a_confirmed_merge_joins_people_and_is_no_longer_proposed() {
    let book = book();
    let decisions = [Decision::Merge { a: 4, b: 3 }];
    let identities = Identities::resolve(&book, &decisions);
    assert_eq!(identities.members(3), &[3, 4]);
    assert_eq!(identities.person_of(4), Some(3));
    let found = proposals(&book, &identities, &decisions);
    assert!(found.iter().all(|p| p.people != [3, 4]));
}

#[test]
fn a_split_overrides_sure_evidence_and_earlier_merges_and_a_later_merge_overrides_it() {
    let book = book();
    let split = [
        Decision::Merge { a: 1, b: 5 },
        Decision::Split { address: 2 },
        Decision::Split { address: 5 },
    ];
    let identities = Identities::resolve(&book, &split);
    assert_eq!(identities.members(1), &[1]);
    assert_eq!(identities.person_of(2), Some(2));
    assert_eq!(identities.person_of(5), Some(5));
    assert!(
        proposals(&book, &identities, &split)
            .iter()
            .all(|p| !p.addresses.contains(&5) && !p.addresses.contains(&2)),
        "what the person split off is not proposed again"
    );

    let remerged = [split.as_slice(), &[Decision::Merge { a: 2, b: 1 }]].concat();
    let identities = Identities::resolve(&book, &remerged);
    assert_eq!(identities.members(1), &[1, 2]);
    assert_eq!(identities.person_of(5), Some(5));
}

#[test]
fn resolving_again_gives_the_same_people_whatever_the_order_of_the_addresses() {
    let book = book();
    let decisions = [
        Decision::Merge { a: 9, b: 8 },
        Decision::Split { address: 1 },
    ];
    let forward = Identities::resolve(&book, &decisions);
    let mut reversed = book.clone();
    reversed.reverse();
    assert_eq!(forward, Identities::resolve(&reversed, &decisions));
    assert_eq!(forward.members(8), &[8, 9]);
}

#[test]
fn decisions_about_unknown_addresses_are_ignored() {
    let book = book();
    let identities = Identities::resolve(&book, &[Decision::Merge { a: 1, b: 99 }]);
    assert_eq!(identities, Identities::resolve(&book, &[]));
}

#[test]
fn adding_newer_addresses_one_by_one_resolves_as_all_at_once() {
    let mut book = book();
    book.extend([
        known(10, "d.a.n.a.smith@gmail.com", None),
        known(11, "dgagliardi@reliant.com", Some("Diana")),
        known(12, "pat+news@acme.com", None),
        known(13, "someone@gmail.com", Some("Someone")),
        known(14, "some.one+x@googlemail.com", None),
    ]);
    // Decisions name only the addresses known before the newer ones arrive: 3 is split
    // off (so 11, its twin, starts a person of its own), 8 and 9 are merged.
    let decisions = [
        Decision::Merge { a: 3, b: 4 },
        Decision::Split { address: 3 },
        Decision::Merge { a: 8, b: 9 },
    ];
    let mut grown = Identities::resolve(&book[..9], &decisions);
    let persons: Vec<i64> = book[9..].iter().map(|known| grown.add(known)).collect();
    assert_eq!(persons, [1, 11, 12, 13, 13]);
    assert_eq!(grown, Identities::resolve(&book, &decisions));
}
