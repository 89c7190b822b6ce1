//! The message viewer's read: headers, recipients by role, text and sanitised HTML of a
//! stored message, and a clear `not_found` for one that is gone.

use std::path::{Path, PathBuf};

use kindred_api::{
    ErrorCode, ImportRequest, Kindred, LinkKind, MessageLink, MessageRecipient, MessageView,
};

use crate::conversations::with_budget;
use crate::support::open;

/// Kindred over a fresh store in `dir` that has imported the mail at `paths`, no address
/// given as the person's.
async fn with_mail(dir: &Path, paths: Vec<PathBuf>) -> Kindred {
    let kindred = open(dir).await;
    kindred
        .import(ImportRequest { paths, me: vec![] }, &|_| {})
        .await
        .unwrap();
    kindred
}

/// The message that a search for `subject` finds first, as the viewer opens it.
async fn opened(kindred: &Kindred, subject: &str) -> MessageView {
    let id = kindred.search(subject, 1).await.unwrap()[0].message_id;
    kindred.message(id).await.unwrap()
}

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

/// One mailbox of three messages: text and HTML alternatives (the HTML with a script, a
/// tracking pixel and a remote background), HTML only, and text only.
const MIXED_MAIL: &str = "From a@x Tue Jun 10 10:00:00 2025
From: Dana Reyes <dana@acme.example>
To: Robin Vale <robin@vale.example>
Subject: Newsletter
Message-ID: <letter@acme.example>
Date: Tue, 10 Jun 2025 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=\"ALT\"

--ALT
Content-Type: text/plain; charset=utf-8

Plain quarterly figures.
--ALT
Content-Type: text/html; charset=utf-8

<html><head><script>steal()</script></head><body>
<h1 style=\"background: url(https://track.example/bg.png); color: navy\">Quarterly figures</h1>
<img src=\"https://track.example/pixel.gif\" alt=\"\">
<a href=\"https://acme.example/report\">Read the report</a>
<a href=\"javascript:steal()\">Prize</a>
<p>Questions? <a href=\"mailto:Dana@acme.example?subject=Figures\">Write
 to Dana</a></p>
</body></html>
--ALT--

From a@x Wed Jun 11 10:00:00 2025
From: Dana Reyes <dana@acme.example>
To: Robin Vale <robin@vale.example>
Subject: Invitation
Message-ID: <invite@acme.example>
Date: Wed, 11 Jun 2025 10:00:00 +0000
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>Join us for <b>the launch</b> on Friday.</p>

From a@x Thu Jun 12 10:00:00 2025
From: Dana Reyes <dana@acme.example>
To: Robin Vale <robin@vale.example>
Subject: Lunch
Message-ID: <lunch@acme.example>
Date: Thu, 12 Jun 2025 10:00:00 +0000

Lunch at noon?
";

#[tokio::test]
async fn html_mail_opens_sanitised_beside_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let mixed = dir.path().join("mixed.mbox");
    std::fs::write(&mixed, MIXED_MAIL).unwrap();
    let kindred = with_mail(dir.path(), vec![mixed]).await;

    let letter = opened(&kindred, "Newsletter").await;
    assert!(
        letter.text.contains("Plain quarterly figures"),
        "{}",
        letter.text
    );
    let html = letter.html.expect("the HTML alternative is kept");
    assert!(html.contains("Quarterly figures</h1>"), "{html}");
    assert!(html.contains("color: navy"), "harmless style stays: {html}");
    assert!(
        html.contains(r#"href="https://acme.example/report""#),
        "links keep their target: {html}"
    );
    for gone in ["script", "steal", "track.example", "url("] {
        assert!(!html.contains(gone), "{gone} is sanitised away: {html}");
    }
    assert_eq!(letter.remote_blocked, 2, "the pixel and the background");
    assert!(
        html.contains(r#"" data-link="0">Read the report</a>"#)
            && html.contains(r#"" data-link="1">Write"#),
        "the kept links are numbered, the refused one is not: {html}"
    );
    assert_eq!(
        letter.links,
        [
            MessageLink {
                url: "https://acme.example/report".to_owned(),
                text: "Read the report".to_owned(),
                kind: LinkKind::Web,
                before: "https://".to_owned(),
                emphasis: "acme.example".to_owned(),
                after: "/report".to_owned(),
            },
            MessageLink {
                url: "mailto:Dana@acme.example?subject=Figures".to_owned(),
                text: "Write to Dana".to_owned(),
                kind: LinkKind::Mail,
                before: "mailto:".to_owned(),
                emphasis: "Dana@acme.example".to_owned(),
                after: "?subject=Figures".to_owned(),
            },
        ],
        "the links as open_link will open them, in order, with their text"
    );
    for link in &letter.links {
        assert_eq!(
            kindred_api::link_target(&link.url).as_deref(),
            Ok(link.url.as_str()),
            "a listed link is exactly what open_link opens"
        );
    }

    let invitation = opened(&kindred, "Invitation").await;
    assert!(
        invitation.text.contains("Join us for the launch on Friday"),
        "an HTML-only message still has its text: {}",
        invitation.text
    );
    assert!(invitation.html.unwrap().contains("<b>the launch</b>"));
    assert_eq!(invitation.remote_blocked, 0);
    assert!(invitation.links.is_empty(), "no links, none listed");

    let lunch = opened(&kindred, "Lunch").await;
    assert_eq!(lunch.html, None, "text-only mail has no HTML");
    assert_eq!(lunch.remote_blocked, 0);
    assert!(lunch.links.is_empty(), "text-only mail lists no links");
}

/// Markup that must never come out of the sanitiser, whatever the mail held.
const NEVER_SANITISED: [&str; 12] = [
    "<script",
    "<style",
    "<iframe",
    "<object",
    "<embed",
    "<form",
    "<meta",
    "<link",
    "<base",
    "href=\"javascript",
    "src=\"http",
    "src=\"//",
];

#[tokio::test]
async fn every_torture_message_imports_and_opens_with_its_html_sanitised() {
    let Some(data) = kindred_testkit::corpus_dir("message_html") else {
        return;
    };
    let root = data.join("mime-torture");
    let catalog = std::fs::read_to_string(root.join("catalog.tsv")).unwrap();
    let paths = catalog
        .lines()
        .skip(1)
        .filter_map(|line| line.split('\t').next())
        .map(|path| root.join(path))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let kindred = with_mail(dir.path(), paths).await;

    let stored = i64::try_from(kindred.stats().await.unwrap().messages).unwrap();
    assert!(stored > 500, "the corpus imports: {stored} messages");
    let mut with_html = 0;
    // Messages are numbered from 1 without gaps when nothing was deleted.
    for id in 1..=stored {
        let view = kindred
            .message(id)
            .await
            .unwrap_or_else(|error| panic!("message {id} opens: {error:?}"));
        let Some(html) = view.html else { continue };
        with_html += 1;
        assert_eq!(
            html.matches(" data-link=\"").count(),
            view.links.len(),
            "message {id} ({}): one listed link per numbered anchor",
            view.subject
        );
        let lower = html.to_ascii_lowercase();
        for never in NEVER_SANITISED {
            assert!(
                !lower.contains(never),
                "message {id} ({}): {never} in {html}",
                view.subject
            );
        }
    }
    assert!(
        with_html >= 50,
        "the corpus's HTML mail keeps its HTML: {with_html}"
    );
}
