//! The sample mailbox generator: deterministic, exact in its counts, parseable, and shaped
//! like a real life (threads, automated mail, ties that fade, start and wait for answers).

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, TimeZone, Timelike, Utc};
use kindred_sources::sample::{write_sample, SampleSpec, SampleSummary, SAMPLE_ME};
use mail_parser::MessageParser;

const ALIAS_DOMAIN: &str = "@gmail.com";

fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 6, 30, 0)
        .single()
        .expect("a valid end")
}

struct Sample {
    mbox: Vec<u8>,
    ics: Vec<u8>,
    summary: SampleSummary,
}

fn generate(spec: &SampleSpec) -> Sample {
    let (mut mbox, mut ics) = (Vec::new(), Vec::new());
    let summary = write_sample(spec, &mut mbox, &mut ics).expect("writing to memory cannot fail");
    Sample { mbox, ics, summary }
}

/// The standard sample, generated once for all tests.
fn standard() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| generate(&SampleSpec::standard(end())))
}

/// The raw messages of an mboxrd file, separator lines removed.
fn split(mbox: &[u8]) -> Vec<&[u8]> {
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in mbox.split_inclusive(|&b| b == b'\n') {
        if line.starts_with(b"From ") {
            starts.push((offset, offset + line.len()));
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(i, &(_, body))| &mbox[body..starts.get(i + 1).map_or(mbox.len(), |s| s.0)])
        .collect()
}

/// What the tests need to know about one message.
struct Mail {
    from: String,
    to: Vec<String>,
    cc: Vec<String>,
    at: DateTime<Utc>,
    offset: String,
    id: String,
    in_reply_to: Option<String>,
    references: Vec<String>,
    subject: String,
    automated: bool,
    labels: String,
    content_type: String,
    raw_subject: String,
}

impl Mail {
    fn sent_by_me(&self) -> bool {
        self.from == SAMPLE_ME
            || (self.from.ends_with(ALIAS_DOMAIN) && self.labels.starts_with("Sent"))
    }

    fn thread(&self) -> &str {
        self.references
            .first()
            .map_or(self.id.as_str(), String::as_str)
    }
}

fn parse(raw: &[u8]) -> Mail {
    let message = MessageParser::default()
        .parse(raw)
        .expect("every message parses");
    let addresses = |list: Option<&mail_parser::Address>| -> Vec<String> {
        list.map(|l| {
            l.iter()
                .filter_map(|a| a.address())
                .map(str::to_lowercase)
                .collect()
        })
        .unwrap_or_default()
    };
    let date = message.date().expect("every message has a Date");
    let header = |name: &str| message.header_raw(name).map(|v| v.trim().to_owned());
    let from = addresses(message.from())
        .into_iter()
        .next()
        .expect("every message has a From");
    Mail {
        automated: header("List-Unsubscribe").is_some()
            || header("Auto-Submitted").is_some()
            || header("Precedence").is_some_and(|p| p == "bulk")
            || from.starts_with("no-reply@")
            || from.starts_with("notifications@"),
        from,
        to: addresses(message.to()),
        cc: addresses(message.cc()),
        at: Utc
            .timestamp_opt(date.to_timestamp(), 0)
            .single()
            .expect("a valid date"),
        offset: header("Date")
            .and_then(|d| d.split_whitespace().nth(5).map(str::to_owned))
            .unwrap_or_default(),
        id: message
            .message_id()
            .expect("every message has a Message-ID")
            .to_owned(),
        in_reply_to: message.in_reply_to().as_text().map(str::to_owned),
        references: message
            .references()
            .as_text_list()
            .map(|l| l.iter().map(ToString::to_string).collect())
            .or_else(|| message.references().as_text().map(|r| vec![r.to_owned()]))
            .unwrap_or_default(),
        subject: message.subject().unwrap_or_default().to_owned(),
        labels: header("X-Gmail-Labels").expect("every message has X-Gmail-Labels"),
        content_type: header("Content-Type").unwrap_or_default(),
        raw_subject: header("Subject").unwrap_or_default(),
    }
}

/// The standard sample, parsed once.
fn mails() -> &'static [Mail] {
    static MAILS: OnceLock<Vec<Mail>> = OnceLock::new();
    MAILS.get_or_init(|| split(&standard().mbox).into_iter().map(parse).collect())
}

