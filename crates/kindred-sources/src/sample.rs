//! The sample mailbox: a deterministic synthetic life — one person's mail and calendar
//! over two years — for the first launch without an account (`kindred sample`), for
//! demos, and as the fixture of tests and benchmarks.
//!
//! The world (`world`) is a few hundred people in a few dozen organisations with a
//! heavy tail of tie strength, ties that fade and ties that are new, teams, a client
//! group and a family, introductions, one-way ties and mail I still owe an answer to.
//! The planner (`plan`) decides each thread whole when it starts; the writer emits
//! messages in time order from a queue of threads in flight, so memory stays flat however
//! many messages are asked for. Everything is drawn from `ChaCha8Rng` seeded by the spec:
//! the same spec gives the same bytes, and the clock is never read.

mod body;
mod calendar;
mod mail;
mod plan;
mod questions;
mod text;
mod words;
mod world;

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, BinaryHeap};
use std::io::{self, Write};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use calendar::{is_holiday, Ics, Meeting};
use mail::Renderer;
use plan::{Kind, Planner, Thread};
use questions::Planting;
pub use questions::SampleQuestion;
use world::{World, ME};

/// The person whose mailbox it is (the "me" address).
pub const SAMPLE_ME: &str = "maya.lindqvist@larkspur.example";

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleSpec {
    /// Seeds every random choice.
    pub seed: u64,
    /// How many messages the mbox holds, exactly.
    pub messages: usize,
    /// The end of the mailbox's time span (exclusive); nothing is dated at or after it,
    /// except meetings booked for the days after.
    pub end: DateTime<Utc>,
    /// How many days the mailbox spans, ending at `end`.
    pub span_days: i64,
}

impl SampleSpec {
    /// The seed of the bundled sample.
    pub const STANDARD_SEED: u64 = 0x4b69_6e64_7265_6401;

    /// The bundled sample: ~5,000 messages over two years ending at `end`, seed fixed.
    #[must_use]
    pub fn standard(end: DateTime<Utc>) -> Self {
        Self::scaled(5_000, end)
    }

    /// The same world scaled to `messages` messages (people and orgs grow sub-linearly:
    /// people with the square root of the size, organisations with its 3/8th power).
    #[must_use]
    pub fn scaled(messages: usize, end: DateTime<Utc>) -> Self {
        SampleSpec {
            seed: Self::STANDARD_SEED,
            messages,
            end,
            span_days: 730,
        }
    }
}

/// What [`write_sample`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SampleSummary {
    /// Messages in the mbox (`From ` separator lines).
    pub messages: usize,
    /// VEVENTs in the calendar (a weekly series counts once).
    pub events: usize,
    /// People other than me who appear in a message or a meeting.
    pub people: usize,
    /// Organisations (not freemail) of those people.
    pub organizations: usize,
    pub mbox_bytes: u64,
}

/// Writes the mailbox as mbox (mboxrd: `From ` separator lines, `>From` escaping) to `mbox`
/// and the calendar as one .ics (VCALENDAR) to `ics`. Same spec → byte-identical output.
/// Streams: memory does not grow with `messages`; messages come out in time order.
///
/// # Errors
///
/// Whatever writing to `mbox` or `ics` returns.
pub fn write_sample(
    spec: &SampleSpec,
    mbox: &mut impl Write,
    ics: &mut impl Write,
) -> io::Result<SampleSummary> {
    generate(spec, mbox, ics, None).map(|(summary, _)| summary)
}

/// The questions planted in the sample `spec` describes, about one human thread in
/// `every`, with the messages that answer them (see `questions`): the sample is generated
/// again, written nowhere.
///
/// # Errors
///
/// Formatting the sample failed.
pub fn sample_questions(spec: &SampleSpec, every: usize) -> io::Result<Vec<SampleQuestion>> {
    let (_, planting) = generate(
        spec,
        &mut io::sink(),
        &mut io::sink(),
        Some(Planting::new(every)),
    )?;
    Ok(planting.map(Planting::questions).unwrap_or_default())
}

