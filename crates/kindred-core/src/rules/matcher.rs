//! Matching rules against items and rendering what a firing does. An item's facts are
//! prepared once ([`PreparedItem`]: lower-cased text, the other side's domains and
//! organisations) and a rule is compiled once ([`Matcher`]), so checking many rules
//! against many items does no allocation per check. Pure: the time is passed in.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use super::{Action, Condition, Due, Field, Priority, Rule, Segment, Template, Trigger};
use crate::address::{organization_name, registrable_domain};

/// Someone on an item: an address and the name it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Party {
    pub address: String,
    pub name: Option<String>,
}

impl Party {
    fn display(&self) -> String {
        match &self.name {
            Some(name) => format!("{name} <{}>", self.address),
            None => self.address.clone(),
        }
    }
}

/// What a rule may test and render of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MessageFacts {
    pub id: i64,
    pub from: Option<Party>,
    /// To and Cc.
    pub recipients: Vec<Party>,
    pub subject: String,
    pub labels: Vec<String>,
    pub has_attachment: bool,
    pub has_invite: bool,
    /// Sent from one of my addresses (`message.sent`), else received.
    pub sent_by_me: bool,
    /// The rank of the other side's best-ranked person (1 = strongest), if ranked.
    pub rank: Option<u32>,
    pub sent_at: DateTime<Utc>,
}

/// What a rule may test and render of a calendar event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventFacts {
    pub id: i64,
    pub title: String,
    pub organizer: Option<Party>,
    pub attendees: Vec<Party>,
    pub location: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub rank: Option<u32>,
    /// A change to a known event (`event.updated`), else a new one.
    pub updated: bool,
    /// Which change of the event an `event.updated` item is (each fires once); `None`
    /// for a new event.
    pub change: Option<i64>,
}

/// What a rule may test and render of a person who is new or fading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonFacts {
    pub id: i64,
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub rank: Option<u32>,
    /// Fading (`person.fading`), else new (`person.new`).
    pub fading: bool,
}

/// What a rule may test and render of a finished sync.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SyncFacts {
    /// The sync run's id.
    pub run: i64,
    pub account: String,
    /// Messages and events it added.
    pub added: u64,
}

/// An item a rule may fire on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemFacts {
    Message(MessageFacts),
    Event(EventFacts),
    Person(PersonFacts),
    Sync(SyncFacts),
}

impl ItemFacts {
    /// The trigger this item fires.
    #[must_use]
    pub fn trigger(&self) -> Trigger {
        match self {
            Self::Message(m) if m.sent_by_me => Trigger::MessageSent,
            Self::Message(_) => Trigger::MessageReceived,
            Self::Event(e) if e.updated => Trigger::EventUpdated,
            Self::Event(_) => Trigger::EventCreated,
            Self::Person(p) if p.fading => Trigger::PersonFading,
            Self::Person(_) => Trigger::PersonNew,
            Self::Sync(_) => Trigger::SyncCompleted,
        }
    }
}

/// An item's facts in the form matching reads: lower-cased, with the other side's
/// domains and organisation keys worked out once.
#[derive(Debug, Clone)]
pub struct PreparedItem<'a> {
    pub facts: &'a ItemFacts,
    trigger: Trigger,
    from: Option<String>,
    to: Vec<String>,
    /// Domains of the other side: the sender of mail I received, the recipients of mail I
    /// sent, an event's organiser and attendees, a person's addresses.
    domains: Vec<String>,
    /// For each of those: the registrable domain, its first label and its readable name.
    orgs: Vec<String>,
    subject: String,
    labels: Vec<String>,
    has_attachment: bool,
    has_invite: bool,
    rank: Option<u32>,
}

impl<'a> PreparedItem<'a> {
    #[must_use]
    pub fn new(facts: &'a ItemFacts) -> Self {
        let lower = |party: &Party| party.address.to_lowercase();
        let (from, to, others, subject, labels, attachment, invite, rank) = match facts {
            ItemFacts::Message(m) => {
                let from = m.from.as_ref().map(lower);
                let to: Vec<String> = m.recipients.iter().map(lower).collect();
                let others = if m.sent_by_me {
                    to.clone()
                } else {
                    from.iter().cloned().collect()
                };
                let labels = m.labels.iter().map(|l| l.to_lowercase()).collect();
                (
                    from,
                    to,
                    others,
                    m.subject.to_lowercase(),
                    labels,
                    m.has_attachment,
                    m.has_invite,
                    m.rank,
                )
            }
            ItemFacts::Event(e) => {
                let from = e.organizer.as_ref().map(lower);
                let to: Vec<String> = e.attendees.iter().map(lower).collect();
                let others = from.iter().chain(&to).cloned().collect();
                (
                    from,
                    to,
                    others,
                    e.title.to_lowercase(),
                    Vec::new(),
                    false,
                    false,
                    e.rank,
                )
            }
            ItemFacts::Person(p) => {
                let emails: Vec<String> = p.emails.iter().map(|e| e.to_lowercase()).collect();
                let from = emails.first().cloned();
                (
                    from,
                    Vec::new(),
                    emails,
                    String::new(),
                    Vec::new(),
                    false,
                    false,
                    p.rank,
                )
            }
            ItemFacts::Sync(_) => Default::default(),
        };
        let domains: Vec<String> = others
            .iter()
            .filter_map(|address| address.rsplit_once('@').map(|(_, d)| d.to_owned()))
            .collect();
        let mut orgs = Vec::new();
        for domain in &domains {
            let registrable = registrable_domain(domain);
            orgs.push(organization_name(&registrable).to_lowercase());
            if let Some(label) = registrable.split('.').next() {
                orgs.push(label.to_owned());
            }
            orgs.push(registrable);
        }
        Self {
            facts,
            trigger: facts.trigger(),
            from,
            to,
            domains,
            orgs,
            subject,
            labels,
            has_attachment: attachment,
            has_invite: invite,
            rank,
        }
    }
}

