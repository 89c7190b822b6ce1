//! Wrapped: every figure of a hand-computed two-week fixture in a fixed +02:00 zone and of
//! the window before it, the empty and degenerate cases, the period constructors, and
//! invariants over random histories (bounded shares, heatmap totals, sorted top lists,
//! independence from input order).

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeDelta, TimeZone, Utc};
use kindred_core::wrapped::{
    calendar_year, last_days, wrapped, MailFact, MeetingFact, MeetingTotals, Period, Ranked,
    RankedOrganization, ReplyMedians, Wrapped, WrappedInput,
};
use proptest::prelude::*;

/// The fixture's zone: a fixed +02:00, so no DST transition can move an hour.
fn zone() -> FixedOffset {
    FixedOffset::east_opt(2 * 3600).expect("+02:00 is a valid offset")
}

fn to_local(at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone()).naive_local()
}

fn to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    zone()
        .from_local_datetime(&local)
        .single()
        .expect("a fixed offset maps every local time once")
        .with_timezone(&Utc)
}

/// The UTC instant of local (+02:00) `month`/`day` 2026 at `hour:minute:second`.
fn local(month: u32, day: u32, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    zone()
        .with_ymd_and_hms(2026, month, day, hour, minute, second)
        .single()
        .expect("a valid local time")
        .with_timezone(&Utc)
}

fn mar(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    local(3, day, hour, minute, 0)
}

fn mine(at: DateTime<Utc>, people: &[u32], replies_to: Option<(DateTime<Utc>, bool)>) -> MailFact {
    MailFact {
        at,
        from_me: true,
        automated: false,
        starts_thread: replies_to.is_none(),
        people: people.to_vec(),
        replies_to,
    }
}

fn theirs(at: DateTime<Utc>, sender: u32, replies_to: Option<(DateTime<Utc>, bool)>) -> MailFact {
    MailFact {
        at,
        from_me: false,
        automated: false,
        starts_thread: replies_to.is_none(),
        people: vec![sender],
        replies_to,
    }
}

fn newsletter(at: DateTime<Utc>) -> MailFact {
    MailFact {
        automated: true,
        ..theirs(at, 7, None)
    }
}

fn meeting(starts_at: DateTime<Utc>, minutes: u32, people: &[u32]) -> MeetingFact {
    MeetingFact {
        starts_at,
        minutes,
        people: people.to_vec(),
    }
}

/// Local Monday 2 March 2026 00:00 to local Monday 16 March 00:00 (+02:00): two weeks.
/// 1 March 2026 is a Sunday, so 2 = Mon, 3 = Tue, 4 = Wed, 5 = Thu, 7 = Sat, 9 = Mon …
/// 15 = Sun.
fn fixture_period() -> Period {
    Period {
        from: mar(2, 0, 0),
        to: local(3, 16, 0, 0, 0),
    }
}

/// People: 1 Ana and 2 Ben (Acme), 3 Cara and 6 Finn (Globex), 4 Dan (freemail),
/// 5 Eve (Initech), 7 a newsletter sender; id 0 is unused.
fn organizations() -> Vec<Option<String>> {
    let org = |name: &str| Some(name.to_owned());
    vec![
        None,
        org("Acme"),
        org("Acme"),
        org("Globex"),
        None,
        org("Initech"),
        org("Globex"),
        None,
    ]
}

/// Ana, Ben, Dan and the newsletter are old contacts; Cara's first contact is M4 and
/// Eve's the message of mine M11 answers (both inside the window); Finn's is M18, in the
/// previous window.
fn first_contacts() -> Vec<Option<DateTime<Utc>>> {
    let old = Some(local(1, 5, 12, 0, 0) - TimeDelta::days(365));
    vec![
        None,
        old,
        old,
        Some(mar(3, 8, 15)),
        old,
        Some(mar(2, 16, 45)),
        Some(local(2, 20, 12, 0, 0)),
        old,
    ]
}

