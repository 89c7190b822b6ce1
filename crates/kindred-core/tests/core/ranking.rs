//! Relationship strength: reciprocity, dilution, decay, monotonicity, order independence
//! and the explanation, on named examples and on random interaction histories.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kindred_core::ranking::{
    combine, score, Interaction, InteractionKind, RankingSettings, Score, TermKind, ONE_WAY_SHARE,
    RECIPROCITY_BOOST,
};
use proptest::prelude::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0)
        .single()
        .expect("a valid instant")
}

fn days_ago(days: i64) -> DateTime<Utc> {
    now() - Duration::days(days)
}

fn sent(days: i64, recipients: u32, starts_thread: bool) -> Interaction {
    Interaction {
        at: days_ago(days),
        kind: InteractionKind::Sent {
            recipients,
            starts_thread,
        },
    }
}

fn received(days: i64, recipients: u32, starts_thread: bool) -> Interaction {
    Interaction {
        at: days_ago(days),
        kind: InteractionKind::Received {
            recipients,
            starts_thread,
        },
    }
}

fn meeting(days: i64, minutes: u32, attendees: u32) -> Interaction {
    Interaction {
        at: days_ago(days),
        kind: InteractionKind::Meeting { minutes, attendees },
    }
}

fn value(interactions: &[Interaction]) -> f64 {
    score(interactions, now(), &RankingSettings::default()).value
}

fn term_count(score: &Score, kind: TermKind) -> Option<u32> {
    score
        .terms
        .iter()
        .find(|term| term.kind == kind)
        .map(|term| term.count)
}

fn arbitrary_kind() -> impl Strategy<Value = InteractionKind> {
    prop_oneof![
        (0u32..40, any::<bool>()).prop_map(|(recipients, starts_thread)| {
            InteractionKind::Sent {
                recipients,
                starts_thread,
            }
        }),
        (0u32..40, any::<bool>()).prop_map(|(recipients, starts_thread)| {
            InteractionKind::Received {
                recipients,
                starts_thread,
            }
        }),
        (0u32..600, 0u32..60)
            .prop_map(|(minutes, attendees)| InteractionKind::Meeting { minutes, attendees }),
    ]
}

/// Interactions from five years ago to thirty days in the future, to the second.
fn arbitrary_interaction() -> impl Strategy<Value = Interaction> {
    (-30 * 86_400i64..5 * 365 * 86_400, arbitrary_kind()).prop_map(|(seconds_ago, kind)| {
        Interaction {
            at: now() - Duration::seconds(seconds_ago),
            kind,
        }
    })
}

fn arbitrary_history() -> impl Strategy<Value = Vec<Interaction>> {
    prop::collection::vec(arbitrary_interaction(), 0..40)
}

// --- Reciprocity --------------------------------------------------------------------

#[test]
fn ten_two_way_messages_outscore_twenty_sent_only() {
    let two_way: Vec<_> = (0..5)
        .flat_map(|day| [sent(day, 1, false), received(day, 1, false)])
        .collect();
    let broadcast: Vec<_> = (0..20).map(|day| sent(day % 5, 1, false)).collect();
    assert!(
        value(&two_way) > value(&broadcast),
        "5 messages each way must outscore 20 messages nobody answers: {} vs {}",
        value(&two_way),
        value(&broadcast)
    );
}

#[test]
fn a_one_way_contact_keeps_only_the_one_way_share() {
    let one_way: Vec<_> = (0..10).map(|day| sent(day, 1, true)).collect();
    let result = score(&one_way, now(), &RankingSettings::default());
    let sent_weight = result.terms[0].value;
    assert!(
        (result.value - ONE_WAY_SHARE * sent_weight).abs() < 1e-12,
        "a contact who never writes back keeps {ONE_WAY_SHARE} of the sent weight: {result:?}"
    );
    assert!(
        result
            .terms
            .iter()
            .all(|term| term.kind != TermKind::Reciprocity),
        "no reciprocity boost when only I start threads"
    );
}

proptest! {
    #[test]
    fn never_writing_back_scores_at_most_a_tenth_of_an_equal_two_way_contact(
        pairs in prop::collection::vec((0i64..400, 1u32..20, any::<bool>(), any::<bool>()), 1..30),
        me_writing in any::<bool>(),
    ) {
        // Same volume, same dates, same recipients: 2 × pairs messages either way.
        let mut two_way = Vec::new();
        let mut one_way = Vec::new();
        for &(days, recipients, mine_starts, theirs_starts) in &pairs {
            two_way.push(sent(days, recipients, mine_starts));
            two_way.push(received(days, recipients, theirs_starts));
            for starts in [mine_starts, theirs_starts] {
                one_way.push(if me_writing {
                    sent(days, recipients, starts)
                } else {
                    received(days, recipients, starts)
                });
            }
        }
        let (one, two) = (value(&one_way), value(&two_way));
        prop_assert!(two > 0.0);
        prop_assert!(one <= 0.1 * two, "one-way {one} must be ≤ 10 % of two-way {two}");
    }
}

