//! Gmail: listing with paging and date search, the four message formats, threads, and the
//! history log with its expiry.

use std::collections::BTreeSet;

use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;
use serde_json::Value;

use crate::support::{fake, get, reason, rfc2822, write_mbox, Mail, USER};

const MAILS: [Mail<'static>; 7] = [
    Mail {
        from: "bob@example.com",
        date: "Mon, 1 Jan 2024 10:00:00 +0000",
        subject: "one",
    },
    Mail {
        from: "bob@example.com",
        date: "Tue, 2 Jan 2024 10:00:00 +0000",
        subject: "two",
    },
    Mail {
        from: USER,
        date: "Wed, 3 Jan 2024 10:00:00 +0000",
        subject: "three",
    },
    Mail {
        from: "cy@example.com",
        date: "Thu, 4 Jan 2024 10:00:00 +0000",
        subject: "four",
    },
    Mail {
        from: "cy@example.com",
        date: "Fri, 5 Jan 2024 10:00:00 +0000",
        subject: "five",
    },
    Mail {
        from: "cy@example.com",
        date: "Sat, 6 Jan 2024 10:00:00 +0000",
        subject: "six",
    },
    Mail {
        from: "dee@example.com",
        date: "Sun, 7 Jan 2024 10:00:00 +0000",
        subject: "seven",
    },
];

