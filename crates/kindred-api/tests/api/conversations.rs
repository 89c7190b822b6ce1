//! The assistant's conversations as the desktop app reads them: the list, one
//! conversation with its answers' citations and proposals, the answer's text streamed as
//! it is written, and a proposal carried out only when the person confirms it — once.

use std::path::Path;

use kindred_api::{AskRequest, ErrorCode, ImportRequest, Kindred, ProposedActionDto};
use kindred_fakellm::{FakeLlm, Reply};
use kindred_store::secrets::MemoryStore;
use serde_json::json;

use crate::support::{activity_of_kind, open, use_fake_llm};

/// Dana's mail about the budget, in mbox form, addressed to me with a colleague in Cc.
pub(crate) fn budget_mbox(dir: &Path) -> std::path::PathBuf {
    let mbox = dir.join("budget.mbox");
    std::fs::write(
        &mbox,
        "From sender@x Tue Jun 10 10:00:00 2025\n\
         From: Dana Reyes <dana@acme.example>\n\
         To: Robin Vale <robin@vale.example>\n\
         Cc: Sam Ode <sam@acme.example>\n\
         Subject: Budget\n\
         Message-ID: <budget@acme.example>\n\
         Date: Tue, 10 Jun 2025 10:00:00 +0000\n\n\
         The Acme budget is 40k; please send it back signed.\n\n",
    )
    .unwrap();
    mbox
}

/// Kindred over a fresh store holding Dana's mail; returns the budget message's id.
pub(crate) async fn with_budget(dir: &Path) -> (Kindred, i64) {
    let kindred = open(dir).await;
    kindred
        .import(
            ImportRequest {
                paths: vec![budget_mbox(dir)],
                me: vec!["robin@vale.example".to_owned()],
            },
            &|_| {},
        )
        .await
        .unwrap();
    let budget = kindred.search("budget", 5).await.unwrap()[0].message_id;
    (kindred, budget)
}

#[tokio::test]
async fn a_proposed_task_is_made_once_and_only_when_the_person_confirms_it() {
    let dir = tempfile::tempdir().unwrap();
    let (kindred, budget) = with_budget(dir.path()).await;
    let secrets = MemoryStore::default();
    let fake = FakeLlm::start().unwrap();
    use_fake_llm(&kindred, &secrets, &fake).await;
    fake.push(Reply::tool_call(
        "search_messages",
        &json!({"query": "budget"}),
    ));
    fake.push(Reply::tool_call(
        "create_task",
        &json!({"title": "Send Dana the budget", "priority": "high"}),
    ));
    fake.push(Reply::text(format!(
        "I propose a task to send Dana the budget [msg:{budget}]."
    )));

    let mut streamed = String::new();
    let answer = kindred
        .ask(
            &secrets,
            &AskRequest {
                question: "Remind me to send the budget".to_owned(),
                conversation: None,
                confirm: false,
            },
            &mut |text: &str| streamed.push_str(text),
        )
        .await
        .unwrap();
    assert_eq!(
        streamed, answer.answer,
        "the whole answer streams as it is written"
    );
    assert!(
        kindred.tasks(None).await.unwrap().is_empty(),
        "nothing is made before the person confirms"
    );

    let list = kindred.conversations().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].id, list[0].title.as_str(), list[0].messages),
        (answer.conversation_id, "Remind me to send the budget", 2)
    );
    let messages = kindred.conversation(answer.conversation_id).await.unwrap();
    let roles: Vec<&str> = messages.iter().map(|m| m.role.as_str()).collect();
    assert_eq!(roles, ["user", "assistant"]);
    let reply = &messages[1];
    assert_eq!(reply.content, answer.answer);
    assert_eq!(
        reply.citations.iter().map(|c| c.id).collect::<Vec<_>>(),
        [budget]
    );
    assert_eq!(reply.proposed_actions[0].status, "proposed");

    let actions = kindred.confirm_proposed_action(reply.id, 0).await.unwrap();
    let tasks = kindred.tasks(None).await.unwrap();
    assert_eq!(tasks.len(), 1, "confirming makes the task");
    assert_eq!(tasks[0].title, "Send Dana the budget");
    assert_eq!(
        tasks[0].messages,
        [budget],
        "the task cites the answer's sources"
    );
    let done = ProposedActionDto {
        status: "done".to_owned(),
        outcome: Some(format!("task {}", tasks[0].id)),
        ..actions[0].clone()
    };
    assert_eq!(actions, std::slice::from_ref(&done));
    assert_eq!(
        kindred.conversation(answer.conversation_id).await.unwrap()[1].proposed_actions,
        [done],
        "the conversation keeps the outcome"
    );

    let again = kindred
        .confirm_proposed_action(reply.id, 0)
        .await
        .unwrap_err();
    assert_eq!(again.code, ErrorCode::InvalidInput, "{again:?}");
    assert_eq!(
        kindred.tasks(None).await.unwrap().len(),
        1,
        "made only once"
    );
    let made: Vec<String> = activity_of_kind(&kindred, "assistant.create_task")
        .await
        .into_iter()
        .map(|entry| entry.actor)
        .collect();
    assert_eq!(made, ["assistant"], "one entry in the activity log");
}

#[tokio::test]
async fn confirming_what_does_not_exist_says_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let (kindred, _) = with_budget(dir.path()).await;
    let secrets = MemoryStore::default();
    let answer = kindred
        .ask(
            &secrets,
            &AskRequest {
                question: "When did I last talk with Dana Reyes?".to_owned(),
                conversation: None,
                confirm: false,
            },
            &mut |_: &str| {},
        )
        .await
        .unwrap();
    assert_eq!(answer.generated_by, "offline");
    let messages = kindred.conversation(answer.conversation_id).await.unwrap();

    let none = kindred
        .confirm_proposed_action(messages[1].id, 0)
        .await
        .unwrap_err();
    assert_eq!(none.code, ErrorCode::InvalidInput);
    assert!(
        none.message.contains("proposed 0 actions"),
        "{}",
        none.message
    );
    let question = kindred
        .confirm_proposed_action(messages[0].id, 0)
        .await
        .unwrap_err();
    assert_eq!(
        question.code,
        ErrorCode::NotFound,
        "a question proposes nothing"
    );
    let missing = kindred
        .conversation(answer.conversation_id + 1)
        .await
        .unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}