// --- Dilution -----------------------------------------------------------------------

#[test]
fn a_message_to_one_recipient_counts_more_than_one_to_twenty() {
    for (one, twenty) in [
        (sent(3, 1, false), sent(3, 20, false)),
        (received(3, 1, false), received(3, 20, false)),
    ] {
        assert!(
            value(std::slice::from_ref(&one)) > value(std::slice::from_ref(&twenty)),
            "{one:?} must count more than {twenty:?}"
        );
    }
    assert!((value(&[sent(0, 20, false)]) * 20.0 - value(&[sent(0, 1, false)])).abs() < 1e-12);
}

#[test]
fn a_one_to_one_meeting_counts_more_than_a_thirty_person_one() {
    assert!(value(&[meeting(7, 60, 2)]) > value(&[meeting(7, 60, 30)]));
    assert!(
        (value(&[meeting(0, 60, 30)]) * 29.0 - value(&[meeting(0, 60, 2)])).abs() < 1e-12,
        "a meeting is diluted by the other 29 people in the room"
    );
}

#[test]
fn a_one_hour_one_to_one_meeting_today_is_worth_one() {
    assert!((value(&[meeting(0, 60, 2)]) - 1.0).abs() < 1e-12);
}

proptest! {
    #[test]
    fn more_recipients_never_count_more(
        days in 0i64..1000, fewer in 1u32..100, extra in 1u32..100, is_sent in any::<bool>(),
    ) {
        let make = |recipients| if is_sent {
            sent(days, recipients, false)
        } else {
            received(days, recipients, false)
        };
        prop_assert!(value(&[make(fewer)]) >= value(&[make(fewer + extra)]));
    }

    #[test]
    fn longer_meetings_count_more(
        days in 0i64..365, minutes in 0u32..600, extra in 1u32..600, attendees in 2u32..50,
    ) {
        prop_assert!(
            value(&[meeting(days, minutes + extra, attendees)])
                > value(&[meeting(days, minutes, attendees)])
        );
    }

    #[test]
    fn bigger_meetings_count_less(
        days in 0i64..365, minutes in 1u32..600, attendees in 2u32..50, extra in 1u32..50,
    ) {
        prop_assert!(
            value(&[meeting(days, minutes, attendees)])
                > value(&[meeting(days, minutes, attendees + extra)])
        );
    }
}

// --- Decay --------------------------------------------------------------------------

proptest! {
    #[test]
    fn the_same_interaction_ninety_days_older_counts_half(
        seconds_ago in 0i64..3 * 365 * 86_400, kind in arbitrary_kind(),
    ) {
        let at = now() - Duration::seconds(seconds_ago);
        let settings = RankingSettings::default();
        let recent = score(&[Interaction { at, kind }], now(), &settings);
        let older = score(&[Interaction { at: at - Duration::days(90), kind }], now(), &settings);
        // The single-interaction weight term: sent, received or meetings, listed first.
        let (Some(recent), Some(older)) = (recent.terms.first(), older.terms.first()) else {
            return Err(TestCaseError::fail("one interaction must give a weight term"));
        };
        prop_assert_eq!(recent.kind, older.kind);
        let (recent, older) = (recent.value, older.value);
        prop_assert!((older - recent / 2.0).abs() <= 1e-9, "{older} must be half of {recent}");
    }

    #[test]
    fn older_interactions_never_count_more(
        seconds_ago in 0i64..3 * 365 * 86_400, older_by in 0i64..365 * 86_400,
        kind in arbitrary_kind(),
    ) {
        let at = now() - Duration::seconds(seconds_ago);
        let recent = value(&[Interaction { at, kind }]);
        let older = value(&[Interaction { at: at - Duration::seconds(older_by), kind }]);
        prop_assert!(older <= recent, "older {older} must not beat recent {recent}");
    }

    #[test]
    fn future_interactions_are_ignored(
        history in arbitrary_history(),
        seconds_ahead in 1i64..365 * 86_400,
        kind in arbitrary_kind(),
    ) {
        let mut with_future = history.clone();
        with_future.push(Interaction { at: now() + Duration::seconds(seconds_ahead), kind });
        let settings = RankingSettings::default();
        prop_assert_eq!(score(&with_future, now(), &settings), score(&history, now(), &settings));
    }

    #[test]
    fn a_longer_half_life_never_lowers_a_weight(
        history in arbitrary_history(), half_life in 1.0f64..365.0, longer_by in 0.0f64..365.0,
    ) {
        let with_half_life = |half_life_days| {
            score(&history, now(), &RankingSettings { half_life_days })
        };
        let (shorter, longer) = (with_half_life(half_life), with_half_life(half_life + longer_by));
        // The two-way factor can shift between recent and old mail, so compare the
        // additive weights, which decay on their own.
        for (short_term, long_term) in shorter.terms.iter().zip(&longer.terms) {
            prop_assert_eq!(short_term.kind, long_term.kind);
            if matches!(short_term.kind, TermKind::Sent | TermKind::Received | TermKind::Meetings) {
                prop_assert!(long_term.value >= short_term.value);
            }
        }
    }
}

