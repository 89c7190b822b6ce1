//! The person's rules: added only through here (parsed first — an invalid rule is never
//! stored), listed, enabled, disabled, removed, and tried against the whole history in a
//! dry run before they act. New items are evaluated as durable jobs: each rule fires at
//! most once per item (the store's firing record), never on an import's mail or the
//! backfill of a first sync (events created or changed by an import do fire, once the
//! rules have looked; see `events`), and every firing is written to the activity log
//! with its effect. `person.new` and `person.fading` fire when the ranking starts to flag
//! someone (see [`Kindred::evaluate_new_items`]).
//!
//! Nothing read from mail reaches this module as a rule: rules come only from the
//! person's own calls.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use kindred_core::rules::{
    fire, headline, parse_rule, Condition, Fired, ItemFacts, ItemKind, Matcher, PersonFacts,
    PreparedItem, Rule, SyncFacts,
};
use kindred_store::activity::{NewActivity, Outcome};
use kindred_store::jobs::NewJob;
use kindred_store::rules::{Firing, FiringEffect, PersonFlag, RuleRow, Selection};
use kindred_store::sync::SyncPhase;
use kindred_store::tasks::NewTask;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

use crate::activity::iso_millis;
use crate::dto::PersonSummary;
use crate::events::extract_event_job;
use crate::jobs::{JobError, JobHandlers};
use crate::webhook::{self, WebhookOptions, WEBHOOK_JOB};
use crate::{ApiError, ErrorCode, Kindred};

/// The job that evaluates the rules over the items that came in since the last pass.
pub const RULES_JOB: &str = "rules.evaluate";
/// The setting holding, per Gmail account, from when its stored mail is new to the rules
/// (unix milliseconds); absent until the account's first sync has finished.
pub(crate) const CURSOR_SETTING: &str = "rules.cursor.gmail";
/// The most recent sync runs of an account a pass looks at for `sync.completed`: more
/// than ever finish between two passes.
const SYNC_RUNS_LOOKED_AT: u32 = 20;

/// How many examples a dry run shows.
const EXAMPLES: usize = 5;

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RuleDto {
    #[ts(type = "number")]
    pub id: i64,
    /// The rule's canonical text.
    pub text: String,
    pub trigger: String,
    pub enabled: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// One item a rule would have fired on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DryRunExample {
    /// `message 42`, `event 7`, `person 3`.
    pub item: String,
    /// When the item happened (RFC 3339): a message's date, an event's start.
    pub at: Option<String>,
    /// Its subject, title or name.
    pub title: String,
    /// What the rule would have done: `create task "Reply to Dana" (high, due 2026-11-24)`.
    pub would: String,
}

/// What a rules pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct RulesPass {
    /// Items looked at.
    #[ts(type = "number")]
    pub items: u64,
    /// Firings recorded in this pass.
    #[ts(type = "number")]
    pub fired: u64,
    /// Matches skipped because the rule had already fired on the item.
    #[ts(type = "number")]
    pub already_fired: u64,
}

/// The enabled rules a message matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MessageRules {
    #[ts(type = "number")]
    pub message_id: i64,
    /// Rule ids, oldest rule first.
    #[ts(type = "number[]")]
    pub rules: Vec<i64>,
}

/// `kindred rules dry-run`: how often a rule would have fired over everything stored (the
/// first sync's backfill included), with the most recent examples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct DryRunReport {
    /// The rule's canonical text.
    pub rule: String,
    #[ts(type = "number")]
    pub would_fire: u64,
    pub examples: Vec<DryRunExample>,
}

impl Kindred {
    /// Parses `text` and stores it as an enabled rule. Only the person calls this.
    ///
    /// # Errors
    /// `text` is not a rule: the error names the line and column, what was expected and a
    /// suggestion, and nothing is stored.
    pub async fn add_rule(&self, text: &str) -> Result<RuleDto, ApiError> {
        let rule = parse(text)?;
        let now = Utc::now().timestamp_millis();
        let row = self
            .store
            .insert_rule(&rule.to_string(), rule.trigger.as_str(), true, now)
            .await?;
        self.log_rule_change(&row, "rule.added").await?;
        Ok(rule_dto(row))
    }

