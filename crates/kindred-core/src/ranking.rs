//! Relationship strength: one person's score from their interactions with me, and the
//! explanation the UI shows for it.
//!
//! Pure: time is passed in, the clock is never read. Automated mail is filtered upstream
//! and never reaches this module.
//!
//! # The formula
//!
//! Every interaction gets a weight, decayed by its age:
//!
//! ```text
//! decay(age)          = 0.5 ^ (age_days / half_life_days)        (default half-life: 90 days)
//! sent message        = decay / recipients                      (recipients other than me, ≥ 1)
//! received message    = decay / recipients                      (its recipients, ≥ 1)
//! meeting             = decay × hours / (attendees − 1)         (the others in the room, ≥ 1)
//! ```
//!
//! Summing by kind gives `S` (sent), `R` (received) and `M` (meetings). Messages combine
//! the way Immersion does: only what flows both ways counts in full, a one-way surplus
//! counts for [`ONE_WAY_SHARE`] of its weight.
//!
//! ```text
//! messages    = 2 × min(S, R) + ONE_WAY_SHARE × (max(S, R) − min(S, R))
//! two_way     = messages / (S + R)         in [ONE_WAY_SHARE, 1]: 1 when both write equally
//! reciprocity = RECIPROCITY_BOOST if both of us started at least one thread, else 1
//! value       = ((S + R) × two_way + M) × reciprocity
//! ```
//!
//! So a contact who never writes back keeps 5 % of their message weight, and a person who
//! only sits in big meetings with me ranks low. Interactions after `now` are ignored.
//!
//! The [`Score`] carries these quantities as [`ScoreTerm`]s (`sent` = S, `received` = R,
//! `meetings` = M, `two_way` and `reciprocity` as factors); [`combine`] rebuilds `value`
//! from them, so what the UI shows always adds up.
//!
//! Every score is finite and ≥ 0; adding an interaction never lowers it; the order of the
//! interactions does not change it (weights are summed in a canonical order).

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The share of a one-way surplus of message weight that still counts.
pub const ONE_WAY_SHARE: f64 = 0.05;

/// The factor applied when both sides have started threads.
pub const RECIPROCITY_BOOST: f64 = 1.2;

/// The default half-life of an interaction's weight, in days.
pub const DEFAULT_HALF_LIFE_DAYS: f64 = 90.0;

const MILLISECONDS_PER_DAY: f64 = 86_400_000.0;

/// What happened between me and this person.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum InteractionKind {
    /// A message I sent with this person among To/Cc/Bcc. `recipients`: distinct recipients
    /// other than me (≥ 1; 0 is read as 1). `starts_thread`: it opened a new thread.
    Sent {
        recipients: u32,
        starts_thread: bool,
    },
    /// A message this person sent that is not mine. `recipients`: its distinct recipients
    /// (≥ 1; 0 is read as 1). `starts_thread`: it opened a new thread.
    Received {
        recipients: u32,
        starts_thread: bool,
    },
    /// A meeting we both attended. `attendees`: everyone invited including me (≥ 2; fewer
    /// is read as 2). `minutes`: its length.
    Meeting { minutes: u32, attendees: u32 },
}

/// One interaction with one person, at a point in time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interaction {
    /// When it happened (sent, received, or the meeting's start).
    pub at: DateTime<Utc>,
    /// What it was.
    pub kind: InteractionKind,
}

/// The person's tuning of the ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankingSettings {
    /// After this many days an interaction counts half. A value that is not a positive
    /// number (0, negative, NaN) is read as [`DEFAULT_HALF_LIFE_DAYS`]; infinity means no
    /// decay.
    pub half_life_days: f64,
}

impl Default for RankingSettings {
    fn default() -> Self {
        Self {
            half_life_days: DEFAULT_HALF_LIFE_DAYS,
        }
    }
}

