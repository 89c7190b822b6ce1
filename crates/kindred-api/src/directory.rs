//! The people directory: addresses grouped into people by the identity rules and the
//! person's own merges and splits. Every insight counts by these people, so a merge shows
//! everywhere at once.

use std::collections::HashMap;
use std::sync::Arc;

use kindred_core::address::{organization_name_from, registrable_domain};
use kindred_core::identity::{Decision, Identities, KnownAddress};

use crate::{ApiError, Kindred};

/// One person: a group of addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Person {
    /// The smallest id among its addresses.
    pub id: i64,
    pub name: Option<String>,
    /// Its addresses, by address id.
    pub emails: Vec<String>,
    /// The registrable domain of its first address outside freemail.
    pub organization: Option<String>,
}

/// Everyone, indexed for counting.
#[derive(Debug)]
pub(crate) struct Directory {
    /// People by index, in the order of their ids.
    pub people: Vec<Person>,
    pub known: Vec<KnownAddress>,
    pub identities: Identities,
    pub decisions: Vec<Decision>,
    /// The person of each address, by address id ([`NOBODY`] for none): address ids are
    /// dense, and every insight looks one up per interaction.
    index_of_address: Vec<u32>,
    /// The display names of each organisation's people, by registrable domain.
    names_in_organization: HashMap<String, Vec<String>>,
}

/// No person: my own, automated and placeholder addresses.
const NOBODY: u32 = u32::MAX;

impl Directory {
    fn new(known: Vec<KnownAddress>, decisions: Vec<Decision>) -> Self {
        let identities = Identities::resolve(&known, &decisions);
        let by_id: HashMap<i64, &KnownAddress> = known.iter().map(|k| (k.id, k)).collect();
        let mut people = Vec::new();
        let largest = known.iter().map(|k| k.id).max().unwrap_or_default();
        let mut index_of_address = vec![NOBODY; usize::try_from(largest + 1).unwrap_or_default()];
        let mut names_in_organization: HashMap<String, Vec<String>> = HashMap::new();
        for (person_id, members) in identities.people() {
            let index = u32::try_from(people.len()).unwrap_or(u32::MAX);
            let addresses: Vec<&KnownAddress> = members
                .iter()
                .filter_map(|id| by_id.get(id).copied())
                .collect();
            for address in &addresses {
                if let Some(slot) = usize::try_from(address.id)
                    .ok()
                    .and_then(|id| index_of_address.get_mut(id))
                {
                    *slot = index;
                }
            }
            let organization = addresses
                .iter()
                .find(|a| !a.address.is_freemail())
                .map(|a| registrable_domain(a.address.domain()));
            if let Some(organization) = &organization {
                names_in_organization
                    .entry(organization.clone())
                    .or_default()
                    .extend(addresses.iter().filter_map(|a| a.display_name.clone()));
            }
            people.push(Person {
                id: person_id,
                name: addresses.iter().find_map(|a| a.display_name.clone()),
                emails: addresses.iter().map(|a| a.address.to_string()).collect(),
                organization,
            });
        }
        Self {
            people,
            known,
            identities,
            decisions,
            index_of_address,
            names_in_organization,
        }
    }

    /// The readable name of the organisation at `domain` (registrable): as its people's
    /// display names spell it where that is clear, from the domain otherwise.
    pub fn organization_name(&self, domain: &str) -> String {
        let names = self.names_in_organization.get(domain).into_iter().flatten();
        organization_name_from(domain, names.map(String::as_str))
    }

    /// The index of the person `address_id` belongs to; none for my own, automated and
    /// placeholder addresses.
    pub fn index_of(&self, address_id: i64) -> Option<u32> {
        usize::try_from(address_id)
            .ok()
            .and_then(|id| self.index_of_address.get(id))
            .copied()
            .filter(|&index| index != NOBODY)
    }

    /// The person `id` names: a person id or the id of any of its addresses.
    pub fn find(&self, id: i64) -> Option<&Person> {
        self.index_of(id).map(|index| &self.people[index as usize])
    }
}

impl Kindred {
    /// The directory as the store and the person's decisions make it now; built once per
    /// evidence version (new addresses, names and decisions all move it on).
    pub(crate) async fn directory(&self) -> Result<Arc<Directory>, ApiError> {
        let version = self.store.evidence_version().await?;
        let mut cached = self.evidence.directory.lock().await;
        if let Some((built_at, directory)) = cached.as_ref() {
            if *built_at == version {
                return Ok(Arc::clone(directory));
            }
        }
        let known = self.store.known_addresses().await?;
        let decisions = self.store.identity_decisions().await?;
        // Read after `version`: at worst newer than its tag, and so built again next time.
        let directory = Arc::new(Directory::new(known, decisions));
        *cached = Some((version, Arc::clone(&directory)));
        Ok(directory)
    }
}