    /// Every rule, oldest first.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn rules(&self) -> Result<Vec<RuleDto>, ApiError> {
        Ok(self
            .store
            .rules()
            .await?
            .into_iter()
            .map(rule_dto)
            .collect())
    }

    /// Removes rule `id`; returns it.
    ///
    /// # Errors
    /// No rule has that id; the store refused the write.
    pub async fn remove_rule(&self, id: i64) -> Result<RuleDto, ApiError> {
        let row = self
            .store
            .delete_rule(id)
            .await?
            .ok_or_else(|| no_rule(id))?;
        self.log_rule_change(&row, "rule.removed").await?;
        Ok(rule_dto(row))
    }

    /// Enables or disables rule `id`; returns it. A disabled rule fires on nothing.
    ///
    /// # Errors
    /// No rule has that id; the store refused the write.
    pub async fn set_rule_enabled(&self, id: i64, enabled: bool) -> Result<RuleDto, ApiError> {
        let now = Utc::now().timestamp_millis();
        let row = self
            .store
            .set_rule_enabled(id, enabled, now)
            .await?
            .ok_or_else(|| no_rule(id))?;
        let kind = if enabled {
            "rule.enabled"
        } else {
            "rule.disabled"
        };
        self.log_rule_change(&row, kind).await?;
        Ok(rule_dto(row))
    }

    /// How often the rule in `text` would have fired over every stored item, with the
    /// most recent examples. Nothing is stored and nothing is done.
    ///
    /// # Errors
    /// `text` is not a rule, or its trigger has no stored items to run against
    /// (`sync.completed`); the store cannot be read.
    pub async fn dry_run_rule(&self, text: &str) -> Result<DryRunReport, ApiError> {
        let mut reports = self.dry_run_rules(&[text]).await?;
        Ok(reports.remove(0))
    }

    /// [`Kindred::dry_run_rule`] for several rules at once, reading the stored items once
    /// for all of them; one report per rule, in order.
    ///
    /// # Errors
    /// A text is not a rule (the error names which), or a trigger has no stored items to
    /// run against; the store cannot be read.
    pub async fn dry_run_rules(&self, texts: &[&str]) -> Result<Vec<DryRunReport>, ApiError> {
        let mut rules = Vec::with_capacity(texts.len());
        for (index, text) in texts.iter().enumerate() {
            rules.push(parse(text).map_err(|error| {
                if texts.len() == 1 {
                    error
                } else {
                    ApiError::invalid_input(format!("rule {}: {}", index + 1, error.message))
                }
            })?);
        }
        let now = Utc::now();
        let mut reports = Vec::with_capacity(rules.len());
        let mut items_of: HashMap<ItemKind, Vec<ItemFacts>> = HashMap::new();
        let mut kinds = Vec::new();
        for kind in rules.iter().map(|rule| rule.trigger.item_kind()) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        for kind in kinds {
            let items = self.rule_items(kind, Selection::All, &rules).await?;
            items_of.insert(kind, items);
        }
        let prepared: HashMap<ItemKind, Vec<PreparedItem<'_>>> = items_of
            .iter()
            .map(|(kind, items)| (*kind, items.par_iter().map(PreparedItem::new).collect()))
            .collect();
        for rule in &rules {
            let matcher = Matcher::new(rule);
            let mut matched: Vec<&ItemFacts> = prepared[&rule.trigger.item_kind()]
                .par_iter()
                .filter(|item| matcher.matches(item))
                .map(|item| item.facts)
                .collect();
            let would_fire = matched.len() as u64;
            // Only the most recent few are shown: select them rather than sort them all.
            let newest_first = |item: &&ItemFacts| std::cmp::Reverse(item_time(item));
            if matched.len() > EXAMPLES {
                matched.select_nth_unstable_by_key(EXAMPLES, newest_first);
                matched.truncate(EXAMPLES);
            }
            matched.sort_by_key(newest_first);
            reports.push(DryRunReport {
                rule: rule.to_string(),
                would_fire,
                examples: matched
                    .iter()
                    .map(|item| DryRunExample {
                        item: item_name(item),
                        at: item_time(item).map(iso_millis),
                        title: headline(item),
                        would: fire(&rule.action, item, now).to_string(),
                    })
                    .collect(),
            });
        }
        Ok(reports)
    }

    /// The items of `kind` that `selection` names, with the facts `rules` need: ranks are
    /// looked up only when a rule tests them.
    pub(crate) async fn rule_items(
        &self,
        kind: ItemKind,
        selection: Selection<'_>,
        rules: &[Rule],
    ) -> Result<Vec<ItemFacts>, ApiError> {
        let needs_ranks = rules.iter().any(|rule| {
            rule.conditions
                .iter()
                .any(|c| matches!(c, Condition::RankAtMost(_)))
        });
        let ranks = if needs_ranks || kind == ItemKind::Person {
            self.rank_book().await?
        } else {
            HashMap::new()
        };
        let best_rank = |addresses: &mut dyn Iterator<Item = &String>| {
            addresses
                .filter_map(|address| ranks.get(&address.to_lowercase()).copied())
                .min()
        };
        Ok(match kind {
            ItemKind::Message => {
                let invitations = match selection {
                    Selection::All => self.store.all_messages_with_invitations().await?,
                    Selection::Ids(ids) => self.store.messages_with_invitations(ids).await?,
                };
                self.store
                    .rule_message_facts(selection)
                    .await?
                    .into_iter()
                    .map(|mut message| {
                        message.has_invite = invitations.contains(&message.id);
                        message.rank = if message.sent_by_me {
                            best_rank(&mut message.recipients.iter().map(|p| &p.address))
                        } else {
                            best_rank(&mut message.from.iter().map(|p| &p.address))
                        };
                        ItemFacts::Message(message)
                    })
                    .collect()
            }
            ItemKind::Event => self
                .store
                .rule_event_facts(selection)
                .await?
                .into_iter()
                .map(|mut event| {
                    event.rank = best_rank(
                        &mut event
                            .organizer
                            .iter()
                            .chain(&event.attendees)
                            .map(|p| &p.address),
                    );
                    ItemFacts::Event(event)
                })
                .collect(),
            ItemKind::Person => {
                let people = self.ranked_people().await?;
                let mut items = Vec::new();
                for person in people.iter() {
                    let selected = match selection {
                        Selection::All => true,
                        Selection::Ids(ids) => ids.contains(&person.person_id),
                    };
                    if !selected {
                        continue;
                    }
                    items.extend(person_flags(person).map(|flag| person_item(person, flag.fading)));
                }
                items
            }
            ItemKind::Sync => {
                return Err(ApiError::invalid_input(
                    "sync.completed fires after each sync; there are no stored items to \
                     try it on",
                ))
            }
        })
    }

    /// Each ranked person's addresses (lower case) and rank.
    async fn rank_book(&self) -> Result<HashMap<String, u32>, ApiError> {
        let mut ranks = HashMap::new();
        for person in self.ranked_people().await?.iter() {
            for email in &person.emails {
                ranks.insert(email.to_lowercase(), person.rank);
            }
        }
        Ok(ranks)
    }

    async fn log_rule_change(&self, row: &RuleRow, kind: &str) -> Result<(), ApiError> {
        let subject = format!("rule {}", row.id);
        self.store
            .append_activity(
                &NewActivity {
                    actor: "person",
                    kind,
                    subject: &subject,
                    outcome: Outcome::Ok,
                    detail: &row.text,
                },
                Utc::now().timestamp_millis(),
            )
            .await?;
        Ok(())
    }
}