fn generate(
    spec: &SampleSpec,
    mbox: &mut impl Write,
    ics: &mut impl Write,
    planting: Option<Planting>,
) -> io::Result<(SampleSummary, Option<Planting>)> {
    let span = spec.span_days.max(1);
    let (start, end) = (spec.end - Duration::days(span), spec.end);
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let world = World::build(spec.messages, span, &mut rng);
    let first = start.date_naive();
    let last = (end - Duration::seconds(1)).date_naive();
    let dates: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    let (human_weights, bulk_weights): (Vec<f64>, Vec<f64>) = dates
        .iter()
        .enumerate()
        .map(|(i, &date)| day_weights(date, i as f64 / dates.len() as f64, &mut rng))
        .unzip();
    // About a sixth of mail is automated; one meeting per ~25 messages.
    let bulk_total = spec.messages * 17 / 100;
    let human_total = spec.messages - bulk_total;
    let meetings_total = (spec.messages / 25).saturating_sub(4);
    let mut debuts: Vec<(i64, u32)> = (1..world.people.len())
        .map(|i| (world.people[i].debut, u32::try_from(i).unwrap_or(ME)))
        .collect();
    debuts.sort_unstable();

    let mut out = Output {
        renderer: Renderer {
            world: &world,
            seed: spec.seed,
            start,
            end,
        },
        summary: SampleSummary::default(),
        planting,
        seen: vec![false; world.people.len()],
        text: String::with_capacity(1 << 16),
        bytes: Vec::with_capacity(1 << 16),
        calendar: String::with_capacity(1 << 12),
    };
    {
        let mut calendar = Ics {
            out: &mut out.calendar,
            newline: "\r\n",
        };
        calendar.head("PUBLISH");
        out.summary.events += calendar.series(&world, start, end).map_err(format_error)?;
    }
    ics.write_all(out.calendar.as_bytes())?;

    let mut planner = Planner::new(&world, rng, start, end);
    let mut queue: BinaryHeap<Reverse<Pending>> = BinaryHeap::new();
    let (mut human, mut bulk, mut meetings, mut next_debut) = (0, 0, 0, 0);
    let (total_human_weight, total_bulk_weight) = (
        human_weights.iter().sum::<f64>(),
        bulk_weights.iter().sum::<f64>(),
    );
    let (mut human_weight, mut bulk_weight) = (0.0, 0.0);
    for (i, &date) in dates.iter().enumerate() {
        let day = i64::try_from(i).unwrap_or(i64::MAX);
        let final_day = i + 1 == dates.len();
        human_weight += human_weights[i];
        bulk_weight += bulk_weights[i];
        let target = |total: usize, weight: f64, all: f64| {
            if final_day {
                total
            } else {
                share(total, weight / all)
            }
        };
        while next_debut < debuts.len() && debuts[next_debut].0 <= day {
            let who = debuts[next_debut].1;
            next_debut += 1;
            if human < human_total {
                let thread = planner.debut(who, date, day, human_total - human);
                human += thread.steps.len();
                queue.push(Reverse(Pending::new(thread)));
            }
        }
        while human < target(human_total, human_weight, total_human_weight) {
            let thread = planner.human(date, day, human_total - human);
            human += thread.steps.len();
            queue.push(Reverse(Pending::new(thread)));
        }
        while bulk < target(bulk_total, bulk_weight, total_bulk_weight) {
            queue.push(Reverse(Pending::new(planner.bulk(date))));
            bulk += 1;
        }
        while meetings < target(meetings_total, human_weight, total_human_weight) {
            let (meeting, invite) = planner.meeting(date, day, human < human_total);
            out.meeting(&meeting, ics)?;
            meetings += 1;
            if let Some(invite) = invite {
                human += 1;
                queue.push(Reverse(Pending::new(invite)));
            }
        }
        // Threads of later days start no earlier than their local midnight in the
        // easternmost zone, which is after this day's midnight in UTC, and replies come
        // after what they answer: whatever is queued before that midnight can go out.
        let before = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default());
        while queue.peek().is_some_and(|p| p.0.at < before) {
            out.next(&mut queue, mbox)?;
        }
    }
    while !queue.is_empty() {
        out.next(&mut queue, mbox)?;
    }
    out.calendar.clear();
    Ics {
        out: &mut out.calendar,
        newline: "\r\n",
    }
    .tail();
    ics.write_all(out.calendar.as_bytes())?;
    mbox.flush()?;
    ics.flush()?;

    let seen: Vec<usize> = (1..world.people.len()).filter(|&i| out.seen[i]).collect();
    out.summary.people = seen.len();
    out.summary.organizations = seen
        .iter()
        .filter_map(|&i| world.people[i].org)
        .collect::<BTreeSet<_>>()
        .len();
    Ok((out.summary, out.planting))
}

/// `total * fraction`, rounded.
fn share(total: usize, fraction: f64) -> usize {
    (total as f64 * fraction).round() as usize
}