/// M1–M15 fall in the window, M16 exactly at its end (excluded), M17–M19 in the window
/// before. Local times (+02:00) throughout.
fn fixture_mail() -> Vec<MailFact> {
    vec![
        // M1 Mon 09:30, me → Ana, Ben; opens a thread.
        mine(mar(2, 9, 30), &[1, 2], None),
        // M2 Mon 10:00, Ana replies to M1 after 30 min.
        theirs(mar(2, 10, 0), 1, Some((mar(2, 9, 30), true))),
        // M3 Mon 10:20, I reply to M2 after 20 min.
        mine(mar(2, 10, 20), &[1], Some((mar(2, 10, 0), false))),
        // M4 Tue 08:15, me → Cara; opens a thread; before 09:00.
        mine(mar(3, 8, 15), &[3], None),
        // M5 Tue 08:15:05, Cara's auto-reply 5 s after M4: too fast to be a reply.
        theirs(local(3, 3, 8, 15, 5), 3, Some((mar(3, 8, 15), true))),
        // M6 Tue 12:00, newsletter.
        newsletter(mar(3, 12, 0)),
        // M7 Wed 19:30, me → Cara (listed twice), Dan; opens a thread; after 18:00.
        mine(mar(4, 19, 30), &[3, 3, 4], None),
        // M8 Thu 14:00, Dan replies to M7 after 18 h 30 = 1110 min.
        theirs(mar(5, 14, 0), 4, Some((mar(4, 19, 30), true))),
        // M9 Sat 11:00, I reply to M8 after 2 days 21 h = 4140 min; weekend.
        mine(mar(7, 11, 0), &[4], Some((mar(5, 14, 0), false))),
        // M10 Mon 09:00, newsletter.
        newsletter(mar(9, 9, 0)),
        // M11 Tue 16:45, Eve replies to a message of mine 8 days old: too slow to count.
        theirs(mar(10, 16, 45), 5, Some((mar(2, 16, 45), true))),
        // M12 Tue 17:59, I reply to M11 after 74 min; still working hours.
        mine(mar(10, 17, 59), &[5], Some((mar(10, 16, 45), false))),
        // M13 Wed 18:00, me → Ana, a follow-up to my own M7 (no reply delay); after hours.
        mine(mar(11, 18, 0), &[1], Some((mar(4, 19, 30), true))),
        // M14 Thu 10:00, Ben opens a thread.
        theirs(mar(12, 10, 0), 2, None),
        // M15 Sun 23:59, me → Finn; opens a thread; weekend; last minute of the window.
        mine(mar(15, 23, 59), &[6], None),
        // M16 Mon 16 March 00:00, Finn: at the window's end, so outside it.
        theirs(local(3, 16, 0, 0, 0), 6, Some((mar(15, 23, 59), true))),
        // M17 Sun 1 March 23:59, me → Ana; opens a thread (previous window).
        mine(mar(1, 23, 59), &[1], None),
        // M18 Fri 20 February 12:00, Finn opens a thread (previous window).
        theirs(local(2, 20, 12, 0, 0), 6, None),
        // M19 Fri 20 February 12:30, I reply to M18 after 30 min (previous window).
        mine(
            local(2, 20, 12, 30, 0),
            &[6],
            Some((local(2, 20, 12, 0, 0), false)),
        ),
    ]
}

fn fixture_meetings() -> Vec<MeetingFact> {
    vec![
        // G1 Tue 3 March 14:00, 60 min with Ana and Cara.
        meeting(mar(3, 14, 0), 60, &[1, 3]),
        // G2 Wed 11 March 10:00, 30 min with Ana and Eve (listed twice).
        meeting(mar(11, 10, 0), 30, &[1, 5, 5]),
        // G3 Fri 13 March 15:00, 45 min with Ben.
        meeting(mar(13, 15, 0), 45, &[2]),
        // G4 Fri 13 March 09:00, 120 min alone: focus time, not a meeting.
        meeting(mar(13, 9, 0), 120, &[]),
        // G5 Wed 25 February 10:00, 90 min with Ben (previous window).
        meeting(local(2, 25, 10, 0, 0), 90, &[2]),
    ]
}

