//! The world of the sample mailbox: me, the people I know and their organisations, how
//! close each tie is and when it is active. Built once from the seed; it grows with the
//! square root of the message count, so it stays small at any size.

use std::collections::BTreeSet;

use chrono_tz::{Europe, Tz};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::text::ascii_fold;
use super::words::{self, CAST, CAST_INTRODUCTIONS, CULTURES, GERMAN, NORDIC};

/// The index of me in [`World::people`]; the cast follows in the order of [`CAST`].
pub(super) const ME: u32 = 0;
/// My manager.
pub(super) const MANAGER: u32 = 1;
/// The teammate who leaves in the second year: a tie that fades.
pub(super) const LEAVER: u32 = 3;
/// My main contact at the client.
pub(super) const CLIENT_LEAD: u32 = 12;
/// The client's regional IT lead.
pub(super) const CLIENT_IT: u32 = 13;

/// My personal freemail alias, used for a few personal messages.
pub(super) const ME_ALIAS: &str = "mlindqvist.berlin@gmail.com";

/// The part of my life a person belongs to; also the genre of what we write about.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Circle {
    Team,
    Colleague,
    Client,
    Customer,
    Vendor,
    Partner,
    Community,
    Family,
    Friend,
    Cold,
    Acquaintance,
}

impl Circle {
    const ALL: [Circle; 11] = [
        Circle::Team,
        Circle::Colleague,
        Circle::Client,
        Circle::Customer,
        Circle::Vendor,
        Circle::Partner,
        Circle::Community,
        Circle::Family,
        Circle::Friend,
        Circle::Cold,
        Circle::Acquaintance,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn is_personal(self) -> bool {
        matches!(self, Circle::Family | Circle::Friend)
    }

    /// Circles whose members write to each other, so threads and meetings are groups.
    pub fn is_group(self) -> bool {
        matches!(
            self,
            Circle::Team
                | Circle::Colleague
                | Circle::Client
                | Circle::Community
                | Circle::Family
                | Circle::Friend
        )
    }

    /// People in these circles write formally and get "Dear" greetings.
    pub fn is_formal(self) -> bool {
        matches!(self, Circle::Vendor | Circle::Cold | Circle::Customer)
    }
}

/// How strong a tie is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tier {
    Close,
    Middle,
    Weak,
}

/// When a tie is active: throughout, fading out before the last quarter, or new in it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Life {
    Steady,
    Fading,
    New,
}

/// Who writes in a tie: both, only they (never answered), only I (never answered).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Pattern {
    TwoWay,
    InboundOnly,
    OutboundOnly,
}

/// The mail program a person writes with: it decides MIME shape, quoting and ids.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum MailClient {
    Gmail,
    Outlook,
    Apple,
    Plain,
    HtmlOnly,
}

/// Where a cast member's address lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Home {
    Org(usize),
    Regional(usize),
    Freemail(&'static str),
}

/// How a person's name is written beside their address.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Display {
    FirstLast,
    LastFirst,
    Bare,
    FirstOnly,
}

/// An organisation, known by its domains.
pub(super) struct Org {
    pub name: String,
    pub domain: String,
    /// A regional subdomain some of its people use (`eu.northwind.example`).
    pub regional: Option<String>,
    /// The old brand's domain and the day the org moved to `domain`.
    pub old: Option<(String, i64)>,
    pub circle: Circle,
    zone: Tz,
    culture: usize,
    style: u8,
    last_first: bool,
}

/// Someone in my mailbox (index 0 is me).
pub(super) struct Person {
    pub first: &'static str,
    pub last: &'static str,
    pub circle: Circle,
    pub tier: Tier,
    pub life: Life,
    pub pattern: Pattern,
    pub org: Option<usize>,
    pub regional: bool,
    pub local: String,
    pub freemail: &'static str,
    pub zone: Tz,
    pub culture: usize,
    pub client: MailClient,
    pub display: Display,
    /// Others sometimes type this address in capitals.
    pub upper: bool,
    pub title: &'static str,
    pub signature: bool,
    /// Reply speed: 0 fast, 1 normal, 2 slow.
    pub speed: u8,
    pub weight: f64,
    /// The day of our first contact, counted from the start of the span.
    pub debut: i64,
    pub introducer: Option<u32>,
}

