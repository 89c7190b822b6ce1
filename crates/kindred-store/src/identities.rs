//! Identity decisions: the merges and splits the person confirmed, kept in the order they
//! were made, and the addresses the identity rules group into people.

use kindred_core::identity::{Decision, KnownAddress};
use kindred_core::Address;

use crate::{Store, StoreError};

impl Store {
    /// Every address that may be one of my people — neither mine, automated nor a
    /// placeholder — with its display name.
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn known_addresses(&self) -> Result<Vec<KnownAddress>, StoreError> {
        let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(
            "SELECT id, address, display_name FROM addresses
             WHERE is_me = 0 AND is_automated = 0 ORDER BY id",
        )
        .fetch_all(self.reader())
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
    ///
    /// # Errors
    /// The database could not be read.
    pub async fn identity_decisions(&self) -> Result<Vec<Decision>, StoreError> {
        let rows: Vec<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT kind, address_a, address_b FROM identity_decisions ORDER BY id")
                .fetch_all(self.reader())
                .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, a, b)| match (kind.as_str(), b) {
                ("merge", Some(b)) => Decision::Merge { a, b },
                _ => Decision::Split { address: a },
            })
            .collect())
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
