//! The rule language: one rule per line,
//! `when <trigger> [if <condition> [and <condition>]...] then <action> [key=value ...]`.
//!
//! [`parse_rules`] turns text into [`Rule`]s or a [`ParseError`] naming the line and
//! column, what was expected and, for a misspelt word, what was probably meant. A rule's
//! `Display` is its canonical text, which parses back to the same rule. [`matcher`] decides
//! whether a rule fires on an item and renders its action; it is pure, with the time
//! passed in.
//!
//! Only the person writes rules (through the API): nothing read from mail is ever parsed
//! as a rule.

mod lexer;
pub mod matcher;
mod parser;
mod suggest;

use std::fmt;

pub use matcher::{
    fire, headline, EventFacts, Fired, ItemFacts, Matcher, MessageFacts, Party, PersonFacts,
    PreparedItem, SyncFacts,
};
pub use parser::{parse_rule, parse_rules, ParseError};

/// What a rule waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    MessageReceived,
    MessageSent,
    EventCreated,
    EventUpdated,
    PersonNew,
    PersonFading,
    SyncCompleted,
}

/// The kind of item a trigger is about, which decides the conditions, fields and actions
/// a rule may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Message,
    Event,
    Person,
    Sync,
}

impl ItemKind {
    /// The item's name in messages: "messages", "events".
    #[must_use]
    pub fn plural(self) -> &'static str {
        match self {
            Self::Message => "messages",
            Self::Event => "events",
            Self::Person => "people",
            Self::Sync => "syncs",
        }
    }
}

impl Trigger {
    pub const ALL: [Self; 7] = [
        Self::MessageReceived,
        Self::MessageSent,
        Self::EventCreated,
        Self::EventUpdated,
        Self::PersonNew,
        Self::PersonFading,
        Self::SyncCompleted,
    ];

    /// The trigger as written in a rule.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MessageReceived => "message.received",
            Self::MessageSent => "message.sent",
            Self::EventCreated => "event.created",
            Self::EventUpdated => "event.updated",
            Self::PersonNew => "person.new",
            Self::PersonFading => "person.fading",
            Self::SyncCompleted => "sync.completed",
        }
    }

    /// The trigger named `text`, if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|trigger| trigger.as_str() == text)
    }

    /// What kind of item it fires on.
    #[must_use]
    pub fn item_kind(self) -> ItemKind {
        match self {
            Self::MessageReceived | Self::MessageSent => ItemKind::Message,
            Self::EventCreated | Self::EventUpdated => ItemKind::Event,
            Self::PersonNew | Self::PersonFading => ItemKind::Person,
            Self::SyncCompleted => ItemKind::Sync,
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A test an item must pass for the rule to fire. Text is kept as written; matching is
/// case-insensitive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `from:` — the sender's (organiser's, person's) address; `*` matches any run of
    /// characters (`*@acme.com`).
    From(String),
    /// `to:` — any recipient's (attendee's) address, with `*` as in `from:`.
    To(String),
    /// `domain:` — the other side's address is at this domain or a subdomain of it.
    Domain(String),
    /// `subject~"text"` — the subject (event title) contains the text.
    SubjectContains(String),
    /// `label:` — the message carries this label.
    Label(String),
    /// `has:attachment`.
    HasAttachment,
    /// `has:invite` — the message carries a calendar invitation.
    HasInvite,
    /// `person.rank<=N` — the other side's best-ranked person is among my N strongest.
    RankAtMost(u32),
    /// `org:` — the other side's organisation, by name (`acme`, `"Northwind Labs"`) or
    /// domain (`acme.co.uk`).
    Org(String),
}

/// How urgent a task is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Priority {
    Low,
    #[default]
    Normal,
    High,
}

impl Priority {
    pub const ALL: [Self; 3] = [Self::Low, Self::Normal, Self::High];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Normal => "normal",
            Self::High => "high",
        }
    }

    /// The priority named `text`, if any.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl serde::Serialize for Priority {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// When a task created by a rule is due: a span after the rule fires, or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// `+2d`, `+1w`.
    Days(u32),
    /// `2026-12-01`.
    Date(chrono::NaiveDate),
}

/// One piece of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Field(Field),
}

/// Text with `{field}` placeholders filled from the item at firing time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub segments: Vec<Segment>,
}

/// A field a template may name, checked against the trigger's item kind at parse time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Subject,
    From,
    FromName,
    FromAddress,
    FromDomain,
    To,
    Date,
    Title,
    Start,
    End,
    Location,
    Organizer,
    PersonName,
    PersonEmail,
    PersonRank,
    Account,
    Added,
}