#[test]
fn an_interaction_exactly_now_counts_in_full() {
    assert!((value(&[meeting(0, 60, 2)]) - 1.0).abs() < 1e-12);
    assert!((value(&[sent(0, 1, false), received(0, 1, false)]) - 2.0).abs() < 1e-12);
}

#[test]
fn the_half_life_setting_is_honoured_and_defaults_to_ninety_days() {
    assert!((RankingSettings::default().half_life_days - 90.0).abs() < f64::EPSILON);
    let thirty = RankingSettings {
        half_life_days: 30.0,
    };
    let result = score(&[meeting(30, 60, 2)], now(), &thirty);
    assert!(
        (result.value - 0.5).abs() < 1e-9,
        "one 30-day half-life halves it: {result:?}"
    );
    for nonsense in [0.0, -5.0, f64::NAN] {
        let result = score(
            &[meeting(90, 60, 2)],
            now(),
            &RankingSettings {
                half_life_days: nonsense,
            },
        );
        assert!(
            (result.value - 0.5).abs() < 1e-9,
            "half-life {nonsense} falls back to 90 days: {result:?}"
        );
    }
    let forever = RankingSettings {
        half_life_days: f64::INFINITY,
    };
    assert!((score(&[meeting(900, 60, 2)], now(), &forever).value - 1.0).abs() < 1e-12);
}

// --- Monotonicity and order ---------------------------------------------------------

proptest! {
    #[test]
    fn adding_an_interaction_never_lowers_the_score(
        history in arbitrary_history(), extra in arbitrary_interaction(),
    ) {
        let before = value(&history);
        let mut more = history;
        more.push(extra);
        let after = value(&more);
        prop_assert!(after >= before * (1.0 - 1e-12), "{after} < {before} after adding one");
    }

    #[test]
    fn the_score_does_not_depend_on_the_order_of_interactions(
        (history, shuffled) in arbitrary_history()
            .prop_flat_map(|history| (Just(history.clone()), Just(history).prop_shuffle())),
    ) {
        let settings = RankingSettings::default();
        prop_assert_eq!(score(&history, now(), &settings), score(&shuffled, now(), &settings));
    }

    #[test]
    fn every_score_is_finite_and_non_negative(
        history in arbitrary_history(), half_life in prop::num::f64::ANY,
    ) {
        let result = score(&history, now(), &RankingSettings { half_life_days: half_life });
        prop_assert!(result.value.is_finite() && result.value >= 0.0, "{result:?}");
        for term in &result.terms {
            prop_assert!(term.value.is_finite() && term.value >= 0.0, "{term:?}");
        }
    }
}

#[test]
fn no_interactions_score_zero_with_no_terms() {
    let result = score(&[], now(), &RankingSettings::default());
    assert_eq!(
        result,
        Score {
            value: 0.0,
            terms: Vec::new()
        }
    );
    let only_future = score(&[sent(-3, 1, true)], now(), &RankingSettings::default());
    assert_eq!(
        only_future,
        Score {
            value: 0.0,
            terms: Vec::new()
        }
    );
}

#[test]
fn extreme_inputs_stay_finite() {
    let history = [
        sent(0, 0, true),
        received(0, 0, true),
        meeting(0, u32::MAX, 0),
        meeting(0, u32::MAX, u32::MAX),
        sent(1_000_000, u32::MAX, false),
    ];
    let result = score(
        &history,
        now(),
        &RankingSettings {
            half_life_days: 1e-300,
        },
    );
    assert!(
        result.value.is_finite() && result.value >= 0.0,
        "{result:?}"
    );
    let result = score(&history, now(), &RankingSettings::default());
    assert!(
        result.value.is_finite() && result.value >= 0.0,
        "{result:?}"
    );
}