fn heatmap(cells: &[(usize, usize, u32)]) -> [[u32; 24]; 7] {
    let mut map = [[0; 24]; 7];
    for &(day, hour, count) in cells {
        map[day][hour] = count;
    }
    map
}

fn ranked(pairs: &[(u32, u32)]) -> Vec<Ranked> {
    pairs
        .iter()
        .map(|&(id, count)| Ranked { id, count })
        .collect()
}

fn organizations_ranked(pairs: &[(&str, u32)]) -> Vec<RankedOrganization> {
    pairs
        .iter()
        .map(|&(name, count)| RankedOrganization {
            name: name.to_owned(),
            count,
        })
        .collect()
}

/// The window before the fixture: local Mon 16 February 00:00 to Mon 2 March 00:00.
fn expected_previous() -> Wrapped {
    Wrapped {
        from: local(2, 16, 0, 0, 0),
        to: mar(2, 0, 0),
        // M17, M19.
        sent: 2,
        // M18.
        received: 1,
        // Ana (M17), Finn (M18, M19), Ben (G5).
        people: 3,
        // Finn: first contact 20 February.
        new_people: 1,
        // Finn 2, then Ana 1 and Ben 1 by id.
        top_people: ranked(&[(6, 2), (1, 1), (2, 1)]),
        // Acme = Ana 1 + Ben 1, Globex = Finn 2: tied, by name.
        top_organizations: organizations_ranked(&[("Acme", 2), ("Globex", 2)]),
        // M18 and M19 on Friday at 12, M17 on Sunday at 23.
        busiest_weekday: Some("Friday".to_owned()),
        busiest_hour: Some(12),
        heatmap: heatmap(&[(4, 12, 2), (6, 23, 1)]),
        // M19 answered M18 after 30 min; nobody answered me.
        median_reply_minutes: ReplyMedians {
            mine: Some(30.0),
            theirs: None,
        },
        // M17.
        threads_started: 1,
        // G5: 90 min.
        meetings: MeetingTotals {
            count: 1,
            hours: 1.5,
        },
        top_meeting_partners: ranked(&[(2, 1)]),
        // 20 February and 1 March are not adjacent.
        longest_streak_days: 1,
        // M17 on a Sunday is after hours, M19 Friday 12:30 is not: 1/2.
        after_hours_share: 0.5,
        // M17: 1/2.
        weekend_share: 0.5,
        newsletters_share: 0.0,
        previous: None,
    }
}