fn ids(body: &Value) -> Vec<String> {
    body["messages"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .map(|m| m["id"].as_str().expect("id").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn list_pages_newest_first_and_searches_by_date() {
    let fake = fake().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let loaded = fake
        .load_mbox(USER, &write_mbox(dir.path(), &MAILS))
        .expect("loads");
    assert_eq!(loaded, 7);
    let (token, _) = fake.issue_tokens(USER);

    let mut listed = Vec::new();
    let mut page_token = String::new();
    let mut pages = 0;
    loop {
        let (status, body) = get(
            &fake,
            &token,
            &format!("/gmail/v1/users/me/messages?maxResults=3&pageToken={page_token}"),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["resultSizeEstimate"], 7);
        listed.extend(ids(&body));
        pages += 1;
        match body["nextPageToken"].as_str() {
            Some(next) => page_token = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(pages, 3, "7 messages at 3 a page is 3 pages");
    assert_eq!(
        listed.iter().cloned().collect::<BTreeSet<_>>(),
        fake.message_ids(USER),
        "paging lists every message exactly once"
    );
    assert_eq!(listed.len(), 7);
    let mut dates = Vec::new();
    for id in &listed {
        let (_, message) = get(
            &fake,
            &token,
            &format!("/gmail/v1/users/me/messages/{id}?format=minimal"),
        )
        .await;
        dates.push(
            message["internalDate"]
                .as_str()
                .expect("internalDate is a string")
                .parse::<i64>()
                .expect("number"),
        );
    }
    assert!(
        dates.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first: {dates:?}"
    );

    let (_, body) = get(
        &fake,
        &token,
        "/gmail/v1/users/me/messages?q=after:2024/01/03%20before:2024/01/06",
    )
    .await;
    assert_eq!(
        ids(&body).len(),
        3,
        "after: is inclusive, before: exclusive (3rd, 4th, 5th)"
    );
    let (_, body) = get(
        &fake,
        &token,
        "/gmail/v1/users/me/messages?q=after:1704326400",
    )
    .await;
    assert_eq!(
        ids(&body).len(),
        4,
        "epoch seconds: from 4 Jan 2024 00:00 UTC"
    );
    let (_, body) = get(&fake, &token, "/gmail/v1/users/me/messages?labelIds=SENT").await;
    assert_eq!(ids(&body).len(), 1, "the message from the owner is SENT");
    let (_, body) = get(
        &fake,
        &token,
        "/gmail/v1/users/me/messages?labelIds=SENT&labelIds=INBOX",
    )
    .await;
    assert!(
        body.get("messages").is_none(),
        "labelIds combine with AND: {body}"
    );
    assert_eq!(body["resultSizeEstimate"], 0);

    let trashed = &listed[0];
    fake.modify_labels(USER, trashed, &["TRASH"], &["INBOX"]);
    let (_, body) = get(&fake, &token, "/gmail/v1/users/me/messages").await;
    assert!(
        !ids(&body).contains(trashed),
        "trash is left out by default"
    );
    let (_, body) = get(
        &fake,
        &token,
        "/gmail/v1/users/me/messages?includeSpamTrash=true",
    )
    .await;
    assert!(
        ids(&body).contains(trashed),
        "includeSpamTrash=true lists it"
    );

    let (status, body) = get(&fake, &token, "/gmail/v1/users/me/profile").await;
    assert_eq!(status, 200);
    assert_eq!(body["messagesTotal"], 7);
    assert!(
        body["historyId"].is_string(),
        "historyId is an int64 string"
    );
}

const MULTIPART: &str = "From: Bob <bob@example.com>\r\nTo: ada@example.com\r\n\
Subject: =?UTF-8?Q?Caf=C3=A9_plans?=\r\nDate: Tue, 2 Jan 2024 10:00:00 +0100\r\n\
Message-ID: <root@example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee you at 5 & bring the map.\r\n\
--b1\r\nContent-Type: application/pdf; name=\"map.pdf\"\r\n\
Content-Disposition: attachment; filename=\"map.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
JVBERi0xLjQK\r\n--b1--\r\n";

#[tokio::test]
async fn get_renders_each_format_and_raw_is_byte_exact() {
    let fake = fake().await;
    let id = fake.add_raw_message(USER, MULTIPART.as_bytes(), &["INBOX", "UNREAD"]);
    let (token, _) = fake.issue_tokens(USER);
    let path = format!("/gmail/v1/users/me/messages/{id}");

    let (status, raw) = get(&fake, &token, &format!("{path}?format=raw")).await;
    assert_eq!(status, 200);
    let bytes = URL_SAFE
        .decode(raw["raw"].as_str().expect("raw"))
        .expect("base64url");
    assert_eq!(
        bytes,
        MULTIPART.as_bytes(),
        "format=raw returns the exact bytes"
    );
    assert_eq!(
        raw["internalDate"], "1704186000000",
        "internalDate is the Date header in ms"
    );
    assert_eq!(raw["sizeEstimate"], MULTIPART.len());
    assert!(raw.get("payload").is_none(), "raw has no payload");

    let (_, minimal) = get(&fake, &token, &format!("{path}?format=minimal")).await;
    assert_eq!(minimal["labelIds"], serde_json::json!(["INBOX", "UNREAD"]));
    assert!(minimal.get("payload").is_none() && minimal.get("raw").is_none());
    assert_eq!(
        minimal["snippet"], "See you at 5 &amp; bring the map.",
        "snippets are HTML-escaped"
    );

    let (_, metadata) = get(
        &fake,
        &token,
        &format!("{path}?format=metadata&metadataHeaders=Subject&metadataHeaders=from"),
    )
    .await;
    let headers = metadata["payload"]["headers"].as_array().expect("headers");
    let names: Vec<&str> = headers
        .iter()
        .map(|h| h["name"].as_str().expect("name"))
        .collect();
    assert_eq!(
        names,
        ["From", "Subject"],
        "metadataHeaders picks headers, any case"
    );
    assert_eq!(
        headers[1]["value"], "Café plans",
        "encoded words are decoded"
    );

    let (_, full) = get(&fake, &token, &path).await;
    let payload = &full["payload"];
    assert_eq!(payload["mimeType"], "multipart/mixed");
    assert_eq!(payload["partId"], "");
    let text = &payload["parts"][0];
    assert_eq!(text["partId"], "0");
    let body = URL_SAFE
        .decode(text["body"]["data"].as_str().expect("data"))
        .expect("base64url");
    assert_eq!(
        String::from_utf8(body).expect("UTF-8").trim_end(),
        "See you at 5 & bring the map."
    );
    let attachment = &payload["parts"][1];
    assert_eq!(attachment["filename"], "map.pdf");
    let attachment_id = attachment["body"]["attachmentId"]
        .as_str()
        .expect("attachmentId");
    let (status, fetched) = get(
        &fake,
        &token,
        &format!("{path}/attachments/{attachment_id}"),
    )
    .await;
    assert_eq!(status, 200);
    let data = URL_SAFE
        .decode(fetched["data"].as_str().expect("data"))
        .expect("base64url");
    assert_eq!(data, b"%PDF-1.4\n", "the attachment is the decoded part");

    let (status, body) = get(
        &fake,
        &token,
        "/gmail/v1/users/me/messages/0000000000000000",
    )
    .await;
    assert_eq!((status, reason(&body)), (404, "notFound"));
    let (status, body) = get(&fake, &token, &format!("{path}?format=html")).await;
    assert_eq!((status, reason(&body)), (400, "invalidParameter"));
    let (status, _) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/someone@else.com/messages/{id}"),
    )
    .await;
    assert_eq!(status, 403, "another user's mailbox is refused");
}

#[tokio::test]
async fn replies_share_their_thread() {
    let fake = fake().await;
    let first = rfc2822(
        &Mail {
            from: "bob@example.com",
            date: "Mon, 1 Jan 2024 10:00:00 +0000",
            subject: "plan",
        },
        "p1@x",
    );
    let reply = format!(
        "In-Reply-To: <p1@x>\r\nReferences: <p1@x>\r\n{}",
        rfc2822(
            &Mail {
                from: USER,
                date: "Mon, 1 Jan 2024 11:00:00 +0000",
                subject: "Re: plan"
            },
            "p2@x"
        )
    );
    let other = rfc2822(
        &Mail {
            from: "bob@example.com",
            date: "Mon, 1 Jan 2024 12:00:00 +0000",
            subject: "plan",
        },
        "p3@x",
    );
    let (token, _) = fake.issue_tokens(USER);
    let mut threads = Vec::new();
    for raw in [&first, &reply, &other] {
        let id = fake.add_raw_message(USER, raw.as_bytes(), &["INBOX"]);
        let (_, message) = get(
            &fake,
            &token,
            &format!("/gmail/v1/users/me/messages/{id}?format=minimal"),
        )
        .await;
        threads.push(message["threadId"].as_str().expect("threadId").to_owned());
    }
    assert_eq!(
        threads[0], threads[1],
        "a reply joins the thread it references"
    );
    assert_ne!(threads[0], threads[2], "the same subject alone does not");

    let (_, listed) = get(&fake, &token, "/gmail/v1/users/me/threads?maxResults=1").await;
    assert_eq!(listed["resultSizeEstimate"], 2);
    assert_eq!(
        listed["threads"][0]["id"],
        threads[2].as_str(),
        "newest thread first"
    );
    let next = listed["nextPageToken"].as_str().expect("a second page");
    let (_, second) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/threads?maxResults=1&pageToken={next}"),
    )
    .await;
    assert_eq!(second["threads"][0]["id"], threads[0].as_str());
    assert!(second.get("nextPageToken").is_none());

    let (status, thread) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/threads/{}?format=metadata", threads[0]),
    )
    .await;
    assert_eq!(status, 200);
    let subjects: Vec<&str> = thread["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            m["payload"]["headers"]
                .as_array()
                .expect("headers")
                .iter()
                .find(|h| h["name"] == "Subject")
                .and_then(|h| h["value"].as_str())
                .expect("Subject")
        })
        .collect();
    assert_eq!(
        subjects,
        ["plan", "Re: plan"],
        "a thread's messages come oldest first"
    );
    let (status, _) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/threads/{}?format=raw", threads[0]),
    )
    .await;
    assert_eq!(status, 400, "threads have no raw format");

    let (_, inbox) = get(&fake, &token, "/gmail/v1/users/me/labels/INBOX").await;
    assert_eq!(
        (
            inbox["messagesTotal"].as_u64(),
            inbox["threadsTotal"].as_u64()
        ),
        (Some(3), Some(2))
    );
    let (status, _) = get(&fake, &token, "/gmail/v1/users/me/labels/NOPE").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn history_reports_adds_label_changes_and_deletes_then_expires() {
    let fake = fake().await;
    let old = fake.add_raw_message(USER, b"Subject: old\r\n\r\nold\r\n", &["INBOX"]);
    let (token, _) = fake.issue_tokens(USER);
    let (_, profile) = get(&fake, &token, "/gmail/v1/users/me/profile").await;
    let start = profile["historyId"].as_str().expect("historyId").to_owned();

    let new = fake.add_raw_message(USER, b"Subject: new\r\n\r\nnew\r\n", &["INBOX", "UNREAD"]);
    fake.modify_labels(USER, &new, &["STARRED"], &["UNREAD"]);
    fake.delete_message(USER, &old);

    let (status, body) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/history?startHistoryId={start}"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let records = body["history"].as_array().expect("history");
    let kinds: Vec<&str> = records
        .iter()
        .map(|record| {
            [
                "messagesAdded",
                "labelsAdded",
                "labelsRemoved",
                "messagesDeleted",
            ]
            .into_iter()
            .find(|kind| record.get(*kind).is_some())
            .expect("each record says what changed")
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "messagesAdded",
            "labelsAdded",
            "labelsRemoved",
            "messagesDeleted"
        ]
    );
    assert_eq!(
        records[0]["messagesAdded"][0]["message"]["id"],
        new.as_str()
    );
    assert_eq!(
        records[1]["labelsAdded"][0]["labelIds"],
        serde_json::json!(["STARRED"])
    );
    assert_eq!(
        records[2]["labelsRemoved"][0]["labelIds"],
        serde_json::json!(["UNREAD"])
    );
    assert_eq!(
        records[3]["messagesDeleted"][0]["message"]["id"],
        old.as_str()
    );
    let record_ids: Vec<u64> = records
        .iter()
        .map(|r| {
            r["id"]
                .as_str()
                .expect("string id")
                .parse()
                .expect("number")
        })
        .collect();
    let start_number: u64 = start.parse().expect("number");
    assert!(
        record_ids[0] > start_number && record_ids.windows(2).all(|p| p[0] < p[1]),
        "ids increase: {record_ids:?}"
    );
    let (_, profile) = get(&fake, &token, "/gmail/v1/users/me/profile").await;
    assert_eq!(
        body["historyId"], profile["historyId"],
        "historyId is the mailbox's current one"
    );

    let (_, deleted_only) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/history?startHistoryId={start}&historyTypes=messageDeleted"),
    )
    .await;
    assert_eq!(
        deleted_only["history"].as_array().map(Vec::len),
        Some(1),
        "historyTypes filters"
    );

    let mut paged = 0;
    let mut page_token = String::new();
    loop {
        let (_, page) = get(
            &fake,
            &token,
            &format!("/gmail/v1/users/me/history?startHistoryId={start}&maxResults=1&pageToken={page_token}"),
        )
        .await;
        paged += page["history"].as_array().map_or(0, Vec::len);
        match page["nextPageToken"].as_str() {
            Some(next) => page_token = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(paged, 4, "paging one record at a time sees all four");

    let (status, body) = get(&fake, &token, "/gmail/v1/users/me/history").await;
    assert_eq!(
        (status, reason(&body)),
        (400, "required"),
        "startHistoryId is required"
    );

    fake.expire_history(USER);
    let (status, body) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/history?startHistoryId={start}"),
    )
    .await;
    assert_eq!(
        (status, reason(&body)),
        (404, "notFound"),
        "an expired start is 404"
    );
    let (_, profile) = get(&fake, &token, "/gmail/v1/users/me/profile").await;
    let fresh = profile["historyId"].as_str().expect("historyId");
    let (status, body) = get(
        &fake,
        &token,
        &format!("/gmail/v1/users/me/history?startHistoryId={fresh}"),
    )
    .await;
    assert_eq!(status, 200, "a start issued after expiry works: {body}");
    assert!(body.get("history").is_none(), "nothing happened since");
}

#[tokio::test]
async fn labels_list_has_system_and_user_labels() {
    let fake = fake().await;
    let id = fake.add_raw_message(USER, b"Subject: x\r\n\r\nx\r\n", &["INBOX"]);
    fake.modify_labels(USER, &id, &["Receipts"], &[]);
    let (token, _) = fake.issue_tokens(USER);
    let (_, body) = get(&fake, &token, "/gmail/v1/users/me/labels").await;
    let labels = body["labels"].as_array().expect("labels");
    let find = |id: &str| {
        labels
            .iter()
            .find(|l| l["id"] == id)
            .map(|l| l["type"].clone())
    };
    assert_eq!(find("INBOX"), Some(Value::from("system")));
    assert_eq!(find("Receipts"), Some(Value::from("user")));
    let (_, listed) = get(
        &fake,
        &token,
        "/gmail/v1/users/me/messages?q=label:Receipts",
    )
    .await;
    assert_eq!(
        ids(&listed),
        std::slice::from_ref(&id),
        "label: finds a user label by its name"
    );
    let (_, listed) = get(&fake, &token, "/gmail/v1/users/me/messages?q=in:inbox").await;
    assert_eq!(ids(&listed), [id], "in: finds system labels in any case");
}
