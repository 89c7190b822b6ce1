//! The person's rules and what rule matching reads: the rules table, and the facts of
//! messages and events (who, what, labels, flags) assembled from a few narrow scans so a
//! dry run over the whole history stays fast. Also which people the rules last saw flagged
//! as new or fading, so `person.new` and `person.fading` fire on a change of flag.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use kindred_core::rules::{EventFacts, MessageFacts, Party};

use crate::activity::{write_activity, NewActivity};
use crate::jobs::{write_job, NewJob};
use crate::settings::write_setting;
use crate::tasks::{write_task, NewTask};
use crate::{Store, StoreError};

/// A stored rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRow {
    pub id: i64,
    /// The canonical text of the parsed rule.
    pub text: String,
    pub trigger: String,
    pub enabled: bool,
    /// Unix milliseconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// A message's facts as read: id, subject, sent_at, has_attachments, the sender's address
/// and whether it is mine, its participants folded into one text, its labels likewise.
type MessageRow = (
    i64,
    String,
    i64,
    bool,
    Option<String>,
    Option<String>,
    Option<String>,
);

type RawRule = (i64, String, String, bool, i64, i64);

fn rule_row((id, text, trigger, enabled, created_at, updated_at): RawRule) -> RuleRow {
    RuleRow {
        id,
        text,
        trigger,
        enabled,
        created_at,
        updated_at,
    }
}

/// What a firing does to the store, besides its activity entry.
#[derive(Debug, Clone, PartialEq)]
pub enum FiringEffect<'a> {
    /// Creates a task (its `created_by` is the rule).
    Task(NewTask<'a>),
    /// Raises a notification for the shell to show.
    Notification { title: &'a str, body: &'a str },
    /// Adds a label to a message.
    Label { message_id: i64, label: &'a str },
    /// Queues a webhook call with this JSON body.
    Webhook { url: &'a str, payload: &'a str },
    /// Queues this job, with the firing: a crash after it cannot lose the job.
    Job(&'a NewJob),
    /// Nothing beyond the activity entry (`log`).
    Nothing,
}

/// A rule firing on an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Firing<'a> {
    pub rule_id: i64,
    /// The item as named in the firing record: `message 42`.
    pub item: &'a str,
    pub effect: FiringEffect<'a>,
    /// What the activity log says of it.
    pub activity: NewActivity<'a>,
}

/// What a recorded firing created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiringRecord {
    pub firing_id: i64,
    pub task_id: Option<i64>,
    pub delivery_id: Option<i64>,
}

/// A webhook call to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookDelivery {
    pub id: i64,
    pub rule_id: i64,
    pub item: String,
    pub url: String,
    pub payload: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
}

/// A person the ranking flags as new this period (`fading` false) or as fading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonFlag {
    pub person_id: i64,
    pub fading: bool,
}

impl PersonFlag {
    fn as_str(self) -> &'static str {
        if self.fading {
            "fading"
        } else {
            "new"
        }
    }
}

/// The setting that says the rules have looked at people: a baseline of flags exists.
const PEOPLE_BASELINE_SETTING: &str = "rules.people.baseline";

const RULE_COLUMNS: &str = "id, text, trigger, enabled, created_at, updated_at";

/// Which items to read the facts of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection<'a> {
    /// Every stored item (a dry run over history).
    All,
    /// These ids.
    Ids(&'a [i64]),
}

impl Selection<'_> {
    /// A SQL condition on `column` and its JSON parameter (bound as `?1`).
    fn condition(self, column: &str) -> (String, String) {
        match self {
            // Still names ?1, which is always bound.
            Self::All => ("?1 = '[]'".to_owned(), "[]".to_owned()),
            Self::Ids(ids) => (
                format!("{column} IN (SELECT value FROM json_each(?1))"),
                serde_json::to_string(ids).unwrap_or_else(|_| "[]".to_owned()),
            ),
        }
    }
}

