//! Identity: which addresses are one person.
//!
//! Addresses merge automatically only on sure evidence: the same address after
//! normalisation, including Gmail's rule that dots and `+tags` do not matter
//! ([`Address::canonical`]). Weaker evidence — the same display name, or the same local
//! part across one organisation's domains (`dgagliardi@reliant.com` and
//! `dgagliardi@reliantenergy.com`) — only yields [`Proposal`]s, which the person confirms
//! ([`Decision::Merge`]) or not. A [`Decision::Split`] takes an address out of its person,
//! sure evidence and earlier merges included. Decisions are replayed in the order they
//! were made, so the latest word wins and every recompute reaches the same people.
//!
//! A person's id is the smallest id among its addresses: stable while its addresses stay.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::address::{is_freemail_domain, registrable_domain, Address};

/// An address as the identity rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownAddress {
    pub id: i64,
    pub address: Address,
    pub display_name: Option<String>,
}

/// A choice the person made about two addresses, by address id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Decision {
    /// These two addresses are one person (and so are their people).
    Merge { a: i64, b: i64 },
    /// This address is a person of its own, whatever said otherwise before.
    Split { address: i64 },
}

/// Which addresses make up which person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identities {
    person_of: HashMap<i64, i64>,
    members: BTreeMap<i64, Vec<i64>>,
    /// The first address of each canonical form that sure evidence may join (not split
    /// off), by id.
    first_of_canonical: HashMap<Address, i64>,
}

impl Identities {
    /// Groups `addresses` into people by sure evidence and the person's `decisions`, in
    /// the order they were made. Decisions naming unknown addresses are ignored.
    #[must_use]
    pub fn resolve(addresses: &[KnownAddress], decisions: &[Decision]) -> Self {
        let index: HashMap<i64, usize> = addresses
            .iter()
            .enumerate()
            .map(|(position, known)| (known.id, position))
            .collect();
        let mut merges: Vec<(usize, usize)> = Vec::new();
        let mut alone: BTreeSet<usize> = BTreeSet::new();
        for decision in decisions {
            match *decision {
                Decision::Merge { a, b } => {
                    if let (Some(&a), Some(&b)) = (index.get(&a), index.get(&b)) {
                        alone.remove(&a);
                        alone.remove(&b);
                        merges.push((a, b));
                    }
                }
                Decision::Split { address } => {
                    if let Some(&address) = index.get(&address) {
                        merges.retain(|&(a, b)| a != address && b != address);
                        alone.insert(address);
                    }
                }
            }
        }

        let mut sets = DisjointSets::new(addresses.len());
        let mut by_canonical: HashMap<Address, usize> = HashMap::new();
        for (position, known) in addresses.iter().enumerate() {
            if alone.contains(&position) {
                continue;
            }
            match by_canonical.entry(known.address.canonical()) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    sets.union(*first.get(), position);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(position);
                }
            }
        }
        for (a, b) in merges {
            sets.union(a, b);
        }

        let mut groups: HashMap<usize, Vec<i64>> = HashMap::new();
        for (position, known) in addresses.iter().enumerate() {
            groups
                .entry(sets.find(position))
                .or_default()
                .push(known.id);
        }
        let mut identities = Self {
            first_of_canonical: by_canonical
                .into_iter()
                .map(|(canonical, position)| (canonical, addresses[position].id))
                .collect(),
            ..Self::default()
        };
        for mut members in groups.into_values() {
            members.sort_unstable();
            let person = members[0];
            for &member in &members {
                identities.person_of.insert(member, person);
            }
            identities.members.insert(person, members);
        }
        identities
    }

    /// Takes in `address`, newer than every address resolved (its id is larger) and named
    /// by no decision, where [`Identities::resolve`] would put it: with the first address
    /// of the same canonical form, or as a person of its own. Returns its person's id.
    pub fn add(&mut self, address: &KnownAddress) -> i64 {
        let person = match self.first_of_canonical.entry(address.address.canonical()) {
            std::collections::hash_map::Entry::Occupied(first) => self
                .person_of
                .get(first.get())
                .copied()
                .unwrap_or(address.id),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(address.id);
                address.id
            }
        };
        self.person_of.insert(address.id, person);
        self.members.entry(person).or_default().push(address.id);
        person
    }

    /// The person `address_id` belongs to, if it is a known address.
    #[must_use]
    pub fn person_of(&self, address_id: i64) -> Option<i64> {
        self.person_of.get(&address_id).copied()
    }

    /// The address ids of person `person_id`, smallest first (empty for an unknown id).
    #[must_use]
    pub fn members(&self, person_id: i64) -> &[i64] {
        self.members.get(&person_id).map_or(&[], Vec::as_slice)
    }

    /// Every person with their address ids, by person id.
    pub fn people(&self) -> impl Iterator<Item = (i64, &[i64])> {
        self.members
            .iter()
            .map(|(&person, members)| (person, members.as_slice()))
    }
}

/// Why two people might be one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ProposalReason {
    /// Both go by this display name (normalised).
    SameName { name: String },
    /// The same local part at domains of one organisation.
    SameLocalPart { local_part: String },
}