impl Kindred {
    /// Runs rule `id` over every stored item now, history included: the person asked for
    /// it. Items it already fired on are skipped, so running it again does nothing new.
    ///
    /// # Errors
    /// No rule has that id, or its trigger has no stored items (`sync.completed`); the
    /// store cannot be read or written.
    pub async fn run_rule_on_history(&self, id: i64) -> Result<RulesPass, ApiError> {
        let row = self.store.rule(id).await?.ok_or_else(|| no_rule(id))?;
        let rule = stored_rule(&row)?;
        let items = self
            .rule_items(
                rule.trigger.item_kind(),
                Selection::All,
                std::slice::from_ref(&rule),
            )
            .await?;
        self.fire_rules(&[(row.id, rule)], &items).await
    }

    /// Evaluates every enabled rule over the mail that came in through Gmail since the
    /// last pass, and the syncs that finished since (never a first sync or its backfill,
    /// never an import), and the events created or changed since (by an import, a sync or
    /// an invitation; see `new_event_items`), and the people who became new or fading
    /// since (see [`Kindred::new_person_items`]). New mail carrying the extraction label
    /// is queued for `extract_event` (see [`Kindred::extraction_label`]). Safe to run at
    /// any time and any number of times: a rule fires once per item.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub async fn evaluate_new_items(&self) -> Result<RulesPass, ApiError> {
        let rules = self.enabled_rules().await?;
        let parsed: Vec<Rule> = rules.iter().map(|(_, rule)| rule.clone()).collect();
        let label = self.extraction_label().await?;
        let mut pass = RulesPass::default();
        for account in self.store.accounts().await? {
            let key = format!("{CURSOR_SETTING}.{}", account.id);
            let Some(cursor) = self.store.setting(&key).await?.and_then(|c| c.parse().ok()) else {
                continue;
            };
            let stored = self
                .store
                .gmail_messages_stored_since(account.id, cursor)
                .await?;
            let ids: Vec<i64> = stored.iter().map(|(id, _)| *id).collect();
            let mut items = if (rules.is_empty() && label.is_none()) || ids.is_empty() {
                Vec::new()
            } else {
                self.rule_items(ItemKind::Message, Selection::Ids(&ids), &parsed)
                    .await?
            };
            if let Some(label) = &label {
                let queued = self.queue_label_extractions(label, &items).await?;
                tracing::info!("extraction label: {queued} new messages queued");
            }
            // Finished, successful sync runs since the cursor (the first sync's are before).
            for run in self
                .store
                .sync_runs(account.id, SYNC_RUNS_LOOKED_AT)
                .await?
            {
                if run.started_at >= cursor
                    && run.finished_at.is_some()
                    && run.error_class.is_none()
                {
                    items.push(ItemFacts::Sync(SyncFacts {
                        run: run.id,
                        account: account.email.clone(),
                        added: run.counts.mail_added + run.counts.events_added,
                    }));
                }
            }
            let done = self.fire_rules(&rules, &items).await?;
            pass.items += done.items;
            pass.fired += done.fired;
            pass.already_fired += done.already_fired;
            // The last batch is looked at again next time (its stored time is not
            // passed); the firing record makes that harmless.
            if let Some(&(_, last)) = stored.last() {
                self.store.set_setting(&key, &last.to_string()).await?;
            }
        }
        let (events, seen) = self.new_event_items(&parsed).await?;
        let done = self.fire_rules(&rules, &events).await?;
        pass.items += done.items;
        pass.fired += done.fired;
        pass.already_fired += done.already_fired;
        if let Some(seen) = seen {
            self.mark_event_changes_seen(seen).await?;
        }
        let (people, look) = self.new_person_items(&rules).await?;
        let done = self.fire_rules(&rules, &people).await?;
        pass.items += done.items;
        pass.fired += done.fired;
        pass.already_fired += done.already_fired;
        if let Some(look) = look {
            self.store
                .record_person_flags(&look.added, &look.removed, Utc::now().timestamp_millis())
                .await?;
        }
        Ok(pass)
    }

    /// The people the ranking flags now as new this period or as fading who were not
    /// flagged so when the rules last looked, as `person.new` / `person.fading` items, and
    /// the look to record once they are fired.
    ///
    /// What is flagged when the rules first look is history, not fired; so is what a
    /// first sync's backfill flags, and a ranking with nobody in it is no look at all
    /// (the first mail to arrive is the backfill). Only enabled person rules make the
    /// rules look: with none, the last look is forgotten, so a person rule enabled later
    /// starts from a new baseline rather than firing on what changed while none was
    /// watching. The ranking is the cached one ([`Kindred::ranked_people`]): nothing is
    /// recomputed when the evidence has not changed.
    ///
    /// A rule fires at most once per person and trigger, ever (the firing record is
    /// keyed `person 3 new`, `person 3 fading`): someone who stops fading and fades
    /// again later is recorded as flagged again but does not fire a second time.
    async fn new_person_items(
        &self,
        rules: &[(i64, Rule)],
    ) -> Result<(Vec<ItemFacts>, Option<PeopleLook>), ApiError> {
        let watching = rules
            .iter()
            .any(|(_, rule)| rule.trigger.item_kind() == ItemKind::Person);
        let seen = self.store.person_flags_seen().await?;
        let people = if watching {
            self.ranked_people().await?
        } else {
            Arc::default()
        };
        if people.is_empty() {
            if seen.is_some() {
                self.store.forget_person_flags().await?;
            }
            return Ok((Vec::new(), None));
        }
        let flagged: HashMap<PersonFlag, &PersonSummary> = people
            .iter()
            .flat_map(|person| person_flags(person).map(move |flag| (flag, person)))
            .collect();
        let first_look = seen.is_none();
        let history = first_look || self.first_syncs_unfinished().await?;
        let seen = seen.unwrap_or_default();
        let mut added: Vec<PersonFlag> = flagged
            .keys()
            .filter(|flag| !seen.contains(flag))
            .copied()
            .collect();
        added.sort_unstable();
        let removed: Vec<PersonFlag> = seen
            .iter()
            .filter(|flag| !flagged.contains_key(flag))
            .copied()
            .collect();
        let items = if history {
            Vec::new()
        } else {
            added
                .iter()
                .map(|flag| person_item(flagged[flag], flag.fading))
                .collect()
        };
        // An unchanged look is not written again.
        let changed = first_look || !added.is_empty() || !removed.is_empty();
        Ok((items, changed.then_some(PeopleLook { added, removed })))
    }

    /// Which enabled rules match each of the messages `ids` (those that exist), without
    /// firing them: what a rules pass decides for new mail, and what a person asks of a
    /// message ("which of my rules apply to this?").
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn rules_matching_messages(
        &self,
        ids: &[i64],
    ) -> Result<Vec<MessageRules>, ApiError> {
        let rules = self.enabled_rules().await?;
        let parsed: Vec<Rule> = rules.iter().map(|(_, rule)| rule.clone()).collect();
        let items = self
            .rule_items(ItemKind::Message, Selection::Ids(ids), &parsed)
            .await?;
        let matchers: Vec<(i64, Matcher)> = rules
            .iter()
            .map(|(id, rule)| (*id, Matcher::new(rule)))
            .collect();
        Ok(items
            .iter()
            .filter_map(|item| {
                let ItemFacts::Message(message) = item else {
                    return None;
                };
                let prepared = PreparedItem::new(item);
                Some(MessageRules {
                    message_id: message.id,
                    rules: matchers
                        .iter()
                        .filter(|(_, matcher)| matcher.matches(&prepared))
                        .map(|(id, _)| *id)
                        .collect(),
                })
            })
            .collect())
    }

    /// Marks from when the mail of Gmail account `account_id` is new to the rules, if its
    /// first sync has finished and no mark is set yet. Called before each sync of the
    /// account, so mail of a first sync (backfill) never fires a rule.
    ///
    /// # Errors
    /// The store cannot be read or written.
    pub(crate) async fn open_rules_cursor(&self, account_id: i64) -> Result<(), ApiError> {
        let key = format!("{CURSOR_SETTING}.{account_id}");
        if self.store.setting(&key).await?.is_some() {
            return Ok(());
        }
        let caught_up = self
            .store
            .sync_state(account_id, "gmail")
            .await?
            .is_some_and(|state| state.phase == SyncPhase::Incremental);
        if caught_up {
            let now = Utc::now().timestamp_millis();
            self.store.set_setting(&key, &now.to_string()).await?;
        }
        Ok(())
    }

    /// Queues a rules pass over what came in (one at a time: a pass already queued
    /// covers it).
    ///
    /// # Errors
    /// The store refused the write.
    pub async fn queue_rules_pass(&self) -> Result<(), ApiError> {
        let job = NewJob {
            dedupe_key: Some(RULES_JOB.to_owned()),
            ..NewJob::new(RULES_JOB, json!({}))
        };
        self.store.enqueue_job(&job, Utc::now()).await?;
        Ok(())
    }

    /// The enabled rules, parsed.
    async fn enabled_rules(&self) -> Result<Vec<(i64, Rule)>, ApiError> {
        let mut rules = Vec::new();
        for row in self.store.rules().await? {
            if row.enabled {
                rules.push((row.id, stored_rule(&row)?));
            }
        }
        Ok(rules)
    }

    /// Fires each of `rules` on each of `items` it matches, once per rule and item; each
    /// firing's effect and activity entry are one transaction, and a webhook it asks for
    /// is queued as a job.
    async fn fire_rules(
        &self,
        rules: &[(i64, Rule)],
        items: &[ItemFacts],
    ) -> Result<RulesPass, ApiError> {
        let matchers: Vec<(i64, &Rule, Matcher)> = rules
            .iter()
            .map(|(id, rule)| (*id, rule, Matcher::new(rule)))
            .collect();
        let mut pass = RulesPass::default();
        for item in items {
            pass.items += 1;
            let prepared = PreparedItem::new(item);
            for (rule_id, rule, matcher) in &matchers {
                if !matcher.matches(&prepared) {
                    continue;
                }
                let now = Utc::now();
                if self.fire_one(*rule_id, rule, item, now).await? {
                    pass.fired += 1;
                } else {
                    pass.already_fired += 1;
                }
            }
        }
        Ok(pass)
    }

    /// Fires rule `rule_id` on `item`; returns whether it fired (not already done).
    async fn fire_one(
        &self,
        rule_id: i64,
        rule: &Rule,
        item: &ItemFacts,
        now: DateTime<Utc>,
    ) -> Result<bool, ApiError> {
        let fired = fire(&rule.action, item, now);
        let name = item_name(item);
        let actor = format!("rule {rule_id}");
        let (messages, events) = match item {
            ItemFacts::Message(m) => (vec![m.id], Vec::new()),
            ItemFacts::Event(e) => (Vec::new(), vec![e.id]),
            ItemFacts::Person(_) | ItemFacts::Sync(_) => (Vec::new(), Vec::new()),
        };
        let payload = match &fired {
            Fired::Webhook { .. } => webhook::payload(rule_id, &rule.to_string(), &name, item, now),
            _ => String::new(),
        };
        let extraction = match (&fired, item) {
            (Fired::ExtractEvent, ItemFacts::Message(message)) => {
                Some(extract_event_job(message.id, &actor, None))
            }
            _ => None,
        };
        let due = match &fired {
            Fired::CreateTask { due, .. } => due.map(|due| due.format("%Y-%m-%d").to_string()),
            _ => None,
        };
        let mut detail = fired.to_string();
        let effect = match &fired {
            Fired::CreateTask {
                title,
                notes,
                priority,
                ..
            } => FiringEffect::Task(NewTask {
                title,
                notes,
                priority: priority.as_str(),
                due: due.as_deref(),
                created_by: &actor,
                messages: &messages,
                events: &events,
            }),
            Fired::Notify { title, body } => FiringEffect::Notification { title, body },
            Fired::Tag { label } => match item {
                ItemFacts::Message(m) => FiringEffect::Label {
                    message_id: m.id,
                    label,
                },
                _ => FiringEffect::Nothing,
            },
            Fired::Webhook { url } => FiringEffect::Webhook {
                url,
                payload: &payload,
            },
            Fired::ExtractEvent => {
                detail = "queued: an event read out of the message (its invitation, else \
                          the language model)"
                    .to_owned();
                extraction
                    .as_ref()
                    .map_or(FiringEffect::Nothing, FiringEffect::Job)
            }
            Fired::Log { .. } => FiringEffect::Nothing,
        };
        let firing = Firing {
            rule_id,
            item: &name,
            effect,
            activity: NewActivity {
                actor: &actor,
                kind: "rule.fired",
                subject: &name,
                outcome: Outcome::Ok,
                detail: &detail,
            },
        };
        let Some(record) = self
            .store
            .record_firing(&firing, now.timestamp_millis())
            .await?
        else {
            return Ok(false);
        };
        if let Some(delivery) = record.delivery_id {
            webhook::queue(&self.store, delivery).await?;
        }
        Ok(true)
    }
}