/// A weighted draw over people.
#[derive(Default)]
struct Picker {
    cumulative: Vec<f64>,
    ids: Vec<u32>,
}

impl Picker {
    fn pick(&self, rng: &mut ChaCha8Rng) -> u32 {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.gen::<f64>() * total;
        let at = self.cumulative.partition_point(|&c| c <= x);
        self.ids[at.min(self.ids.len() - 1)]
    }
}

/// Everyone and everything the sample mailbox talks about.
pub(super) struct World {
    pub people: Vec<Person>,
    pub orgs: Vec<Org>,
    /// People by circle.
    pub members: [Vec<u32>; 11],
    pub span: i64,
    /// First day of the second half, and of the last quarter (at most 90 days).
    half: i64,
    recent: i64,
    /// Draws by phase (first half, second half, last quarter) and weekday/weekend.
    pickers: [[Picker; 2]; 3],
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for &(item, w) in items {
        if x < w {
            return item;
        }
        x -= w;
    }
    items[0].0
}

/// `s^(3/8)` with square roots only, so every platform computes the same world.
fn scale_orgs(scale: f64) -> f64 {
    let e = scale.sqrt().sqrt().sqrt();
    e * e * e
}

fn scaled(base: f64, factor: f64) -> usize {
    (base * factor).round() as usize
}

impl World {
    /// The world for a mailbox of `messages` messages over `span` days.
    pub fn build(messages: usize, span: i64, rng: &mut ChaCha8Rng) -> World {
        let scale = messages.max(1) as f64 / 5000.0;
        let people_n = scaled(250.0, scale.sqrt()).max(CAST.len() + 30);
        let recent = span - (span / 4).min(90);
        let half = span / 2;
        let mut world = World {
            people: Vec::with_capacity(people_n + 1),
            orgs: Vec::new(),
            members: Default::default(),
            span,
            half,
            recent,
            pickers: Default::default(),
        };
        let circles = circle_counts(people_n);
        // The people who found the orgs beyond the fixed three, in the order they do.
        let mut founders: Vec<usize> = (0..circles.len())
            .filter(|&i| is_external(circles[i]))
            .collect();
        founders.shuffle(rng);
        let org_n = scaled(40.0, scale_orgs(scale))
            .max(8)
            .min(founders.len() + 3);
        founders.truncate(org_n - 3);
        world.build_orgs(org_n, &circles, &founders, rng);
        world.build_people(&circles, &founders, rng);
        world.pickers =
            [0, 1, 2].map(|phase| [false, true].map(|weekend| world.picker(phase, weekend)));
        world
    }

    fn build_orgs(
        &mut self,
        n: usize,
        circles: &[Circle],
        founders: &[usize],
        rng: &mut ChaCha8Rng,
    ) {
        let mut stems = BTreeSet::new();
        let (a, b, suffix) = words::ORG_PARTS;
        for i in 0..n {
            let (name, stem) = if let Some(&(name, stem)) = words::ORGS.get(i) {
                (name.to_owned(), stem.to_owned())
            } else {
                let (x, y) = (a[i % a.len()], b[(i / a.len() + i) % b.len()]);
                let name = format!("{x}{y} {}", suffix[i % suffix.len()]);
                (name, format!("{}{y}", x.to_lowercase()))
            };
            let mut stem = stem;
            while !stems.insert(stem.clone()) {
                stem.push_str(&rng.gen_range(2..10).to_string());
            }
            let culture = match i {
                0 => GERMAN,
                1 => 0,
                2 => 1,
                _ => rng.gen_range(0..CULTURES.len()),
            };
            let zone = match i {
                0 => Europe::Berlin,
                _ => *CULTURES[culture]
                    .zones
                    .choose(rng)
                    .unwrap_or(&Europe::London),
            };
            let regional = (i == 1 || (i > 2 && rng.gen_bool(0.12))).then(|| {
                let region = if i == 1 {
                    "eu"
                } else {
                    words::REGIONS.choose(rng).unwrap_or(&"eu")
                };
                format!("{region}.{stem}.example")
            });
            self.orgs.push(Org {
                name,
                domain: format!("{stem}.example"),
                regional,
                old: (i == 2).then(|| (format!("{}.example", words::OLD_BRAND), self.half)),
                // Orgs beyond the fixed three take the circle of the first person placed there.
                circle: [Circle::Colleague, Circle::Client, Circle::Partner][i.min(2)],
                zone,
                culture,
                style: if i == 0 { 0 } else { rng.gen_range(0..5) },
                last_first: i == 1 || (i > 2 && rng.gen_bool(0.25)),
            });
        }
        for (org, &person) in self.orgs.iter_mut().skip(3).zip(founders) {
            org.circle = circles[person];
        }
    }

