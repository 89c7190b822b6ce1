//! The shapes that cross into shells (CLI JSON, Tauri IPC). Separate from domain and row
//! types; field names are a contract — add fields, never rename or drop one. TypeScript
//! bindings are generated from these (see `bindings`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Counts of what an import added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct ImportedCounts {
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(type = "number")]
    pub events: u64,
}

/// An item an import skipped, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ImportError {
    pub path: String,
    /// Where in the file: `message 17 at byte 1234`, `line 40`, an archive entry.
    pub location: String,
    pub reason: String,
}

/// The result of `kindred import` / the import command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct ImportSummary {
    pub imported: ImportedCounts,
    /// Messages already stored (or present twice in the input) that were not added again.
    #[ts(type = "number")]
    pub duplicates: u64,
    /// Sources skipped because an earlier import read them to the end.
    #[ts(type = "number")]
    pub already_imported: u64,
    /// Calendar occurrences that replaced a stored version of themselves.
    #[ts(type = "number")]
    pub events_updated: u64,
    /// Addresses dropped as garbage (`undisclosed-recipients:;`, strings without `@`).
    #[ts(type = "number")]
    pub dropped_addresses: u64,
    pub errors: Vec<ImportError>,
}

/// Progress of an import, streamed to the UI and the terminal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImportProgress {
    Started {
        #[ts(type = "number")]
        sources: u64,
    },
    Source {
        path: String,
        #[ts(type = "number")]
        bytes_total: u64,
    },
    /// `bytes_*` are of the current source; `messages` and `events` count what the whole
    /// import has added so far.
    Progress {
        path: String,
        #[ts(type = "number")]
        bytes_done: u64,
        #[ts(type = "number")]
        bytes_total: u64,
        #[ts(type = "number")]
        messages: u64,
        #[ts(type = "number")]
        events: u64,
    },
    Finished {
        summary: ImportSummary,
    },
}

/// `kindred stats`: what the store holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Stats {
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(type = "number")]
    pub events: u64,
    #[ts(type = "number")]
    pub people: u64,
    #[ts(type = "number")]
    pub organizations: u64,
    /// ISO 8601, UTC.
    pub first_message_at: Option<String>,
    pub last_message_at: Option<String>,
}

/// One `kindred search` result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchHit {
    #[ts(type = "number")]
    pub message_id: i64,
    pub subject: String,
    pub from: String,
    /// ISO 8601, UTC.
    pub date: String,
    /// Text around the match, matched terms between `[` and `]`.
    pub snippet: String,
}

/// One term of a relationship score, as shown to the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ScoreTermDto {
    /// How many interactions the term covers.
    pub count: u32,
    pub value: f64,
    /// The term in words, e.g. "12 messages you sent, diluted and decayed".
    pub text: String,
}

/// `kindred people`: one person, ranked by relationship strength.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PersonSummary {
    /// 1 for the strongest relationship.
    pub rank: u32,
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: Option<String>,
    pub emails: Vec<String>,
    /// The organisation's registrable domain; none for freemail addresses.
    pub organization: Option<String>,
    pub score: f64,
    /// My messages with them among To/Cc/Bcc (deduplicated).
    #[ts(type = "number")]
    pub sent: u64,
    /// Their messages that are not mine (deduplicated).
    #[ts(type = "number")]
    pub received: u64,
    /// Meetings they attended or organised.
    #[ts(type = "number")]
    pub meetings: u64,
    /// ISO 8601, UTC.
    pub first_contact_at: Option<String>,
    pub last_contact_at: Option<String>,
    /// The terms the score is made of.
    pub explanation: Vec<ScoreTermDto>,
    /// Strong before, quiet lately: at least three exchanges both ways in the 90 days
    /// before the last 90, and at most a quarter as many since.
    pub fading: bool,
    /// First contact within the last 90 days, and an exchange both ways or a meeting.
    pub new_this_period: bool,
    /// Their messages of the last 14 days, to me, in threads I have not written in since.
    pub unanswered: u32,
    /// Among my strongest ties with mail waiting for my reply ("you owe a reply").
    pub owe_reply: bool,
}

/// `kindred orgs`: one organisation, by registrable domain, ranked by its people.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct OrganizationSummary {
    pub rank: u32,
    /// The registrable domain, e.g. `acme.co.uk`; subdomains are folded in.
    pub domain: String,
    /// A readable name made from the domain.
    pub name: String,
    /// The organisation of one of my own addresses.
    pub is_mine: bool,
    /// The sum of its people's scores.
    pub score: f64,
    pub people: u32,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub received: u64,
    #[ts(type = "number")]
    pub meetings: u64,
}

/// A node of the relationship graph: me (id 0) or one of my people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GraphNode {
    pub id: u32,
    /// The person's id as in `kindred people`; none for me.
    #[ts(type = "number | null")]
    pub person_id: Option<i64>,
    pub label: String,
    pub email: Option<String>,
    pub is_me: bool,
    /// Relationship strength, as in `kindred people`.
    pub score: f64,
    /// Community by modularity; nodes sharing a number belong together.
    pub community: u32,
    pub pagerank: f64,
    /// Betweenness centrality in `[0, 1]` (estimated from sampled sources): how much of
    /// the network's shortest paths run through them — the brokers between groups.
    #[serde(default)]
    pub betweenness: f64,
    /// The node of whoever first brought them into my threads: the sender of the first
    /// message we shared, or of the message it answered, when that was someone else.
    #[serde(default)]
    pub introduced_by: Option<u32>,
}

