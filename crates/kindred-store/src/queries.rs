//! Read models over the evidence: counts for the overview, full-text search, and the
//! person's own addresses ("me").

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use kindred_core::address::is_freemail_domain;
use kindred_core::Address;
use sqlx::FromRow;

use crate::{Store, StoreError};

/// The settings key of the person's own addresses, as a JSON array.
const ME_SETTING: &str = "me.addresses";

/// Counts over everything stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Totals {
    pub messages: u64,
    pub events: u64,
    pub people: u64,
    pub organizations: u64,
    pub first_message_at: Option<DateTime<Utc>>,
    pub last_message_at: Option<DateTime<Utc>>,
}

/// One full-text search result.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SearchRow {
    pub id: i64,
    pub subject: String,
    pub sender: String,
    pub sent_at: i64,
    pub snippet: String,
}

/// People are addresses that are not mine, not automated, and took part in a message that
/// is not bulk mail or in an event.
const PEOPLE: &str = "SELECT a.id, a.domain FROM addresses a
    WHERE a.is_me = 0 AND a.is_automated = 0 AND (
      EXISTS (SELECT 1 FROM message_participants p JOIN messages m ON m.id = p.message_id
              WHERE p.address_id = a.id AND m.is_automated = 0)
      OR EXISTS (SELECT 1 FROM event_attendees e WHERE e.address_id = a.id))";

impl Store {
    /// Counts of messages, events, people and organisations, and the span of the mail.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn totals(&self) -> Result<Totals, StoreError> {
        let (messages, events, first, last): (i64, i64, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM events),
                        (SELECT min(sent_at) FROM messages), (SELECT max(sent_at) FROM messages)",
        )
        .fetch_one(self.reader())
        .await?;
        let domains: Vec<(String, i64)> = sqlx::query_as(&format!(
            "SELECT domain, count(*) FROM ({PEOPLE}) GROUP BY domain"
        ))
        .fetch_all(self.reader())
        .await?;
        let people: i64 = domains.iter().map(|(_, n)| n).sum();
        let organizations = domains
            .iter()
            .filter(|(domain, _)| !is_freemail_domain(domain))
            .count();
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        Ok(Totals {
            messages: count(messages),
            events: count(events),
            people: count(people),
            organizations: organizations as u64,
            first_message_at: first.and_then(DateTime::from_timestamp_millis),
            last_message_at: last.and_then(DateTime::from_timestamp_millis),
        })
    }

    /// Messages matching the words of `query` (all of them; `word*` for a prefix), best
    /// first: subject matches weigh most, then the sender, then the body.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn search_messages(
        &self,
        query: &str,
        limit: u32,
    ) -> Result<Vec<SearchRow>, StoreError> {
        let Some(expression) = fts_expression(query) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query_as::<_, SearchRow>(
            "SELECT m.id, m.subject, m.sender, m.sent_at,
                    snippet(messages_fts, -1, '[', ']', '…', 16) AS snippet
             FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
             WHERE messages_fts MATCH ?1
             ORDER BY bm25(messages_fts, 10.0, 4.0, 1.0), m.sent_at DESC
             LIMIT ?2",
        )
        .bind(expression)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        Ok(rows)
    }

    /// The addresses the person gave as their own.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn me_addresses(&self) -> Result<BTreeSet<Address>, StoreError> {
        let raw: Vec<String> = self
            .setting(ME_SETTING)
            .await?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_default();
        Ok(raw.iter().filter_map(|a| Address::parse(a).ok()).collect())
    }

    /// Records `addresses` as the person's own, replacing the list, and marks them; what
    /// they sent is theirs through the sender's address, so no message is rewritten.
    ///
    /// # Errors
    /// The database refused the write.
    pub async fn set_me_addresses(&self, addresses: &BTreeSet<Address>) -> Result<(), StoreError> {
        let list: Vec<&str> = addresses.iter().map(Address::as_str).collect();
        let list = serde_json::to_string(&list).unwrap_or_else(|_| "[]".to_owned());
        let mut tx = self.writer().begin_with("BEGIN IMMEDIATE").await?;
        crate::settings::write_setting(&mut *tx, ME_SETTING, &list).await?;
        sqlx::query(
            "UPDATE addresses SET is_me = (address IN (SELECT value FROM json_each(?1)))
             WHERE is_me != (address IN (SELECT value FROM json_each(?1)))",
        )
        .bind(&list)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The heuristic "me" when none was given: the sender of most messages filed in a
    /// sent folder (`Sent`, `Sent Items`, `sent_mail`, Gmail's `Sent` label).
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn dominant_sent_address(&self) -> Result<Option<Address>, StoreError> {
        let address: Option<String> = sqlx::query_scalar(
            "SELECT a.address FROM message_labels l
             JOIN messages m ON m.id = l.message_id
             JOIN addresses a ON a.id = m.from_address_id
             WHERE lower(l.label) LIKE '%sent%'
             GROUP BY a.id ORDER BY count(DISTINCT m.id) DESC, a.address LIMIT 1",
        )
        .fetch_optional(self.reader())
        .await?;
        Ok(address.and_then(|a| Address::parse(&a).ok()))
    }
}

/// Turns what a person types into an FTS5 expression that cannot be a syntax error: each
/// word is quoted; a trailing `*` keeps its prefix meaning.
pub(crate) fn fts_expression(query: &str) -> Option<String> {
    let terms: Vec<String> = query
        .split_whitespace()
        .filter_map(|word| {
            let (word, prefix) = match word.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (word, false),
            };
            let word: String = word.chars().filter(|c| *c != '"').collect();
            if word.is_empty() {
                return None;
            }
            Some(format!("\"{word}\"{}", if prefix { "*" } else { "" }))
        })
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

#[cfg(test)]
mod tests {
    use super::fts_expression;

    #[test]
    fn search_text_is_quoted_so_it_is_never_a_syntax_error() {
        assert_eq!(
            fts_expression("quarterly \"numbers AND* OR"),
            Some("\"quarterly\" \"numbers\" \"AND\"* \"OR\"".to_owned())
        );
        assert_eq!(fts_expression("  \" "), None);
    }
}
