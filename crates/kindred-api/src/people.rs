//! People ranked by relationship strength: the interactions the store holds, grouped into
//! people by the directory, scored by the pure ranking in `kindred-core` with the terms
//! that explain each score, and the derived lists (fading, new, owe a reply). The ranking
//! is stored as an artifact of the evidence version, so it opens instantly until new
//! evidence arrives. Merges and splits the person confirms are recorded here.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use kindred_core::identity::{self, Decision, ProposalReason};
use kindred_core::ranking::{self, InteractionKind, RankingSettings};
use kindred_core::words::{self, Words};
use kindred_core::Address;
use kindred_store::interactions::{Evidence, Interaction};

use crate::directory::{Directory, Person};
use crate::dto::{
    MergeProposal, OrganizationSummary, PeopleCounts, PeopleFilter, PeoplePage, PeopleQuery,
    PersonAddressDto, PersonDetail, PersonSummary, ScoreTermDto, TimelineMonth, UnansweredMessage,
};
use crate::evidence::off_workers;
use crate::{ApiError, ErrorCode, Kindred};

/// "Lately", for fading and new people.
const PERIOD_DAYS: i64 = 90;
/// How far back unanswered mail counts as owed.
const UNANSWERED_DAYS: i64 = 14;
/// The strongest ties, whose unanswered mail is owed a reply.
const STRONG_TIES: u32 = 50;
/// The artifact holding the ranking.
const PEOPLE_ARTIFACT: &str = "people";

/// Everything known about one person's interactions with me.
#[derive(Default)]
struct Tally {
    interactions: Vec<ranking::Interaction>,
    sent: u64,
    received: u64,
    meetings: u64,
    first: Option<i64>,
    last: Option<i64>,
    unanswered: u32,
}