/// Registers the rules' jobs on `handlers`: the evaluation pass and webhook delivery.
#[must_use]
pub fn register_rule_jobs(
    handlers: JobHandlers,
    kindred: &Arc<Kindred>,
    options: WebhookOptions,
) -> JobHandlers {
    let evaluating = Arc::clone(kindred);
    let delivering = Arc::clone(kindred);
    let options = Arc::new(options);
    handlers
        .register(RULES_JOB, move |_context| {
            let kindred = Arc::clone(&evaluating);
            async move {
                let pass = kindred
                    .evaluate_new_items()
                    .await
                    .map_err(|error| JobError::retryable(error.message))?;
                tracing::info!("rules: {} new items, {} firings", pass.items, pass.fired);
                // The pass runs after every sync: it also keeps the activity log within
                // its retention period.
                kindred
                    .prune_activity(Utc::now())
                    .await
                    .map_err(|error| JobError::retryable(error.message))?;
                Ok(())
            }
        })
        .register(WEBHOOK_JOB, move |context| {
            let kindred = Arc::clone(&delivering);
            let options = Arc::clone(&options);
            async move { webhook::deliver(&kindred, &options, &context).await }
        })
}

/// What a rules pass saw of people, to record once its firings are done.
struct PeopleLook {
    /// Flagged now, not at the last look.
    added: Vec<PersonFlag>,
    /// Flagged at the last look, no longer.
    removed: Vec<PersonFlag>,
}