    fn build_people(&mut self, circles: &[Circle], founders: &[usize], rng: &mut ChaCha8Rng) {
        let mut taken: BTreeSet<String> = [super::SAMPLE_ME.to_owned(), ME_ALIAS.to_owned()].into();
        let mut names: BTreeSet<(&str, &str)> = BTreeSet::new();
        self.people.push(Person {
            first: "Maya",
            last: "Lindqvist",
            circle: Circle::Colleague,
            tier: Tier::Close,
            life: Life::Steady,
            pattern: Pattern::TwoWay,
            org: Some(0),
            regional: false,
            local: "maya.lindqvist".to_owned(),
            freemail: "",
            zone: Europe::Berlin,
            culture: NORDIC,
            client: MailClient::Gmail,
            display: Display::FirstLast,
            upper: false,
            title: "Staff Product Manager",
            signature: true,
            speed: 1,
            weight: 0.0,
            debut: 0,
            introducer: None,
        });
        names.insert(("Maya", "Lindqvist"));
        for cast in CAST {
            let (org, regional, freemail) = match cast.home {
                Home::Org(o) => (Some(o), false, ""),
                Home::Regional(o) => (Some(o), true, ""),
                Home::Freemail(domain) => (None, false, domain),
            };
            let mut person = self.person(cast.circle, (cast.tier, cast.life), org, rng);
            (person.first, person.last, person.culture) = (cast.first, cast.last, cast.culture);
            (person.zone, person.client) = (cast.zone, cast.client);
            (person.regional, person.freemail, person.title) = (regional, freemail, cast.title);
            person.weight *= cast.boost;
            person.display = if org == Some(1) {
                Display::LastFirst
            } else {
                Display::FirstLast
            };
            person.upper = false;
            names.insert((cast.first, cast.last));
            self.add(person, &mut taken, rng);
        }
        for &(new, introducer) in CAST_INTRODUCTIONS {
            self.people[new + 1].introducer = Some(u32::try_from(introducer + 1).unwrap_or(ME));
        }
        let mut first_of = vec![None; circles.len()];
        for (org, &i) in (3..self.orgs.len()).zip(founders) {
            first_of[i] = Some(org);
        }
        for (i, &circle) in circles.iter().enumerate() {
            let org = first_of[i].or_else(|| self.org_for(circle, rng));
            let (tier, life) = tier_and_life(circle, rng);
            let mut person = self.person(circle, (tier, life), org, rng);
            if circle == Circle::Family && rng.gen_bool(0.5) {
                person.last = "Lindqvist";
            }
            for _ in 0..6 {
                if names.insert((person.first, person.last)) {
                    break;
                }
                let culture = &CULTURES[person.culture];
                person.first = culture.firsts.choose(rng).copied().unwrap_or("Alex");
                person.last = culture.lasts.choose(rng).copied().unwrap_or("Doe");
            }
            self.add(person, &mut taken, rng);
        }
        let connectors: Vec<u32> = (1..self.people.len())
            .filter(|&i| {
                let p = &self.people[i];
                p.tier != Tier::Weak && p.life == Life::Steady && p.pattern == Pattern::TwoWay
            })
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        for i in CAST.len() + 1..self.people.len() {
            let p = &self.people[i];
            let chance = match p.life {
                Life::New => 0.6,
                _ if p.tier == Tier::Weak => 0.08,
                _ => 0.0,
            };
            if rng.gen_bool(chance) {
                let personal = p.circle.is_personal();
                let fits: Vec<u32> = connectors
                    .iter()
                    .copied()
                    .filter(|&c| self.people[c as usize].circle.is_personal() == personal)
                    .collect();
                self.people[i].introducer = fits.choose(rng).copied();
            }
        }
        for (i, p) in self.people.iter().enumerate().skip(1) {
            self.members[p.circle.index()].push(u32::try_from(i).unwrap_or(ME));
        }
    }

