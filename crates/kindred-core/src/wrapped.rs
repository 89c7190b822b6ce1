//! Wrapped: a pure summary of how a person spent their attention over a window of time —
//! who they wrote to and met, when they worked, how fast replies went — computed from
//! deduplicated mail and meeting facts, with the local wall clock passed in.
//!
//! Counting rules (every figure below follows them):
//!
//! - A mail or meeting belongs to a window when its instant is in the half-open `[from, to)`.
//! - *Sent* is every message of mine; *received* every message not mine, automated included.
//! - *Activity* (heatmap, busiest weekday and hour) is my sent mail plus the non-automated
//!   mail I received. Automated mail never counts as a person, a reply or activity.
//! - A person appears at most once per message or meeting, however often listed.
//! - Meetings count only when at least one other person attends: a calendar block with
//!   nobody else is focus time, not a meeting.
//! - Ratios are 0, never NaN, when there is nothing to divide.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike, Utc};
use serde::Serialize;

/// How many entries each top list keeps.
pub const TOP_LIMIT: usize = 5;
/// Reply delays shorter than this are auto-replies or clock noise, not replies.
pub const MIN_REPLY_SECONDS: i64 = 10;
/// Reply delays longer than this are a new conversation, not a reply.
pub const MAX_REPLY_SECONDS: i64 = 7 * 24 * 60 * 60;
/// First local hour of the working day (inclusive).
pub const WORKDAY_START_HOUR: u32 = 9;
/// Local hour the working day ends (exclusive): 18:00 is already after hours.
pub const WORKDAY_END_HOUR: u32 = 18;

const WEEKDAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// One deduplicated message, reduced to what Wrapped needs.
#[derive(Debug, Clone, PartialEq)]
pub struct MailFact {
    /// When the message was sent.
    pub at: DateTime<Utc>,
    /// Whether I wrote it.
    pub from_me: bool,
    /// Newsletters, notifications, mailing lists (never counted as people or replies).
    pub automated: bool,
    /// No In-Reply-To: it opens a thread.
    pub starts_thread: bool,
    /// For my messages: the people I wrote to (To/Cc/Bcc, not me). For theirs: [sender]. Person ids.
    pub people: Vec<u32>,
    /// When it replies to a message: that message's time and whether it was mine.
    pub replies_to: Option<(DateTime<Utc>, bool)>,
}

/// One calendar meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingFact {
    /// When the meeting starts; it belongs to the window containing this instant.
    pub starts_at: DateTime<Utc>,
    /// Scheduled length in minutes.
    pub minutes: u32,
    /// Attendees other than me, as person ids.
    pub people: Vec<u32>,
}

/// Everything Wrapped reads: a snapshot, never mutated.
#[derive(Debug, Clone, Copy)]
pub struct WrappedInput<'a> {
    /// Deduplicated messages, in any order.
    pub mail: &'a [MailFact],
    /// Meetings, in any order.
    pub meetings: &'a [MeetingFact],
    /// Organisation of each person id (index = person id), None for freemail/unknown.
    pub organization_of: &'a [Option<String>],
    /// First contact ever with each person (index = person id), over all history.
    pub first_contact: &'a [Option<DateTime<Utc>>],
}

/// The local wall clock, passed in (the caller uses the machine's zone; tests use fixed offsets).
pub type ToLocal<'a> = &'a dyn Fn(DateTime<Utc>) -> NaiveDateTime;

/// A half-open window of time `[from, to)`. A window with `to <= from` is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First instant inside the window.
    pub from: DateTime<Utc>,
    /// First instant after the window.
    pub to: DateTime<Utc>,
}