impl Store {
    /// Stores a rule the person wrote (already parsed, in its canonical text).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn insert_rule(
        &self,
        text: &str,
        trigger: &str,
        enabled: bool,
        now: i64,
    ) -> Result<RuleRow, StoreError> {
        let row: RawRule = sqlx::query_as(&format!(
            "INSERT INTO rules (text, trigger, enabled, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4) RETURNING {RULE_COLUMNS}"
        ))
        .bind(text)
        .bind(trigger)
        .bind(enabled)
        .bind(now)
        .fetch_one(self.writer())
        .await?;
        Ok(rule_row(row))
    }

    /// Every rule, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn rules(&self) -> Result<Vec<RuleRow>, StoreError> {
        let rows: Vec<RawRule> =
            sqlx::query_as(&format!("SELECT {RULE_COLUMNS} FROM rules ORDER BY id"))
                .fetch_all(self.reader())
                .await?;
        Ok(rows.into_iter().map(rule_row).collect())
    }

    /// The rule `id`, if it exists.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn rule(&self, id: i64) -> Result<Option<RuleRow>, StoreError> {
        let row: Option<RawRule> =
            sqlx::query_as(&format!("SELECT {RULE_COLUMNS} FROM rules WHERE id = ?1"))
                .bind(id)
                .fetch_optional(self.reader())
                .await?;
        Ok(row.map(rule_row))
    }

    /// Deletes rule `id` and its firing record; returns it if it existed.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn delete_rule(&self, id: i64) -> Result<Option<RuleRow>, StoreError> {
        let row: Option<RawRule> = sqlx::query_as(&format!(
            "DELETE FROM rules WHERE id = ?1 RETURNING {RULE_COLUMNS}"
        ))
        .bind(id)
        .fetch_optional(self.writer())
        .await?;
        Ok(row.map(rule_row))
    }

    /// Enables or disables rule `id`; returns it if it exists.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn set_rule_enabled(
        &self,
        id: i64,
        enabled: bool,
        now: i64,
    ) -> Result<Option<RuleRow>, StoreError> {
        let row: Option<RawRule> = sqlx::query_as(&format!(
            "UPDATE rules SET enabled = ?2, updated_at = ?3 WHERE id = ?1 RETURNING {RULE_COLUMNS}"
        ))
        .bind(id)
        .bind(enabled)
        .bind(now)
        .fetch_optional(self.writer())
        .await?;
        Ok(row.map(rule_row))
    }

    /// Records that rule `firing.rule_id` fired on `firing.item`, with its effect and
    /// activity entry, all in one transaction — unless the rule already fired on that item:
    /// then nothing is written and `None` is returned. This is what makes a rule fire
    /// exactly once per item across retries, restarts and re-syncs.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn record_firing(
        &self,
        firing: &Firing<'_>,
        now: i64,
    ) -> Result<Option<FiringRecord>, StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        let firing_id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO rule_firings (rule_id, item, fired_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (rule_id, item) DO NOTHING RETURNING id",
        )
        .bind(firing.rule_id)
        .bind(firing.item)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(firing_id) = firing_id else {
            return Ok(None);
        };
        let mut record = FiringRecord {
            firing_id,
            task_id: None,
            delivery_id: None,
        };
        match &firing.effect {
            FiringEffect::Task(task) => {
                record.task_id = Some(write_task(&mut tx, task, now).await?);
            }
            FiringEffect::Notification { title, body } => {
                let source = format!("rule {}", firing.rule_id);
                sqlx::query(
                    "INSERT INTO notifications (at, source, title, body) VALUES (?1, ?2, ?3, ?4)",
                )
                .bind(now)
                .bind(&source)
                .bind(title)
                .bind(body)
                .execute(&mut *tx)
                .await?;
            }
            FiringEffect::Label { message_id, label } => {
                sqlx::query(
                    "INSERT OR IGNORE INTO message_labels (message_id, label) VALUES (?1, ?2)",
                )
                .bind(message_id)
                .bind(label)
                .execute(&mut *tx)
                .await?;
            }
            FiringEffect::Webhook { url, payload } => {
                record.delivery_id = Some(
                    sqlx::query_scalar(
                        "INSERT INTO webhook_deliveries (firing_id, url, payload, status, attempts,
                                                         created_at, updated_at)
                         VALUES (?1, ?2, ?3, 'pending', 0, ?4, ?4) RETURNING id",
                    )
                    .bind(firing_id)
                    .bind(url)
                    .bind(payload)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?,
                );
            }
            FiringEffect::Job(job) => {
                write_job(&mut tx, job, now).await?;
            }
            FiringEffect::Nothing => {}
        }
        write_activity(&mut *tx, &firing.activity, now).await?;
        tx.commit().await?;
        Ok(Some(record))
    }

    /// The items rule `rule_id` has fired on, in firing order.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn rule_firings(&self, rule_id: i64) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT item FROM rule_firings WHERE rule_id = ?1 ORDER BY id")
                .bind(rule_id)
                .fetch_all(self.reader())
                .await?,
        )
    }

    /// The webhook delivery `id`, if it exists.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn webhook_delivery(&self, id: i64) -> Result<Option<WebhookDelivery>, StoreError> {
        Ok(self.webhook_deliveries(Some(id)).await?.into_iter().next())
    }

    /// The deliveries still to make, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn pending_webhook_deliveries(&self) -> Result<Vec<WebhookDelivery>, StoreError> {
        self.webhook_deliveries(None).await
    }

    async fn webhook_deliveries(
        &self,
        id: Option<i64>,
    ) -> Result<Vec<WebhookDelivery>, StoreError> {
        let rows: Vec<(i64, i64, String, String, String, String, i64)> = sqlx::query_as(
            "SELECT d.id, f.rule_id, f.item, d.url, d.payload, d.status, d.attempts
             FROM webhook_deliveries d JOIN rule_firings f ON f.id = d.firing_id
             WHERE (?1 IS NULL AND d.status = 'pending') OR d.id = ?1 ORDER BY d.id",
        )
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, rule_id, item, url, payload, status, attempts)| WebhookDelivery {
                    id,
                    rule_id,
                    item,
                    url,
                    payload,
                    status,
                    attempts,
                },
            )
            .collect())
    }

    /// Records an attempt at delivery `id` (`delivered`, `failed` for good, or still
    /// `pending` for a retry) with its activity entry, in one transaction.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn record_webhook_attempt(
        &self,
        id: i64,
        status: &str,
        error: Option<&str>,
        activity: &NewActivity<'_>,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "UPDATE webhook_deliveries SET status = ?2, attempts = attempts + 1, last_error = ?3,
               updated_at = ?4 WHERE id = ?1",
        )
        .bind(id)
        .bind(status)
        .bind(error)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        write_activity(&mut *tx, activity, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The people flagged new or fading when the rules last looked, or `None` when they
    /// have not looked yet (no baseline: everything flagged now is history).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn person_flags_seen(&self) -> Result<Option<HashSet<PersonFlag>>, StoreError> {
        if self.setting(PEOPLE_BASELINE_SETTING).await?.is_none() {
            return Ok(None);
        }
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT person_id, flag FROM rule_person_flags")
                .fetch_all(self.reader())
                .await?;
        Ok(Some(
            rows.into_iter()
                .map(|(person_id, flag)| PersonFlag {
                    person_id,
                    fading: flag == "fading",
                })
                .collect(),
        ))
    }

    /// Records what the rules saw of people now: `added` are flagged since the last look,
    /// `removed` no longer are. The first call (no baseline yet) gets every flag in
    /// `added`. One transaction, so a crash leaves the previous look whole.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn record_person_flags(
        &self,
        added: &[PersonFlag],
        removed: &[PersonFlag],
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        for (flags, sql) in [
            (
                added,
                "INSERT OR IGNORE INTO rule_person_flags (person_id, flag) VALUES (?1, ?2)",
            ),
            (
                removed,
                "DELETE FROM rule_person_flags WHERE person_id = ?1 AND flag = ?2",
            ),
        ] {
            for flag in flags {
                sqlx::query(sql)
                    .bind(flag.person_id)
                    .bind(flag.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        write_setting(&mut *tx, PEOPLE_BASELINE_SETTING, &now.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets what the rules saw of people: the next look is a new baseline (history).
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn forget_person_flags(&self) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM rule_person_flags")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM settings WHERE key = ?1")
            .bind(PEOPLE_BASELINE_SETTING)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The messages that came in through Gmail account `account_id` at or after `since`
    /// (unix milliseconds, when they were stored), with when each was stored; oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn gmail_messages_stored_since(
        &self,
        account_id: i64,
        since: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT m.id, m.imported_at FROM messages m INDEXED BY messages_imported_at
             WHERE m.imported_at >= ?2
               AND EXISTS (SELECT 1 FROM gmail_messages g
                           WHERE g.message_id = m.id AND g.account_id = ?1)
             ORDER BY m.imported_at, m.id",
        )
        .bind(account_id)
        .bind(since)
        .fetch_all(self.reader())
        .await?)
    }

    /// The facts rules match on of the messages `selection` names, in id order. `rank`
    /// and `has_invite` are left for the caller (they come from the people ranking and
    /// the calendar parts kept, see `mail_events`).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn rule_message_facts(
        &self,
        selection: Selection<'_>,
    ) -> Result<Vec<MessageFacts>, StoreError> {
        let (condition, ids) = selection.condition("m.id");
        // A whole-history read goes through the narrow index; a few messages by id.
        let index = match selection {
            Selection::All => "INDEXED BY messages_rule_facts",
            Selection::Ids(_) => "",
        };
        // One row per message, its sender, participants and labels folded in (unit and
        // record separators cannot occur in addresses or labels): far fewer rows to decode
        // than one per participant and label.
        let rows: Vec<MessageRow> = sqlx::query_as(&format!(
            "SELECT m.id, m.subject, m.sent_at, m.has_attachments,
               (SELECT a.address || char(31) || a.is_me FROM addresses a
                WHERE a.id = m.from_address_id),
               (SELECT group_concat(p.role || char(31) || a.address || char(31)
                                    || coalesce(p.display_name, ''), char(30))
                FROM message_participants p JOIN addresses a ON a.id = p.address_id
                WHERE p.message_id = m.id AND p.role IN ('from', 'to', 'cc')),
               (SELECT group_concat(l.label, char(30)) FROM message_labels l
                WHERE l.message_id = m.id)
             FROM messages m {index} WHERE {condition} ORDER BY m.id"
        ))
        .bind(&ids)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, subject, sent_at, has_attachment, sender, people, labels)| {
                    let mut from = None;
                    let mut recipients = Vec::new();
                    for participant in people.as_deref().unwrap_or_default().split('\u{1e}') {
                        let mut fields = participant.split('\u{1f}');
                        let (Some(role), Some(address), Some(name)) =
                            (fields.next(), fields.next(), fields.next())
                        else {
                            continue;
                        };
                        let party = Party {
                            address: address.to_owned(),
                            name: (!name.is_empty()).then(|| name.to_owned()),
                        };
                        if role == "from" {
                            from = Some(party);
                        } else {
                            recipients.push(party);
                        }
                    }
                    let sender = sender.as_deref().and_then(|s| s.split_once('\u{1f}'));
                    MessageFacts {
                        id,
                        from: from.or_else(|| {
                            sender.map(|(address, _)| Party {
                                address: address.to_owned(),
                                name: None,
                            })
                        }),
                        recipients,
                        subject,
                        labels: labels
                            .map(|labels| labels.split('\u{1e}').map(str::to_owned).collect())
                            .unwrap_or_default(),
                        has_attachment,
                        has_invite: false,
                        sent_by_me: sender.is_some_and(|(_, is_me)| is_me == "1"),
                        rank: None,
                        sent_at: millis(sent_at),
                    }
                },
            )
            .collect())
    }

    /// The facts rules match on of the events `selection` names, in id order; `rank` is
    /// left for the caller, and every event reads as new (`updated` false, no `change`).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn rule_event_facts(
        &self,
        selection: Selection<'_>,
    ) -> Result<Vec<EventFacts>, StoreError> {
        let addresses = self.addresses_by_id().await?;
        let (condition, ids) = selection.condition("id");
        let events: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(&format!(
            "SELECT id, summary, location, starts_at, ends_at FROM events
             WHERE {condition} ORDER BY id"
        ))
        .bind(&ids)
        .fetch_all(self.reader())
        .await?;
        let (condition, _) = selection.condition("event_id");
        let attendees: Vec<(i64, String, i64, Option<String>)> = sqlx::query_as(&format!(
            "SELECT event_id, role, address_id, display_name FROM event_attendees
             WHERE {condition}"
        ))
        .bind(&ids)
        .fetch_all(self.reader())
        .await?;
        let mut organizer: HashMap<i64, Party> = HashMap::new();
        let mut attending: HashMap<i64, Vec<Party>> = HashMap::new();
        for (event_id, role, address_id, name) in attendees {
            let Some((address, _)) = addresses.get(&address_id) else {
                continue;
            };
            let party = Party {
                address: address.clone(),
                name,
            };
            if role == "organizer" {
                organizer.insert(event_id, party);
            } else {
                attending.entry(event_id).or_default().push(party);
            }
        }
        Ok(events
            .into_iter()
            .map(|(id, title, location, starts_at, ends_at)| EventFacts {
                id,
                title,
                organizer: organizer.remove(&id),
                attendees: attending.remove(&id).unwrap_or_default(),
                location,
                starts_at: millis(starts_at),
                ends_at: millis(ends_at),
                rank: None,
                updated: false,
                change: None,
            })
            .collect())
    }

    /// Every address by id, with whether it is mine.
    async fn addresses_by_id(&self) -> Result<HashMap<i64, (String, bool)>, StoreError> {
        let rows: Vec<(i64, String, bool)> =
            sqlx::query_as("SELECT id, address, is_me FROM addresses")
                .fetch_all(self.reader())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(id, address, is_me)| (id, (address, is_me)))
            .collect())
    }
}

fn millis(at: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at).unwrap_or_default()
}