/// An undirected, weighted edge between two nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GraphEdge {
    pub source: u32,
    pub target: u32,
    pub weight: f64,
}

/// `kindred graph`: the relationship graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RelationshipGraph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// A person in a Wrapped top list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RankedPerson {
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: Option<String>,
    pub email: String,
    /// Messages exchanged and meetings shared in the window.
    pub count: u32,
}

/// An organisation in a Wrapped top list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RankedOrganizationDto {
    /// The registrable domain (kept as `name` for existing readers; see `display_name`).
    pub name: String,
    pub count: u32,
    /// The registrable domain, e.g. `northwind-labs.com`.
    #[serde(default)]
    pub domain: String,
    /// A readable name made from the domain, e.g. `Northwind Labs`.
    #[serde(default)]
    pub display_name: String,
}

/// Median reply times in minutes; none when there was no reply to measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReplyMinutes {
    /// My replies to their messages.
    pub mine: Option<f64>,
    /// Their replies to mine.
    pub theirs: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeetingFigures {
    pub count: u32,
    pub hours: f64,
}

/// `kindred wrapped`: one window's figures, and the window before it in `previous`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct WrappedReport {
    /// ISO 8601, UTC; the window is `[from, to)`.
    pub from: String,
    pub to: String,
    /// My messages.
    pub sent: u32,
    /// Messages not mine, newsletters included.
    pub received: u32,
    /// People I exchanged mail with or met.
    pub people: u32,
    /// Of those, people first met in the window.
    pub new_people: u32,
    pub top_people: Vec<RankedPerson>,
    pub top_organizations: Vec<RankedOrganizationDto>,
    /// Local time: "Monday" … "Sunday".
    pub busiest_weekday: Option<String>,
    /// Local hour, 0–23.
    pub busiest_hour: Option<u32>,
    /// Messages by local weekday (Monday first) and hour.
    pub heatmap: Vec<Vec<u32>>,
    pub median_reply_minutes: ReplyMinutes,
    pub threads_started: u32,
    pub meetings: MeetingFigures,
    pub top_meeting_partners: Vec<RankedPerson>,
    pub longest_streak_days: u32,
    /// Share of my mail sent on weekends or outside 09:00–18:00 on weekdays.
    pub after_hours_share: f64,
    pub weekend_share: f64,
    /// Newsletters and notifications among the mail I received.
    pub newsletters_share: f64,
    pub previous: Option<Box<WrappedReport>>,
}

/// Which of my people to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PeopleFilter {
    #[default]
    All,
    Fading,
    New,
    OweReply,
}

/// `kindred people --search --org --offset`: which page of my people to show. Every
/// condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(default)]
pub struct PeopleQuery {
    /// Words matched against the name, every address and the organisation, case- and
    /// accent-insensitively; each must occur. Blank: everyone.
    pub search: String,
    pub filter: PeopleFilter,
    /// Only the people of this organisation (a registrable domain, as in
    /// `PersonSummary::organization`).
    pub organization: Option<String>,
    /// How many matching people to skip, strongest first.
    pub offset: u32,
    /// At most this many people in the page; 0 asks for the total alone.
    pub limit: u32,
}

/// A page of the people a `PeopleQuery` selects, strongest first.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PeoplePage {
    pub people: Vec<PersonSummary>,
    /// How many people match in all, on every page.
    pub total: u32,
    /// How many people each filter would select with the same search and organisation.
    pub counts: PeopleCounts,
    /// How many people are ranked in all, whatever the query.
    pub ranked: u32,
    /// The score of my strongest relationship of all (0 with no people): what score bars
    /// are drawn against.
    pub top_score: f64,
}

/// How many people each `PeopleFilter` selects, by its name.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct PeopleCounts {
    pub all: u32,
    pub fading: u32,
    pub new: u32,
    pub owe_reply: u32,
}

/// One address of a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PersonAddressDto {
    #[ts(type = "number")]
    pub address_id: i64,
    pub email: String,
    pub display_name: Option<String>,
}

/// One month of a person's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TimelineMonth {
    /// `YYYY-MM`, UTC.
    pub month: String,
    pub sent: u32,
    pub received: u32,
    pub meetings: u32,
}

/// A merge the evidence suggests; the person confirms it with `kindred merge`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MergeProposal {
    /// The other person.
    #[ts(type = "number")]
    pub person_id: i64,
    pub name: Option<String>,
    pub emails: Vec<String>,
    /// Why, in words: "same name: dana smith", "same local part: dgagliardi".
    pub reason: String,
}

/// A message waiting for my reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UnansweredMessage {
    #[ts(type = "number")]
    pub message_id: i64,
    pub subject: String,
    /// ISO 8601, UTC.
    pub at: String,
}

/// `kindred person`: one person in full.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PersonDetail {
    /// The person as ranked (rank 0 when they have no interactions yet).
    pub person: PersonSummary,
    pub addresses: Vec<PersonAddressDto>,
    /// Month by month, oldest first, months without interactions left out.
    pub timeline: Vec<TimelineMonth>,
    pub proposed_merges: Vec<MergeProposal>,
    pub unanswered: Vec<UnansweredMessage>,
}

/// What a recompute brought up to date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RecomputeSummary {
    /// The evidence version the insights now reflect.
    #[ts(type = "number")]
    pub evidence_version: i64,
    pub people: u32,
    pub graph_nodes: u32,
    #[ts(type = "number")]
    pub milliseconds: u64,
}