/// A rule compiled for matching: its values lower-cased once.
#[derive(Debug, Clone)]
pub struct Matcher {
    trigger: Trigger,
    tests: Vec<Test>,
}

#[derive(Debug, Clone)]
enum Test {
    From(String),
    To(String),
    Domain(String),
    Subject(String),
    Label(String),
    HasAttachment,
    HasInvite,
    RankAtMost(u32),
    Org(String),
}

impl Matcher {
    #[must_use]
    pub fn new(rule: &Rule) -> Self {
        let tests = rule
            .conditions
            .iter()
            .map(|condition| match condition {
                Condition::From(p) => Test::From(p.to_lowercase()),
                Condition::To(p) => Test::To(p.to_lowercase()),
                Condition::Domain(d) => Test::Domain(d.trim_start_matches('.').to_lowercase()),
                Condition::SubjectContains(t) => Test::Subject(t.to_lowercase()),
                Condition::Label(l) => Test::Label(l.to_lowercase()),
                Condition::HasAttachment => Test::HasAttachment,
                Condition::HasInvite => Test::HasInvite,
                Condition::RankAtMost(rank) => Test::RankAtMost(*rank),
                Condition::Org(o) => Test::Org(o.to_lowercase()),
            })
            .collect();
        Self {
            trigger: rule.trigger,
            tests,
        }
    }

    /// Whether the rule fires on `item`: its trigger is the item's and every condition
    /// holds.
    #[must_use]
    pub fn matches(&self, item: &PreparedItem<'_>) -> bool {
        self.trigger == item.trigger && self.tests.iter().all(|test| test.holds(item))
    }
}

impl Test {
    fn holds(&self, item: &PreparedItem<'_>) -> bool {
        match self {
            Self::From(pattern) => item.from.as_deref().is_some_and(|a| glob(pattern, a)),
            Self::To(pattern) => item.to.iter().any(|a| glob(pattern, a)),
            Self::Domain(domain) => item.domains.iter().any(|d| {
                d == domain
                    || d.strip_suffix(domain.as_str())
                        .is_some_and(|prefix| prefix.ends_with('.'))
            }),
            Self::Subject(text) => item.subject.contains(text.as_str()),
            Self::Label(label) => item.labels.iter().any(|l| l == label),
            Self::HasAttachment => item.has_attachment,
            Self::HasInvite => item.has_invite,
            Self::RankAtMost(most) => item.rank.is_some_and(|rank| rank <= *most),
            Self::Org(org) => item.orgs.iter().any(|o| o == org),
        }
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters. Both
/// are lower case already.
fn glob(pattern: &str, text: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('*') else {
        return pattern == text;
    };
    let Some(mut remaining) = text.strip_prefix(first) else {
        return false;
    };
    let mut parts: Vec<&str> = rest.split('*').collect();
    let last = parts.pop().unwrap_or_default();
    for part in parts {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.len() >= last.len() && remaining.ends_with(last)
}

/// What one firing does, with its templates filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Fired {
    CreateTask {
        title: String,
        notes: String,
        priority: Priority,
        due: Option<NaiveDate>,
    },
    Notify {
        title: String,
        body: String,
    },
    Tag {
        label: String,
    },
    ExtractEvent,
    Webhook {
        url: String,
    },
    Log {
        message: String,
    },
}

impl std::fmt::Display for Fired {
    /// What the firing does, in a few words: `create task "Reply to Dana" (high, due
    /// 2026-11-24)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::CreateTask {
                title,
                priority,
                due,
                ..
            } => {
                write!(f, "create task {title:?} ({}", priority.as_str())?;
                if let Some(due) = due {
                    write!(f, ", due {due}")?;
                }
                f.write_str(")")
            }
            Self::Notify { title, .. } => write!(f, "notify {title:?}"),
            Self::Tag { label } => write!(f, "tag {label:?}"),
            Self::ExtractEvent => f.write_str("extract an event"),
            Self::Webhook { url } => write!(f, "POST to {url}"),
            Self::Log { message } => write!(f, "log {message:?}"),
        }
    }
}