/// Which part of the formula a [`ScoreTerm`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermKind {
    /// `S`: the decayed, recipient-diluted weight of the messages I sent. Additive.
    Sent,
    /// `R`: the decayed, recipient-diluted weight of the messages they sent. Additive.
    Received,
    /// `M`: the decayed, size-diluted hours of our meetings. Additive.
    Meetings,
    /// The two-way factor applied to `S + R`, between [`ONE_WAY_SHARE`] and 1. Multiplicative.
    TwoWay,
    /// [`RECIPROCITY_BOOST`] when both sides started threads. Multiplicative, on the total.
    Reciprocity,
}

/// One part of a score, as shown to the person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreTerm {
    /// Which part of the formula this is; says how `value` combines (see [`combine`]).
    pub kind: TermKind,
    /// How many interactions it covers: messages for `sent`, `received` and `two_way`,
    /// meetings for `meetings`, thread-starting messages (both sides) for `reciprocity`.
    pub count: u32,
    /// A weight for `sent`, `received` and `meetings`; a factor for `two_way` and
    /// `reciprocity`. Finite and ≥ 0.
    pub value: f64,
    /// A one-line explanation for the UI, e.g. "12 messages you sent (diluted by
    /// recipients, decayed): 4.3".
    pub text: String,
}

/// A person's relationship strength and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// The strength: `combine(&terms)`. Finite and ≥ 0; 0 without interactions.
    pub value: f64,
    /// The terms, in the order sent, received, two-way, meetings, reciprocity; a term whose
    /// kind has no interactions is left out.
    pub terms: Vec<ScoreTerm>,
}

/// Rebuilds a score's value from its terms:
/// `((Σ sent + Σ received) × Π two_way + Σ meetings) × Π reciprocity`, where an empty
/// sum is 0 and an empty product is 1.
#[must_use]
pub fn combine(terms: &[ScoreTerm]) -> f64 {
    let sum = |kind: TermKind| -> f64 {
        terms
            .iter()
            .filter(|term| term.kind == kind)
            .map(|term| term.value)
            .sum()
    };
    let product = |kind: TermKind| -> f64 {
        terms
            .iter()
            .filter(|term| term.kind == kind)
            .map(|term| term.value)
            .product()
    };
    let messages = (sum(TermKind::Sent) + sum(TermKind::Received)) * product(TermKind::TwoWay);
    (messages + sum(TermKind::Meetings)) * product(TermKind::Reciprocity)
}