impl Kindred {
    /// My people, strongest relationship first, at most `limit`. Interactions still in the
    /// future are left out. Scores are computed as of the most recent interaction, so an
    /// archive of old mail still ranks by how its relationships stood at its end.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn people(&self, limit: usize) -> Result<Vec<PersonSummary>, ApiError> {
        self.people_matching(PeopleFilter::All, limit).await
    }

    /// The people `filter` selects, strongest first, at most `limit`.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn people_matching(
        &self,
        filter: PeopleFilter,
        limit: usize,
    ) -> Result<Vec<PersonSummary>, ApiError> {
        let people = self.ranked_people().await?;
        Ok(people
            .iter()
            .filter(|person| filter.selects(person))
            .take(limit)
            .cloned()
            .collect())
    }

    /// The page of my people `query` asks for, strongest first, with how many match in all:
    /// searched, filtered and paged over the ranking as it stands (no store read once the
    /// ranking is known).
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn people_page(&self, query: &PeopleQuery) -> Result<PeoplePage, ApiError> {
        let people = self.ranked_people().await?;
        Ok(page(&people, query))
    }

    /// Organisations by registrable domain (freemail excluded), strongest first, at most
    /// `limit`: each aggregates its people's scores and counts.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn organizations(&self, limit: usize) -> Result<Vec<OrganizationSummary>, ApiError> {
        let people = self.ranked_people().await?;
        let directory = self.directory().await?;
        let mine: Vec<String> = self
            .store
            .me_addresses()
            .await?
            .iter()
            .map(|a| kindred_core::address::registrable_domain(a.domain()))
            .collect();
        let mut organizations: Vec<OrganizationSummary> = Vec::new();
        for person in people.iter() {
            let Some(domain) = person.organization.clone() else {
                continue;
            };
            let index = match organizations.iter().position(|o| o.domain == domain) {
                Some(index) => index,
                None => {
                    organizations.push(OrganizationSummary {
                        rank: 0,
                        name: directory.organization_name(&domain),
                        is_mine: mine.contains(&domain),
                        domain,
                        score: 0.0,
                        people: 0,
                        sent: 0,
                        received: 0,
                        meetings: 0,
                    });
                    organizations.len() - 1
                }
            };
            let organization = &mut organizations[index];
            organization.score += person.score;
            organization.people += 1;
            organization.sent += person.sent;
            organization.received += person.received;
            organization.meetings += person.meetings;
        }
        organizations.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.domain.cmp(&b.domain))
        });
        organizations.truncate(limit);
        for (index, organization) in organizations.iter_mut().enumerate() {
            organization.rank = u32::try_from(index + 1).unwrap_or(u32::MAX);
        }
        Ok(organizations)
    }

    /// One person in full, named by an address of theirs or by an id (a person id or
    /// the id of any of their addresses).
    ///
    /// # Errors
    /// No such person (`not_found`), or the store cannot be read.
    pub async fn person(&self, query: &str) -> Result<PersonDetail, ApiError> {
        let directory = self.directory().await?;
        let person = self.find_person(&directory, query).await?.clone();
        let ranked = self.ranked_people().await?;
        let summary = ranked
            .iter()
            .find(|p| p.person_id == person.id)
            .cloned()
            .unwrap_or_else(|| unranked(&person));
        let members = directory.identities.members(person.id);
        let addresses = directory
            .known
            .iter()
            .filter(|known| members.contains(&known.id))
            .map(|known| PersonAddressDto {
                address_id: known.id,
                email: known.address.to_string(),
                display_name: known.display_name.clone(),
            })
            .collect();
        let evidence = self.evidence().await?;
        let timeline = timeline(
            evidence
                .interactions()
                .filter(|i| members.contains(&i.address_id)),
        );
        let proposed_merges = identity::proposals(
            &directory.known,
            &directory.identities,
            &directory.decisions,
        )
        .into_iter()
        .filter_map(|proposal| {
            let other = if proposal.people[0] == person.id {
                proposal.people[1]
            } else if proposal.people[1] == person.id {
                proposal.people[0]
            } else {
                return None;
            };
            let other = directory.find(other)?;
            Some(MergeProposal {
                person_id: other.id,
                name: other.name.clone(),
                emails: other.emails.clone(),
                reason: match proposal.reason {
                    ProposalReason::SameName { name } => format!("same name: {name}"),
                    ProposalReason::SameLocalPart { local_part } => {
                        format!("same local part: {local_part}")
                    }
                },
            })
        })
        .collect();
        let since = unanswered_since(&summary);
        let unanswered = self
            .store
            .unanswered(&evidence, since)
            .await?
            .into_iter()
            .filter(|message| members.contains(&message.from_address_id))
            .map(|message| UnansweredMessage {
                message_id: message.message_id,
                subject: message.subject,
                at: iso(message.at).unwrap_or_default(),
            })
            .collect();
        Ok(PersonDetail {
            person: summary,
            addresses,
            timeline,
            proposed_merges,
            unanswered,
        })
    }

    /// Records that people `a` and `b` (ids or addresses) are one person, and returns it.
    ///
    /// # Errors
    /// Either is not found, or they are already one person (`invalid_input`).
    pub async fn merge_people(&self, a: &str, b: &str) -> Result<PersonDetail, ApiError> {
        let directory = self.directory().await?;
        let (first, second) = (
            self.find_person(&directory, a).await?.id,
            self.find_person(&directory, b).await?.id,
        );
        if first == second {
            return Err(ApiError::invalid_input(format!(
                "{a} and {b} are already one person"
            )));
        }
        let decision = Decision::Merge {
            a: first,
            b: second,
        };
        self.store
            .record_identity_decision(decision, Utc::now().timestamp_millis())
            .await?;
        self.person(&first.min(second).to_string()).await
    }

    /// Records that `email` is not the person `person` (an id or address) but a person of
    /// its own, and returns what remains of `person`.
    ///
    /// # Errors
    /// Either is not found, `email` is not one of the person's addresses, or it is their
    /// only one (`invalid_input`).
    pub async fn split_person(&self, person: &str, email: &str) -> Result<PersonDetail, ApiError> {
        let directory = self.directory().await?;
        let person = self.find_person(&directory, person).await?;
        let address = Address::parse(email)
            .map_err(|_| ApiError::invalid_input(format!("{email} is not an email address")))?;
        let address_id = self.store.address_id(&address).await?;
        let members = directory.identities.members(person.id);
        let Some(address_id) = address_id.filter(|id| members.contains(id)) else {
            return Err(ApiError::invalid_input(format!(
                "{email} is not one of the addresses of person {}; they are: {}",
                person.id,
                person.emails.join(", ")
            )));
        };
        if members.len() == 1 {
            return Err(ApiError::invalid_input(format!(
                "{email} is the only address of person {}; there is nothing to split",
                person.id
            )));
        }
        let remaining = members
            .iter()
            .copied()
            .find(|&id| id != address_id)
            .unwrap_or(person.id);
        self.store
            .record_identity_decision(
                Decision::Split {
                    address: address_id,
                },
                Utc::now().timestamp_millis(),
            )
            .await?;
        self.person(&remaining.to_string()).await
    }

    /// The person `query` names: a numeric id, or one of their addresses.
    async fn find_person<'d>(
        &self,
        directory: &'d Directory,
        query: &str,
    ) -> Result<&'d Person, ApiError> {
        let query = query.trim();
        let id = match query.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                let address = Address::parse(query).map_err(|_| {
                    ApiError::invalid_input(format!(
                        "{query:?} is neither a person id nor an email address"
                    ))
                })?;
                self.store.address_id(&address).await?
            }
        };
        id.and_then(|id| directory.find(id)).ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("no person {query} among your people (see `kindred people`)"),
            )
        })
    }

    /// Every person with at least one interaction, ranked: from the stored artifact when
    /// it is of the current evidence (and of today: the ranking ages), computed otherwise.
    pub(crate) async fn ranked_people(&self) -> Result<Arc<Vec<PersonSummary>>, ApiError> {
        let now = Utc::now();
        let subject = now.format("%Y-%m-%d").to_string();
        self.cached(PEOPLE_ARTIFACT, &subject, self.compute_people(now))
            .await
    }

    /// Ranks everyone from the evidence, as of `now`.
    async fn compute_people(&self, now: DateTime<Utc>) -> Result<Vec<PersonSummary>, ApiError> {
        let directory = self.directory().await?;
        let evidence = self.evidence().await?;
        off_workers("computing the ranking", move || {
            rank(&directory, &evidence, now)
        })
        .await
    }
}