fn expected_current() -> Wrapped {
    Wrapped {
        from: mar(2, 0, 0),
        to: local(3, 16, 0, 0, 0),
        // M1, M3, M4, M7, M9, M12, M13, M15.
        sent: 8,
        // M2, M5, M6, M8, M10, M11, M14 (M16 is at the end, outside).
        received: 7,
        // Ana, Ben, Cara, Dan, Eve, Finn (the newsletter sender is automated only).
        people: 6,
        // Cara (3 March) and Eve (2 March); Finn's first contact was in February.
        new_people: 2,
        // Messages + meetings, each person once per message or meeting:
        // Ana M1 M2 M3 M13 + G1 G2 = 6; Cara M4 M5 M7 + G1 = 4; Ben M1 M14 + G3 = 3;
        // Dan M7 M8 M9 = 3; Eve M11 M12 + G2 = 3; Finn M15 = 1 (sixth, cut).
        top_people: ranked(&[(1, 6), (3, 4), (2, 3), (4, 3), (5, 3)]),
        // Acme = Ana 6 + Ben 3; Globex = Cara 4 + Finn 1; Initech = Eve 3; Dan has none.
        top_organizations: organizations_ranked(&[("Acme", 9), ("Globex", 5), ("Initech", 3)]),
        // Activity = 8 sent + 5 human received (M2 M5 M8 M11 M14) = 13:
        // Mon 3 (M1 M2 M3), Tue 4 (M4 M5 M11 M12), Wed 2, Thu 2, Fri 0, Sat 1, Sun 1.
        busiest_weekday: Some("Tuesday".to_owned()),
        // 10:00–10:59 holds M2, M3 and M14; 08:00 holds two.
        busiest_hour: Some(10),
        heatmap: heatmap(&[
            (0, 9, 1),  // M1
            (0, 10, 2), // M2, M3
            (1, 8, 2),  // M4, M5
            (1, 16, 1), // M11
            (1, 17, 1), // M12
            (2, 18, 1), // M13
            (2, 19, 1), // M7
            (3, 10, 1), // M14
            (3, 14, 1), // M8
            (5, 11, 1), // M9
            (6, 23, 1), // M15
        ]),
        median_reply_minutes: ReplyMedians {
            // M3 20, M12 74, M9 4140 → 74.
            mine: Some(74.0),
            // M2 30, M8 1110 (M5 at 5 s and M11 at 8 days excluded) → (30 + 1110) / 2.
            theirs: Some(570.0),
        },
        // M1, M4, M7, M15 (M13 follows up my own message).
        threads_started: 4,
        // G1 60 + G2 30 + G3 45 = 135 min; G4 has nobody else.
        meetings: MeetingTotals {
            count: 3,
            hours: 2.25,
        },
        // Ana G1 G2; then Ben G3, Cara G1, Eve G2 by id.
        top_meeting_partners: ranked(&[(1, 2), (2, 1), (3, 1), (5, 1)]),
        // Sent on 2, 3, 4 (three in a row), 7, 10, 11, 15 March; M17 on 1 March is outside.
        longest_streak_days: 3,
        // M4 (08:15), M7 (19:30), M9 (Saturday), M13 (18:00 exactly), M15 (Sunday): 5/8.
        after_hours_share: 0.625,
        // M9, M15: 2/8.
        weekend_share: 0.25,
        // M6, M10 of 7 received.
        newsletters_share: 2.0 / 7.0,
        previous: Some(Box::new(expected_previous())),
    }
}

fn run(mail: &[MailFact], meetings: &[MeetingFact], period: Period) -> Wrapped {
    let organizations = organizations();
    let first_contacts = first_contacts();
    let input = WrappedInput {
        mail,
        meetings,
        organization_of: &organizations,
        first_contact: &first_contacts,
    };
    wrapped(&input, period, &to_local)
}

#[test]
fn fixture_every_field_matches_the_hand_computation() {
    let actual = run(&fixture_mail(), &fixture_meetings(), fixture_period());
    let expected = expected_current();
    // Field by field first, so a failure names the figure that is wrong.
    assert_eq!(actual.sent, expected.sent, "sent");
    assert_eq!(actual.received, expected.received, "received");
    assert_eq!(actual.people, expected.people, "people");
    assert_eq!(actual.new_people, expected.new_people, "new_people");
    assert_eq!(actual.top_people, expected.top_people, "top_people");
    assert_eq!(
        actual.top_organizations, expected.top_organizations,
        "top_organizations"
    );
    assert_eq!(actual.heatmap, expected.heatmap, "heatmap");
    assert_eq!(
        actual.median_reply_minutes, expected.median_reply_minutes,
        "median reply"
    );
    assert_eq!(
        actual.top_meeting_partners, expected.top_meeting_partners,
        "meeting partners"
    );
    assert_eq!(
        actual, expected,
        "the whole Wrapped, previous window included"
    );
}

