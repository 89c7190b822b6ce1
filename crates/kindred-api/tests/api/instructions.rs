//! Standing instructions: one the assistant proposes is not in force until the person
//! confirms it, and the activity log says who did what.

use crate::support::{activity_of_kind, open};

#[tokio::test]
async fn a_proposed_instruction_is_in_force_only_once_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let kindred = open(dir.path()).await;
    let proposed = kindred
        .propose_instruction("treat mail from my accountant as high priority")
        .await
        .unwrap();
    assert_eq!(
        (proposed.status.as_str(), proposed.created_by.as_str()),
        ("proposed", "assistant")
    );
    let confirmed = kindred.confirm_instruction(proposed.id).await.unwrap();
    assert_eq!(confirmed.status, "active", "confirming puts it in force");
    assert_eq!(
        confirmed.created_by, "assistant",
        "and it stays the assistant's"
    );

    let log = activity_of_kind(&kindred, "instruction.").await;
    let who: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.kind.as_str()))
        .collect();
    assert_eq!(
        who,
        [
            ("person", "instruction.confirmed"),
            ("assistant", "instruction.proposed")
        ]
    );
    assert!(kindred.confirm_instruction(proposed.id + 1).await.is_err());
}