/// The ranked people, with their derived flags, as of the last interaction with any of
/// them that is not after `now`.
fn rank(directory: &Directory, evidence: &Evidence, now: DateTime<Utc>) -> Vec<PersonSummary> {
    let mut tallies: Vec<Tally> = Vec::new();
    tallies.resize_with(directory.people.len(), Tally::default);
    let mut latest: Option<i64> = None;
    // One message to two addresses of one person is one interaction with that person.
    // Interactions come grouped by item (message or meeting), so that is checked within it.
    let mut item: Option<(u8, i64)> = None;
    let mut counted: Vec<u32> = Vec::new();
    for interaction in evidence.interactions() {
        let Some(person) = directory.index_of(interaction.address_id) else {
            continue;
        };
        // Meetings booked ahead have not happened yet.
        let Some(at) = DateTime::from_timestamp_millis(interaction.at).filter(|at| *at <= now)
        else {
            continue;
        };
        latest = Some(latest.map_or(interaction.at, |l| l.max(interaction.at)));
        let kind = kind_index(&interaction.kind);
        if item != Some((kind, interaction.item)) {
            item = Some((kind, interaction.item));
            counted.clear();
        }
        if counted.contains(&person) {
            continue;
        }
        counted.push(person);
        let tally = &mut tallies[person as usize];
        tally.first = Some(
            tally
                .first
                .map_or(interaction.at, |f| f.min(interaction.at)),
        );
        tally.last = Some(tally.last.map_or(interaction.at, |l| l.max(interaction.at)));
        match kind {
            0 => tally.sent += 1,
            1 => tally.received += 1,
            _ => tally.meetings += 1,
        }
        if !interaction.automated {
            tally.interactions.push(ranking::Interaction {
                at,
                kind: interaction.kind,
            });
        }
    }
    let as_of = latest
        .and_then(DateTime::from_timestamp_millis)
        .unwrap_or(now);
    let as_of_ms = as_of.timestamp_millis();
    let period = Duration::days(PERIOD_DAYS).num_milliseconds();
    for sender in
        evidence.unanswered_senders(as_of_ms - Duration::days(UNANSWERED_DAYS).num_milliseconds())
    {
        if let Some(person) = directory.index_of(sender) {
            tallies[person as usize].unanswered += 1;
        }
    }

    let settings = RankingSettings::default();
    let new_since = as_of_ms - period;
    let summary = |index: usize, tally: Tally| {
        let person = &directory.people[index];
        let score = ranking::score(&tally.interactions, as_of, &settings);
        // Interactions in the last period, and in the one before it by kind.
        let (mut recent, mut previous_sent, mut previous_received) = (0u32, 0u32, 0u32);
        for interaction in &tally.interactions {
            let age = as_of_ms - interaction.at.timestamp_millis();
            if age < period {
                recent += 1;
            } else if age < 2 * period {
                match interaction.kind {
                    InteractionKind::Sent { .. } => previous_sent += 1,
                    InteractionKind::Received { .. } => previous_received += 1,
                    InteractionKind::Meeting { .. } => {}
                }
            }
        }
        let previous = previous_sent + previous_received;
        PersonSummary {
            rank: 0,
            person_id: person.id,
            name: person.name.clone(),
            organization: person.organization.clone(),
            emails: person.emails.clone(),
            score: score.value,
            sent: tally.sent,
            received: tally.received,
            meetings: tally.meetings,
            first_contact_at: iso_opt(tally.first),
            last_contact_at: iso_opt(tally.last),
            explanation: score
                .terms
                .into_iter()
                .map(|term| ScoreTermDto {
                    count: term.count,
                    value: term.value,
                    text: term.text,
                })
                .collect(),
            fading: previous_sent > 0
                && previous_received > 0
                && previous >= 3
                && recent * 4 <= previous,
            new_this_period: tally.first.is_some_and(|first| first > new_since)
                && ((tally.sent > 0 && tally.received > 0) || tally.meetings > 0),
            unanswered: tally.unanswered,
            owe_reply: false,
        }
    };
    // Someone who only ever sent bulk mail is a newsletter, not a person.
    let mut tallies: Vec<(usize, Tally)> = tallies
        .into_iter()
        .enumerate()
        .filter(|(_, tally)| !tally.interactions.is_empty())
        .collect();
    // Scored in two halves side by side, each person's summary built with its score.
    let second = tallies.split_off(tallies.len() / 2);
    let summaries = |tallies: Vec<(usize, Tally)>| -> Vec<PersonSummary> {
        tallies
            .into_iter()
            .map(|(index, tally)| summary(index, tally))
            .collect()
    };
    let mut people = std::thread::scope(|scope| {
        let second = scope.spawn(|| summaries(second));
        let mut first = summaries(tallies);
        first.extend(
            second
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        first
    });
    people.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((b.sent + b.received).cmp(&(a.sent + a.received)))
            .then_with(|| a.emails.cmp(&b.emails))
    });
    for (index, person) in people.iter_mut().enumerate() {
        person.rank = u32::try_from(index + 1).unwrap_or(u32::MAX);
        person.owe_reply = person.unanswered > 0 && person.rank <= STRONG_TIES;
    }
    people
}