/// The flags the ranking gives `person`: new this period, fading, both or neither.
fn person_flags(person: &PersonSummary) -> impl Iterator<Item = PersonFlag> + '_ {
    [(person.new_this_period, false), (person.fading, true)]
        .into_iter()
        .filter(|(flagged, _)| *flagged)
        .map(|(_, fading)| PersonFlag {
            person_id: person.person_id,
            fading,
        })
}

/// `person` as a `person.new` (or, `fading`, a `person.fading`) item.
fn person_item(person: &PersonSummary, fading: bool) -> ItemFacts {
    ItemFacts::Person(PersonFacts {
        id: person.person_id,
        name: person.name.clone(),
        emails: person.emails.clone(),
        rank: Some(person.rank),
        fading,
    })
}

/// A stored rule parsed again (it was valid when stored, and is in canonical text).
fn stored_rule(row: &RuleRow) -> Result<Rule, ApiError> {
    parse_rule(&row.text)
        .map_err(|error| ApiError::internal(&format!("rule {} no longer parses", row.id), &error))
}

/// `text` parsed, or the parser's error as the person should read it.
fn parse(text: &str) -> Result<Rule, ApiError> {
    parse_rule(text).map_err(|error| ApiError::invalid_input(format!("not a rule: {error}")))
}