impl Period {
    /// Whether `at` lies in `[from, to)`.
    #[must_use]
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at < self.to
    }

    /// The window of equal length ending where this one starts (empty if this one is).
    /// Saturates at the earliest representable instant.
    #[must_use]
    pub fn previous(&self) -> Period {
        let length = if self.to > self.from {
            self.to - self.from
        } else {
            TimeDelta::zero()
        };
        Period {
            from: self
                .from
                .checked_sub_signed(length)
                .unwrap_or(DateTime::<Utc>::MIN_UTC),
            to: self.from,
        }
    }
}

/// A person in a top list: how many messages and/or meetings they shared with me.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    /// Person id.
    pub id: u32,
    /// Messages exchanged plus meetings shared (or meetings only, for meeting partners).
    pub count: u32,
}

/// An organisation in a top list: the sum of its people's counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RankedOrganization {
    /// Organisation name as given in [`WrappedInput::organization_of`].
    pub name: String,
    /// Sum of the messages and meetings of its people.
    pub count: u32,
}

/// Median reply delays in minutes; `None` when no reply in the window qualifies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReplyMedians {
    /// My replies to their messages.
    pub mine: Option<f64>,
    /// Their replies to my messages.
    pub theirs: Option<f64>,
}

/// Meetings in the window (only those with at least one other attendee).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingTotals {
    /// Number of meetings.
    pub count: u32,
    /// Total scheduled length in hours.
    pub hours: f64,
}

/// One window's figures, plus (at the top level) the same figures for the window before.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Wrapped {
    /// First instant of the window.
    pub from: DateTime<Utc>,
    /// First instant after the window.
    pub to: DateTime<Utc>,
    /// My messages in the window, automated included.
    pub sent: u32,
    /// Messages not mine in the window, automated included.
    pub received: u32,
    /// Distinct people I exchanged non-automated mail with or met.
    pub people: u32,
    /// Of [`Wrapped::people`], those whose first contact ever falls inside the window.
    pub new_people: u32,
    /// Up to 5 people by messages exchanged + meetings shared; ties by ascending id.
    pub top_people: Vec<Ranked>,
    /// Up to 5 organisations by the summed counts of their people; ties by name.
    pub top_organizations: Vec<RankedOrganization>,
    /// Local weekday with the most activity ("Monday"…); ties go to the earlier day.
    pub busiest_weekday: Option<String>,
    /// Local hour (0–23) with the most activity; ties go to the earlier hour.
    pub busiest_hour: Option<u32>,
    /// Activity by local weekday (Monday first) and hour.
    pub heatmap: [[u32; 24]; 7],
    /// Median reply delays; only delays from 10 s to 7 days inclusive count.
    pub median_reply_minutes: ReplyMedians,
    /// My messages that open a thread.
    pub threads_started: u32,
    /// Meetings with at least one other attendee.
    pub meetings: MeetingTotals,
    /// Up to 5 people by meetings shared; ties by ascending id.
    pub top_meeting_partners: Vec<Ranked>,
    /// Longest run of consecutive local days on each of which I sent mail.
    pub longest_streak_days: u32,
    /// Share of my sent mail outside working hours: on a Saturday or Sunday, or on a
    /// weekday before 09:00 or from 18:00 on (local time).
    pub after_hours_share: f64,
    /// Share of my sent mail on a local Saturday or Sunday.
    pub weekend_share: f64,
    /// Automated mail as a share of all received mail.
    pub newsletters_share: f64,
    /// The same figures for the window of equal length just before (top level only).
    pub previous: Option<Box<Wrapped>>,
}

/// Wrapped for `period`, with `previous` = the same figures for the period of equal length
/// just before it. Pure: the result depends only on the arguments, not on input order.
/// Person ids missing from `organization_of` or `first_contact` count as unknown.
#[must_use]
pub fn wrapped(input: &WrappedInput<'_>, period: Period, to_local: ToLocal<'_>) -> Wrapped {
    let mut current = window(input, period, to_local);
    current.previous = Some(Box::new(window(input, period.previous(), to_local)));
    current
}