impl PeopleFilter {
    /// Whether the engine set this filter's flag on `person`.
    fn selects(self, person: &PersonSummary) -> bool {
        match self {
            Self::All => true,
            Self::Fading => person.fading,
            Self::New => person.new_this_period,
            Self::OweReply => person.owe_reply,
        }
    }
}

/// The page of `people` (ranked) that `query` selects, how many it selects in all, and how
/// many each filter would with the same search and organisation.
fn page(people: &[PersonSummary], query: &PeopleQuery) -> PeoplePage {
    let words = Words::new(&query.search);
    let organization = query
        .organization
        .as_deref()
        .map(str::trim)
        .filter(|domain| !domain.is_empty())
        .map(str::to_lowercase);
    // One buffer for every person's folded text: the search runs on each keystroke.
    let mut folded = String::new();
    let mut matches = |person: &PersonSummary| {
        if organization.is_some() && person.organization != organization {
            return false;
        }
        if words.is_empty() {
            return true;
        }
        folded.clear();
        for text in person
            .name
            .iter()
            .chain(&person.emails)
            .chain(&person.organization)
        {
            words::fold_into(text, &mut folded);
            folded.push('\n');
        }
        words.all_in(&folded)
    };
    let (offset, limit) = (query.offset as usize, query.limit as usize);
    let mut total = 0u32;
    let mut counts = PeopleCounts::default();
    let mut page = Vec::with_capacity(limit.min(people.len()));
    for person in people.iter().filter(|person| matches(person)) {
        counts.all += 1;
        counts.fading += u32::from(person.fading);
        counts.new += u32::from(person.new_this_period);
        counts.owe_reply += u32::from(person.owe_reply);
        if query.filter.selects(person) {
            if (offset..offset.saturating_add(limit)).contains(&(total as usize)) {
                page.push(person.clone());
            }
            total += 1;
        }
    }
    PeoplePage {
        people: page,
        total,
        counts,
        ranked: u32::try_from(people.len()).unwrap_or(u32::MAX),
        top_score: people.first().map_or(0.0, |person| person.score),
    }
}