    /// A person of `circle`, with everything but a unique name and address decided.
    fn person(
        &self,
        circle: Circle,
        (tier, life): (Tier, Life),
        org: Option<usize>,
        rng: &mut ChaCha8Rng,
    ) -> Person {
        let home = org.map(|o| &self.orgs[o]);
        let culture = match (circle, home) {
            (Circle::Family, _) => NORDIC,
            (Circle::Friend, _) if rng.gen_bool(0.4) => GERMAN,
            (_, Some(o)) if rng.gen_bool(0.6) => o.culture,
            _ => rng.gen_range(0..CULTURES.len()),
        };
        let names = &CULTURES[culture];
        let zone = match home {
            Some(o) if rng.gen_bool(0.8) => o.zone,
            _ if circle == Circle::Friend && rng.gen_bool(0.7) => Europe::Berlin,
            _ => *names.zones.choose(rng).unwrap_or(&Europe::Berlin),
        };
        let last_first = home.is_some_and(|o| o.last_first);
        let client = if last_first && rng.gen_bool(0.7) {
            MailClient::Outlook
        } else {
            use MailClient::{Apple, Gmail, HtmlOnly, Outlook, Plain};
            weighted(
                rng,
                &[
                    (Gmail, 40),
                    (Outlook, 25),
                    (Apple, 18),
                    (Plain, 12),
                    (HtmlOnly, 5),
                ],
            )
        };
        let display = if last_first && rng.gen_bool(0.8) {
            Display::LastFirst
        } else {
            use Display::{Bare, FirstLast, FirstOnly};
            weighted(rng, &[(FirstLast, 80), (Bare, 12), (FirstOnly, 8)])
        };
        let pattern = match circle {
            Circle::Cold => Pattern::InboundOnly,
            Circle::Acquaintance => weighted(
                rng,
                &[
                    (Pattern::TwoWay, 73),
                    (Pattern::OutboundOnly, 15),
                    (Pattern::InboundOnly, 12),
                ],
            ),
            Circle::Vendor if tier == Tier::Weak && rng.gen_bool(0.2) => Pattern::InboundOnly,
            _ => Pattern::TwoWay,
        };
        let (base, speed) = match tier {
            Tier::Close => (28.0, u8::from(rng.gen_bool(0.2))),
            Tier::Middle => (5.0, weighted(rng, &[(0, 20), (1, 70), (2, 10)])),
            Tier::Weak => (0.45, weighted(rng, &[(1, 40), (2, 60)])),
        };
        let debut = match (life, tier) {
            (Life::New, _) => rng.gen_range(self.recent..(self.span - 3).max(self.recent + 1)),
            (_, Tier::Close | Tier::Middle) => rng.gen_range(0..21.min(self.half).max(1)),
            (Life::Fading, Tier::Weak) => rng.gen_range(0..self.half.max(1)),
            (Life::Steady, Tier::Weak) => rng.gen_range(0..self.recent.max(1)),
        };
        let freemail = if org.is_none() {
            weighted(rng, words::FREEMAIL)
        } else {
            ""
        };
        Person {
            first: names.firsts.choose(rng).copied().unwrap_or("Alex"),
            last: names.lasts.choose(rng).copied().unwrap_or("Doe"),
            circle,
            tier,
            life,
            pattern,
            org,
            regional: home.is_some_and(|o| o.regional.is_some()) && rng.gen_bool(0.35),
            local: String::new(),
            freemail,
            zone,
            culture,
            client,
            display,
            upper: rng.gen_bool(0.03),
            title: if circle.is_personal() {
                ""
            } else {
                words::TITLES.choose(rng).copied().unwrap_or("")
            },
            signature: !circle.is_personal() && rng.gen_bool(0.65),
            speed,
            weight: base * rng.gen_range(0.6..1.6),
            debut,
            introducer: None,
        }
    }