/// How busy a day is, for human and for automated mail: weekdays more than weekends,
/// holidays quiet, a slow growth over the span, and day-to-day noise.
fn day_weights(date: NaiveDate, progress: f64, rng: &mut ChaCha8Rng) -> (f64, f64) {
    let weekday = match date.weekday() {
        Weekday::Mon => 1.15,
        Weekday::Tue => 1.25,
        Weekday::Wed => 1.2,
        Weekday::Thu => 1.1,
        Weekday::Fri => 0.9,
        Weekday::Sat => 0.3,
        Weekday::Sun => 0.25,
    };
    let away = if is_holiday(date) { 0.3 } else { 1.0 };
    let human = weekday * away * (0.85 + 0.3 * progress) * rng.gen_range(0.7..1.3);
    let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    let bulk = if weekend { 0.75 } else { 1.0 } * rng.gen_range(0.8..1.2);
    (human, bulk)
}

fn format_error(_: std::fmt::Error) -> io::Error {
    io::Error::other("formatting sample mail failed")
}

/// A thread in flight, ordered by the time of its next message.
struct Pending {
    at: DateTime<Utc>,
    next: usize,
    thread: Box<Thread>,
}

impl Pending {
    fn new(thread: Thread) -> Self {
        Pending {
            at: thread.steps[0].at,
            next: 0,
            thread: Box::new(thread),
        }
    }

    fn key(&self) -> (DateTime<Utc>, u64) {
        (self.at, self.thread.id)
    }
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// Where messages and meetings go, with the buffers reused for each.
struct Output<'w> {
    renderer: Renderer<'w>,
    summary: SampleSummary,
    planting: Option<Planting>,
    seen: Vec<bool>,
    text: String,
    bytes: Vec<u8>,
    calendar: String,
}

impl Output<'_> {
    /// Writes the earliest message in `queue`, and puts its thread back if it goes on.
    fn next(
        &mut self,
        queue: &mut BinaryHeap<Reverse<Pending>>,
        mbox: &mut impl Write,
    ) -> io::Result<()> {
        let Some(Reverse(mut pending)) = queue.pop() else {
            return Ok(());
        };
        let (thread, k) = (&pending.thread, pending.next);
        if let (Some(planting), 0) = (self.planting.as_mut(), k) {
            planting.thread(self.renderer.world, thread);
        }
        self.text.clear();
        self.renderer
            .message(thread, k, &mut self.text)
            .map_err(format_error)?;
        self.bytes.clear();
        let at = thread.steps[k].at;
        writeln!(
            self.bytes,
            "From {} {}",
            self.renderer.sender(thread, k),
            at.format("%a %b %e %H:%M:%S %Y")
        )?;
        escape_from_lines(&self.text, &mut self.bytes);
        self.bytes.push(b'\n');
        mbox.write_all(&self.bytes)?;
        self.summary.messages += 1;
        self.summary.mbox_bytes += self.bytes.len() as u64;
        if !matches!(thread.kind, Kind::Bulk(..)) {
            let step = &thread.steps[k];
            for &who in std::iter::once(&step.from).chain(&step.to).chain(&step.cc) {
                self.seen[who as usize] = true;
            }
        }
        if k + 1 < pending.thread.steps.len() {
            pending.next = k + 1;
            pending.at = pending.thread.steps[k + 1].at;
            queue.push(Reverse(pending));
        }
        Ok(())
    }

    fn meeting(&mut self, meeting: &Meeting, ics: &mut impl Write) -> io::Result<()> {
        self.calendar.clear();
        Ics {
            out: &mut self.calendar,
            newline: "\r\n",
        }
        .event(self.renderer.world, meeting)
        .map_err(format_error)?;
        ics.write_all(self.calendar.as_bytes())?;
        self.summary.events += 1;
        self.seen[meeting.organizer as usize] = true;
        for &(who, _) in &meeting.attendees {
            self.seen[who as usize] = true;
        }
        Ok(())
    }
}

/// Appends `message` with mboxrd escaping: a `>` before every line that reads `From `
/// after any number of `>`.
fn escape_from_lines(message: &str, out: &mut Vec<u8>) {
    let (mut copied, mut at) = (0, 0);
    for line in message.split_inclusive('\n') {
        if line.trim_start_matches('>').starts_with("From ") {
            out.extend_from_slice(&message.as_bytes()[copied..at]);
            out.push(b'>');
            copied = at;
        }
        at += line.len();
    }
    out.extend_from_slice(&message.as_bytes()[copied..]);
}