/// A person with no interactions yet, as a summary.
fn unranked(person: &Person) -> PersonSummary {
    PersonSummary {
        rank: 0,
        person_id: person.id,
        name: person.name.clone(),
        emails: person.emails.clone(),
        organization: person.organization.clone(),
        score: 0.0,
        sent: 0,
        received: 0,
        meetings: 0,
        first_contact_at: None,
        last_contact_at: None,
        explanation: Vec::new(),
        fading: false,
        new_this_period: false,
        unanswered: 0,
        owe_reply: false,
    }
}

/// Where unanswered mail starts counting for `person`: 14 days before their last contact
/// (the ranking's own reference when the mailbox is an archive).
fn unanswered_since(person: &PersonSummary) -> i64 {
    let last = person
        .last_contact_at
        .as_deref()
        .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
        .map_or_else(Utc::now, |at| at.with_timezone(&Utc));
    (last - Duration::days(UNANSWERED_DAYS)).timestamp_millis()
}

/// Month-by-month counts of `interactions`, each message or meeting once.
fn timeline<'a>(interactions: impl Iterator<Item = &'a Interaction>) -> Vec<TimelineMonth> {
    let mut months: BTreeMap<String, TimelineMonth> = BTreeMap::new();
    let mut seen: HashSet<(u8, i64)> = HashSet::new();
    for interaction in interactions {
        let kind = kind_index(&interaction.kind);
        let Some(at) = DateTime::from_timestamp_millis(interaction.at) else {
            continue;
        };
        if !seen.insert((kind, interaction.item)) {
            continue;
        }
        let month = at.format("%Y-%m").to_string();
        let entry = months.entry(month.clone()).or_insert(TimelineMonth {
            month,
            sent: 0,
            received: 0,
            meetings: 0,
        });
        match kind {
            0 => entry.sent += 1,
            1 => entry.received += 1,
            _ => entry.meetings += 1,
        }
    }
    months.into_values().collect()
}

/// 0 for a message I sent, 1 for one I received, 2 for a meeting.
fn kind_index(kind: &InteractionKind) -> u8 {
    match kind {
        InteractionKind::Sent { .. } => 0,
        InteractionKind::Received { .. } => 1,
        InteractionKind::Meeting { .. } => 2,
    }
}

fn iso(ms: i64) -> Option<String> {
    DateTime::from_timestamp_millis(ms).map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn iso_opt(ms: Option<i64>) -> Option<String> {
    ms.and_then(iso)
}