/// What `action` does for `item` when it fires at `now`: templates filled in from the
/// item (an absent one takes a description of the item), a relative due date counted
/// from `now`.
#[must_use]
pub fn fire(action: &Action, item: &ItemFacts, now: DateTime<Utc>) -> Fired {
    let fill = |template: &Option<Template>| {
        template
            .as_ref()
            .map_or_else(|| headline(item), |template| render(template, item))
    };
    match action {
        Action::CreateTask {
            title,
            notes,
            priority,
            due,
        } => Fired::CreateTask {
            title: fill(title),
            notes: notes
                .as_ref()
                .map(|notes| render(notes, item))
                .unwrap_or_default(),
            priority: priority.unwrap_or_default(),
            due: due.map(|due| match due {
                Due::Days(days) => (now + Duration::days(i64::from(days))).date_naive(),
                Due::Date(date) => date,
            }),
        },
        Action::Notify { title, body } => Fired::Notify {
            title: fill(title),
            body: body
                .as_ref()
                .map_or_else(|| detail(item), |body| render(body, item)),
        },
        Action::Tag { label } => Fired::Tag {
            label: label.clone(),
        },
        Action::ExtractEvent => Fired::ExtractEvent,
        Action::Webhook { url } => Fired::Webhook { url: url.clone() },
        Action::Log { message } => Fired::Log {
            message: fill(message),
        },
    }
}

/// `template` filled in from `item`.
#[must_use]
pub fn render(template: &Template, item: &ItemFacts) -> String {
    let mut text = String::new();
    for segment in &template.segments {
        match segment {
            Segment::Text(part) => text.push_str(part),
            Segment::Field(field) => text.push_str(&field_value(*field, item)),
        }
    }
    text
}

/// A one-line title for an item.
#[must_use]
pub fn headline(item: &ItemFacts) -> String {
    match item {
        ItemFacts::Message(_) => field_value(Field::Subject, item),
        ItemFacts::Event(_) => field_value(Field::Title, item),
        ItemFacts::Person(_) => field_value(Field::PersonName, item),
        ItemFacts::Sync(s) => format!("Sync of {}", s.account),
    }
}

/// A one-line description of an item beyond its headline.
fn detail(item: &ItemFacts) -> String {
    match item {
        ItemFacts::Message(m) => format!(
            "from {} on {}",
            field_value(Field::From, item),
            m.sent_at.format("%Y-%m-%d %H:%M UTC")
        ),
        ItemFacts::Event(_) => format!(
            "{} at {}",
            field_value(Field::Start, item),
            field_value(Field::Location, item)
        ),
        ItemFacts::Person(p) => p.emails.join(", "),
        ItemFacts::Sync(s) => format!("{} new items", s.added),
    }
}

fn field_value(field: Field, item: &ItemFacts) -> String {
    let minute = |at: &DateTime<Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    match (field, item) {
        (Field::Subject, ItemFacts::Message(m)) if m.subject.trim().is_empty() => {
            "(no subject)".to_owned()
        }
        (Field::Subject, ItemFacts::Message(m)) => m.subject.clone(),
        (Field::From, ItemFacts::Message(m)) => {
            m.from.as_ref().map(Party::display).unwrap_or_default()
        }
        (Field::FromName, ItemFacts::Message(m)) => m
            .from
            .as_ref()
            .map(|p| p.name.clone().unwrap_or_else(|| p.address.clone()))
            .unwrap_or_default(),
        (Field::FromAddress, ItemFacts::Message(m)) => m
            .from
            .as_ref()
            .map(|p| p.address.clone())
            .unwrap_or_default(),
        (Field::FromDomain, ItemFacts::Message(m)) => m
            .from
            .as_ref()
            .and_then(|p| p.address.rsplit_once('@').map(|(_, d)| d.to_owned()))
            .unwrap_or_default(),
        (Field::To, ItemFacts::Message(m)) => m
            .recipients
            .iter()
            .map(|p| p.address.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        (Field::Date, ItemFacts::Message(m)) => m.sent_at.format("%Y-%m-%d").to_string(),
        (Field::Title, ItemFacts::Event(e)) if e.title.trim().is_empty() => {
            "(untitled event)".to_owned()
        }
        (Field::Title, ItemFacts::Event(e)) => e.title.clone(),
        (Field::Start, ItemFacts::Event(e)) => minute(&e.starts_at),
        (Field::End, ItemFacts::Event(e)) => minute(&e.ends_at),
        (Field::Location, ItemFacts::Event(e)) => e.location.clone(),
        (Field::Organizer, ItemFacts::Event(e)) => {
            e.organizer.as_ref().map(Party::display).unwrap_or_default()
        }
        (Field::PersonName, ItemFacts::Person(p)) => p
            .name
            .clone()
            .or_else(|| p.emails.first().cloned())
            .unwrap_or_default(),
        (Field::PersonEmail, ItemFacts::Person(p)) => p.emails.first().cloned().unwrap_or_default(),
        (Field::PersonRank, ItemFacts::Person(p)) => p
            .rank
            .map_or_else(|| "unranked".to_owned(), |rank| rank.to_string()),
        (Field::Account, ItemFacts::Sync(s)) => s.account.clone(),
        (Field::Added, ItemFacts::Sync(s)) => s.added.to_string(),
        // The parser admits only the fields of the trigger's kind of item.
        _ => String::new(),
    }
}