impl Field {
    pub const ALL: [Self; 17] = [
        Self::Subject,
        Self::From,
        Self::FromName,
        Self::FromAddress,
        Self::FromDomain,
        Self::To,
        Self::Date,
        Self::Title,
        Self::Start,
        Self::End,
        Self::Location,
        Self::Organizer,
        Self::PersonName,
        Self::PersonEmail,
        Self::PersonRank,
        Self::Account,
        Self::Added,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Subject => "subject",
            Self::From => "from",
            Self::FromName => "from.name",
            Self::FromAddress => "from.address",
            Self::FromDomain => "from.domain",
            Self::To => "to",
            Self::Date => "date",
            Self::Title => "title",
            Self::Start => "start",
            Self::End => "end",
            Self::Location => "location",
            Self::Organizer => "organizer",
            Self::PersonName => "person.name",
            Self::PersonEmail => "person.email",
            Self::PersonRank => "person.rank",
            Self::Account => "account",
            Self::Added => "added",
        }
    }

    /// The kind of item that has this field.
    #[must_use]
    pub fn item_kind(self) -> ItemKind {
        match self {
            Self::Subject
            | Self::From
            | Self::FromName
            | Self::FromAddress
            | Self::FromDomain
            | Self::To
            | Self::Date => ItemKind::Message,
            Self::Title | Self::Start | Self::End | Self::Location | Self::Organizer => {
                ItemKind::Event
            }
            Self::PersonName | Self::PersonEmail | Self::PersonRank => ItemKind::Person,
            Self::Account | Self::Added => ItemKind::Sync,
        }
    }
}

/// What a rule does when it fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `create_task [title=…] [notes=…] [priority=low|normal|high] [due=+2d|YYYY-MM-DD]`.
    CreateTask {
        title: Option<Template>,
        notes: Option<Template>,
        priority: Option<Priority>,
        due: Option<Due>,
    },
    /// `notify [title=…] [body=…]`: a notification the shell shows on the desktop.
    Notify {
        title: Option<Template>,
        body: Option<Template>,
    },
    /// `tag label=…`: adds a label to the message.
    Tag { label: String },
    /// `extract_event`: an event from the message's text.
    ExtractEvent,
    /// `webhook url=https://…`: POSTs a JSON description of the item.
    Webhook { url: String },
    /// `log [message=…]`: a line in the activity log.
    Log { message: Option<Template> },
}

impl Action {
    /// The action as written in a rule.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::CreateTask { .. } => "create_task",
            Self::Notify { .. } => "notify",
            Self::Tag { .. } => "tag",
            Self::ExtractEvent => "extract_event",
            Self::Webhook { .. } => "webhook",
            Self::Log { .. } => "log",
        }
    }
}

/// A parsed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub trigger: Trigger,
    pub conditions: Vec<Condition>,
    pub action: Action,
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(part) => text.push_str(part),
                Segment::Field(field) => {
                    text.push('{');
                    text.push_str(field.as_str());
                    text.push('}');
                }
            }
        }
        f.write_str(&quote(&text))
    }
}

/// `text` as a value in a rule: bare when it is a plain word, quoted (with `"` and `\`
/// escaped) otherwise.
#[must_use]
pub fn quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_whitespace() && !matches!(c, '"' | '\\' | '{' | '}'));
    if plain {
        return text.to_owned();
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::From(value) => write!(f, "from:{}", quote(value)),
            Self::To(value) => write!(f, "to:{}", quote(value)),
            Self::Domain(value) => write!(f, "domain:{}", quote(value)),
            Self::SubjectContains(value) => write!(f, "subject~{}", quote(value)),
            Self::Label(value) => write!(f, "label:{}", quote(value)),
            Self::HasAttachment => f.write_str("has:attachment"),
            Self::HasInvite => f.write_str("has:invite"),
            Self::RankAtMost(rank) => write!(f, "person.rank<={rank}"),
            Self::Org(value) => write!(f, "org:{}", quote(value)),
        }
    }
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Days(days) => write!(f, "+{days}d"),
            Self::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        match self {
            Self::CreateTask {
                title,
                notes,
                priority,
                due,
            } => {
                if let Some(title) = title {
                    write!(f, " title={title}")?;
                }
                if let Some(notes) = notes {
                    write!(f, " notes={notes}")?;
                }
                if let Some(priority) = priority {
                    write!(f, " priority={}", priority.as_str())?;
                }
                if let Some(due) = due {
                    write!(f, " due={due}")?;
                }
            }
            Self::Notify { title, body } => {
                if let Some(title) = title {
                    write!(f, " title={title}")?;
                }
                if let Some(body) = body {
                    write!(f, " body={body}")?;
                }
            }
            Self::Tag { label } => write!(f, " label={}", quote(label))?,
            Self::ExtractEvent => {}
            Self::Webhook { url } => write!(f, " url={}", quote(url))?,
            Self::Log { message } => {
                if let Some(message) = message {
                    write!(f, " message={message}")?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Display for Rule {
    /// The canonical text of the rule, which parses back to the same rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "when {}", self.trigger)?;
        for (index, condition) in self.conditions.iter().enumerate() {
            let joiner = if index == 0 { "if" } else { "and" };
            write!(f, " {joiner} {condition}")?;
        }
        write!(f, " then {}", self.action)
    }
}
