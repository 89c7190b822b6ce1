//! The assistant's chat: `ask` drives kindred-ai's agent state machine — calling the
//! configured model (streaming its text to the caller) and running the read-only tools
//! over the engine — and keeps each conversation in the store. Changing tools are only
//! proposed; nothing is stored as a rule, task or instruction unless the person confirmed
//! (`confirm`, the CLI's `--yes`), and then after the answer. Offline, known questions
//! are answered from the engine and anything else with the best passages and their
//! sources. Every run is written to the activity log.

use chrono::{DateTime, SecondsFormat, Utc};
use kindred_ai::chat::system_prompt;
use kindred_ai::{
    Agent, Answer, ChatMessage, Effect, Event, Intent, ProposedAction, Provider, Source, ToolCall,
    ToolOutput,
};
use kindred_store::chat::NewChatMessage;
use kindred_store::secrets::SecretStore;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::{
    Actor, ApiError, ErrorCode, HybridHit, Kindred, NewActivityEntry, NewTaskRequest,
    PersonSummary, WrappedWindow,
};

/// The most results a search tool returns, and the most passages an offline answer shows.
const SEARCH_LIMIT: u32 = 8;
const PASSAGES: usize = 5;

/// `kindred ask`: a question, in a conversation or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AskRequest {
    pub question: String,
    /// Continue this conversation; none starts a new one.
    pub conversation: Option<i64>,
    /// The person confirms, in advance, the changes this answer proposes (`--yes`):
    /// they are made after the answer, each recorded in the activity log.
    pub confirm: bool,
}

/// A message or event an answer cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AnswerCitation {
    /// `message` or `event`.
    pub kind: String,
    #[ts(type = "number")]
    pub id: i64,
    pub subject_or_title: String,
    /// ISO 8601, UTC.
    pub date: String,
}

/// A change the assistant proposes; nothing happens until the person confirms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProposedActionDto {
    /// `create_task`, `create_rule` or `add_instruction`.
    pub tool: String,
    #[ts(type = "unknown")]
    pub arguments: Value,
    /// `proposed` (nothing done), `done` (confirmed and made) or `failed`.
    pub status: String,
    /// What was made (`task 3`, `rule 2`) or why it failed.
    pub outcome: Option<String>,
}

/// The answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AskAnswer {
    pub answer: String,
    pub citations: Vec<AnswerCitation>,
    pub proposed_actions: Vec<ProposedActionDto>,
    #[ts(type = "number")]
    pub conversation_id: i64,
    /// `llm` or `offline`.
    pub generated_by: String,
}

fn iso(at: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(at)
        .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

fn day(at: i64) -> String {
    iso(at).get(..10).unwrap_or_default().to_owned()
}

fn citation(source: Source) -> AnswerCitation {
    AnswerCitation {
        kind: source.kind,
        id: source.id,
        subject_or_title: source.subject_or_title,
        date: source.date,
    }
}

fn message_source(id: i64, subject: &str, at: i64) -> Source {
    Source {
        kind: "message".to_owned(),
        id,
        subject_or_title: subject.to_owned(),
        date: iso(at),
    }
}

fn event_source(id: i64, title: &str, at: i64) -> Source {
    Source {
        kind: "event".to_owned(),
        id,
        subject_or_title: title.to_owned(),
        date: iso(at),
    }
}

fn person_line(person: &PersonSummary) -> String {
    format!(
        "{} <{}>: rank {}, sent {}, received {}, meetings {}, last contact {}",
        person.name.as_deref().unwrap_or("-"),
        person.emails.join(", "),
        person.rank,
        person.sent,
        person.received,
        person.meetings,
        person.last_contact_at.as_deref().unwrap_or("never")
    )
}

/// The argument `name` of a tool call, as text or a number.
fn argument<'a>(arguments: &'a Value, name: &str) -> Option<&'a Value> {
    arguments.get(name).filter(|value| !value.is_null())
}

