//! Identity decisions: the merges and splits the person confirmed, kept in the order they
//! were made, and the addresses the identity rules group into people.

use kindred_core::identity::{Decision, KnownAddress};
use kindred_core::Address;
use sqlx::SqliteConnection;

use crate::{Store, StoreError};

/// Where a read of the address book stands: what a later read compares with to take in
/// only what was added since.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AddressMark {
    /// The evidence version read at.
    pub version: i64,
    /// The evidence's rewrites counter then (who is me or automated changed, say).
    pub rewrites: i64,
    /// The last identity decision and the last address then.
    pub last_decision: i64,
    pub last_address: i64,
}

/// The address book as read: every address that may be one of my people, with the
/// person's decisions, or only what was added since an earlier read.
#[derive(Debug)]
pub enum AddressBook {
    /// Every such address (by id) and every decision (oldest first).
    Whole {
        known: Vec<KnownAddress>,
        decisions: Vec<Decision>,
    },
    /// Only addresses added since, by id; nothing else changed.
    Added(Vec<KnownAddress>),
}

impl Store {
    /// The address book, whole, or only the addresses added since `since` when nothing
    /// else changed since: no decision, no rename of an address read then, no change of
    /// who is me or automated. Read in one snapshot, with where it stands.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn address_book(
        &self,
        since: Option<AddressMark>,
    ) -> Result<(AddressMark, AddressBook), StoreError> {
        let mut tx = self.reader().begin().await?;
        let mark: (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT version, rewrites,
                    (SELECT coalesce(max(id), 0) FROM identity_decisions),
                    (SELECT coalesce(max(id), 0) FROM addresses)
             FROM evidence_version WHERE id = 1",
        )
        .fetch_one(&mut *tx)
        .await?;
        let mark = AddressMark {
            version: mark.0,
            rewrites: mark.1,
            last_decision: mark.2,
            last_address: mark.3,
        };
        let book = match since {
            Some(since)
                if since.rewrites == mark.rewrites
                    && since.last_decision == mark.last_decision
                    && !renamed_since(&mut tx, since.version, since.last_address).await? =>
            {
                AddressBook::Added(known_addresses(&mut tx, since.last_address).await?)
            }
            _ => AddressBook::Whole {
                known: known_addresses(&mut tx, 0).await?,
                decisions: identity_decisions(&mut tx).await?,
            },
        };
        tx.commit().await?;
        Ok((mark, book))
    }

    /// The person's identity decisions, oldest first.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn identity_decisions(&self) -> Result<Vec<Decision>, StoreError> {
        identity_decisions(&mut *self.reader().acquire().await?).await
    }

    /// Records a decision after the ones before it.
    ///
    /// # Errors
    /// The database refused the write (an address id that does not exist, say).
    pub async fn record_identity_decision(
        &self,
        decision: Decision,
        at_ms: i64,
    ) -> Result<(), StoreError> {
        let (kind, a, b) = match decision {
            Decision::Merge { a, b } => ("merge", a, Some(b)),
            Decision::Split { address } => ("split", address, None),
        };
        sqlx::query(
            "INSERT INTO identity_decisions (kind, address_a, address_b, created_at)
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(kind)
        .bind(a)
        .bind(b)
        .bind(at_ms)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// The id of `address` (normalised), if the store has seen it.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn address_id(&self, address: &Address) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM addresses WHERE address = ?1")
                .bind(address.as_str())
                .fetch_optional(self.reader())
                .await?,
        )
    }
}

/// Whether an address of at most id `last_address` was renamed after evidence `version`.
async fn renamed_since(
    connection: &mut SqliteConnection,
    version: i64,
    last_address: i64,
) -> Result<bool, StoreError> {
    // `renamed_at > 0` lets the partial index of renamed addresses answer.
    let renamed: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM addresses WHERE renamed_at > 0 AND renamed_at > ?1 AND id <= ?2 LIMIT 1",
    )
    .bind(version)
    .bind(last_address)
    .fetch_optional(connection)
    .await?;
    Ok(renamed.is_some())
}

/// Every address after id `after` that may be one of my people — neither mine,
/// automated nor a placeholder — with its display name, by id.
async fn known_addresses(
    connection: &mut SqliteConnection,
    after: i64,
) -> Result<Vec<KnownAddress>, StoreError> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT id, address, display_name FROM addresses
         WHERE id > ?1 AND is_me = 0 AND is_automated = 0 ORDER BY id",
    )
    .bind(after)
    .fetch_all(connection)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, address, display_name)| {
            let address = Address::parse(&address).ok()?;
            (!address.is_placeholder()).then_some(KnownAddress {
                id,
                address,
                display_name,
            })
        })
        .collect())
}

/// The person's identity decisions, oldest first.
async fn identity_decisions(
    connection: &mut SqliteConnection,
) -> Result<Vec<Decision>, StoreError> {
    let rows: Vec<(String, i64, Option<i64>)> =
        sqlx::query_as("SELECT kind, address_a, address_b FROM identity_decisions ORDER BY id")
            .fetch_all(connection)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(kind, a, b)| match (kind.as_str(), b) {
            ("merge", Some(b)) => Decision::Merge { a, b },
            _ => Decision::Split { address: a },
        })
        .collect())
}