    /// Gives `person` a unique address and adds them.
    fn add(&mut self, mut person: Person, taken: &mut BTreeSet<String>, rng: &mut ChaCha8Rng) {
        let first = ascii_fold(person.first);
        let last = ascii_fold(person.last);
        let initial = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
        let style = match person.org {
            Some(o) => self.orgs[o].style,
            None => rng.gen_range(5..10),
        };
        let mut local = match style {
            1 => format!("{}{last}", initial(&first)),
            2 => first.clone(),
            3 => format!("{first}_{last}"),
            4 => format!("{first}{}", initial(&last)),
            6 => format!("{first}{last}{}", rng.gen_range(70..100)),
            7 => format!("{}{last}", initial(&first)),
            8 => format!("{first}_{last}"),
            9 => format!("{last}.{first}{}", rng.gen_range(1..30)),
            _ => format!("{first}.{last}"),
        };
        let domain = match person.org {
            Some(o) => self.orgs[o].domain.clone(),
            None => person.freemail.to_owned(),
        };
        if taken.contains(&format!("{local}@{domain}")) {
            local = format!("{first}.{last}");
        }
        let base = local.clone();
        let mut n = 2;
        while !taken.insert(format!("{local}@{domain}")) {
            local = format!("{base}{n}");
            n += 1;
        }
        person.local = local;
        self.people.push(person);
    }

    /// An organisation for a person of `circle` who did not found one: bigger orgs
    /// attract more people.
    fn org_for(&self, circle: Circle, rng: &mut ChaCha8Rng) -> Option<usize> {
        match circle {
            Circle::Team | Circle::Colleague => return Some(0),
            Circle::Client => return Some(1),
            Circle::Family | Circle::Friend => return None,
            Circle::Community | Circle::Acquaintance if rng.gen_bool(0.35) => return None,
            Circle::Cold if rng.gen_bool(0.1) => return None,
            _ => {}
        }
        // Acquaintances and community members work anywhere; the rest at orgs of their kind.
        let anywhere = matches!(circle, Circle::Acquaintance | Circle::Community);
        let fits: Vec<usize> = (2..self.orgs.len())
            .filter(|&o| anywhere || self.orgs[o].circle == circle)
            .collect();
        let pool = if fits.is_empty() {
            (2..self.orgs.len()).collect()
        } else {
            fits
        };
        let ranked: Vec<(usize, u32)> = pool
            .iter()
            .enumerate()
            .map(|(rank, &o)| (o, 1 + 60 / u32::try_from(rank + 1).unwrap_or(60)))
            .collect();
        Some(weighted(rng, &ranked))
    }

    fn picker(&self, phase: usize, weekend: bool) -> Picker {
        let mut cumulative = Vec::with_capacity(self.people.len());
        let mut ids = Vec::with_capacity(self.people.len());
        let mut total = 0.0;
        for (i, p) in self.people.iter().enumerate().skip(1) {
            let life = match p.life {
                Life::Steady => 1.0,
                Life::Fading => [1.0, 0.35, 0.02][phase],
                Life::New => [0.0, 0.0, 2.0][phase],
            };
            let day = match (weekend, p.circle.is_personal()) {
                (false, _) => 1.0,
                (true, true) => 3.0,
                (true, false) => 0.35,
            };
            let w = p.weight * life * day;
            if w > 0.0 {
                total += w;
                cumulative.push(total);
                ids.push(u32::try_from(i).unwrap_or(ME));
            }
        }
        Picker { cumulative, ids }
    }

    /// The phase of `day`: 0 first half, 1 second half, 2 last quarter.
    pub fn phase(&self, day: i64) -> usize {
        if day >= self.recent {
            2
        } else if day >= self.half {
            1
        } else {
            0
        }
    }

    /// Someone active on `day`, drawn by tie strength: a person already met.
    pub fn pick(&self, day: i64, weekend: bool, rng: &mut ChaCha8Rng) -> u32 {
        let picker = &self.pickers[self.phase(day)][usize::from(weekend)];
        for _ in 0..8 {
            let who = picker.pick(rng);
            if self.people[who as usize].debut <= day {
                return who;
            }
        }
        1
    }

    /// Up to `n` people of `circle` other than `exclude`, already met and still in touch
    /// by `day`; closer ties are likelier.
    pub fn some_of(
        &self,
        circle: Circle,
        n: usize,
        day: i64,
        exclude: u32,
        rng: &mut ChaCha8Rng,
    ) -> Vec<u32> {
        let phase = self.phase(day);
        let mut mates: Vec<(f64, u32)> = self.members[circle.index()]
            .iter()
            .filter(|&&m| m != exclude && self.people[m as usize].debut <= day)
            .map(|&m| {
                let p = &self.people[m as usize];
                let active = if p.life == Life::Fading && phase == 2 {
                    0.01
                } else {
                    1.0
                };
                (p.weight * active * rng.gen_range(0.2..1.0), m)
            })
            .collect();
        mates.sort_by(|a, b| b.0.total_cmp(&a.0));
        mates.into_iter().take(n).map(|(_, m)| m).collect()
    }

