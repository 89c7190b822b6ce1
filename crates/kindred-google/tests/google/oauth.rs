//! Sign-in: the loopback redirect, state and PKCE, token storage, refresh failures and
//! sign-out.

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::Duration;

use kindred_fakegoogle::{Consent, FakeConfig};
use kindred_google::loopback::{accepts_peer, Loopback};
use kindred_google::{access_token_entry, refresh_token_entry, GoogleError, PROVIDER};
use kindred_store::accounts::AccountStatus;
use kindred_store::secrets::SecretStore;

use crate::{follow, raw_message, World};

#[tokio::test]
async fn first_sign_in_keeps_tokens_in_the_secret_store_only() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user("ada@example.com");
    world.fake.add_raw_message(
        "ada@example.com",
        &raw_message("bob@example.org", "ada@example.com", "hello", 2),
        &["INBOX"],
    );
    let account = world.sign_in("ada@example.com", None).await;
    assert_eq!(account.status, AccountStatus::Connected);
    world.sync_ok(&account).await;
    world.store.close().await;

    let refresh = world
        .secrets
        .get(&refresh_token_entry("ada@example.com"))
        .unwrap();
    let access = world
        .secrets
        .get(&access_token_entry("ada@example.com"))
        .unwrap();
    let refresh = refresh.expect("the refresh token is in the secret store");
    let access = access.expect("the access token is in the secret store");
    let access = access.expose().split_once(' ').unwrap().1.to_owned();
    for entry in std::fs::read_dir(world.dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        for token in [refresh.expose(), access.as_str()] {
            assert!(
                !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                "no token appears in the database files"
            );
        }
    }
}

#[tokio::test]
async fn a_redirect_with_another_state_is_refused_and_the_listener_keeps_waiting() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user("ada@example.com");
    let pending = world.google.begin_login().await.unwrap();
    let forged = format!("{}?state=forged&code=stolen", pending.redirect_uri());
    let url = pending.authorization_url().to_string();
    let browser = tokio::spawn(async move {
        let response = reqwest::get(&forged).await.unwrap();
        let status = response.status();
        let page = response.text().await.unwrap();
        (status, page, follow(&url).await)
    });
    let signed_in = world
        .google
        .finish_login(pending, Duration::from_secs(30))
        .await
        .expect("the genuine redirect after a forged one signs in");
    let (status, page, genuine) = browser.await.unwrap();
    assert_eq!(status, 400, "a redirect with a foreign state is refused");
    assert!(
        page.contains("does not belong"),
        "the page says why: {page}"
    );
    assert!(genuine.contains("You can close this tab"));
    assert_eq!(signed_in.email, "ada@example.com");
}

