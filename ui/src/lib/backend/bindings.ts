// Generated from the Rust DTOs in crates/kindred-api by `KINDRED_UPDATE_BINDINGS=1 cargo test --workspace bindings`. Do not edit.

export type ApiError = { code: ErrorCode, message: string, };
export type ErrorCode = "invalid_input" | "not_found" | "wrong_key" | "store_unavailable" | "invalid_link" | "io" | "internal";
export type ImportError = { path: string, 
/**
 * Where in the file: `message 17 at byte 1234`, `line 40`, an archive entry.
 */
location: string, reason: string, };
export type ImportedCounts = { messages: number, events: number, };
export type ImportSummary = { imported: ImportedCounts, 
/**
 * Messages already stored (or present twice in the input) that were not added again.
 */
duplicates: number, 
/**
 * Sources skipped because an earlier import read them to the end.
 */
already_imported: number, 
/**
 * Calendar occurrences that replaced a stored version of themselves.
 */
events_updated: number, 
/**
 * Addresses dropped as garbage (`undisclosed-recipients:;`, strings without `@`).
 */
dropped_addresses: number, errors: Array<ImportError>, };
export type ImportProgress = { "kind": "started", sources: number, } | { "kind": "source", path: string, bytes_total: number, } | { "kind": "progress", path: string, bytes_done: number, bytes_total: number, messages: number, events: number, } | { "kind": "finished", summary: ImportSummary, };
export type Stats = { messages: number, events: number, people: number, organizations: number, 
/**
 * ISO 8601, UTC.
 */
first_message_at: string | null, last_message_at: string | null, };
export type SearchHit = { message_id: number, subject: string, from: string, 
/**
 * ISO 8601, UTC.
 */
date: string, 
/**
 * Text around the match, matched terms between `[` and `]`.
 */
snippet: string, };
export type ScoreTermDto = { 
/**
 * How many interactions the term covers.
 */
count: number, value: number, 
/**
 * The term in words, e.g. "12 messages you sent, diluted and decayed".
 */
text: string, };
export type PersonSummary = { 
/**
 * 1 for the strongest relationship.
 */
rank: number, person_id: number, name: string | null, emails: Array<string>, 
/**
 * The organisation's registrable domain; none for freemail addresses.
 */
organization: string | null, score: number, 
/**
 * My messages with them among To/Cc/Bcc (deduplicated).
 */
sent: number, 
/**
 * Their messages that are not mine (deduplicated).
 */
received: number, 
/**
 * Meetings they attended or organised.
 */
meetings: number, 
/**
 * ISO 8601, UTC.
 */
first_contact_at: string | null, last_contact_at: string | null, 
/**
 * The terms the score is made of.
 */
explanation: Array<ScoreTermDto>, 
/**
 * Strong before, quiet lately: at least three exchanges both ways in the 90 days
 * before the last 90, and at most a quarter as many since.
 */
fading: boolean, 
/**
 * First contact within the last 90 days, and an exchange both ways or a meeting.
 */
new_this_period: boolean, 
/**
 * Their messages of the last 14 days, to me, in threads I have not written in since.
 */
unanswered: number, 
/**
 * Among my strongest ties with mail waiting for my reply ("you owe a reply").
 */
owe_reply: boolean, };
export type OrganizationSummary = { rank: number, 
/**
 * The registrable domain, e.g. `acme.co.uk`; subdomains are folded in.
 */
domain: string, 
/**
 * A readable name made from the domain.
 */
name: string, 
/**
 * The organisation of one of my own addresses.
 */
is_mine: boolean, 
/**
 * The sum of its people's scores.
 */
score: number, people: number, sent: number, received: number, meetings: number, };
export type PeopleFilter = "all" | "fading" | "new" | "owe_reply";
export type PeopleQuery = { 
/**
 * Words matched against the name, every address and the organisation, case- and
 * accent-insensitively; each must occur. Blank: everyone.
 */
search: string, filter: PeopleFilter, 
/**
 * Only the people of this organisation (a registrable domain, as in
 * `PersonSummary::organization`).
 */
organization: string | null, 
/**
 * How many matching people to skip, strongest first.
 */
offset: number, 
/**
 * At most this many people in the page; 0 asks for the total alone.
 */
limit: number, };
export type PeopleCounts = { all: number, fading: number, new: number, owe_reply: number, };
export type PeoplePage = { people: Array<PersonSummary>, 
/**
 * How many people match in all, on every page.
 */
total: number, 
/**
 * How many people each filter would select with the same search and organisation.
 */
counts: PeopleCounts, 
/**
 * How many people are ranked in all, whatever the query.
 */
ranked: number, 
/**
 * The score of my strongest relationship of all (0 with no people): what score bars
 * are drawn against.
 */
top_score: number, };
export type PersonAddressDto = { address_id: number, email: string, display_name: string | null, };
export type TimelineMonth = { 
/**
 * `YYYY-MM`, UTC.
 */
month: string, sent: number, received: number, meetings: number, };
export type MergeProposal = { 
/**
 * The other person.
 */
person_id: number, name: string | null, emails: Array<string>, 
/**
 * Why, in words: "same name: dana smith", "same local part: dgagliardi".
 */
reason: string, };
export type UnansweredMessage = { message_id: number, subject: string, 
/**
 * ISO 8601, UTC.
 */
at: string, };
export type PersonDetail = { 
/**
 * The person as ranked (rank 0 when they have no interactions yet).
 */
person: PersonSummary, addresses: Array<PersonAddressDto>, 
/**
 * Month by month, oldest first, months without interactions left out.
 */
timeline: Array<TimelineMonth>, proposed_merges: Array<MergeProposal>, unanswered: Array<UnansweredMessage>, };
export type GraphNode = { id: number, 
/**
 * The person's id as in `kindred people`; none for me.
 */
person_id: number | null, label: string, email: string | null, is_me: boolean, 
/**
 * Relationship strength, as in `kindred people`.
 */
score: number, 
/**
 * Community by modularity; nodes sharing a number belong together.
 */
community: number, pagerank: number, 
/**
 * Betweenness centrality in `[0, 1]` (estimated from sampled sources): how much of
 * the network's shortest paths run through them — the brokers between groups.
 */
betweenness: number, 
/**
 * The node of whoever first brought them into my threads: the sender of the first
 * message we shared, or of the message it answered, when that was someone else.
 */
introduced_by: number | null, };
export type GraphEdge = { source: number, target: number, weight: number, };
export type RelationshipGraph = { nodes: Array<GraphNode>, edges: Array<GraphEdge>, };
export type RankedPerson = { person_id: number, name: string | null, email: string, 
/**
 * Messages exchanged and meetings shared in the window.
 */
count: number, };
export type RankedOrganizationDto = { 
/**
 * The registrable domain (kept as `name` for existing readers; see `display_name`).
 */
name: string, count: number, 
/**
 * The registrable domain, e.g. `northwind-labs.com`.
 */
domain: string, 
/**
 * A readable name made from the domain, e.g. `Northwind Labs`.
 */
display_name: string, };
export type ReplyMinutes = { 
/**
 * My replies to their messages.
 */
mine: number | null, 
/**
 * Their replies to mine.
 */
theirs: number | null, };
export type MeetingFigures = { count: number, hours: number, };
export type WrappedReport = { 
/**
 * ISO 8601, UTC; the window is `[from, to)`.
 */
from: string, to: string, 
/**
 * My messages.
 */
sent: number, 
/**
 * Messages not mine, newsletters included.
 */
received: number, 
/**
 * People I exchanged mail with or met.
 */
people: number, 
/**
 * Of those, people first met in the window.
 */
new_people: number, top_people: Array<RankedPerson>, top_organizations: Array<RankedOrganizationDto>, 
/**
 * Local time: "Monday" … "Sunday".
 */
busiest_weekday: string | null, 
/**
 * Local hour, 0–23.
 */
busiest_hour: number | null, 
/**
 * Messages by local weekday (Monday first) and hour.
 */
heatmap: Array<Array<number>>, median_reply_minutes: ReplyMinutes, threads_started: number, meetings: MeetingFigures, top_meeting_partners: Array<RankedPerson>, longest_streak_days: number, 
/**
 * Share of my mail sent on weekends or outside 09:00–18:00 on weekdays.
 */
after_hours_share: number, weekend_share: number, 
/**
 * Newsletters and notifications among the mail I received.
 */
newsletters_share: number, previous: WrappedReport | null, };
export type SourceCounts = { added: number, updated: number, deleted: number, };
export type SyncRunDto = { 
/**
 * ISO 8601, UTC.
 */
started_at: string, finished_at: string | null, mail: SourceCounts, calendar: SourceCounts, 
/**
 * `reconnect_needed`, `quota`, `network`, `server`, `api`, `config`, `store`.
 */
error_class: string | null, error: string | null, };
export type AccountDto = { provider: string, email: string, 
/**
 * `connected`, `reconnect_needed`, `snapshot` or `signed_out`.
 */
status: string, 
/**
 * The initial sync's window: `365d` or `all`.
 */
window: string, 
/**
 * ISO 8601, UTC.
 */
created_at: string, last_sync: SyncRunDto | null, };
export type AccountSyncSummary = { email: string, mail: SourceCounts, calendar: SourceCounts, 
/**
 * The account's status after the pass.
 */
status: string, error_class: string | null, 
/**
 * Why the pass stopped early, if it did.
 */
error: string | null, 
/**
 * Items that could not be read and were skipped.
 */
skipped: Array<string>, };
export type SyncSummary = { mail: SourceCounts, calendar: SourceCounts, accounts: Array<AccountSyncSummary>, 
/**
 * One line per account whose pass failed.
 */
errors: Array<string>, };
export type SyncStageDto = "listing" | "fetching_mail" | "fetching_calendar" | "computing";
export type SyncProgressEvent = { "kind": "started", accounts: number, } | { "kind": "stage", account: string, stage: SyncStageDto, done: number, total: number | null, 
/**
 * Items per second in this stage.
 */
rate: number, eta_seconds: number | null, } | { "kind": "finished", summary: SyncSummary, };
export type RecomputeSummary = { 
/**
 * The evidence version the insights now reflect.
 */
evidence_version: number, people: number, graph_nodes: number, milliseconds: number, };
export type SyncSettings = { 
/**
 * Scheduled syncs are skipped while paused; "Sync now" still runs.
 */
paused: boolean, interval_minutes: number, };
export type SyncState = "idle" | "syncing" | "paused" | "error" | "reconnect_needed";
export type SyncStatus = { state: SyncState, 
/**
 * While syncing: how much of the current stage is done, 0–100, when its size is known.
 */
percent: number | null, paused: boolean, interval_minutes: number, 
/**
 * When the last sync pass of any account finished; ISO 8601, UTC.
 */
last_sync_at: string | null, 
/**
 * Why the last pass failed, or one of its accounts did.
 */
last_error: string | null, 
/**
 * Accounts that sync (status `connected`).
 */
connected_accounts: number, };
export type IndexProgress = { 
/**
 * `chunking` (messages and events), `embedding` (chunks), then `done` once every
 * chunk has its vector (counting the chunks this pass embedded).
 */
stage: string, indexed: number, total: number, 
/**
 * The embeddings model (`local` for the built-in embedder).
 */
model: string, };
export type BackgroundEvent = { "kind": "progress", event: SyncProgressEvent, } | { "kind": "status", status: SyncStatus, } | { "kind": "indexing", progress: IndexProgress, };
export type ExportPart = "messages" | "events" | "people" | "organizations" | "accounts" | "rules" | "tasks" | "stories" | "activity";
export type ExportSummary = { 
/**
 * The folder written to, absolute.
 */
directory: string, messages: number, events: number, people: number, organizations: number, accounts: number, rules: number, tasks: number, 
/**
 * Relationship stories written so far.
 */
stories: number, 
/**
 * Entries of the activity log.
 */
activity: number, 
/**
 * The files written, by name inside `directory`.
 */
files: Array<string>, };
export type ExportProgress = { "kind": "started", directory: string, messages: number, events: number, } | { "kind": "progress", part: ExportPart, done: number, total: number, } | { "kind": "finished", summary: ExportSummary, };
export type ErasureSummary = { 
/**
 * Accounts whose tokens Google confirmed revoked.
 */
revoked: Array<string>, 
/**
 * Accounts whose tokens were deleted here but whose revocation Google did not
 * confirm (unreachable, or no OAuth client configured): revoke Kindred's access at
 * <https://myaccount.google.com/permissions>.
 */
not_confirmed: Array<string>, 
/**
 * Secret-store entries deleted.
 */
secrets_deleted: number, 
/**
 * Files and folders deleted.
 */
removed: Array<string>, 
/**
 * Files in a chosen data folder that are not Kindred's and were left alone.
 */
left_alone: Array<string>, 
/**
 * The store could not be read, so its Google accounts are unknown: revoke Kindred's
 * access at <https://myaccount.google.com/permissions>.
 */
accounts_unknown: boolean, };
export type CheckStatus = "ok" | "warning" | "error" | "skipped";
export type DoctorCheck = { 
/**
 * `secret_store`, `database`, `schema`, `account <email>`, `jobs`, `llm`.
 */
name: string, status: CheckStatus, 
/**
 * What was found, in words.
 */
detail: string, 
/**
 * What to do, when the status is not `ok`.
 */
hint: string | null, };
export type DoctorReport = { 
/**
 * No check is an error (warnings allowed).
 */
healthy: boolean, 
/**
 * The Kindred version.
 */
version: string, data_dir: string, checks: Array<DoctorCheck>, };
export type RetentionSummary = { 
/**
 * The setting: evidence older than this many days is deleted; none keeps everything.
 */
days: number | null, 
/**
 * RFC 3339: evidence before this instant was deleted (none when off).
 */
cutoff: string | null, messages_deleted: number, events_deleted: number, };
export type ActivityEntry = { id: number, 
/**
 * RFC 3339, UTC.
 */
at: string, 
/**
 * `person`, `sync`, `rule N` or `assistant`.
 */
actor: string, kind: string, subject: string, 
/**
 * `ok` or `failed`.
 */
outcome: string, detail: string, };
export type ActivityFilter = { 
/**
 * At or after this instant (RFC 3339).
 */
since: string | null, 
/**
 * `person`, `sync`, `rule N` or `assistant`.
 */
actor: string | null, 
/**
 * A kind (`webhook`), or a prefix ending in a dot (`rule.`).
 */
kind: string | null, 
/**
 * Only actions that failed.
 */
failed_only: boolean, 
/**
 * At most this many, newest first (default 200).
 */
limit: number | null, };
export type AnswerCitation = { 
/**
 * `message` or `event`.
 */
kind: string, id: number, subject_or_title: string, 
/**
 * ISO 8601, UTC.
 */
date: string, };
export type ProposedActionDto = { 
/**
 * `create_task`, `create_rule` or `add_instruction`.
 */
tool: string, arguments: unknown, 
/**
 * `proposed` (nothing done), `done` (confirmed and made) or `failed`.
 */
status: string, 
/**
 * What was made (`task 3`, `rule 2`) or why it failed.
 */
outcome: string | null, };
export type AskAnswer = { answer: string, citations: Array<AnswerCitation>, proposed_actions: Array<ProposedActionDto>, conversation_id: number, 
/**
 * `llm` or `offline`.
 */
generated_by: string, };
export type AskStreamEvent = { "kind": "token", text: string, };
export type ConversationSummary = { id: number, 
/**
 * Its first question.
 */
title: string, 
/**
 * RFC 3339, UTC.
 */
created_at: string, 
/**
 * When the last answer was added.
 */
updated_at: string, 
/**
 * Questions and answers in it.
 */
messages: number, };
export type ConversationMessage = { id: number, role: string, content: string, citations: Array<AnswerCitation>, proposed_actions: Array<ProposedActionDto>, 
/**
 * RFC 3339, UTC.
 */
created_at: string, };
export type StoryClaim = { text: string, 
/**
 * `msg:ID` or `event:ID`.
 */
citations: Array<string>, 
/**
 * A verification pass found the cited evidence supports it (offline claims are
 * built from their evidence; with verification turned off, false).
 */
verified: boolean, };
export type RelationshipStory = { 
/**
 * The story with inline citations, `[msg:ID]` / `[event:ID]`.
 */
text: string, claims: Array<StoryClaim>, 
/**
 * `llm` or `offline`.
 */
generated_by: string, };
export type SettingSource = "environment" | "settings" | "unset";
export type LlmSetting = { value: string | null, source: SettingSource, };
export type LlmUsage = { purpose: string, model: string, calls: number, prompt_tokens: number, completion_tokens: number, };
export type LlmSettings = { 
/**
 * No provider is configured: the assistant answers from the engine alone.
 */
offline: boolean, base_url: LlmSetting, model: LlmSetting, embeddings_model: LlmSetting, api_key: SettingSource, 
/**
 * Tokens used over the last [`USAGE_DAYS`] days, by purpose and model.
 */
usage: Array<LlmUsage>, };
export type LlmConnection = { base_url: string, model: string, models: Array<string>, 
/**
 * Whether the endpoint lists the configured model (some servers list none).
 */
model_listed: boolean, reply_milliseconds: number, };
export type MessageRecipient = { 
/**
 * `to`, `cc`, `bcc` or `reply_to`.
 */
role: string, email: string, name: string | null, };
export type EventPersonDto = { address: string, name: string | null, 
/**
 * `needs_action`, `accepted`, `declined`, `tentative`, `delegated` or `unknown`.
 */
response: string, };
export type EventDto = { id: number, uid: string, title: string, 
/**
 * RFC 3339, UTC.
 */
starts_at: string, ends_at: string, all_day: boolean, location: string, description: string, 
/**
 * `confirmed`, `tentative` or `cancelled`.
 */
status: string, organizer: EventPersonDto | null, attendees: Array<EventPersonDto>, 
/**
 * The messages whose invitations created or changed it, oldest first.
 */
messages: number[], };
export type ExtractionDto = { message_id: number, 
/**
 * `invitation` (read from the message's calendar parts), `language_model`, `none`
 * (no event in it, or offline with no invitation), or `rejected` (the model's answer
 * was not a valid event; nothing stored).
 */
source: string, 
/**
 * The events the message created or changed.
 */
events: number[], 
/**
 * What happened, in words.
 */
detail: string, };
export type LinkKind = "web" | "mail" | "phone";
export type MessageLink = { 
/**
 * The address as [`link_target`] normalises it: what `open_link` opens.
 */
url: string, 
/**
 * The link's visible text, its whitespace folded; empty when it has none.
 */
text: string, kind: LinkKind, before: string, emphasis: string, after: string, };
export type MessageView = { id: number, subject: string, 
/**
 * "Name <address>" of the sender.
 */
from: string, recipients: Array<MessageRecipient>, 
/**
 * RFC 3339, UTC.
 */
date: string, text: string, 
/**
 * The message's HTML part, sanitised (no scripts, handlers, forms, frames; no remote
 * images, backgrounds or CSS URLs; links open apart, each numbered by an inert
 * `data-link="N"`): a fragment to show in a sandboxed frame. `None` for text-only
 * mail and mail stored before HTML was kept.
 */
html: string | null, 
/**
 * The text of each of the HTML part's `<style>` elements, in order, sanitised (no URLs,
 * imports, fonts, bindings or expressions, no `<`): style sheets for the frame to apply
 * to `html`, each in its own `<style>`.
 */
style_sheets: Array<string>, 
/**
 * How many remote resources (images, backgrounds, CSS URLs) were taken out of `html`
 * and `style_sheets`.
 */
remote_blocked: number, 
/**
 * The links of `html` that the sanitiser kept, in document order: `links[N]` is the
 * anchor marked `data-link="N"`, with where it goes. Empty without `html`.
 */
links: Array<MessageLink>, thread_key: string, has_attachments: boolean, 
/**
 * Sent by a machine (a list, a notification), not a person.
 */
is_automated: boolean, };
export type RuleDto = { id: number, 
/**
 * The rule's canonical text.
 */
text: string, trigger: string, enabled: boolean, 
/**
 * RFC 3339, UTC.
 */
created_at: string, updated_at: string, };
export type DryRunExample = { 
/**
 * `message 42`, `event 7`, `person 3`.
 */
item: string, 
/**
 * When the item happened (RFC 3339): a message's date, an event's start.
 */
at: string | null, 
/**
 * Its subject, title or name.
 */
title: string, 
/**
 * What the rule would have done: `create task "Reply to Dana" (high, due 2026-11-24)`.
 */
would: string, };
export type DryRunReport = { 
/**
 * The rule's canonical text.
 */
rule: string, would_fire: number, examples: Array<DryRunExample>, };
export type RulesPass = { 
/**
 * Items looked at.
 */
items: number, 
/**
 * Firings recorded in this pass.
 */
fired: number, 
/**
 * Matches skipped because the rule had already fired on the item.
 */
already_fired: number, };
export type MessageRules = { message_id: number, 
/**
 * Rule ids, oldest rule first.
 */
rules: number[], };
export type TaskDto = { id: number, title: string, notes: string, 
/**
 * `todo`, `doing` or `done`.
 */
status: string, 
/**
 * `low`, `normal` or `high`.
 */
priority: string, 
/**
 * YYYY-MM-DD.
 */
due: string | null, 
/**
 * `person`, `rule N` or `assistant`.
 */
created_by: string, 
/**
 * RFC 3339, UTC.
 */
created_at: string, updated_at: string, completed_at: string | null, 
/**
 * The messages it came from.
 */
messages: number[], 
/**
 * The events it came from.
 */
events: number[], };
export type NewTaskRequest = { title: string, notes: string, 
/**
 * `low`, `normal` (the default) or `high`.
 */
priority: string | null, 
/**
 * YYYY-MM-DD.
 */
due: string | null, messages: number[], events: number[], };
export type InstructionDto = { id: number, text: string, 
/**
 * `active` (in force) or `proposed` (waiting for the person to confirm it).
 */
status: string, 
/**
 * `person` or `assistant`.
 */
created_by: string, 
/**
 * RFC 3339, UTC.
 */
created_at: string, updated_at: string, };
export type UpdateInfo = { 
/**
 * The version offered.
 */
version: string, 
/**
 * The version running now.
 */
current_version: string, 
/**
 * What is new, as the release notes say it (plain text or Markdown).
 */
notes: string | null, 
/**
 * RFC 3339: when the update was published, if the server says.
 */
date: string | null, };
export type UpdateProgress = { "kind": "downloading", downloaded: number, total: number | null, } | { "kind": "verifying" } | { "kind": "restarting", version: string, };
