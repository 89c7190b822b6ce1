//! Planning: who writes to whom, and when. A thread is planned whole when it starts
//! (participants, senders, send times), so the writer can emit messages in time order
//! while holding only the threads still in flight.

use std::fmt::{self, Write};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::{Europe, Tz};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::calendar::{Meeting, PartStat};
use super::text::{expand, pick, random_chars, ALNUM, LOWER_HEX, UPPER_HEX};
use super::words::{self, BULK};
use super::world::{Circle, MailClient, Pattern, Tier, World, CLIENT_LEAD, MANAGER, ME};

/// What a thread is.
pub(super) enum Kind {
    /// People writing to each other.
    Human,
    /// `introducer` connects me with `new`; the thread goes on between us.
    Intro { introducer: u32, new: u32 },
    /// One message from the automated sender `BULK[i]`, of its `variant`th subject.
    Bulk(usize, usize),
    /// One calendar invitation.
    Invite(Box<Meeting>),
}

/// One message of a thread.
pub(super) struct Step {
    pub at: DateTime<Utc>,
    pub from: u32,
    pub to: Vec<u32>,
    pub cc: Vec<u32>,
    /// The message ends with a question.
    pub ask: bool,
    /// The Message-ID, with its angle brackets.
    pub id: String,
}

impl Step {
    /// A step whose Message-ID is assigned when the thread is finished.
    fn new(at: DateTime<Utc>, from: u32, to: Vec<u32>, cc: Vec<u32>, ask: bool) -> Self {
        Self {
            at,
            from,
            to,
            cc,
            ask,
            id: String::new(),
        }
    }
}

/// A conversation, planned whole.
pub(super) struct Thread {
    pub id: u64,
    pub kind: Kind,
    pub circle: Circle,
    pub subject: String,
    pub project: &'static str,
    pub doc: &'static str,
    pub place: &'static str,
    pub food: &'static str,
    /// Filed under a project label.
    pub labelled: bool,
    /// I write from my personal alias.
    pub alias: bool,
    pub steps: Vec<Step>,
}

/// Relative frequency of the hour of day (local time) at work and at home.
const WORK_HOURS: [u32; 24] = [
    0, 0, 0, 0, 0, 0, 1, 4, 12, 20, 21, 19, 11, 15, 18, 17, 15, 10, 5, 4, 3, 2, 1, 0,
];
const HOME_HOURS: [u32; 24] = [
    1, 0, 0, 0, 0, 0, 1, 5, 5, 4, 4, 5, 8, 5, 4, 4, 5, 8, 11, 13, 14, 12, 7, 3,
];
/// Reply delays in minutes, and their weights for fast, normal and slow writers.
const DELAYS: [(i64, i64); 6] = [
    (2, 10),
    (10, 60),
    (60, 240),
    (240, 1440),
    (1440, 4320),
    (4320, 10_080),
];
const DELAY_WEIGHTS: [[u32; 6]; 3] = [
    [25, 35, 25, 10, 4, 1],
    [8, 20, 30, 25, 12, 5],
    [2, 8, 20, 35, 25, 10],
];
/// Length weights of two-way threads (1..) and of group threads (1..).
const DIRECT_LENGTHS: [u32; 8] = [22, 30, 18, 12, 8, 5, 3, 2];
const GROUP_LENGTHS: [u32; 8] = [12, 20, 20, 16, 12, 9, 6, 5];

/// An index into `weights`, drawn by weight.
pub(super) fn draw(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    0
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Plans threads and meetings inside the span `[start, end)`.
pub(super) struct Planner<'w> {
    pub world: &'w World,
    pub rng: ChaCha8Rng,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    next_id: u64,
}

impl<'w> Planner<'w> {
    pub fn new(
        world: &'w World,
        rng: ChaCha8Rng,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        Planner {
            world,
            rng,
            start,
            end,
            next_id: 1,
        }
    }

    fn zone(&self, who: u32) -> Tz {
        self.world.people[who as usize].zone
    }