#[test]
fn previous_window_is_the_equal_length_window_before_and_has_no_previous_of_its_own() {
    let actual = run(&fixture_mail(), &fixture_meetings(), fixture_period());
    let previous = actual
        .previous
        .expect("the top level carries the previous window");
    assert_eq!(*previous, expected_previous());
    assert_eq!(previous.to - previous.from, actual.to - actual.from);
    assert!(
        previous.previous.is_none(),
        "only the top level has a previous window"
    );
}

#[test]
fn wrapped_of_the_previous_period_matches_the_nested_figures() {
    let period = fixture_period();
    let earlier = Period {
        from: period.from - (period.to - period.from),
        to: period.from,
    };
    let mut actual = run(&fixture_mail(), &fixture_meetings(), earlier);
    actual.previous = None;
    assert_eq!(actual, expected_previous());
}

#[test]
fn empty_input_gives_zeros_and_nones_never_nan() {
    let input = WrappedInput {
        mail: &[],
        meetings: &[],
        organization_of: &[],
        first_contact: &[],
    };
    let result = wrapped(&input, fixture_period(), &to_local);
    let empty_previous = Wrapped {
        from: local(2, 16, 0, 0, 0),
        to: mar(2, 0, 0),
        sent: 0,
        received: 0,
        people: 0,
        new_people: 0,
        top_people: vec![],
        top_organizations: vec![],
        busiest_weekday: None,
        busiest_hour: None,
        heatmap: [[0; 24]; 7],
        median_reply_minutes: ReplyMedians {
            mine: None,
            theirs: None,
        },
        threads_started: 0,
        meetings: MeetingTotals {
            count: 0,
            hours: 0.0,
        },
        top_meeting_partners: vec![],
        longest_streak_days: 0,
        after_hours_share: 0.0,
        weekend_share: 0.0,
        newsletters_share: 0.0,
        previous: None,
    };
    let expected = Wrapped {
        from: mar(2, 0, 0),
        to: local(3, 16, 0, 0, 0),
        previous: Some(Box::new(empty_previous.clone())),
        ..empty_previous
    };
    assert_eq!(result, expected);
}

#[test]
fn only_newsletters_give_a_full_newsletter_share_and_no_people() {
    let mail = [newsletter(mar(3, 12, 0)), newsletter(mar(4, 12, 0))];
    let result = run(&mail, &[], fixture_period());
    assert_eq!(result.received, 2);
    assert!((result.newsletters_share - 1.0).abs() < f64::EPSILON);
    assert_eq!(result.people, 0, "automated senders are not people");
    assert_eq!(
        result.busiest_weekday, None,
        "automated mail is not activity"
    );
    assert_eq!(result.heatmap, [[0; 24]; 7]);
}

#[test]
fn reply_delays_of_exactly_ten_seconds_and_seven_days_count() {
    let mail = [
        // Their reply to mine after exactly 10 s.
        theirs(
            local(3, 3, 12, 0, 10),
            1,
            Some((local(3, 3, 12, 0, 0), true)),
        ),
        // My reply to theirs after exactly 7 days.
        mine(mar(10, 12, 0), &[1], Some((mar(3, 12, 0), false))),
        // Their reply after 9 s and mine after 7 days + 1 s: neither counts.
        theirs(
            local(3, 4, 12, 0, 9),
            1,
            Some((local(3, 4, 12, 0, 0), true)),
        ),
        mine(local(3, 11, 12, 0, 1), &[1], Some((mar(4, 12, 0), false))),
    ];
    let result = run(&mail, &[], fixture_period());
    assert_eq!(
        result.median_reply_minutes,
        ReplyMedians {
            mine: Some(7.0 * 24.0 * 60.0),
            theirs: Some(10.0 / 60.0),
        }
    );
}