fn limit(arguments: &Value, default: u32) -> u32 {
    argument(arguments, "limit")
        .and_then(Value::as_u64)
        .map_or(default, |n| u32::try_from(n).unwrap_or(u32::MAX))
        .clamp(1, 20)
}

impl Kindred {
    /// Answers `request`: with the configured LLM, streaming the answer's text to
    /// `on_token` as it arrives; offline, from the engine. The question and answer are
    /// added to the conversation (a new one unless `request.conversation` names one).
    ///
    /// # Errors
    /// An empty question or an unknown conversation (`invalid_input`, `not_found`), the
    /// LLM failed (`io`), or the store cannot be used.
    pub async fn ask(
        &self,
        secrets: &dyn SecretStore,
        request: &AskRequest,
        on_token: &mut (dyn FnMut(&str) + Send),
    ) -> Result<AskAnswer, ApiError> {
        let question = request.question.trim();
        if question.is_empty() {
            return Err(ApiError::invalid_input(
                "the question is empty; ask something, e.g. kindred ask \"who introduced me to Acme?\"",
            ));
        }
        let history = match request.conversation {
            Some(id) => {
                if !self.store.chat_thread_exists(id).await? {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        format!(
                            "there is no conversation {id}; leave out --conversation to start one"
                        ),
                    ));
                }
                self.store
                    .chat_messages(id)
                    .await?
                    .into_iter()
                    .map(|row| match row.role.as_str() {
                        "user" => ChatMessage::user(row.content),
                        _ => ChatMessage::assistant(row.content),
                    })
                    .collect()
            }
            None => Vec::new(),
        };
        let provider = self.provider(secrets).await?;
        let outcome = match &provider {
            Some(provider) => {
                self.converse(secrets, provider, history, question, on_token)
                    .await
            }
            None => self.answer_offline(question).await,
        };
        let (answer, tools_run) = match outcome {
            Ok(done) => done,
            Err(error) => {
                self.log_ask(request.conversation, false, &error.message)
                    .await?;
                return Err(error);
            }
        };
        let citations: Vec<AnswerCitation> = answer.sources.into_iter().map(citation).collect();
        let mut proposed_actions: Vec<ProposedActionDto> = answer
            .proposed_actions
            .into_iter()
            .map(|ProposedAction { tool, arguments }| ProposedActionDto {
                tool,
                arguments,
                status: "proposed".to_owned(),
                outcome: None,
            })
            .collect();
        if request.confirm {
            let cited: Vec<i64> = citations
                .iter()
                .filter(|c| c.kind == "message")
                .map(|c| c.id)
                .collect();
            for action in &mut proposed_actions {
                self.carry_out(action, &cited).await?;
            }
        }
        let now = Utc::now().timestamp_millis();
        let conversation_id = match request.conversation {
            Some(id) => id,
            None => {
                let title: String = question.chars().take(80).collect();
                self.store.create_chat_thread(&title, now).await?
            }
        };
        let citations_json = serde_json::to_string(&citations)
            .map_err(|error| ApiError::internal("storing the answer's citations", &error))?;
        let proposed_json = serde_json::to_string(&proposed_actions)
            .map_err(|error| ApiError::internal("storing the proposed actions", &error))?;
        self.store
            .append_chat_messages(
                conversation_id,
                &[
                    NewChatMessage {
                        role: "user",
                        content: question,
                        citations: "[]",
                        proposed_actions: "[]",
                    },
                    NewChatMessage {
                        role: "assistant",
                        content: &answer.text,
                        citations: &citations_json,
                        proposed_actions: &proposed_json,
                    },
                ],
                now,
            )
            .await?;
        let detail = format!(
            "{} by {}; {tools_run} tool calls, {} sources cited, {} actions proposed",
            if request.conversation.is_some() {
                "answered"
            } else {
                "new conversation answered"
            },
            if provider.is_some() { "llm" } else { "offline" },
            citations.len(),
            proposed_actions.len()
        );
        self.log_ask(Some(conversation_id), true, &detail).await?;
        Ok(AskAnswer {
            answer: answer.text,
            citations,
            proposed_actions,
            conversation_id,
            generated_by: if provider.is_some() { "llm" } else { "offline" }.to_owned(),
        })
    }

    /// Makes the change `action` proposes, which the person confirmed, with the messages
    /// `cited` by its answer as the task's evidence; records it in the activity log and
    /// marks `action` `done` or `failed` with the outcome.
    ///
    /// # Errors
    /// The activity log cannot be written (a failed change is reported in `action`).
    pub(crate) async fn carry_out(
        &self,
        action: &mut ProposedActionDto,
        cited: &[i64],
    ) -> Result<(), ApiError> {
        let made = self.make(action, cited).await;
        self.record_activity(&NewActivityEntry {
            actor: Actor::Assistant,
            kind: format!("assistant.{}", action.tool),
            subject: made
                .as_ref()
                .map_or_else(|_| action.tool.clone(), Clone::clone),
            ok: made.is_ok(),
            detail: match &made {
                Ok(_) => format!("confirmed by the person: {}", action.arguments),
                Err(error) => error.message.clone(),
            },
        })
        .await?;
        match made {
            Ok(outcome) => {
                action.status = "done".to_owned();
                action.outcome = Some(outcome);
            }
            Err(error) => {
                action.status = "failed".to_owned();
                action.outcome = Some(error.message);
            }
        }
        Ok(())
    }

    /// Makes a confirmed change; returns what was made, e.g. `task 3`.
    async fn make(&self, action: &ProposedActionDto, cited: &[i64]) -> Result<String, ApiError> {
        let text = |name: &str| {
            argument(&action.arguments, name)
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        match action.tool.as_str() {
            "create_task" => {
                let task = self
                    .add_task(&NewTaskRequest {
                        title: text("title").unwrap_or_default(),
                        notes: text("notes").unwrap_or_default(),
                        priority: text("priority"),
                        due: text("due"),
                        messages: cited.to_vec(),
                        events: Vec::new(),
                    })
                    .await?;
                Ok(format!("task {}", task.id))
            }
            "create_rule" => {
                let rule = self.add_rule(&text("rule").unwrap_or_default()).await?;
                Ok(format!("rule {}", rule.id))
            }
            "add_instruction" => {
                // Proposed by the assistant, then put in force by the person's --yes: the
                // activity log shows both.
                let proposed = self
                    .propose_instruction(&text("text").unwrap_or_default())
                    .await?;
                let instruction = self.confirm_instruction(proposed.id).await?;
                Ok(format!("instruction {}", instruction.id))
            }
            other => Err(ApiError::invalid_input(format!(
                "{other} is not an action Kindred makes; nothing was stored"
            ))),
        }
    }

    async fn log_ask(
        &self,
        conversation: Option<i64>,
        ok: bool,
        detail: &str,
    ) -> Result<(), ApiError> {
        self.record_activity(&NewActivityEntry {
            actor: Actor::Assistant,
            kind: "assistant.ask".to_owned(),
            subject: conversation.map_or_else(
                || "a new conversation".to_owned(),
                |id| format!("conversation {id}"),
            ),
            ok,
            detail: detail.to_owned(),
        })
        .await?;
        Ok(())
    }

    /// The agent loop: the state machine decides, this drives the model and the tools.
    async fn converse(
        &self,
        secrets: &dyn SecretStore,
        provider: &Provider,
        history: Vec<ChatMessage>,
        question: &str,
        on_token: &mut (dyn FnMut(&str) + Send),
    ) -> Result<(Answer, usize), ApiError> {
        let instructions: Vec<String> = self
            .instructions()
            .await?
            .into_iter()
            .filter(|instruction| instruction.status == "active")
            .map(|instruction| instruction.text)
            .collect();
        let system = system_prompt(&day(Utc::now().timestamp_millis()), &instructions);
        let (mut agent, first) = Agent::start(system, history, question);
        let mut effects = vec![first];
        let mut tools_run = 0;
        while let Some(effect) = effects.pop() {
            let event = match effect {
                Effect::Finish(answer) => return Ok((answer, tools_run)),
                Effect::CallModel { messages, tools } => {
                    let completion = provider.stream(&messages, &tools, on_token).await?;
                    self.record_usage(provider.model(), completion.usage.map(|u| ("chat", u)))
                        .await?;
                    Event::ModelReplied(completion)
                }
                Effect::RunTool(call) => {
                    tools_run += 1;
                    match self.run_tool(secrets, &call).await {
                        Ok(output) => Event::ToolFinished {
                            call_id: call.id,
                            output,
                        },
                        Err(error) => Event::ToolFailed {
                            call_id: call.id,
                            error: error.message,
                        },
                    }
                }
            };
            // Effects run in the order given: the newest batch goes first, reversed.
            let mut next = agent.handle(event);
            next.reverse();
            effects.extend(next);
        }
        Err(ApiError::internal(
            "the assistant",
            &"the conversation ended without an answer",
        ))
    }

    /// Runs one read-only tool over the engine.
    async fn run_tool(
        &self,
        secrets: &dyn SecretStore,
        call: &ToolCall,
    ) -> Result<ToolOutput, ApiError> {
        let arguments: Value = serde_json::from_str(&call.arguments).map_err(|error| {
            ApiError::invalid_input(format!(
                "the arguments of {} are not JSON: {error}",
                call.name
            ))
        })?;
        let text = |name: &str| {
            argument(&arguments, name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| ApiError::invalid_input(format!("{} needs {name}", call.name)))
        };
        let id = |name: &str| {
            argument(&arguments, name)
                .and_then(|value| value.as_i64().or_else(|| value.as_str()?.parse().ok()))
                .ok_or_else(|| ApiError::invalid_input(format!("{} needs {name}", call.name)))
        };
        match call.name.as_str() {
            "search_messages" => {
                let rows = self
                    .store
                    .search_messages(&text("query")?, limit(&arguments, SEARCH_LIMIT))
                    .await?;
                let content = if rows.is_empty() {
                    "No message matches.".to_owned()
                } else {
                    rows.iter()
                        .map(|row| {
                            format!(
                                "[msg:{}] {} | {} | {} | {}",
                                row.id,
                                day(row.sent_at),
                                row.sender,
                                row.subject,
                                row.snippet.replace('\n', " ")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                Ok(ToolOutput {
                    content,
                    sources: rows
                        .iter()
                        .map(|row| message_source(row.id, &row.subject, row.sent_at))
                        .collect(),
                })
            }
            "search_events" => {
                // Hybrid search over the events' chunks: their title, attendees,
                // description and place, by words and likeness.
                let events: Vec<(i64, HybridHit)> = self
                    .search_events_hybrid(secrets, &text("query")?, limit(&arguments, SEARCH_LIMIT))
                    .await?
                    .hits
                    .into_iter()
                    .filter_map(|hit| Some((hit.event_id?, hit)))
                    .collect();
                Ok(ToolOutput {
                    content: if events.is_empty() {
                        "No event matches.".to_owned()
                    } else {
                        events
                            .iter()
                            .map(|(id, e)| {
                                format!(
                                    "[event:{id}] {} | {} | {} | {}",
                                    e.date,
                                    e.subject,
                                    e.from,
                                    e.snippet.replace('\n', " ")
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("\n")
                    },
                    sources: events
                        .iter()
                        .map(|(id, e)| Source {
                            kind: "event".to_owned(),
                            id: *id,
                            subject_or_title: e.subject.clone(),
                            date: e.date.clone(),
                        })
                        .collect(),
                })
            }
            "get_person" => {
                let person = self.person(&text("who")?).await?;
                Ok(ToolOutput {
                    content: person_line(&person.person),
                    sources: Vec::new(),
                })
            }
            "top_people" => {
                let people = self.people(limit(&arguments, 10) as usize).await?;
                Ok(ToolOutput {
                    content: people
                        .iter()
                        .map(person_line)
                        .collect::<Vec<_>>()
                        .join("\n"),
                    sources: Vec::new(),
                })
            }
            "get_thread" | "draft_reply" => {
                let message_id = id("message_id")?;
                let thread = self.store.thread_of(message_id).await?;
                if thread.is_empty() {
                    return Err(ApiError::new(
                        ErrorCode::NotFound,
                        format!("there is no message {message_id}"),
                    ));
                }
                let mut content: String = thread
                    .iter()
                    .map(|m| {
                        format!(
                            "[msg:{}] {} | {} | {}\n{}",
                            m.id,
                            day(m.sent_at),
                            m.sender,
                            m.subject,
                            m.excerpt
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n");
                if call.name == "draft_reply" {
                    content.push_str(
                        "\n\nDraft a reply to the message above as text for the person to send; \
                         nothing is sent.",
                    );
                }
                Ok(ToolOutput {
                    content,
                    sources: thread
                        .iter()
                        .filter(|m| call.name == "get_thread" || m.id == message_id)
                        .map(|m| message_source(m.id, &m.subject, m.sent_at))
                        .collect(),
                })
            }
            "wrapped" => {
                let days = argument(&arguments, "days")
                    .and_then(Value::as_u64)
                    .map_or(90, |d| u32::try_from(d).unwrap_or(90));
                let report = self
                    .wrapped(WrappedWindow::LastDays(days.clamp(1, 3650)))
                    .await?;
                Ok(ToolOutput {
                    content: serde_json::to_string(&report)
                        .map_err(|error| ApiError::internal("the Wrapped report", &error))?,
                    sources: Vec::new(),
                })
            }
            other => Err(ApiError::invalid_input(format!(
                "there is no tool {other:?}"
            ))),
        }
    }

    /// The person `who` names: an address or id, else the first ranked person whose name
    /// or address contains it.
    async fn resolve_person(&self, who: &str) -> Result<Option<PersonSummary>, ApiError> {
        if let Ok(detail) = self.person(who).await {
            return Ok(Some(detail.person));
        }
        let needle = who.to_lowercase();
        Ok(self.people(usize::MAX).await?.into_iter().find(|person| {
            person
                .name
                .as_deref()
                .is_some_and(|name| name.to_lowercase().contains(&needle))
                || person.emails.iter().any(|email| email.contains(&needle))
        }))
    }

    async fn addresses_of(&self, person: &PersonSummary) -> Result<Vec<i64>, ApiError> {
        let detail = self.person(&person.person_id.to_string()).await?;
        Ok(detail.addresses.iter().map(|a| a.address_id).collect())
    }

    /// Offline: known questions from the engine, else the best passages.
    async fn answer_offline(&self, question: &str) -> Result<(Answer, usize), ApiError> {
        let mut sources = Vec::new();
        let text = match kindred_ai::intent(question) {
            Intent::TopPeople => {
                let people = self.people(5).await?;
                if people.is_empty() {
                    "There is nobody to rank yet: import some mail first.".to_owned()
                } else {
                    let lines: Vec<String> = people
                        .iter()
                        .map(|p| format!("{}. {}", p.rank, person_line(p)))
                        .collect();
                    format!("Your strongest relationships:\n{}", lines.join("\n"))
                }
            }
            Intent::LastContact(who) => match self.resolve_person(&who).await? {
                None => format!("I know nobody matching {who:?}."),
                Some(person) => {
                    let addresses = self.addresses_of(&person).await?;
                    let messages = self.store.messages_with(&addresses).await?;
                    let name = person
                        .name
                        .clone()
                        .unwrap_or_else(|| person.emails[0].clone());
                    match messages.last() {
                        None => format!("You have exchanged no mail with {name}."),
                        Some(last) => {
                            sources.push(message_source(last.id, &last.subject, last.sent_at));
                            format!(
                                "Your last exchange with {name} was on {}: \"{}\", from {} [msg:{}].",
                                day(last.sent_at),
                                last.subject,
                                if last.from_me { "you" } else { name.as_str() },
                                last.id
                            )
                        }
                    }
                }
            },
            Intent::WhoAt(organization) => {
                let needle = organization.to_lowercase();
                let people: Vec<PersonSummary> = self
                    .people(usize::MAX)
                    .await?
                    .into_iter()
                    .filter(|p| {
                        p.organization
                            .as_deref()
                            .is_some_and(|o| o.contains(&needle))
                            || p.emails.iter().any(|e| {
                                e.rsplit_once('@')
                                    .is_some_and(|(_, domain)| domain.contains(&needle))
                            })
                    })
                    .take(20)
                    .collect();
                if people.is_empty() {
                    format!("You know nobody at {organization}.")
                } else {
                    let lines: Vec<String> = people.iter().map(person_line).collect();
                    format!("At {organization} you know:\n{}", lines.join("\n"))
                }
            }
            Intent::MeetingsWith(who) => match self.resolve_person(&who).await? {
                None => format!("I know nobody matching {who:?}."),
                Some(person) => {
                    let addresses = self.addresses_of(&person).await?;
                    let meetings = self.store.meetings_with(&addresses).await?;
                    let name = person
                        .name
                        .clone()
                        .unwrap_or_else(|| person.emails[0].clone());
                    if meetings.is_empty() {
                        format!("You have no meetings with {name}.")
                    } else {
                        let lines: Vec<String> = meetings
                            .iter()
                            .rev()
                            .take(10)
                            .map(|m| {
                                sources.push(event_source(m.id, &m.title, m.starts_at));
                                format!(
                                    "- \"{}\" on {} [event:{}]",
                                    m.title,
                                    day(m.starts_at),
                                    m.id
                                )
                            })
                            .collect();
                        format!(
                            "You met {name} {} times; the latest:\n{}",
                            meetings.len(),
                            lines.join("\n")
                        )
                    }
                }
            },
            Intent::Search(words) => {
                let passages = self.passages(&words).await?;
                if passages.is_empty() {
                    "No message matches the words of the question.".to_owned()
                } else {
                    let lines: Vec<String> = passages
                        .iter()
                        .map(|row| {
                            sources.push(message_source(row.id, &row.subject, row.sent_at));
                            format!(
                                "- [msg:{}] {}, {}: \"{}\" — {}",
                                row.id,
                                day(row.sent_at),
                                row.sender,
                                row.subject,
                                row.snippet.replace('\n', " ")
                            )
                        })
                        .collect();
                    format!(
                        "Without a language model I cannot answer in words; these passages \
                         match your question best:\n{}",
                        lines.join("\n")
                    )
                }
            }
        };
        Ok((
            Answer {
                text,
                sources,
                proposed_actions: Vec::new(),
                steps: 0,
            },
            0,
        ))
    }

    /// The messages matching most of `words`: each word searched alone, messages ranked
    /// by how many words found them, then by each search's order.
    async fn passages(
        &self,
        words: &[String],
    ) -> Result<Vec<kindred_store::queries::SearchRow>, ApiError> {
        let mut found: Vec<(usize, usize, kindred_store::queries::SearchRow)> = Vec::new();
        for word in words.iter().take(8) {
            for (rank, row) in self
                .store
                .search_messages(word, 20)
                .await?
                .into_iter()
                .enumerate()
            {
                match found.iter_mut().find(|(_, _, seen)| seen.id == row.id) {
                    Some(entry) => {
                        entry.0 += 1;
                        entry.1 = entry.1.min(rank);
                    }
                    None => found.push((1, rank, row)),
                }
            }
        }
        found.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(a.1.cmp(&b.1))
                .then(b.2.sent_at.cmp(&a.2.sent_at))
        });
        Ok(found
            .into_iter()
            .take(PASSAGES)
            .map(|(_, _, row)| row)
            .collect())
    }
}