    fn local(zone: Tz, date: NaiveDate, minute_of_day: u32) -> DateTime<Utc> {
        let naive = date
            .and_hms_opt(minute_of_day / 60 % 24, minute_of_day % 60, 0)
            .unwrap_or_default();
        match zone.from_local_datetime(&naive).earliest() {
            Some(at) => at.with_timezone(&Utc),
            // A time skipped by a daylight-saving change: the hour after it.
            None => Utc.from_utc_datetime(&naive) + Duration::hours(1),
        }
    }

    /// A time on `date` in `zone`, at an hour drawn from `hours`, inside the span.
    fn time_on(&mut self, date: NaiveDate, zone: Tz, hours: &[u32; 24]) -> DateTime<Utc> {
        let hour = u32::try_from(draw(&mut self.rng, hours)).unwrap_or(9);
        let at =
            Self::local(zone, date, hour * 60) + Duration::seconds(self.rng.gen_range(0..3600));
        if at >= self.start && at < self.end {
            return at;
        }
        // The first or last day of the span: anywhere in that UTC day inside it.
        let midnight = Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default());
        let low = midnight.max(self.start);
        let high = (midnight + Duration::days(1)).min(self.end);
        low + Duration::seconds(self.rng.gen_range(0..(high - low).num_seconds().max(1)))
    }

    fn hours(personal: bool) -> &'static [u32; 24] {
        if personal {
            &HOME_HOURS
        } else {
            &WORK_HOURS
        }
    }

    /// When `who` answers a message that arrived at `after`.
    fn reply_time(&mut self, after: DateTime<Utc>, who: u32, personal: bool) -> DateTime<Utc> {
        let speed = usize::from(self.world.people[who as usize].speed.min(2));
        let (low, high) = DELAYS[draw(&mut self.rng, &DELAY_WEIGHTS[speed])];
        let at = after
            + Duration::minutes(self.rng.gen_range(low..high))
            + Duration::seconds(self.rng.gen_range(0..60));
        let local = at.with_timezone(&self.zone(who));
        let (hour, date) = (local.hour(), local.date_naive());
        if personal {
            // Nobody answers friends at four in the morning.
            if hour < 7 && self.rng.gen_bool(0.9) {
                let minute = self.rng.gen_range(7 * 60..9 * 60);
                return Self::local(self.zone(who), date, minute).max(at);
            }
            return at;
        }
        if (is_weekend(date) || !(8..19).contains(&hour)) && self.rng.gen_bool(0.8) {
            // Work waits for the next working morning.
            let mut next = if hour >= 8 {
                date + Duration::days(1)
            } else {
                date
            };
            while is_weekend(next) {
                next += Duration::days(1);
            }
            let minute = self.rng.gen_range(8 * 60..10 * 60 + 30);
            return Self::local(self.zone(who), next, minute).max(at);
        }
        at
    }

    fn thread(&mut self, kind: Kind, circle: Circle, counterpart: u32) -> Thread {
        let id = self.next_id;
        self.next_id += 1;
        let rng = &mut self.rng;
        // What the thread is about stays the same in every message of it.
        let (project, doc, place, food) = (
            pick(rng, words::PROJECTS),
            pick(rng, words::DOCS),
            pick(rng, words::PLACES),
            pick(rng, words::FOODS),
        );
        let labelled = matches!(circle, Circle::Team | Circle::Client) && rng.gen_bool(0.4);
        let mut subject = String::new();
        let first = self.world.people[counterpart as usize].first;
        let org = self.world.org_name(counterpart);
        let template = pick(rng, words::SUBJECTS[circle.index()]);
        let slots = [
            ("first", first),
            ("org", org),
            ("project", project),
            ("doc", doc),
            ("place", place),
            ("food", food),
        ];
        expand(template, &slots, rng, &mut subject);
        Thread {
            id,
            kind,
            circle,
            subject,
            project,
            doc,
            place,
            food,
            labelled,
            alias: false,
            steps: Vec::new(),
        }
    }

    /// Keeps the steps that fall inside the span, at most `cap` of them, and names them.
    fn finish(&mut self, mut thread: Thread, cap: usize) -> Thread {
        let inside = thread.steps.iter().take_while(|s| s.at < self.end).count();
        thread.steps.truncate(inside.min(cap).max(1));
        self.name(&mut thread);
        thread
    }

    /// Gives every step its Message-ID.
    fn name(&mut self, thread: &mut Thread) {
        for k in 0..thread.steps.len() {
            let id = self.message_id(thread, k).unwrap_or_default();
            thread.steps[k].id = id;
        }
    }

    /// The Message-ID of step `k` of `thread`, in the style of the sender's mail program.
    fn message_id(&mut self, thread: &Thread, k: usize) -> Result<String, fmt::Error> {
        let step = &thread.steps[k];
        let (id, rng) = (thread.id, &mut self.rng);
        let mut out = String::with_capacity(64);
        out.push('<');
        let client = if thread.alias && step.from == ME {
            MailClient::Gmail
        } else {
            self.world.people[step.from as usize].client
        };
        let host = self
            .world
            .host(step.from, (step.at - self.start).num_days());
        match &thread.kind {
            Kind::Bulk(i, _) => {
                random_chars(rng, LOWER_HEX, 16, &mut out);
                let domain = BULK[*i].address.split_once('@').map_or("", |(_, d)| d);
                write!(out, ".{id:x}@mta.{domain}>")
            }
            Kind::Invite(_) => {
                random_chars(rng, ALNUM, 22, &mut out);
                write!(out, "{id:x}@google.com>")
            }
            _ => match client {
                MailClient::Gmail | MailClient::HtmlOnly => {
                    out.push_str("CA");
                    random_chars(rng, ALNUM, 12, &mut out);
                    write!(out, "{id:X}{k:02X}")?;
                    random_chars(rng, ALNUM, 18, &mut out);
                    write!(out, "@mail.gmail.com>")
                }
                MailClient::Outlook => {
                    let server = format!(
                        "AM{}PR0{}MB{}",
                        rng.gen_range(0..10),
                        rng.gen_range(1..9),
                        rng.gen_range(1000..9999)
                    );
                    write!(out, "{server}{id:08X}{k:02X}")?;
                    random_chars(rng, UPPER_HEX, 14, &mut out);
                    write!(
                        out,
                        "@{server}.eurprd0{}.prod.outlook.com>",
                        rng.gen_range(1..9)
                    )
                }
                MailClient::Apple => {
                    random_chars(rng, UPPER_HEX, 8, &mut out);
                    out.push('-');
                    random_chars(rng, UPPER_HEX, 4, &mut out);
                    out.push('-');
                    random_chars(rng, UPPER_HEX, 4, &mut out);
                    write!(out, "-{id:08X}{k:04X}@{host}>")
                }
                MailClient::Plain => {
                    random_chars(rng, LOWER_HEX, 8, &mut out);
                    out.push('-');
                    random_chars(rng, LOWER_HEX, 4, &mut out);
                    write!(out, "-{id:08x}-{k:04x}@{host}>")
                }
            },
        }?;
        Ok(out)
    }

    /// A conversation started on `date` with someone drawn by tie strength.
    pub fn human(&mut self, date: NaiveDate, day: i64, cap: usize) -> Thread {
        let world = self.world;
        let who = world.pick(day, is_weekend(date), &mut self.rng);
        let p = &world.people[who as usize];
        if p.circle.is_group() && p.pattern == Pattern::TwoWay && self.rng.gen_bool(0.22) {
            self.group(who, date, day, cap)
        } else {
            self.direct(who, date, day, cap)
        }
    }

    /// Our first contact: an introduction if someone introduces us, else a first message.
    pub fn debut(&mut self, who: u32, date: NaiveDate, day: i64, cap: usize) -> Thread {
        match self.world.people[who as usize].introducer {
            Some(introducer) if cap >= 3 && self.world.people[introducer as usize].debut <= day => {
                self.intro(introducer, who, date, cap)
            }
            _ => self.direct(who, date, day, cap),
        }
    }

    fn direct(&mut self, who: u32, date: NaiveDate, day: i64, cap: usize) -> Thread {
        let world = self.world;
        let p = &world.people[who as usize];
        let personal = p.circle.is_personal();
        let rng = &mut self.rng;
        let me_first = match p.pattern {
            Pattern::TwoWay => rng.gen_bool(match p.circle {
                Circle::Team | Circle::Client | Circle::Friend => 0.5,
                Circle::Family => 0.45,
                _ => 0.3,
            }),
            Pattern::InboundOnly => false,
            Pattern::OutboundOnly => true,
        };
        let mut len = match p.pattern {
            Pattern::TwoWay => 1 + draw(rng, &DIRECT_LENGTHS),
            _ => 1 + usize::from(rng.gen_bool(0.25)),
        };
        // Recent mail from people who matter that I have not answered yet.
        let owed = !me_first && p.tier != Tier::Weak && day >= world.span - 14 && rng.gen_bool(0.5);
        if owed {
            len = 1;
        }
        let extra = if !personal && p.circle != Circle::Cold && rng.gen_bool(0.12) {
            world
                .some_of(Circle::Team, 1, day, who, rng)
                .first()
                .copied()
        } else {
            None
        };
        let mut thread = self.thread(Kind::Human, p.circle, who);
        thread.alias = personal && me_first && self.rng.gen_bool(0.12);
        let mut from = if me_first { ME } else { who };
        let mut at = self.time_on(date, self.zone(from), Self::hours(personal));
        for i in 0..len {
            if i > 0 {
                if p.pattern == Pattern::TwoWay && !self.rng.gen_bool(0.08) {
                    from = if from == ME { who } else { ME };
                }
                at = self.reply_time(at, from, personal);
            }
            let to = vec![if from == ME { who } else { ME }];
            let last = i + 1 == len;
            let ask = if last {
                owed || self.rng.gen_bool(0.15)
            } else {
                self.rng.gen_bool(0.4)
            };
            thread
                .steps
                .push(Step::new(at, from, to, extra.into_iter().collect(), ask));
        }
        self.finish(thread, cap)
    }

    fn group(&mut self, seed: u32, date: NaiveDate, day: i64, cap: usize) -> Thread {
        let world = self.world;
        let circle = world.people[seed as usize].circle;
        let personal = circle.is_personal();
        let rng = &mut self.rng;
        let mut members = vec![seed];
        let n = rng.gen_range(1..=4);
        members.extend(world.some_of(circle, n, day, seed, rng));
        if circle == Circle::Client && rng.gen_bool(0.6) {
            members.extend(world.some_of(Circle::Team, 1, day, seed, rng));
        }
        if members.len() < 2 {
            return self.direct(seed, date, day, cap);
        }
        let len = 1 + draw(rng, &GROUP_LENGTHS);
        let everyone: Vec<u32> = std::iter::once(ME).chain(members.iter().copied()).collect();
        let mut thread = self.thread(Kind::Human, circle, seed);
        let mut from = if self.rng.gen_bool(0.35) { ME } else { seed };
        let mut at = self.time_on(date, self.zone(from), Self::hours(personal));
        for i in 0..len {
            let (to, cc): (Vec<u32>, Vec<u32>) = if i == 0 {
                let others: Vec<u32> = everyone.iter().copied().filter(|&m| m != from).collect();
                let split = self.rng.gen_range(1..=others.len().min(3));
                (others[..split].to_vec(), others[split..].to_vec())
            } else {
                let previous = from;
                from = if previous != ME && self.rng.gen_bool(0.4) {
                    ME
                } else {
                    let choices: Vec<u32> =
                        members.iter().copied().filter(|&m| m != previous).collect();
                    choices[self.rng.gen_range(0..choices.len())]
                };
                at = self.reply_time(at, from, personal);
                let cc = everyone
                    .iter()
                    .copied()
                    .filter(|&m| m != from && m != previous)
                    .collect();
                (vec![previous], cc)
            };
            let ask = self.rng.gen_bool(if i + 1 == len { 0.15 } else { 0.4 });
            thread.steps.push(Step::new(at, from, to, cc, ask));
        }
        self.finish(thread, cap)
    }

    fn intro(&mut self, introducer: u32, new: u32, date: NaiveDate, cap: usize) -> Thread {
        let circle = self.world.people[new as usize].circle;
        let personal = circle.is_personal();
        let mut thread = self.thread(Kind::Intro { introducer, new }, circle, new);
        let first = self.world.people[new as usize].first;
        thread.subject = match self.rng.gen_range(0..3) {
            0 => format!("Introduction: Maya <> {first}"),
            1 => format!("Intro: {first} / Maya"),
            _ => "Connecting you two".to_owned(),
        };
        let len = 3 + draw(&mut self.rng, &[40, 30, 20, 10]);
        let mut at = self.time_on(date, self.zone(introducer), Self::hours(personal));
        let mut from = introducer;
        for i in 0..len {
            let (to, cc) = match i {
                0 => (vec![ME], vec![new]),
                // I move the introducer to Bcc, so they drop out of the thread.
                _ => {
                    from = if i % 2 == 1 { ME } else { new };
                    at = self.reply_time(at, from, personal);
                    (vec![if from == ME { new } else { ME }], Vec::new())
                }
            };
            let ask = i == 2 || self.rng.gen_bool(0.3);
            thread.steps.push(Step::new(at, from, to, cc, ask));
        }
        self.finish(thread, cap)
    }

    /// One newsletter or notification on `date`.
    pub fn bulk(&mut self, date: NaiveDate) -> Thread {
        let weights: Vec<u32> = BULK.iter().map(|b| b.weight).collect();
        let i = draw(&mut self.rng, &weights);
        let sender = &BULK[i];
        let at = if sender.newsletter {
            let mut hours = [0; 24];
            hours[sender.hour as usize] = 1;
            self.time_on(date, sender.zone, &hours)
        } else {
            self.time_on(date, Europe::Berlin, &WORK_HOURS)
        };
        let variant = self.rng.gen_range(0..sender.subjects.len());
        let mut thread = self.thread(Kind::Bulk(i, variant), Circle::Team, ME);
        let colleague = self.colleague();
        let mut subject = String::new();
        let slots = [
            ("colleague", colleague),
            ("project", thread.project),
            ("doc", thread.doc),
        ];
        expand(
            sender.subjects[variant],
            &slots,
            &mut self.rng,
            &mut subject,
        );
        thread.subject = subject;
        thread
            .steps
            .push(Step::new(at, ME, vec![ME], Vec::new(), false));
        self.name(&mut thread);
        thread
    }

    fn colleague(&mut self) -> &'w str {
        let team = &self.world.members[Circle::Team.index()];
        let who = team[self.rng.gen_range(0..team.len())];
        self.world.people[who as usize].first
    }

    /// A meeting booked on `date` with someone drawn by tie strength, and, when its
    /// organiser sends me an invitation by mail, that message as a thread.
    pub fn meeting(
        &mut self,
        date: NaiveDate,
        day: i64,
        allow_invite: bool,
    ) -> (Meeting, Option<Thread>) {
        let world = self.world;
        let who = world.pick(day, is_weekend(date), &mut self.rng);
        let p = &world.people[who as usize];
        let circle = p.circle;
        let personal = circle.is_personal();
        let rng = &mut self.rng;
        let mut people = vec![who];
        let (extra, minutes) = match circle {
            Circle::Team if rng.gen_bool(0.5) => (0, 30),
            Circle::Team => (rng.gen_range(2..=5), [45, 60][rng.gen_range(0..2)]),
            Circle::Colleague => (rng.gen_range(0..=1), 30),
            Circle::Client => (rng.gen_range(1..=3), 60),
            Circle::Community => (rng.gen_range(3..=7), 120),
            Circle::Family | Circle::Friend => {
                (rng.gen_range(0..=2), [90, 120, 180][rng.gen_range(0..3)])
            }
            Circle::Customer | Circle::Vendor | Circle::Partner => {
                (rng.gen_range(0..=1), [30, 45][rng.gen_range(0..2)])
            }
            Circle::Cold | Circle::Acquaintance => (0, 30),
        };
        people.extend(world.some_of(circle, extra, day, who, rng));
        if matches!(circle, Circle::Client | Circle::Customer | Circle::Partner)
            && rng.gen_bool(0.5)
        {
            people.extend(world.some_of(Circle::Team, 1, day, who, rng));
        }
        let organizer = match circle {
            Circle::Community | Circle::Cold => who,
            Circle::Team if people == [MANAGER] => MANAGER,
            _ if rng.gen_bool(0.5) => ME,
            _ => who,
        };
        let mut on = date + Duration::days(rng.gen_range(1..=10));
        while !personal && is_weekend(on) {
            on += Duration::days(1);
        }
        let minute_of_day = match (personal, circle, is_weekend(on)) {
            (_, Circle::Community, _) => 18 * 60 + 30,
            (true, _, true) => rng.gen_range(22..39) * 30,
            (true, _, false) => rng.gen_range(36..41) * 30,
            (false, Circle::Client, _) if who == CLIENT_LEAD => 17 * 60,
            (false, _, _) => {
                [9, 10, 11, 13, 14, 15, 16][rng.gen_range(0..7)] * 60 + 30 * rng.gen_range(0..2)
            }
        };
        let start = Self::local(Europe::Berlin, on, minute_of_day);
        let mut summary = String::new();
        let project = pick(rng, words::PROJECTS);
        let slots = [
            ("first", p.first),
            ("org", world.org_name(who)),
            ("project", project),
        ];
        expand(
            pick(rng, words::MEETINGS[circle.index()]),
            &slots,
            rng,
            &mut summary,
        );
        let mut uid = String::new();
        random_chars(rng, LOWER_HEX, 24, &mut uid);
        let attendees: Vec<(u32, PartStat)> = std::iter::once(ME)
            .chain(people.iter().copied())
            .map(|a| {
                let status = if a == organizer {
                    PartStat::Accepted
                } else if a == ME && circle == Circle::Cold {
                    [PartStat::Declined, PartStat::NeedsAction][rng.gen_range(0..2)]
                } else {
                    [
                        PartStat::Accepted,
                        PartStat::Tentative,
                        PartStat::Declined,
                        PartStat::NeedsAction,
                    ][draw(rng, &[80, 8, 5, 7])]
                };
                (a, status)
            })
            .collect();
        let booked = self.time_on(date, self.zone(organizer), Self::hours(personal));
        let meeting = Meeting {
            uid: format!("{uid}{:06x}@larkspur.example", self.next_id),
            summary,
            start,
            minutes,
            organizer,
            attendees,
            location: if personal {
                ""
            } else {
                pick(&mut self.rng, words::ROOMS)
            },
            stamp: booked,
            cancelled: self.rng.gen_bool(0.03),
        };
        let invite = (allow_invite && organizer != ME && self.rng.gen_bool(0.35)).then(|| {
            let mut thread = self.thread(Kind::Invite(Box::new(meeting.clone())), circle, who);
            thread.subject.clone_from(&meeting.summary);
            thread
                .steps
                .push(Step::new(booked, organizer, vec![ME], Vec::new(), false));
            self.name(&mut thread);
            thread
        });
        self.next_id += 1;
        (meeting, invite)
    }
}
