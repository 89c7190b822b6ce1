//! Query words against names and addresses: case and diacritics never matter, and every
//! word must occur.

use kindred_core::words::{fold, Words};

#[test]
fn folding_drops_case_and_diacritics() {
    assert_eq!(fold("Léa ÅSTRÖM-Núñez"), "lea astrom-nunez");
    assert_eq!(fold("ÇA ÉTÉ Zoë"), "ca ete zoe");
    assert_eq!(fold("dana@ACME.example"), "dana@acme.example");
}

#[test]
fn a_query_matches_only_when_every_word_occurs() {
    let words = Words::new("  LÉA  acme ");
    assert!(
        words.all_in(&fold("Lea Park lea@acme.example")),
        "both words occur, accents and case aside"
    );
    assert!(
        !words.all_in(&fold("Lea Park lea@globex.example")),
        "one word missing is no match"
    );
    assert!(Words::new(" \t ").is_empty(), "blank is no word");
    assert!(
        Words::new("").all_in("anything"),
        "no word matches everything"
    );
}
