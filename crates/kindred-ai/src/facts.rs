//! The facts of a relationship, from the messages and meetings shared with one person:
//! first contact, who introduced us, how much and when (years, the busiest month), the
//! longest threads, meetings, the last exchange and the threads waiting for my reply —
//! each fact citing the messages and meetings that show it. Pure: the caller reads the
//! store.

use std::collections::{BTreeMap, BTreeSet};

use chrono::DateTime;
use kindred_store::correspondence::{ExchangedMessage, SharedMeeting};

use crate::story::{Citation, Evidence, Fact, StoryInput};

/// How much of a message's text a piece of evidence carries, in characters.
const EXCERPT_CHARS: usize = 300;
/// The most years described one by one (the latest).
const YEARS: usize = 4;
/// The most threads described, and open threads listed.
const THREADS: usize = 2;
const OPEN_THREADS: usize = 3;

/// Everything known about one relationship, as read from the store.
#[derive(Debug, Clone, Copy)]
pub struct Correspondence<'a> {
    /// How the story names them.
    pub name: &'a str,
    /// Oldest first.
    pub messages: &'a [ExchangedMessage],
    /// Oldest first.
    pub meetings: &'a [SharedMeeting],
    /// Who first brought them into my threads, if someone else did.
    pub introducer: Option<&'a str>,
    /// Their messages waiting for my reply, by id.
    pub waiting: &'a [i64],
}

fn day(at: i64) -> String {
    DateTime::from_timestamp_millis(at)
        .map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn plural(count: usize, one: &str, many: &str) -> String {
    if count == 1 {
        format!("1 {one}")
    } else {
        format!("{count} {many}")
    }
}

fn subject(message: &ExchangedMessage) -> &str {
    let subject = message.subject.trim();
    if subject.is_empty() {
        "(no subject)"
    } else {
        subject
    }
}

/// The facts of `correspondence` and the evidence they cite.
#[must_use]
pub fn gather(correspondence: &Correspondence<'_>) -> StoryInput {
    let Correspondence {
        name,
        messages,
        meetings,
        introducer,
        waiting,
    } = *correspondence;
    let mut facts = Vec::new();
    let by_id: BTreeMap<i64, &ExchangedMessage> = messages.iter().map(|m| (m.id, m)).collect();
    let who = |message: &ExchangedMessage| {
        if message.from_me {
            "you".to_owned()
        } else {
            name.to_owned()
        }
    };
    if let (Some(first), Some(last)) = (messages.first(), messages.last()) {
        facts.push(Fact {
            text: format!(
                "Your first exchange with {name} was on {}, when {} wrote \"{}\".",
                day(first.sent_at),
                who(first),
                subject(first)
            ),
            citations: vec![Citation::Message(first.id)],
        });
        if let Some(introducer) = introducer {
            facts.push(Fact {
                text: format!("{introducer} brought {name} into your mail."),
                citations: vec![Citation::Message(first.id)],
            });
        }
        let sent = messages.iter().filter(|m| m.from_me).count();
        facts.push(Fact {
            text: format!(
                "In all you exchanged {}: you sent {sent} and {name} sent {}.",
                plural(messages.len(), "message", "messages"),
                messages.len() - sent
            ),
            citations: dedup(vec![
                Citation::Message(first.id),
                Citation::Message(last.id),
            ]),
        });
        facts.extend(years(messages));
        facts.extend(busiest_month(messages));
        facts.extend(threads(messages));
    }
    facts.extend(meeting_facts(name, meetings));
    if let Some(last) = messages.last() {
        facts.push(Fact {
            text: format!(
                "Your last exchange was on {}: \"{}\", from {}.",
                day(last.sent_at),
                subject(last),
                who(last)
            ),
            citations: vec![Citation::Message(last.id)],
        });
    }
    for message in waiting
        .iter()
        .filter_map(|id| by_id.get(id))
        .take(OPEN_THREADS)
    {
        facts.push(Fact {
            text: format!(
                "{name} is waiting for your reply to \"{}\" of {}.",
                subject(message),
                day(message.sent_at)
            ),
            citations: vec![Citation::Message(message.id)],
        });
    }
    let cited: BTreeSet<Citation> = facts
        .iter()
        .flat_map(|fact| fact.citations.iter().copied())
        .collect();
    let evidence = cited
        .into_iter()
        .filter_map(|citation| evidence(citation, name, &by_id, meetings))
        .collect();
    StoryInput {
        name: name.to_owned(),
        facts,
        evidence,
    }
}

fn dedup(mut citations: Vec<Citation>) -> Vec<Citation> {
    citations.dedup();
    citations
}

fn years(messages: &[ExchangedMessage]) -> Vec<Fact> {
    let mut years: BTreeMap<String, Vec<&ExchangedMessage>> = BTreeMap::new();
    for message in messages {
        let date = day(message.sent_at);
        years
            .entry(date.get(..4).unwrap_or_default().to_owned())
            .or_default()
            .push(message);
    }
    if years.len() < 2 {
        return Vec::new();
    }
    let skip = years.len().saturating_sub(YEARS);
    years
        .into_iter()
        .skip(skip)
        .map(|(year, messages)| Fact {
            text: format!(
                "In {year} you exchanged {}.",
                plural(messages.len(), "message", "messages")
            ),
            citations: dedup(vec![
                Citation::Message(messages[0].id),
                Citation::Message(messages[messages.len() - 1].id),
            ]),
        })
        .collect()
}

fn busiest_month(messages: &[ExchangedMessage]) -> Option<Fact> {
    let mut months: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for message in messages {
        let date = day(message.sent_at);
        months
            .entry(date.get(..7).unwrap_or_default().to_owned())
            .or_default()
            .push(message.id);
    }
    if months.len() < 2 {
        return None;
    }
    // The earliest of the busiest months, so ties resolve the same way every time.
    let (month, ids) = months
        .iter()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))?;
    Some(Fact {
        text: format!(
            "Your busiest month together was {month}, with {}.",
            plural(ids.len(), "message", "messages")
        ),
        citations: ids
            .iter()
            .take(3)
            .map(|id| Citation::Message(*id))
            .collect(),
    })
}