// --- Explanation --------------------------------------------------------------------

proptest! {
    #[test]
    fn the_terms_combine_into_the_value_and_count_the_input(history in arbitrary_history()) {
        let result = score(&history, now(), &RankingSettings::default());
        prop_assert_eq!(combine(&result.terms).to_bits(), result.value.to_bits());

        let past: Vec<_> = history.iter().filter(|interaction| interaction.at <= now()).collect();
        let count = |wanted: fn(&InteractionKind) -> bool| -> u32 {
            u32::try_from(past.iter().filter(|interaction| wanted(&interaction.kind)).count())
                .unwrap_or(u32::MAX)
        };
        let sent_count = count(|kind| matches!(kind, InteractionKind::Sent { .. }));
        let received_count = count(|kind| matches!(kind, InteractionKind::Received { .. }));
        let meeting_count = count(|kind| matches!(kind, InteractionKind::Meeting { .. }));
        let started_by_me =
            count(|kind| matches!(kind, InteractionKind::Sent { starts_thread: true, .. }));
        let started_by_them =
            count(|kind| matches!(kind, InteractionKind::Received { starts_thread: true, .. }));
        let some = |n: u32| (n > 0).then_some(n);

        prop_assert_eq!(term_count(&result, TermKind::Sent), some(sent_count));
        prop_assert_eq!(term_count(&result, TermKind::Received), some(received_count));
        prop_assert_eq!(term_count(&result, TermKind::TwoWay), some(sent_count + received_count));
        prop_assert_eq!(term_count(&result, TermKind::Meetings), some(meeting_count));
        let both_start = started_by_me > 0 && started_by_them > 0;
        prop_assert_eq!(
            term_count(&result, TermKind::Reciprocity),
            both_start.then_some(started_by_me + started_by_them)
        );
        prop_assert_eq!(result.terms.is_empty(), past.is_empty());
    }
}

#[test]
fn the_terms_read_as_the_ui_shows_them() {
    let history = [
        sent(0, 1, true),
        sent(0, 1, false),
        received(0, 2, true),
        meeting(0, 90, 2),
        meeting(0, 60, 3),
    ];
    let result = score(&history, now(), &RankingSettings::default());
    let texts: Vec<_> = result.terms.iter().map(|term| term.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "2 messages you sent (diluted by recipients, decayed): 2.0",
            "1 message from them (diluted by recipients, decayed): 0.5",
            "two-way factor ×0.43 (×1.00 when you write to each other equally)",
            "2 meetings, 2.5 h (diluted by attendees, decayed): 2.0",
            "both of you start threads (1 by you, 1 by them): ×1.2",
        ]
    );
    // ((2 + 0.5) × (2 × 0.5 + 0.05 × 1.5) / 2.5 + 2) × 1.2
    let expected = ((2.0 + 0.5) * ((2.0 * 0.5 + 0.05 * 1.5) / 2.5) + 2.0) * 1.2;
    assert!((result.value - expected).abs() < 1e-12, "{result:?}");
}

// --- Reciprocity boost --------------------------------------------------------------

#[test]
fn the_boost_applies_only_when_both_sides_start_threads() {
    let with = |mine: bool, theirs: bool| {
        score(
            &[sent(1, 1, mine), received(1, 1, theirs)],
            now(),
            &RankingSettings::default(),
        )
    };
    let neither = with(false, false);
    for (mine, theirs) in [(false, false), (true, false), (false, true)] {
        let result = with(mine, theirs);
        assert!(
            result
                .terms
                .iter()
                .all(|term| term.kind != TermKind::Reciprocity),
            "no boost when me={mine}, them={theirs}: {result:?}"
        );
        assert_eq!(result.value.to_bits(), neither.value.to_bits());
    }
    let both = with(true, true);
    assert!(
        (both.value - neither.value * RECIPROCITY_BOOST).abs() < 1e-12,
        "both starting threads multiplies by {RECIPROCITY_BOOST}: {both:?}"
    );
}

#[test]
fn future_thread_starts_do_not_earn_the_boost() {
    let result = score(
        &[
            sent(1, 1, true),
            received(1, 1, false),
            received(-1, 1, true),
        ],
        now(),
        &RankingSettings::default(),
    );
    assert!(
        result
            .terms
            .iter()
            .all(|term| term.kind != TermKind::Reciprocity),
        "{result:?}"
    );
}