#[test]
fn the_same_spec_writes_the_same_bytes_and_another_seed_does_not() {
    let spec = SampleSpec::scaled(800, end());
    let (first, second) = (generate(&spec), generate(&spec));
    assert!(
        first.mbox == second.mbox,
        "the same spec must give a byte-identical mbox"
    );
    assert!(
        first.ics == second.ics,
        "the same spec must give a byte-identical calendar"
    );
    assert_eq!(first.summary, second.summary);
    let other = generate(&SampleSpec {
        seed: spec.seed + 1,
        ..spec
    });
    assert!(
        other.mbox != first.mbox,
        "another seed must give another mailbox"
    );
    assert_eq!(
        other.summary.messages, 800,
        "the message count is exact for any seed"
    );
}

#[test]
fn the_summary_counts_what_was_written() {
    let sample = standard();
    let summary = sample.summary;
    assert_eq!(
        summary.messages, 5_000,
        "the standard sample holds exactly 5,000 messages"
    );
    assert_eq!(
        split(&sample.mbox).len(),
        summary.messages,
        "one `From ` line per message"
    );
    assert_eq!(summary.mbox_bytes, sample.mbox.len() as u64);
    let ics = String::from_utf8(sample.ics.clone()).expect("the calendar is UTF-8");
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        summary.events,
        "one VEVENT per event"
    );
    assert!(
        (180..=220).contains(&summary.events),
        "about one meeting per 25 messages: {}",
        summary.events
    );
    assert!(
        summary.people >= 200,
        "at least 200 people appear: {}",
        summary.people
    );
    assert!(
        summary.organizations >= 35,
        "at least 35 organisations appear: {}",
        summary.organizations
    );
    assert!(
        sample
            .mbox
            .split(|&b| b == b'\n')
            .any(|line| line.starts_with(b">From ")),
        "body lines starting with `From ` are escaped (mboxrd)"
    );
}

#[test]
fn the_people_and_organisations_are_in_the_mail() {
    let mails = mails();
    let people: BTreeSet<&str> = mails
        .iter()
        .filter(|m| !m.automated)
        .flat_map(|m| std::iter::once(&m.from).chain(&m.to).chain(&m.cc))
        .map(String::as_str)
        .filter(|a| *a != SAMPLE_ME && !a.starts_with("mlindqvist"))
        .collect();
    assert!(
        people.len() >= 200,
        "at least 200 people write or are written to: {}",
        people.len()
    );
    let organisations: BTreeSet<&str> = people
        .iter()
        .filter_map(|a| a.rsplit_once('@'))
        .filter(|(_, domain)| domain.ends_with(".example"))
        .map(|(_, domain)| {
            let labels: Vec<&str> = domain.split('.').collect();
            labels[labels.len() - 2]
        })
        .collect();
    assert!(
        organisations.len() >= 35,
        "at least 35 organisation domains: {}",
        organisations.len()
    );
    let freemail = people
        .iter()
        .filter(|a| {
            a.ends_with("@gmail.com") || a.ends_with("@outlook.com") || a.ends_with("@yahoo.com")
        })
        .count();
    assert!(
        freemail >= 20,
        "friends and family write from freemail: {freemail}"
    );
    assert!(
        people.iter().any(|a| a.contains("@eu.")),
        "some organisations have regional subdomains"
    );
}

#[test]
fn small_and_short_specs_still_write_exactly_what_they_promise() {
    for (messages, span_days) in [(0, 730), (1, 1), (40, 7), (400, 60)] {
        let spec = SampleSpec {
            seed: 7,
            messages,
            end: end(),
            span_days,
        };
        let sample = generate(&spec);
        let raw = split(&sample.mbox);
        assert_eq!(
            sample.summary.messages, messages,
            "exactly {messages} messages over {span_days} days"
        );
        assert_eq!(raw.len(), messages);
        let start = end() - Duration::days(span_days);
        for message in raw {
            let mail = parse(message);
            assert!(
                mail.at >= start && mail.at < end(),
                "{} lies inside {span_days} days",
                mail.at
            );
        }
    }
}