    /// The address of `who` on `day` (people of a rebranded org used the old domain).
    pub fn address(&self, who: u32, day: i64) -> String {
        let p = &self.people[who as usize];
        let domain = match p.org.map(|o| &self.orgs[o]) {
            None => p.freemail,
            Some(org) => match (&org.old, &org.regional) {
                (Some((old, switch)), _) if day < *switch => old,
                (_, Some(regional)) if p.regional => regional,
                _ => &org.domain,
            },
        };
        format!("{}@{domain}", p.local)
    }

    /// The name written beside `who`'s address, if any.
    pub fn display_name(&self, who: u32) -> Option<String> {
        let p = &self.people[who as usize];
        match p.display {
            Display::FirstLast => Some(format!("{} {}", p.first, p.last)),
            Display::LastFirst => Some(format!("{}, {}", p.last, p.first)),
            Display::FirstOnly => Some(p.first.to_owned()),
            Display::Bare => None,
        }
    }

    /// The full name of `who`, as written in text.
    pub fn full_name(&self, who: u32) -> String {
        let p = &self.people[who as usize];
        format!("{} {}", p.first, p.last)
    }

    /// The organisation name of `who`, or an empty string for freemail people.
    pub fn org_name(&self, who: u32) -> &str {
        self.people[who as usize]
            .org
            .map_or("", |o| self.orgs[o].name.as_str())
    }

    /// The domain a message from `who` is sent through (for ids and Received lines).
    pub fn host(&self, who: u32, day: i64) -> String {
        let address = self.address(who, day);
        address
            .split_once('@')
            .map_or(address.clone(), |(_, d)| d.to_owned())
    }
}

fn is_external(circle: Circle) -> bool {
    matches!(
        circle,
        Circle::Customer
            | Circle::Vendor
            | Circle::Partner
            | Circle::Cold
            | Circle::Acquaintance
            | Circle::Community
    )
}

/// The circles of the people drawn beyond the cast, in a fixed order.
fn circle_counts(n: usize) -> Vec<Circle> {
    let pct = |p: usize| n * p / 100;
    let counts = [
        pct(3).clamp(6, 12),
        pct(12),
        pct(4).max(5),
        pct(14),
        pct(10),
        pct(8),
        pct(6),
        pct(2).clamp(5, 8),
        pct(6),
        pct(8),
        0,
    ];
    let mut circles = Vec::with_capacity(n);
    for (circle, count) in Circle::ALL.into_iter().zip(counts) {
        let cast = CAST.iter().filter(|c| c.circle == circle).count();
        circles.extend(std::iter::repeat_n(circle, count.saturating_sub(cast)));
    }
    let rest = n.saturating_sub(circles.len() + CAST.len());
    circles.extend(std::iter::repeat_n(Circle::Acquaintance, rest));
    circles
}

fn tier_and_life(circle: Circle, rng: &mut ChaCha8Rng) -> (Tier, Life) {
    let middle = match circle {
        Circle::Team | Circle::Family => 1.0,
        Circle::Client => 0.4,
        Circle::Friend => 0.3,
        Circle::Community => 0.2,
        Circle::Colleague | Circle::Customer | Circle::Partner => 0.15,
        Circle::Vendor => 0.1,
        Circle::Cold | Circle::Acquaintance => 0.0,
    };
    let tier = if rng.gen_bool(middle) {
        Tier::Middle
    } else {
        Tier::Weak
    };
    let life = if matches!(circle, Circle::Family | Circle::Cold) {
        Life::Steady
    } else {
        let (fading, new) = if tier == Tier::Middle {
            (10, 8)
        } else {
            (8, 12)
        };
        weighted(
            rng,
            &[
                (Life::Fading, fading),
                (Life::New, new),
                (Life::Steady, 100 - fading - new),
            ],
        )
    };
    (tier, life)
}