fn threads(messages: &[ExchangedMessage]) -> Vec<Fact> {
    let mut threads: BTreeMap<&str, Vec<&ExchangedMessage>> = BTreeMap::new();
    for message in messages {
        threads
            .entry(message.thread_key.as_str())
            .or_default()
            .push(message);
    }
    let mut threads: Vec<Vec<&ExchangedMessage>> = threads
        .into_values()
        .filter(|thread| thread.len() >= 3)
        .collect();
    threads.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a[0].id.cmp(&b[0].id)));
    threads
        .into_iter()
        .take(THREADS)
        .map(|thread| Fact {
            text: format!(
                "One of your longest threads was \"{}\", {} from {} to {}.",
                subject(thread[0]),
                plural(thread.len(), "message", "messages"),
                day(thread[0].sent_at),
                day(thread[thread.len() - 1].sent_at)
            ),
            citations: dedup(vec![
                Citation::Message(thread[0].id),
                Citation::Message(thread[thread.len() - 1].id),
            ]),
        })
        .collect()
}

fn meeting_facts(name: &str, meetings: &[SharedMeeting]) -> Vec<Fact> {
    let (Some(first), Some(last)) = (meetings.first(), meetings.last()) else {
        return Vec::new();
    };
    let mut facts = vec![Fact {
        text: format!(
            "You met {name} {}; the first meeting was \"{}\" on {}.",
            plural(meetings.len(), "time", "times"),
            first.title.trim(),
            day(first.starts_at)
        ),
        citations: vec![Citation::Event(first.id)],
    }];
    if last.id != first.id {
        facts.push(Fact {
            text: format!(
                "Your latest meeting was \"{}\" on {}.",
                last.title.trim(),
                day(last.starts_at)
            ),
            citations: vec![Citation::Event(last.id)],
        });
    }
    facts
}

fn evidence(
    citation: Citation,
    name: &str,
    messages: &BTreeMap<i64, &ExchangedMessage>,
    meetings: &[SharedMeeting],
) -> Option<Evidence> {
    match citation {
        Citation::Message(id) => {
            let message = messages.get(&id)?;
            let text: String = message
                .excerpt
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .take(EXCERPT_CHARS)
                .collect();
            let from = if message.from_me { "me" } else { name };
            Some(Evidence {
                citation,
                date: day(message.sent_at),
                title: subject(message).to_owned(),
                detail: format!("from {from}: {text}"),
            })
        }
        Citation::Event(id) => {
            let meeting = meetings.iter().find(|m| m.id == id)?;
            Some(Evidence {
                citation,
                date: day(meeting.starts_at),
                title: meeting.title.trim().to_owned(),
                detail: format!("a meeting of {} minutes with {name}", meeting.minutes),
            })
        }
    }
}