#[tokio::test]
async fn the_code_is_useless_without_the_pkce_verifier() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user("ada@example.com");
    let pending = world.google.begin_login().await.unwrap();
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = no_redirects
        .get(pending.authorization_url().as_str())
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let location = url::Url::parse(&location).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("the redirect carries a code");
    let env = world.fake.env();
    let get = |name: &str| env.iter().find(|(k, _)| *k == name).unwrap().1.clone();
    let refused = no_redirects
        .post(get("KINDRED_GOOGLE_TOKEN_URL"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", pending.redirect_uri()),
            ("client_id", get("KINDRED_GOOGLE_CLIENT_ID").as_str()),
            (
                "client_secret",
                get("KINDRED_GOOGLE_CLIENT_SECRET").as_str(),
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        400,
        "an exchange without code_verifier is refused"
    );
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant", "{body}");
}

#[tokio::test]
async fn the_listener_binds_loopback_only_and_refuses_other_peers() {
    let loopback = Loopback::bind().await.unwrap();
    assert!(loopback.address().ip().is_loopback(), "bound to 127.0.0.1");
    assert!(accepts_peer(&"127.0.0.1:5000".parse().unwrap()));
    assert!(accepts_peer(&"[::1]:5000".parse().unwrap()));
    assert!(
        !accepts_peer(&"192.168.1.20:5000".parse().unwrap()),
        "a LAN peer is refused"
    );
    assert!(
        !accepts_peer(&"10.0.0.7:5000".parse().unwrap()),
        "a LAN peer is refused"
    );
    // From another interface of this machine, the port is not even reachable.
    let outward = UdpSocket::bind("0.0.0.0:0")
        .and_then(|socket| socket.connect("192.0.2.1:9").map(|()| socket))
        .and_then(|socket| socket.local_addr())
        .map(|address| address.ip())
        .ok()
        .filter(|ip: &IpAddr| !ip.is_loopback() && !ip.is_unspecified());
    if let Some(ip) = outward {
        let target = SocketAddr::new(ip, loopback.address().port());
        let connected = tokio::time::timeout(
            Duration::from_secs(2),
            tokio::net::TcpStream::connect(target),
        )
        .await;
        assert!(
            !matches!(connected, Ok(Ok(_))),
            "the listener is not reachable through {ip}"
        );
    }
}

#[tokio::test]
async fn a_refused_consent_and_a_timeout_end_the_sign_in_with_a_clear_error() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user("ada@example.com");
    world.fake.set_consent(Consent::Deny);
    let pending = world.google.begin_login().await.unwrap();
    let url = pending.authorization_url().to_string();
    let browser = tokio::spawn(async move { follow(&url).await });
    let denied = world
        .google
        .finish_login(pending, Duration::from_secs(30))
        .await;
    browser.await.unwrap();
    assert!(
        matches!(denied, Err(GoogleError::LoginDenied(_))),
        "{denied:?}"
    );

    let pending = world.google.begin_login().await.unwrap();
    let timed_out = world
        .google
        .finish_login(pending, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(matches!(timed_out, GoogleError::LoginTimeout { .. }));
    assert!(
        timed_out.to_string().contains("kindred login google"),
        "{timed_out}"
    );
}

#[tokio::test]
async fn expired_access_tokens_are_refreshed_and_a_refused_refresh_asks_to_reconnect() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user("ada@example.com");
    let account = world.sign_in("ada@example.com", None).await;
    world.sync_ok(&account).await;

    world.fake.expire_access_tokens("ada@example.com");
    world.fake.add_raw_message(
        "ada@example.com",
        &raw_message("bob@example.org", "ada@example.com", "after-expiry", 3),
        &["INBOX"],
    );
    let report = world.sync_ok(&account).await;
    assert_eq!(
        report.counts.mail_added, 1,
        "a 401 refreshes the token and the pass goes on"
    );

    world.fake.expire_access_tokens("ada@example.com");
    world.fake.invalidate_refresh_tokens("ada@example.com");
    for _ in 0..2 {
        let report = world.sync(&account).await;
        assert!(
            matches!(report.error, Some(GoogleError::ReconnectNeeded { .. })),
            "invalid_grant ends the pass cleanly: {:?}",
            report.error
        );
    }
    let stored = world
        .store
        .account(PROVIDER, "ada@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, AccountStatus::ReconnectNeeded);
    let runs = world.store.sync_runs(account.id, 1).await.unwrap();
    assert_eq!(
        runs[0].error_class.as_deref(),
        Some("reconnect_needed"),
        "the audit row says why"
    );
    let message = runs[0].error_message.clone().unwrap_or_default();
    let refresh = world
        .secrets
        .get(&refresh_token_entry("ada@example.com"))
        .unwrap()
        .unwrap();
    assert!(
        !message.contains(refresh.expose()),
        "no token in the audit row"
    );
}

#[tokio::test]
async fn sign_out_revokes_at_google_and_deletes_the_tokens() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user("ada@example.com");
    world.fake.add_user("bea@example.com");
    world.sign_in("ada@example.com", None).await;
    world.sign_in("bea@example.com", None).await;
    assert!(
        world
            .google
            .revoke(&world.secrets, "ada@example.com")
            .await
            .unwrap(),
        "Google confirms"
    );
    assert!(world
        .secrets
        .get(&refresh_token_entry("ada@example.com"))
        .unwrap()
        .is_none());
    assert!(world
        .secrets
        .get(&access_token_entry("ada@example.com"))
        .unwrap()
        .is_none());
    assert!(
        world
            .secrets
            .get(&refresh_token_entry("bea@example.com"))
            .unwrap()
            .is_some(),
        "the other account keeps its sign-in"
    );
    assert!(
        world.fake.stats().revoked_tokens >= 1,
        "the revoke endpoint was called"
    );
}
