//! People ranked by relationship strength: the interactions the store holds, scored by the
//! pure ranking in `kindred-core`, with the terms that explain each score.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use kindred_core::address::{is_freemail_domain, organization_name, registrable_domain};
use kindred_core::ranking::{self, InteractionKind, RankingSettings};

use crate::dto::{OrganizationSummary, PersonSummary, ScoreTermDto};
use crate::{ApiError, Kindred};

/// Everything known about one address's interactions with me.
#[derive(Default)]
struct Tally {
    interactions: Vec<ranking::Interaction>,
    sent: u64,
    received: u64,
    meetings: u64,
    first: Option<i64>,
    last: Option<i64>,
}

impl Kindred {
    /// My people, strongest relationship first, at most `limit`. Interactions still in the
    /// future are left out. Scores are computed as of the most recent interaction, so an
    /// archive of old mail still ranks by how its relationships stood at its end.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn people(&self, limit: usize) -> Result<Vec<PersonSummary>, ApiError> {
        let mut people = self.ranked_people().await?;
        people.truncate(limit);
        Ok(people)
    }

    /// Organisations by registrable domain (freemail excluded), strongest first, at most
    /// `limit`: each aggregates its people's scores and counts.
    ///
    /// # Errors
    /// The store cannot be read.
    pub async fn organizations(&self, limit: usize) -> Result<Vec<OrganizationSummary>, ApiError> {
        let people = self.ranked_people().await?;
        let mine: Vec<String> = self
            .store
            .me_addresses()
            .await?
            .iter()
            .map(|a| registrable_domain(a.domain()))
            .collect();
        let mut organizations: Vec<OrganizationSummary> = Vec::new();
        for person in people {
            let Some(domain) = person.organization else {
                continue;
            };
            let index = match organizations.iter().position(|o| o.domain == domain) {
                Some(index) => index,
                None => {
                    organizations.push(OrganizationSummary {
                        rank: 0,
                        name: organization_name(&domain),
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

    /// Every person with at least one interaction, ranked.
    async fn ranked_people(&self) -> Result<Vec<PersonSummary>, ApiError> {
        let addresses = self.store.people_addresses().await?;
        let interactions = self.store.interactions().await?;
        let now = Utc::now();
        let mut tallies: HashMap<i64, Tally> = HashMap::new();
        for interaction in interactions {
            // Meetings booked ahead have not happened yet.
            let Some(at) = DateTime::from_timestamp_millis(interaction.at).filter(|at| *at <= now)
            else {
                continue;
            };
            let tally = tallies.entry(interaction.address_id).or_default();
            tally.first = Some(
                tally
                    .first
                    .map_or(interaction.at, |f| f.min(interaction.at)),
            );
            tally.last = Some(tally.last.map_or(interaction.at, |l| l.max(interaction.at)));
            match interaction.kind {
                InteractionKind::Sent { .. } => tally.sent += 1,
                InteractionKind::Received { .. } => tally.received += 1,
                InteractionKind::Meeting { .. } => tally.meetings += 1,
            }
            if interaction.automated {
                continue;
            }
            let kind = interaction.kind;
            tally.interactions.push(ranking::Interaction { at, kind });
        }
        let latest = tallies.values().filter_map(|t| t.last).max();
        let as_of = latest
            .and_then(DateTime::from_timestamp_millis)
            .map_or(now, |latest| latest.min(now));
        let settings = RankingSettings::default();
        let iso = |ms: Option<i64>| {
            ms.and_then(DateTime::from_timestamp_millis)
                .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
        };

        let mut people: Vec<PersonSummary> = addresses
            .into_iter()
            .filter_map(|address| {
                let tally = tallies.remove(&address.id)?;
                let score = ranking::score(&tally.interactions, as_of, &settings);
                Some(PersonSummary {
                    rank: 0,
                    person_id: address.id,
                    name: address.display_name,
                    organization: (!is_freemail_domain(&address.domain))
                        .then(|| registrable_domain(&address.domain)),
                    emails: vec![address.address],
                    score: score.value,
                    sent: tally.sent,
                    received: tally.received,
                    meetings: tally.meetings,
                    first_contact_at: iso(tally.first),
                    last_contact_at: iso(tally.last),
                    explanation: score
                        .terms
                        .into_iter()
                        .map(|term| ScoreTermDto {
                            count: term.count,
                            value: term.value,
                            text: term.text,
                        })
                        .collect(),
                })
            })
            .collect();
        people.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then((b.sent + b.received).cmp(&(a.sent + a.received)))
                .then_with(|| a.emails.cmp(&b.emails))
        });
        for (index, person) in people.iter_mut().enumerate() {
            person.rank = u32::try_from(index + 1).unwrap_or(u32::MAX);
        }
        Ok(people)
    }
}