/// The last `days` days up to `now`: `[now - days × 24 h, now)`, saturating at the
/// earliest representable instant.
#[must_use]
pub fn last_days(now: DateTime<Utc>, days: u32) -> Period {
    let from = now
        .checked_sub_signed(TimeDelta::days(i64::from(days)))
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    Period { from, to: now }
}

/// The local calendar year `year`: from local midnight on 1 January to local midnight on
/// the next 1 January, converted with `to_utc`. `None` when either date is out of range.
#[must_use]
pub fn calendar_year(year: i32, to_utc: &dyn Fn(NaiveDateTime) -> DateTime<Utc>) -> Option<Period> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1)?.and_hms_opt(0, 0, 0)?;
    let end = NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?.and_hms_opt(0, 0, 0)?;
    Some(Period {
        from: to_utc(start),
        to: to_utc(end),
    })
}

/// One window's figures, `previous` left empty.
fn window(input: &WrappedInput<'_>, period: Period, to_local: ToLocal<'_>) -> Wrapped {
    let mut sent = 0u32;
    let mut received = 0u32;
    let mut automated_received = 0u32;
    let mut threads_started = 0u32;
    let mut sent_after_hours = 0u32;
    let mut sent_weekend = 0u32;
    let mut heatmap = [[0u32; 24]; 7];
    let mut contact_counts: BTreeMap<u32, u32> = BTreeMap::new();
    let mut sent_days: BTreeSet<NaiveDate> = BTreeSet::new();
    let mut my_delays: Vec<f64> = Vec::new();
    let mut their_delays: Vec<f64> = Vec::new();

    for mail in input.mail.iter().filter(|mail| period.contains(mail.at)) {
        let local = to_local(mail.at);
        let weekday = local.weekday().num_days_from_monday();
        let hour = local.hour();
        if mail.from_me {
            sent += 1;
            threads_started += u32::from(mail.starts_thread);
            sent_days.insert(local.date());
            let weekend = weekday >= 5;
            sent_weekend += u32::from(weekend);
            let off_hours = !(WORKDAY_START_HOUR..WORKDAY_END_HOUR).contains(&hour);
            sent_after_hours += u32::from(weekend || off_hours);
        } else {
            received += 1;
            automated_received += u32::from(mail.automated);
        }
        if mail.automated && !mail.from_me {
            continue;
        }
        // Weekday and hour come from chrono and are always in range.
        if let Some(cell) = heatmap
            .get_mut(weekday as usize)
            .and_then(|row| row.get_mut(hour as usize))
        {
            *cell += 1;
        }
        if mail.automated {
            continue;
        }
        for person in distinct(&mail.people) {
            *contact_counts.entry(person).or_default() += 1;
        }
        if let Some((original_at, original_mine)) = mail.replies_to {
            let delay = (mail.at - original_at).num_seconds();
            if (MIN_REPLY_SECONDS..=MAX_REPLY_SECONDS).contains(&delay) {
                #[allow(clippy::cast_precision_loss)] // seconds within 7 days are exact in f64
                let minutes = delay as f64 / 60.0;
                match (mail.from_me, original_mine) {
                    (true, false) => my_delays.push(minutes),
                    (false, true) => their_delays.push(minutes),
                    _ => {}
                }
            }
        }
    }

    let mut meeting_count = 0u32;
    let mut meeting_minutes = 0u64;
    let mut meeting_counts: BTreeMap<u32, u32> = BTreeMap::new();
    for meeting in input
        .meetings
        .iter()
        .filter(|meeting| period.contains(meeting.starts_at) && !meeting.people.is_empty())
    {
        meeting_count += 1;
        meeting_minutes += u64::from(meeting.minutes);
        for person in distinct(&meeting.people) {
            *meeting_counts.entry(person).or_default() += 1;
            *contact_counts.entry(person).or_default() += 1;
        }
    }

    let new_people = contact_counts
        .keys()
        .filter(|&&person| {
            input
                .first_contact
                .get(person as usize)
                .copied()
                .flatten()
                .is_some_and(|first| period.contains(first))
        })
        .count();

    let mut organization_counts: BTreeMap<&str, u32> = BTreeMap::new();
    for (&person, &count) in &contact_counts {
        if let Some(Some(name)) = input.organization_of.get(person as usize) {
            *organization_counts.entry(name.as_str()).or_default() += count;
        }
    }
    let mut top_organizations: Vec<RankedOrganization> = organization_counts
        .into_iter()
        .map(|(name, count)| RankedOrganization {
            name: name.to_owned(),
            count,
        })
        .collect();
    top_organizations.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    top_organizations.truncate(TOP_LIMIT);

    let weekday_totals: Vec<u32> = heatmap.iter().map(|row| row.iter().sum()).collect();
    let hour_totals: Vec<u32> = (0..24)
        .map(|hour| heatmap.iter().map(|row| row[hour]).sum())
        .collect();

    #[allow(clippy::cast_possible_truncation)] // fewer people than u32::MAX ids exist
    let (people, new_people) = (contact_counts.len() as u32, new_people as u32);
    #[allow(clippy::cast_precision_loss)] // minutes summed over any real calendar fit in f64
    let hours = meeting_minutes as f64 / 60.0;

    Wrapped {
        from: period.from,
        to: period.to,
        sent,
        received,
        people,
        new_people,
        top_people: top(&contact_counts),
        top_organizations,
        busiest_weekday: busiest(&weekday_totals)
            .and_then(|day| WEEKDAY_NAMES.get(day))
            .map(|&name| name.to_owned()),
        busiest_hour: busiest(&hour_totals).and_then(|hour| u32::try_from(hour).ok()),
        heatmap,
        median_reply_minutes: ReplyMedians {
            mine: median(my_delays),
            theirs: median(their_delays),
        },
        threads_started,
        meetings: MeetingTotals {
            count: meeting_count,
            hours,
        },
        top_meeting_partners: top(&meeting_counts),
        longest_streak_days: longest_streak(&sent_days),
        after_hours_share: share(sent_after_hours, sent),
        weekend_share: share(sent_weekend, sent),
        newsletters_share: share(automated_received, received),
        previous: None,
    }
}

