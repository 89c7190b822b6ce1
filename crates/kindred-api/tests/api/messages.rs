//! The message viewer's read: headers, recipients by role and text of a stored message,
//! and a clear `not_found` for one that is gone.

use kindred_api::{ErrorCode, MessageRecipient};

use crate::conversations::with_budget;

#[tokio::test]
async fn a_message_opens_with_its_headers_recipients_and_text() {
    let dir = tempfile::tempdir().unwrap();
    let (kindred, budget) = with_budget(dir.path()).await;
    let message = kindred.message(budget).await.unwrap();
    assert_eq!(message.subject, "Budget");
    assert_eq!(message.from, "Dana Reyes <dana@acme.example>");
    assert_eq!(message.date, "2025-06-10T10:00:00Z");
    assert!(
        message.text.contains("The Acme budget is 40k"),
        "{}",
        message.text
    );
    assert_eq!(
        message.recipients,
        [
            MessageRecipient {
                role: "to".to_owned(),
                email: "robin@vale.example".to_owned(),
                name: Some("Robin Vale".to_owned()),
            },
            MessageRecipient {
                role: "cc".to_owned(),
                email: "sam@acme.example".to_owned(),
                name: Some("Sam Ode".to_owned()),
            },
        ]
    );
    assert!(!message.has_attachments);

    let gone = kindred.message(budget + 100).await.unwrap_err();
    assert_eq!(gone.code, ErrorCode::NotFound);
    assert!(gone.message.contains(&format!("message {}", budget + 100)));
}