/// A merge the evidence suggests but does not prove; the person decides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The two people, smaller id first.
    pub people: [i64; 2],
    /// The addresses whose likeness suggests it, in the order of `people`.
    pub addresses: [i64; 2],
    pub reason: ProposalReason,
}

/// Names this common are no evidence: many people share them.
const MOST_PEOPLE_PER_NAME: usize = 3;

/// Local parts that are roles, not people.
const ROLE_LOCAL_PARTS: [&str; 16] = [
    "info", "admin", "sales", "support", "office", "contact", "hello", "team", "mail", "help",
    "billing", "jobs", "hr", "news", "press", "service",
];

/// The merges that the evidence suggests between different people: the same display
/// name, or the same local part at domains of one organisation (one registrable domain,
/// or names where one extends the other, as `reliant.com` and `reliantenergy.com`).
/// Addresses the person has split off are never proposed again.
#[must_use]
pub fn proposals(
    addresses: &[KnownAddress],
    identities: &Identities,
    decisions: &[Decision],
) -> Vec<Proposal> {
    let split: BTreeSet<i64> = decisions
        .iter()
        .filter_map(|decision| match decision {
            Decision::Split { address } => Some(*address),
            Decision::Merge { .. } => None,
        })
        .collect();
    let candidates: Vec<&KnownAddress> = addresses
        .iter()
        .filter(|known| !split.contains(&known.id) && identities.person_of(known.id).is_some())
        .collect();

    let mut found: BTreeMap<[i64; 2], Proposal> = BTreeMap::new();
    let mut propose = |a: &KnownAddress, b: &KnownAddress, reason: ProposalReason| {
        let (Some(pa), Some(pb)) = (identities.person_of(a.id), identities.person_of(b.id)) else {
            return;
        };
        if pa == pb {
            return;
        }
        let (people, addresses) = if pa < pb {
            ([pa, pb], [a.id, b.id])
        } else {
            ([pb, pa], [b.id, a.id])
        };
        found.entry(people).or_insert(Proposal {
            people,
            addresses,
            reason,
        });
    };

    let mut by_name: BTreeMap<String, Vec<&KnownAddress>> = BTreeMap::new();
    for known in &candidates {
        if let Some(name) = known.display_name.as_deref().and_then(normalised_name) {
            by_name.entry(name).or_default().push(known);
        }
    }
    for (name, group) in by_name {
        let people: BTreeSet<i64> = group
            .iter()
            .filter_map(|known| identities.person_of(known.id))
            .collect();
        if people.len() < 2 || people.len() > MOST_PEOPLE_PER_NAME {
            continue;
        }
        for pair in group.windows(2) {
            propose(
                pair[0],
                pair[1],
                ProposalReason::SameName { name: name.clone() },
            );
        }
    }

    let mut by_local: BTreeMap<&str, Vec<&KnownAddress>> = BTreeMap::new();
    for known in &candidates {
        let local = known.address.local_part();
        if local.len() >= 3 && !ROLE_LOCAL_PARTS.contains(&local) && !known.address.is_freemail() {
            by_local.entry(local).or_default().push(known);
        }
    }
    for (local, group) in by_local {
        for (position, a) in group.iter().enumerate() {
            for b in &group[position + 1..] {
                if one_organisation(a.address.domain(), b.address.domain()) {
                    let reason = ProposalReason::SameLocalPart {
                        local_part: local.to_owned(),
                    };
                    propose(a, b, reason);
                }
            }
        }
    }
    found.into_values().collect()
}

/// `Smith, Dana` and ` dana  SMITH ` → `dana smith`; names of one word, or that are an
/// address, say too little to be evidence.
fn normalised_name(raw: &str) -> Option<String> {
    let raw = raw.trim().trim_matches(|c| c == '"' || c == '\'');
    if raw.contains('@') {
        return None;
    }
    let ordered = match raw.split_once(',') {
        Some((last, first)) if !first.trim().is_empty() => format!("{first} {last}"),
        _ => raw.to_owned(),
    };
    let words: Vec<String> = ordered.split_whitespace().map(str::to_lowercase).collect();
    (words.len() >= 2).then(|| words.join(" "))
}

/// Whether two domains belong to one organisation: the same registrable domain, or
/// registrable names where one extends the other (`reliant` and `reliantenergy`).
fn one_organisation(a: &str, b: &str) -> bool {
    let (a, b) = (registrable_domain(a), registrable_domain(b));
    if a == b {
        return true;
    }
    if is_freemail_domain(&a) || is_freemail_domain(&b) {
        return false;
    }
    let label = |domain: &str| domain.split('.').next().unwrap_or_default().to_owned();
    let (a, b) = (label(&a), label(&b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    short.len() >= 4 && long.starts_with(&short)
}

/// Union–find over positions, with path halving.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(size: usize) -> Self {
        Self {
            parent: (0..size).collect(),
        }
    }

    fn find(&mut self, mut item: usize) -> usize {
        while self.parent[item] != item {
            self.parent[item] = self.parent[self.parent[item]];
            item = self.parent[item];
        }
        item
    }

    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}
