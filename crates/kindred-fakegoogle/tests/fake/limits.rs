//! Quota (429 / 403 with Retry-After, then success after the wait) and seeded fault
//! injection.

use std::time::Duration;

use kindred_fakegoogle::{FakeConfig, QuotaRefusal};
use serde_json::Value;

use crate::support::{client, fake_with, get, reason, USER};

#[tokio::test]
async fn over_quota_is_429_with_retry_after_then_served_after_the_wait() {
    let fake = fake_with(FakeConfig {
        quota_units_per_second: Some(10.0),
        ..FakeConfig::default()
    })
    .await;
    let id = fake.add_raw_message(USER, b"Subject: q\r\n\r\nq\r\n", &["INBOX"]);
    let (token, _) = fake.issue_tokens(USER);
    let url = format!(
        "{}/gmail/v1/users/me/messages/{id}?format=minimal",
        fake.base_url()
    );
    let fetch = || client().get(&url).bearer_auth(&token).send();

    for call in 0..2 {
        assert_eq!(
            fetch().await.expect("answers").status().as_u16(),
            200,
            "call {call} fits the burst"
        );
    }
    let refused = fetch().await.expect("answers");
    assert_eq!(
        refused.status().as_u16(),
        429,
        "10 units a second allow two 5-unit calls"
    );
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ASCII")
        .parse()
        .expect("Retry-After is whole seconds");
    assert!(retry_after >= 1, "Retry-After asks for a wait");
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(reason(&body), "rateLimitExceeded");
    assert_eq!(body["error"]["errors"][0]["domain"], "usageLimits");

    tokio::time::sleep(Duration::from_secs(retry_after)).await;
    assert_eq!(
        fetch().await.expect("answers").status().as_u16(),
        200,
        "served after Retry-After"
    );
    let stats = fake.stats();
    assert_eq!(stats.quota_429, 1);
    assert_eq!(stats.units_charged, 15, "only served calls are charged");
    assert_eq!(stats.requests_for("gmail.users.messages.get"), 4);

    fake.set_quota_refusal(QuotaRefusal::Forbidden);
    fake.set_quota(Some(1.0));
    let (_, _) = get(&fake, &token, "/gmail/v1/users/me/history?startHistoryId=1").await;
    let (status, body) = get(&fake, &token, "/gmail/v1/users/me/history?startHistoryId=1").await;
    assert_eq!(
        (status, reason(&body)),
        (403, "userRateLimitExceeded"),
        "the 403 flavour"
    );
    fake.set_quota(None);
    let (status, _) = get(&fake, &token, "/gmail/v1/users/me/profile").await;
    assert_eq!(status, 200, "no quota, no refusals");
}

/// Outcomes of `calls` getProfile calls: status codes, 0 for a timeout.
async fn outcomes(seed: u64, calls: usize) -> (Vec<u16>, kindred_fakegoogle::FakeStats) {
    let fake = fake_with(FakeConfig {
        fault_rate: 0.25,
        seed,
        stall: Duration::from_secs(3),
        ..FakeConfig::default()
    })
    .await;
    let (token, _) = fake.issue_tokens(USER);
    let impatient = reqwest::Client::builder()
        .timeout(Duration::from_millis(250))
        .build()
        .expect("client");
    let url = format!("{}/gmail/v1/users/me/profile", fake.base_url());
    let mut statuses = Vec::new();
    for _ in 0..calls {
        match impatient.get(&url).bearer_auth(&token).send().await {
            Ok(response) => statuses.push(response.status().as_u16()),
            Err(error) => {
                assert!(error.is_timeout(), "only stalls fail to answer: {error}");
                statuses.push(0);
            }
        }
    }
    (statuses, fake.stats())
}

#[tokio::test]
async fn faults_come_at_the_configured_rate_and_repeat_with_the_seed() {
    let (statuses, stats) = outcomes(7, 160).await;
    let faults = statuses.iter().filter(|s| **s != 200).count();
    assert!(
        (20..=60).contains(&faults),
        "about a quarter of 160 calls fault: {faults}"
    );
    assert!(
        statuses.contains(&500) && statuses.contains(&503) && statuses.contains(&0),
        "all three kinds occur"
    );
    assert!(
        statuses.iter().all(|s| [0, 200, 500, 503].contains(s)),
        "{statuses:?}"
    );
    assert_eq!(stats.faults, faults as u64, "stats count every fault");
    assert_eq!(
        stats.stalls,
        statuses.iter().filter(|s| **s == 0).count() as u64
    );

    let (again, _) = outcomes(7, 40).await;
    assert_eq!(again, statuses[..40], "the same seed gives the same faults");
}
