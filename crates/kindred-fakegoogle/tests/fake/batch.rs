//! Batch: parts answered one by one, each charged to quota, with response Content-IDs.

use serde_json::Value;

use crate::support::{client, fake, USER};

fn part(content_id: &str, request_line: &str) -> String {
    format!("--BOUNDARY\r\nContent-Type: application/http\r\nContent-ID: <{content_id}>\r\n\r\n{request_line}\r\n\r\n")
}

#[tokio::test]
async fn batch_answers_each_part_and_charges_each() {
    let fake = fake().await;
    let id = fake.add_raw_message(USER, b"Subject: b\r\n\r\nbatch body\r\n", &["INBOX"]);
    let (token, _) = fake.issue_tokens(USER);
    let body = [
        part(
            "item1",
            &format!("GET /gmail/v1/users/me/messages/{id}?format=minimal"),
        ),
        part("item2", "GET /gmail/v1/users/me/messages/ffffffffffffffff"),
        part(
            "item3",
            "GET https://gmail.googleapis.com/gmail/v1/users/me/profile HTTP/1.1",
        ),
        "--BOUNDARY--\r\n".to_owned(),
    ]
    .concat();
    let response = client()
        .post(format!("{}/batch/gmail/v1", fake.base_url()))
        .bearer_auth(&token)
        .header("content-type", "multipart/mixed; boundary=BOUNDARY")
        .body(body)
        .send()
        .await
        .expect("batch answers");
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .expect("ASCII")
        .to_owned();
    let boundary = content_type
        .split("boundary=")
        .nth(1)
        .expect("a boundary")
        .to_owned();
    let text = response.text().await.expect("text");
    let parts: Vec<&str> = text
        .split(&format!("--{boundary}"))
        .filter(|p| p.contains("Content-ID"))
        .collect();
    assert_eq!(parts.len(), 3, "one answer per part: {text}");
    for (index, (expected_status, content_id)) in [
        (200, "<response-item1>"),
        (404, "<response-item2>"),
        (200, "<response-item3>"),
    ]
    .into_iter()
    .enumerate()
    {
        let answer = parts[index];
        assert!(
            answer.contains(&format!("Content-ID: {content_id}")),
            "part {index}: {answer}"
        );
        assert!(
            answer.contains(&format!("HTTP/1.1 {expected_status} ")),
            "part {index}: {answer}"
        );
    }
    let json_of = |answer: &str| -> Value {
        serde_json::from_str(answer[answer.find('{').expect("JSON body")..].trim()).expect("JSON")
    };
    assert_eq!(json_of(parts[0])["id"], id.as_str());
    assert_eq!(json_of(parts[2])["emailAddress"], USER);
    let stats = fake.stats();
    assert_eq!(
        stats.units_charged, 11,
        "two gets (5 each) and a profile (1)"
    );
    assert_eq!(
        stats.requests_for("gmail.users.messages.get"),
        2,
        "parts count as calls"
    );
    assert_eq!(stats.requests_for("batch"), 1);

    let too_many: String = (0..101)
        .map(|i| part(&format!("i{i}"), "GET /gmail/v1/users/me/profile"))
        .chain(std::iter::once("--BOUNDARY--\r\n".to_owned()))
        .collect();
    let response = client()
        .post(format!("{}/batch", fake.base_url()))
        .bearer_auth(&token)
        .header("content-type", "multipart/mixed; boundary=BOUNDARY")
        .body(too_many)
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status().as_u16(),
        400,
        "more than 100 parts is refused"
    );
}