fn no_rule(id: i64) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("no rule has id {id}; `kindred rules list` shows them"),
    )
}

fn rule_dto(row: RuleRow) -> RuleDto {
    RuleDto {
        id: row.id,
        text: row.text,
        trigger: row.trigger,
        enabled: row.enabled,
        created_at: iso_millis(row.created_at),
        updated_at: iso_millis(row.updated_at),
    }
}

/// How an item is named in the firing record and the activity log: `message 42`,
/// `event 7`, `person 3 new`, `sync run 12`.
pub(crate) fn item_name(item: &ItemFacts) -> String {
    match item {
        ItemFacts::Message(m) => format!("message {}", m.id),
        ItemFacts::Event(e) => match e.change {
            Some(change) => format!("event {} change {change}", e.id),
            None => format!("event {}", e.id),
        },
        ItemFacts::Person(p) => {
            format!(
                "person {} {}",
                p.id,
                if p.fading { "fading" } else { "new" }
            )
        }
        ItemFacts::Sync(s) => format!("sync run {}", s.run),
    }
}

/// When an item happened (unix milliseconds), if it has a time of its own.
fn item_time(item: &ItemFacts) -> Option<i64> {
    match item {
        ItemFacts::Message(m) => Some(m.sent_at.timestamp_millis()),
        ItemFacts::Event(e) => Some(e.starts_at.timestamp_millis()),
        ItemFacts::Person(_) | ItemFacts::Sync(_) => None,
    }
}
