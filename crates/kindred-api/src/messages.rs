//! The message viewer's read: one stored message with its headers (sender, recipients by
//! role, date, subject), its text and its HTML sanitised, as a citation or a timeline entry
//! opens it.

mod html;

use kindred_store::message_view::MessageRecipientRow;
use serde::Serialize;
use ts_rs::TS;

use crate::activity::iso_millis;
use crate::evidence::off_workers;
use crate::links::MessageLink;
use crate::{ApiError, ErrorCode, Kindred};

/// One recipient of a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MessageRecipient {
    /// `to`, `cc`, `bcc` or `reply_to`.
    pub role: String,
    pub email: String,
    pub name: Option<String>,
}

/// A message as the viewer shows it: its text always, and its HTML part when it has one,
/// sanitised so that nothing in it can run or load remote content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MessageView {
    #[ts(type = "number")]
    pub id: i64,
    pub subject: String,
    /// "Name <address>" of the sender.
    pub from: String,
    pub recipients: Vec<MessageRecipient>,
    /// RFC 3339, UTC.
    pub date: String,
    pub text: String,
    /// The message's HTML part, sanitised (no scripts, handlers, forms, frames; no remote
    /// images, backgrounds or CSS URLs; links open apart, each numbered by an inert
    /// `data-link="N"`): a fragment to show in a sandboxed frame. `None` for text-only
    /// mail and mail stored before HTML was kept.
    pub html: Option<String>,
    /// The text of each of the HTML part's `<style>` elements, in order, sanitised (no URLs,
    /// imports, fonts, bindings or expressions, no `<`): style sheets for the frame to apply
    /// to `html`, each in its own `<style>`.
    pub style_sheets: Vec<String>,
    /// How many remote resources (images, backgrounds, CSS URLs) were taken out of `html`
    /// and `style_sheets`.
    pub remote_blocked: u32,
    /// The links of `html` that the sanitiser kept, in document order: `links[N]` is the
    /// anchor marked `data-link="N"`, with where it goes. Empty without `html`.
    pub links: Vec<MessageLink>,
    pub thread_key: String,
    pub has_attachments: bool,
    /// Sent by a machine (a list, a notification), not a person.
    pub is_automated: bool,
}

fn recipient(row: MessageRecipientRow) -> MessageRecipient {
    MessageRecipient {
        role: row.role,
        email: row.address,
        name: row.display_name,
    }
}

impl Kindred {
    /// Message `id` for the viewer.
    ///
    /// # Errors
    /// No such message (`not_found`: deleted, or past the retention window), or the store
    /// cannot be read.
    pub async fn message(&self, id: i64) -> Result<MessageView, ApiError> {
        let Some((message, recipients)) = self.store.message_view(id).await? else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!(
                    "there is no message {id}; it may have been deleted or removed by the \
                     retention window"
                ),
            ));
        };
        let safe = match message.html {
            Some(html) => Some(
                off_workers("sanitising the message's HTML", move || {
                    html::sanitise(&html)
                })
                .await?,
            ),
            None => None,
        };
        let (html, style_sheets, remote_blocked, links) = match safe {
            Some(safe) => (
                Some(safe.html).filter(|html| !html.trim().is_empty()),
                safe.style_sheets,
                safe.remote_blocked,
                safe.links,
            ),
            None => (None, Vec::new(), 0, Vec::new()),
        };
        Ok(MessageView {
            id: message.id,
            subject: message.subject,
            from: message.sender,
            recipients: recipients.into_iter().map(recipient).collect(),
            date: iso_millis(message.sent_at),
            text: message.body_text,
            html,
            style_sheets,
            remote_blocked,
            links,
            thread_key: message.thread_key,
            has_attachments: message.has_attachments,
            is_automated: message.is_automated,
        })
    }
}