#[test]
fn every_message_parses_in_time_order_inside_the_span() {
    let mails = mails();
    let start = end() - Duration::days(730);
    assert!(
        mails.iter().all(|m| m.at >= start && m.at < end()),
        "every Date lies inside the span"
    );
    assert!(
        mails.windows(2).all(|w| w[0].at <= w[1].at),
        "messages come out in time order"
    );
    let ids: BTreeSet<&str> = mails.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids.len(), mails.len(), "Message-IDs are unique");
    let offsets: BTreeSet<&str> = mails.iter().map(|m| m.offset.as_str()).collect();
    assert!(
        offsets.len() >= 8,
        "senders write from many time zones: {offsets:?}"
    );
}

#[test]
fn replies_thread_onto_earlier_messages() {
    let mails = mails();
    let mut earlier = BTreeSet::new();
    let mut replies = 0;
    for mail in mails {
        if let Some(parent) = &mail.in_reply_to {
            replies += 1;
            assert!(
                earlier.contains(parent.as_str()),
                "In-Reply-To {parent} names an earlier message"
            );
            assert_eq!(
                mail.references.last(),
                Some(parent),
                "References end with the parent"
            );
            assert!(
                mail.subject.contains(':'),
                "a reply's subject has a reply prefix"
            );
        }
        earlier.insert(mail.id.as_str());
    }
    assert!(
        replies > mails.len() * 4 / 10,
        "most human mail is in threads: {replies} replies"
    );
    let by_id: BTreeMap<&str, &Mail> = mails.iter().map(|m| (m.id.as_str(), m)).collect();
    let mut delays: Vec<i64> = mails
        .iter()
        .filter_map(|m| Some((m.at - by_id.get(m.in_reply_to.as_deref()?)?.at).num_minutes()))
        .collect();
    delays.sort_unstable();
    let median = delays[delays.len() / 2];
    assert!(
        (15..=2_880).contains(&median),
        "the median reply takes minutes to days: {median} min"
    );
    assert!(
        delays[delays.len() / 20] < 30 && delays[delays.len() * 19 / 20] > 1_440,
        "reply delays spread from minutes to days"
    );
}

#[test]
fn a_sixth_of_the_mail_is_automated() {
    let mails = mails();
    let automated = mails.iter().filter(|m| m.automated).count();
    let share = automated * 100 / mails.len();
    assert!(
        (15..=20).contains(&share),
        "15–20 % automated mail: {share} %"
    );
    assert!(mails
        .iter()
        .any(|m| m.automated && m.labels.contains("Category Promotions")));
    assert!(mails.iter().any(|m| m.from.starts_with("no-reply@")));
}

#[test]
fn mail_comes_in_the_shapes_real_mailboxes_have() {
    let mails = mails();
    let count = |f: &dyn Fn(&Mail) -> bool| mails.iter().filter(|m| f(m)).count();
    let sent = count(&|m| m.sent_by_me());
    assert!(
        (1_200..=2_400).contains(&sent),
        "about a third is sent by me: {sent}"
    );
    assert!(
        mails
            .iter()
            .filter(|m| m.sent_by_me())
            .all(|m| m.labels.starts_with("Sent")),
        "sent mail is labelled Sent"
    );
    assert!(
        count(&|m| m.from.ends_with(ALIAS_DOMAIN) && m.sent_by_me()) >= 5,
        "my alias sends a few messages"
    );
    assert!(
        count(&|m| m.content_type.starts_with("text/html")) >= 50,
        "some HTML-only messages"
    );
    assert!(
        count(&|m| m.content_type.starts_with("multipart/alternative")) >= 1_000,
        "many text+HTML messages"
    );
    assert!(
        count(&|m| m.content_type.starts_with("multipart/mixed")) >= 50,
        "some messages with attachments"
    );
    assert!(
        count(&|m| m.raw_subject.contains("=?UTF-8?")) >= 20,
        "some encoded-word subjects"
    );
    assert!(
        count(&|m| !m.subject.is_ascii()) >= 20,
        "non-ASCII subjects decode"
    );
    assert!(
        count(&|m| m.subject.starts_with("Invitation: ")) >= 5,
        "some invitations arrive by mail"
    );
    assert!(
        mails.iter().flat_map(|m| m.to.iter().chain(&m.cc)).count() > mails.len(),
        "messages have recipients"
    );
    let group = count(&|m| m.to.len() + m.cc.len() >= 3);
    assert!(
        group >= 200,
        "group threads give the graph communities: {group}"
    );
    let after_hours = count(&|m| {
        let hour = m.at.with_timezone(&chrono_tz::Europe::Berlin).hour();
        !m.automated && !(8..19).contains(&hour)
    });
    assert!(
        (5..=35).contains(&(after_hours * 100 / mails.len())),
        "some after-hours mail: {after_hours}"
    );
    let raw = &standard().mbox;
    assert!(
        raw.windows(18).any(|w| w == b"text/calendar; cha"),
        "invitations carry a text/calendar part"
    );
    assert!(
        raw.windows(9)
            .any(|w| w == b".EXAMPLE>" || w == b"GMAIL.COM"),
        "some addresses are written in capitals"
    );
}