#[test]
fn automated_replies_and_their_replies_to_theirs_are_not_reply_delays() {
    let mail = [
        MailFact {
            automated: true,
            ..theirs(mar(3, 12, 30), 7, Some((mar(3, 12, 0), true)))
        },
        theirs(mar(3, 13, 0), 1, Some((mar(3, 12, 0), false))),
    ];
    let result = run(&mail, &[], fixture_period());
    assert_eq!(
        result.median_reply_minutes,
        ReplyMedians {
            mine: None,
            theirs: None
        }
    );
}

#[test]
fn unknown_person_ids_count_as_people_without_organisation_or_first_contact() {
    let mail = [mine(mar(3, 12, 0), &[1_000], None)];
    let result = run(&mail, &[], fixture_period());
    assert_eq!(result.people, 1);
    assert_eq!(result.new_people, 0);
    assert_eq!(result.top_people, ranked(&[(1_000, 1)]));
    assert!(result.top_organizations.is_empty());
}

#[test]
fn top_lists_keep_five_with_ties_by_id() {
    let mail: Vec<MailFact> = (1..=7)
        .rev()
        .map(|id| mine(mar(3, 12, id), &[id], None))
        .collect();
    let result = run(&mail, &[], fixture_period());
    assert_eq!(
        result.top_people,
        ranked(&[(1, 1), (2, 1), (3, 1), (4, 1), (5, 1)])
    );
}

#[test]
fn streak_follows_local_days_not_utc_days() {
    // Local 01:30 on 3, 4 and 5 March is 23:30 UTC on 2, 3 and 4 March; local 23:30 on
    // 5 March is 21:30 UTC the same day. Locally: 3, 4, 5 → 3 days in a row.
    // In UTC they would fall on 2, 3, 4, 5 → 4.
    let mail = [
        mine(mar(3, 1, 30), &[1], None),
        mine(mar(4, 1, 30), &[1], None),
        mine(mar(5, 1, 30), &[1], None),
        mine(mar(5, 23, 30), &[1], None),
    ];
    let result = run(&mail, &[], fixture_period());
    assert_eq!(result.longest_streak_days, 3);
    assert_eq!(result.busiest_hour, Some(1), "hours are local");
}

#[test]
fn an_inverted_period_is_empty() {
    let period = Period {
        from: local(3, 16, 0, 0, 0),
        to: mar(2, 0, 0),
    };
    let result = run(&fixture_mail(), &fixture_meetings(), period);
    assert_eq!(result.sent, 0);
    assert_eq!(result.received, 0);
    let previous = result
        .previous
        .expect("previous is always filled at the top level");
    assert_eq!(
        previous.from, previous.to,
        "the window before an empty one is empty"
    );
}

#[test]
fn last_days_ends_at_now() {
    let now = mar(16, 9, 0);
    assert_eq!(
        last_days(now, 14),
        Period {
            from: mar(2, 9, 0),
            to: now
        }
    );
    assert_eq!(last_days(now, 0), Period { from: now, to: now });
    assert_eq!(
        last_days(DateTime::<Utc>::MIN_UTC, 3).from,
        DateTime::<Utc>::MIN_UTC,
        "saturates instead of overflowing"
    );
}

#[test]
fn calendar_year_runs_from_local_new_year_to_the_next() {
    let year = calendar_year(2026, &to_utc).expect("2026 is representable");
    assert_eq!(
        year,
        Period {
            from: Utc
                .with_ymd_and_hms(2025, 12, 31, 22, 0, 0)
                .single()
                .expect("valid"),
            to: Utc
                .with_ymd_and_hms(2026, 12, 31, 22, 0, 0)
                .single()
                .expect("valid"),
        }
    );
    assert_eq!(calendar_year(i32::MAX, &to_utc), None);
}

fn base() -> DateTime<Utc> {
    local(2, 10, 0, 0, 0)
}