/// The ids in `people`, each once.
fn distinct(people: &[u32]) -> BTreeSet<u32> {
    people.iter().copied().collect()
}

/// The `TOP_LIMIT` highest counts, ties by ascending id.
fn top(counts: &BTreeMap<u32, u32>) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = counts
        .iter()
        .map(|(&id, &count)| Ranked { id, count })
        .collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.id.cmp(&b.id)));
    ranked.truncate(TOP_LIMIT);
    ranked
}

/// Index of the largest positive total, the earliest on ties; `None` if all are zero.
fn busiest(totals: &[u32]) -> Option<usize> {
    let mut best: Option<(usize, u32)> = None;
    for (index, &total) in totals.iter().enumerate() {
        if total > 0 && best.is_none_or(|(_, most)| total > most) {
            best = Some((index, total));
        }
    }
    best.map(|(index, _)| index)
}

/// Median of the values (mean of the middle two for an even count); `None` when empty.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        len if len % 2 == 1 => values.get(middle).copied(),
        _ => Some((values.get(middle - 1)? + values.get(middle)?) / 2.0),
    }
}

/// Longest run of consecutive dates in `days`.
fn longest_streak(days: &BTreeSet<NaiveDate>) -> u32 {
    let mut longest = 0u32;
    let mut run = 0u32;
    let mut previous: Option<NaiveDate> = None;
    for &day in days {
        run = match previous {
            Some(before) if before.succ_opt() == Some(day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    longest
}

/// `part / whole`, or 0 when `whole` is 0.
fn share(part: u32, whole: u32) -> f64 {
    if whole == 0 {
        0.0
    } else {
        f64::from(part) / f64::from(whole)
    }
}