#[test]
fn ties_fade_begin_and_wait_for_an_answer() {
    let mails = mails();
    let (start, end) = (end() - Duration::days(730), end());
    let mut first = BTreeMap::new();
    let mut last = BTreeMap::new();
    let mut early = BTreeMap::<&str, usize>::new();
    let mut total = BTreeMap::<&str, usize>::new();
    let mut sent_to = BTreeMap::<&str, usize>::new();
    let mut received = BTreeMap::<&str, usize>::new();
    for mail in mails.iter().filter(|m| !m.automated) {
        for who in std::iter::once(&mail.from).chain(&mail.to).chain(&mail.cc) {
            if who == SAMPLE_ME || (mail.sent_by_me() && who == &mail.from) {
                continue;
            }
            first.entry(who.as_str()).or_insert(mail.at);
            last.insert(who.as_str(), mail.at);
            *total.entry(who.as_str()).or_default() += 1;
            if mail.at < start + Duration::days(365) {
                *early.entry(who.as_str()).or_default() += 1;
            }
        }
        if mail.sent_by_me() {
            for who in &mail.to {
                *sent_to.entry(who.as_str()).or_default() += 1;
            }
        } else {
            *received.entry(mail.from.as_str()).or_default() += 1;
        }
    }
    let fading = early
        .iter()
        .filter(|(who, &n)| n >= 20 && last[*who] < end - Duration::days(90))
        .count();
    assert!(
        fading >= 2,
        "some strong ties of the first year go quiet in the last 90 days: {fading}"
    );
    let new = total
        .iter()
        .filter(|(who, &n)| n >= 3 && first[*who] >= end - Duration::days(90))
        .count();
    assert!(new >= 5, "some ties begin in the last 90 days: {new}");
    let inbound_only = received
        .iter()
        .filter(|(who, &n)| n >= 2 && !sent_to.contains_key(*who))
        .count();
    assert!(
        inbound_only >= 3,
        "some people write and never get an answer: {inbound_only}"
    );
    let outbound_only = sent_to
        .keys()
        .filter(|who| !received.contains_key(*who))
        .count();
    assert!(
        outbound_only >= 3,
        "some people I write never answer: {outbound_only}"
    );
    let mut last_in_thread = BTreeMap::new();
    for mail in mails.iter().filter(|m| !m.automated) {
        last_in_thread.insert(mail.thread(), mail);
    }
    let owed = last_in_thread
        .values()
        .filter(|m| {
            !m.sent_by_me()
                && m.at >= end - Duration::days(14)
                && sent_to.get(m.from.as_str()).is_some_and(|&n| n >= 10)
        })
        .count();
    assert!(
        owed >= 2,
        "strong ties have recent mail I have not answered: {owed}"
    );
    let ranked: Vec<usize> = {
        let mut counts: Vec<usize> = total.values().copied().collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        counts
    };
    assert!(
        ranked[0] >= 20 * ranked[ranked.len() / 2],
        "tie strength has a heavy tail: {:?}",
        &ranked[..10]
    );
    let introduced = mails
        .iter()
        .filter(|m| !m.automated && !m.sent_by_me() && m.to == [SAMPLE_ME])
        .flat_map(|m| {
            m.cc.iter()
                .filter(|who| first.get(who.as_str()) == Some(&m.at))
        })
        .filter(|who| received.contains_key(who.as_str()))
        .count();
    assert!(
        introduced >= 3,
        "someone cc's a new person into a thread, who then writes: {introduced}"
    );
}

