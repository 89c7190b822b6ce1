//! Relationship stories: the facts of a relationship gathered from the engine (the person,
//! the messages and meetings shared, the introducer from the graph, the mail waiting for
//! my reply), written by the configured LLM with verification, or by templates offline.
//! A story is an artifact of the evidence version: served until new evidence arrives.

use std::sync::Arc;

use kindred_ai::{Correspondence, GeneratedBy, Story};
use kindred_store::secrets::SecretStore;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, Kindred};

/// The artifact holding stories.
pub(crate) const STORY_ARTIFACT: &str = "story";

/// One claim of a story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct StoryClaim {
    pub text: String,
    /// `msg:ID` or `event:ID`.
    pub citations: Vec<String>,
    /// A verification pass found the cited evidence supports it (offline claims are
    /// built from their evidence; with verification turned off, false).
    pub verified: bool,
}

/// `kindred story`: the story of a relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RelationshipStory {
    /// The story with inline citations, `[msg:ID]` / `[event:ID]`.
    pub text: String,
    pub claims: Vec<StoryClaim>,
    /// `llm` or `offline`.
    pub generated_by: String,
}

impl From<Story> for RelationshipStory {
    fn from(story: Story) -> Self {
        Self {
            text: story.text,
            claims: story
                .claims
                .into_iter()
                .map(|claim| StoryClaim {
                    text: claim.text,
                    citations: claim.citations,
                    verified: claim.verified,
                })
                .collect(),
            generated_by: match story.generated_by {
                GeneratedBy::Llm => "llm",
                GeneratedBy::Offline => "offline",
            }
            .to_owned(),
        }
    }
}

impl Kindred {
    /// The story of my relationship with the person `who` names (an address or an id),
    /// by the configured LLM — each claim verified against the evidence it cites unless
    /// `verify` is false — or from templates in offline mode.
    ///
    /// # Errors
    /// No such person (`not_found`), the LLM failed (`io`, or `invalid_input` for a
    /// refused key), or the store cannot be read.
    pub async fn story(
        &self,
        secrets: &dyn SecretStore,
        who: &str,
        verify: bool,
    ) -> Result<RelationshipStory, ApiError> {
        let detail = self.person(who).await?;
        let provider = self.provider(secrets).await?;
        let mode = match &provider {
            Some(provider) if verify => format!("llm:{}", provider.model()),
            Some(provider) => format!("llm-unverified:{}", provider.model()),
            None => "offline".to_owned(),
        };
        let subject = format!("{}:{mode}", detail.person.person_id);
        let story = self
            .cached(STORY_ARTIFACT, &subject, async {
                let addresses: Vec<i64> = detail.addresses.iter().map(|a| a.address_id).collect();
                let messages = self.store.messages_with(&addresses).await?;
                let meetings = self.store.meetings_with(&addresses).await?;
                let graph = self.graph().await?;
                let introducer = graph
                    .nodes
                    .iter()
                    .find(|node| node.person_id == Some(detail.person.person_id))
                    .and_then(|node| node.introduced_by)
                    .and_then(|introducer| graph.nodes.iter().find(|node| node.id == introducer))
                    .filter(|node| !node.is_me)
                    .map(|node| node.label.clone());
                let waiting: Vec<i64> = detail.unanswered.iter().map(|m| m.message_id).collect();
                let name = detail
                    .person
                    .name
                    .clone()
                    .or_else(|| detail.person.emails.first().cloned())
                    .unwrap_or_else(|| format!("person {}", detail.person.person_id));
                let input = kindred_ai::gather(&Correspondence {
                    name: &name,
                    messages: &messages,
                    meetings: &meetings,
                    introducer: introducer.as_deref(),
                    waiting: &waiting,
                });
                let story = match &provider {
                    None => kindred_ai::offline_story(&input),
                    Some(provider) => {
                        let (story, usage) =
                            kindred_ai::write_story(provider, &input, verify).await?;
                        self.record_usage(provider.model(), usage).await?;
                        story
                    }
                };
                Ok(RelationshipStory::from(story))
            })
            .await?;
        Ok(Arc::unwrap_or_clone(story))
    }
}