fn arbitrary_mail() -> impl Strategy<Value = MailFact> {
    (
        0i64..40 * 24 * 60,
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::collection::vec(0u32..10, 0..4),
        prop::option::of((0i64..10 * 24 * 3600, any::<bool>())),
    )
        .prop_map(|(minute, from_me, automated, people, reply)| {
            let at = base() + TimeDelta::minutes(minute);
            MailFact {
                at,
                from_me,
                automated,
                starts_thread: reply.is_none(),
                people,
                replies_to: reply.map(|(seconds, mine)| (at - TimeDelta::seconds(seconds), mine)),
            }
        })
}

fn arbitrary_meeting() -> impl Strategy<Value = MeetingFact> {
    (
        0i64..40 * 24 * 60,
        0u32..240,
        prop::collection::vec(0u32..10, 0..4),
    )
        .prop_map(|(minute, minutes, people)| MeetingFact {
            starts_at: base() + TimeDelta::minutes(minute),
            minutes,
            people,
        })
}

fn history() -> impl Strategy<Value = (Vec<MailFact>, Vec<MeetingFact>)> {
    (
        prop::collection::vec(arbitrary_mail(), 0..60),
        prop::collection::vec(arbitrary_meeting(), 0..10),
    )
}

fn check_invariants(result: &Wrapped, mail: &[MailFact], period: Period) {
    for share in [
        result.after_hours_share,
        result.weekend_share,
        result.newsletters_share,
    ] {
        assert!(
            (0.0..=1.0).contains(&share),
            "shares lie in [0, 1], got {share}"
        );
    }
    let in_window: Vec<&MailFact> = mail.iter().filter(|m| period.contains(m.at)).collect();
    let activity = in_window
        .iter()
        .filter(|m| m.from_me || !m.automated)
        .count();
    let heat: u32 = result.heatmap.iter().flatten().sum();
    assert_eq!(
        heat as usize, activity,
        "heatmap sums to sent + non-automated received"
    );
    assert_eq!(
        result.sent as usize + result.received as usize,
        in_window.len()
    );
    for list in [&result.top_people, &result.top_meeting_partners] {
        assert!(list.len() <= 5, "top lists hold at most five");
        assert!(
            list.windows(2)
                .all(|pair| (pair[0].count, std::cmp::Reverse(pair[0].id))
                    > (pair[1].count, std::cmp::Reverse(pair[1].id))),
            "top lists are sorted by count, then id"
        );
    }
    assert!(result.top_organizations.len() <= 5);
    assert!(
        result.top_organizations.windows(2).all(|pair| (
            pair[0].count,
            std::cmp::Reverse(&pair[0].name)
        ) > (
            pair[1].count,
            std::cmp::Reverse(&pair[1].name)
        )),
        "organisations are sorted by count, then name"
    );
    assert!(result.new_people <= result.people);
    assert!(result.busiest_hour.is_none_or(|hour| hour < 24));
    assert_eq!(result.busiest_weekday.is_some(), activity > 0);
}

proptest! {
    #[test]
    fn invariants_hold_on_random_histories((mail, meetings) in history()) {
        let period = Period { from: base() + TimeDelta::days(14), to: base() + TimeDelta::days(28) };
        let result = run(&mail, &meetings, period);
        check_invariants(&result, &mail, period);
        let previous = result.previous.as_deref().expect("previous at top level");
        check_invariants(previous, &mail, period.previous());
    }

    #[test]
    fn results_do_not_depend_on_input_order(
        ((mail, meetings), (shuffled_mail, shuffled_meetings)) in history().prop_flat_map(|(mail, meetings)| {
            let shuffled = (Just(mail.clone()).prop_shuffle(), Just(meetings.clone()).prop_shuffle());
            (Just((mail, meetings)), shuffled)
        })
    ) {
        let period = Period { from: base() + TimeDelta::days(14), to: base() + TimeDelta::days(28) };
        prop_assert_eq!(
            run(&mail, &meetings, period),
            run(&shuffled_mail, &shuffled_meetings, period)
        );
    }
}