#[test]
fn the_calendar_has_meetings_series_and_a_time_zone() {
    let ics = String::from_utf8(standard().ics.clone()).expect("the calendar is UTF-8");
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(
        ics.split("\r\n").all(|line| line.len() <= 75),
        "content lines are folded at 75 octets"
    );
    let unfolded = ics.replace("\r\n ", "");
    let mut depth = Vec::new();
    let mut events: Vec<Vec<&str>> = Vec::new();
    for line in unfolded.lines() {
        if let Some(name) = line.strip_prefix("BEGIN:") {
            depth.push(name);
            if name == "VEVENT" {
                events.push(Vec::new());
            }
        } else if let Some(name) = line.strip_prefix("END:") {
            assert_eq!(depth.pop(), Some(name), "BEGIN and END nest");
        } else if depth.last() == Some(&"VEVENT") {
            events.last_mut().expect("inside a VEVENT").push(line);
        }
    }
    assert!(depth.is_empty(), "every component ends");
    assert_eq!(events.len(), standard().summary.events);
    assert!(
        unfolded.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"),
        "a VTIMEZONE for the series"
    );
    let has = |event: &[&str], name: &str| event.iter().any(|l| l.starts_with(name));
    let series: Vec<&Vec<&str>> = events.iter().filter(|e| has(e, "RRULE:")).collect();
    assert!(
        (3..=6).contains(&series.len()),
        "a few weekly series: {}",
        series.len()
    );
    assert!(
        series
            .iter()
            .all(|e| has(e, "EXDATE;TZID=") && has(e, "DTSTART;TZID=")),
        "each series skips a date"
    );
    for event in &events {
        for property in [
            "DTSTART",
            "DTEND",
            "UID:",
            "SUMMARY:",
            "ORGANIZER;CN=",
            "ATTENDEE;",
        ] {
            assert!(
                has(event, property),
                "every meeting has {property}: {event:?}"
            );
        }
    }
    assert!(unfolded.contains("PARTSTAT=DECLINED") && unfolded.contains("PARTSTAT=TENTATIVE"));
    let minutes = |e: &[&str]| -> Option<i64> {
        let time = |p: &str| {
            e.iter()
                .find_map(|l| l.strip_prefix(p))
                .and_then(|v| chrono::NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%SZ").ok())
        };
        Some((time("DTEND:")? - time("DTSTART:")?).num_minutes())
    };
    let typical = events
        .iter()
        .filter_map(|e| minutes(e))
        .filter(|m| (30..=60).contains(m))
        .count();
    assert!(
        typical * 2 > events.len(),
        "most meetings last 30–60 minutes: {typical} of {}",
        events.len()
    );
}

/// Counts bytes, keeps none.
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn fifty_thousand_messages_make_about_two_hundred_megabytes() {
    let (mut mbox, mut ics) = (Counter(0), Counter(0));
    let summary = write_sample(&SampleSpec::scaled(50_000, end()), &mut mbox, &mut ics)
        .expect("counting cannot fail");
    assert_eq!(summary.messages, 50_000);
    assert_eq!(summary.mbox_bytes, mbox.0);
    let megabytes = mbox.0 / 1_000_000;
    assert!(
        (160..=240).contains(&megabytes),
        "the benchmark mbox is 160–240 MB: {megabytes} MB"
    );
    assert!(
        summary.people > 500 && summary.people < 1_500,
        "people grow sub-linearly: {}",
        summary.people
    );
    assert!(
        summary.organizations > 60 && summary.organizations < 200,
        "orgs grow sub-linearly: {}",
        summary.organizations
    );
}
