//! The people directory: addresses grouped into people by the identity rules and the
//! person's own merges and splits. Every insight counts by these people, so a merge shows
//! everywhere at once.

use std::collections::HashMap;
use std::sync::Arc;

use kindred_core::address::{organization_name_from, registrable_domain};
use kindred_core::identity::{Decision, Identities, KnownAddress};
use kindred_store::identities::{AddressBook, AddressMark};

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
#[derive(Debug, Clone)]
pub(crate) struct Directory {
    /// Where the address book stood when this was read.
    mark: AddressMark,
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
    fn new(mark: AddressMark, known: Vec<KnownAddress>, decisions: Vec<Decision>) -> Self {
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
            mark,
            people,
            known,
            identities,
            decisions,
            index_of_address,
            names_in_organization,
        }
    }

    /// Takes in `added`, the addresses added to the book since it was read (nothing else
    /// changed), as [`Directory::new`] would have placed them, now at `mark`.
    fn extend(&mut self, mark: AddressMark, added: Vec<KnownAddress>) {
        self.mark = mark;
        for address in added {
            let person_id = self.identities.add(&address);
            let domain = (!address.address.is_freemail())
                .then(|| registrable_domain(address.address.domain()));
            let email = address.address.to_string();
            let name = address.display_name.clone();
            let last = usize::try_from(address.id).unwrap_or_default();
            self.known.push(address);
            let index = match self.index_of(person_id) {
                Some(index) => {
                    let person = &mut self.people[index as usize];
                    person.emails.push(email);
                    if person.name.is_none() {
                        person.name.clone_from(&name);
                    }
                    let names = match (&person.organization, domain) {
                        (Some(organization), _) => {
                            Some((organization.clone(), Vec::from_iter(name)))
                        }
                        // Its first address outside freemail: the person's organisation, and
                        // all their names count in it.
                        (None, Some(domain)) => {
                            person.organization = Some(domain.clone());
                            let members = self.identities.members(person_id);
                            let names = self
                                .known
                                .iter()
                                .filter(|known| members.contains(&known.id))
                                .filter_map(|known| known.display_name.clone())
                                .collect();
                            Some((domain, names))
                        }
                        (None, None) => None,
                    };
                    if let Some((organization, names)) = names {
                        self.names_in_organization
                            .entry(organization)
                            .or_default()
                            .extend(names);
                    }
                    index
                }
                None => {
                    if let Some(domain) = &domain {
                        self.names_in_organization
                            .entry(domain.clone())
                            .or_default()
                            .extend(name.clone());
                    }
                    self.people.push(Person {
                        id: person_id,
                        name,
                        emails: vec![email],
                        organization: domain,
                    });
                    u32::try_from(self.people.len() - 1).unwrap_or(NOBODY)
                }
            };
            if self.index_of_address.len() <= last {
                self.index_of_address.resize(last + 1, NOBODY);
            }
            self.index_of_address[last] = index;
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
    /// The directory as the store and the person's decisions make it now; read again
    /// when the evidence version moves on, and then, if only addresses were added, only
    /// they are taken in.
    pub(crate) async fn directory(&self) -> Result<Arc<Directory>, ApiError> {
        let version = self.store.evidence_version().await?;
        let mut cached = self.evidence.directory.lock().await;
        if let Some(directory) = cached.as_ref().filter(|d| d.mark.version == version) {
            return Ok(Arc::clone(directory));
        }
        let since = cached.as_ref().map(|directory| directory.mark);
        let (mark, book) = self.store.address_book(since).await?;
        let directory = match (cached.take(), book) {
            (Some(mut directory), AddressBook::Added(added)) => {
                Arc::make_mut(&mut directory).extend(mark, added);
                directory
            }
            (_, AddressBook::Whole { known, decisions }) => {
                Arc::new(Directory::new(mark, known, decisions))
            }
            (None, AddressBook::Added(_)) => {
                unreachable!("only a directory read before is brought up to date")
            }
        };
        *cached = Some(Arc::clone(&directory));
        Ok(directory)
    }
}