/// Scores one person's interactions at time `now` (never reads the clock). Interactions
/// after `now` are ignored. See the module docs for the formula; the result is finite,
/// ≥ 0, independent of the interactions' order, and 0 with no terms when nothing counts.
#[must_use]
pub fn score(
    interactions: &[Interaction],
    now: DateTime<Utc>,
    settings: &RankingSettings,
) -> Score {
    let half_life_days = if settings.half_life_days > 0.0 {
        settings.half_life_days
    } else {
        DEFAULT_HALF_LIFE_DAYS
    };

    let mut sent = Tally::default();
    let mut received = Tally::default();
    let mut meetings = Tally::default();
    let mut meeting_minutes: u64 = 0;
    let mut started_by_me: u32 = 0;
    let mut started_by_them: u32 = 0;

    for interaction in interactions
        .iter()
        .filter(|interaction| interaction.at <= now)
    {
        let decay = decay(now - interaction.at, half_life_days);
        match interaction.kind {
            InteractionKind::Sent {
                recipients,
                starts_thread,
            } => {
                sent.add(decay / f64::from(recipients.max(1)));
                started_by_me = started_by_me.saturating_add(u32::from(starts_thread));
            }
            InteractionKind::Received {
                recipients,
                starts_thread,
            } => {
                received.add(decay / f64::from(recipients.max(1)));
                started_by_them = started_by_them.saturating_add(u32::from(starts_thread));
            }
            InteractionKind::Meeting { minutes, attendees } => {
                let hours = f64::from(minutes) / 60.0;
                let others = f64::from(attendees.max(2) - 1);
                meetings.add(decay * hours / others);
                meeting_minutes = meeting_minutes.saturating_add(u64::from(minutes));
            }
        }
    }

    let mut terms = Vec::new();
    let sent_weight = sent.total();
    let received_weight = received.total();
    if sent.count > 0 {
        terms.push(ScoreTerm {
            kind: TermKind::Sent,
            count: sent.count,
            value: sent_weight,
            text: format!(
                "{} you sent (diluted by recipients, decayed): {sent_weight:.1}",
                plural(sent.count, "message", "messages")
            ),
        });
    }
    if received.count > 0 {
        terms.push(ScoreTerm {
            kind: TermKind::Received,
            count: received.count,
            value: received_weight,
            text: format!(
                "{} from them (diluted by recipients, decayed): {received_weight:.1}",
                plural(received.count, "message", "messages")
            ),
        });
    }
    let message_count = sent.count.saturating_add(received.count);
    if message_count > 0 {
        let factor = two_way_factor(sent_weight, received_weight);
        let text = if sent.count == 0 || received.count == 0 {
            format!("only one of you writes: two-way factor ×{factor:.2}")
        } else {
            format!("two-way factor ×{factor:.2} (×1.00 when you write to each other equally)")
        };
        terms.push(ScoreTerm {
            kind: TermKind::TwoWay,
            count: message_count,
            value: factor,
            text,
        });
    }
    if meetings.count > 0 {
        let meeting_weight = meetings.total();
        #[allow(clippy::cast_precision_loss)] // display only; exact below 2^52 minutes
        let hours = meeting_minutes as f64 / 60.0;
        terms.push(ScoreTerm {
            kind: TermKind::Meetings,
            count: meetings.count,
            value: meeting_weight,
            text: format!(
                "{}, {hours:.1} h (diluted by attendees, decayed): {meeting_weight:.1}",
                plural(meetings.count, "meeting", "meetings")
            ),
        });
    }
    if started_by_me > 0 && started_by_them > 0 {
        terms.push(ScoreTerm {
            kind: TermKind::Reciprocity,
            count: started_by_me.saturating_add(started_by_them),
            value: RECIPROCITY_BOOST,
            text: format!(
                "both of you start threads ({started_by_me} by you, {started_by_them} by them): \
                 ×{RECIPROCITY_BOOST}"
            ),
        });
    }

    Score {
        value: combine(&terms),
        terms,
    }
}

/// The weights of one kind of interaction. Summed in ascending order, so the total does
/// not depend on the order the interactions came in.
#[derive(Default)]
struct Tally {
    count: u32,
    weights: Vec<f64>,
}

impl Tally {
    fn add(&mut self, weight: f64) {
        self.count = self.count.saturating_add(1);
        self.weights.push(weight);
    }

    fn total(&mut self) -> f64 {
        self.weights.sort_by(f64::total_cmp);
        self.weights.iter().sum()
    }
}

/// `0.5 ^ (age / half-life)`: 1 now, ½ after one half-life, → 0 for very old interactions.
fn decay(age: chrono::TimeDelta, half_life_days: f64) -> f64 {
    #[allow(clippy::cast_precision_loss)] // sub-millisecond error on ages of millennia
    let age_days = age.num_milliseconds() as f64 / MILLISECONDS_PER_DAY;
    (-age_days / half_life_days).exp2()
}

/// `(2 × min + ONE_WAY_SHARE × (max − min)) / (S + R)`, between [`ONE_WAY_SHARE`] and 1; 1 when
/// there is no message weight at all (everything decayed away), so it changes nothing.
fn two_way_factor(sent: f64, received: f64) -> f64 {
    let total = sent + received;
    if total > 0.0 {
        let both_ways = sent.min(received);
        let surplus = sent.max(received) - both_ways;
        ((2.0 * both_ways + ONE_WAY_SHARE * surplus) / total).clamp(ONE_WAY_SHARE, 1.0)
    } else {
        1.0
    }
}

fn plural(count: u32, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}
