//! OAuth: authorization code with PKCE, the token endpoint's refusals, refresh, revocation
//! and userinfo.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use kindred_fakegoogle::{Consent, FakeConfig, FakeGoogle};
use serde_json::Value;

use crate::support::{challenge, client, fake, get, reason, USER, VERIFIER};

const REDIRECT: &str = "http://127.0.0.1:53682/callback";
const SCOPES: &str = "openid email https://www.googleapis.com/auth/gmail.readonly \
                      https://www.googleapis.com/auth/calendar.readonly";

fn client_id(fake: &FakeGoogle) -> String {
    env(fake, "KINDRED_GOOGLE_CLIENT_ID")
}

fn env(fake: &FakeGoogle, key: &str) -> String {
    fake.env()
        .into_iter()
        .find(|(name, _)| *name == key)
        .map(|(_, value)| value)
        .unwrap_or_else(|| panic!("env() names {key}"))
}

/// The authorization request, with `overrides` replacing or (empty value) removing
/// parameters.
async fn authorize(fake: &FakeGoogle, overrides: &[(&str, &str)]) -> reqwest::Response {
    let challenge = challenge(VERIFIER);
    let id = client_id(fake);
    let mut params: Vec<(&str, &str)> = vec![
        ("client_id", id.as_str()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", SCOPES),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("state", "st4te"),
        ("access_type", "offline"),
    ];
    for (name, value) in overrides {
        params.retain(|(key, _)| key != name);
        if !value.is_empty() {
            params.push((name, value));
        }
    }
    client()
        .get(env(fake, "KINDRED_GOOGLE_AUTH_URL"))
        .query(&params)
        .send()
        .await
        .expect("the consent page answers")
}

/// The query of the redirect back to the app.
fn redirect_query(response: &reqwest::Response, redirect: &str) -> Vec<(String, String)> {
    assert_eq!(
        response.status().as_u16(),
        302,
        "consent redirects with 302"
    );
    let location = response.headers()["location"]
        .to_str()
        .expect("ASCII location");
    assert!(
        location.starts_with(redirect),
        "the redirect goes back to the app's redirect_uri: {location}"
    );
    url::Url::parse(location)
        .expect("location is a URL")
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

fn param<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

async fn code(fake: &FakeGoogle) -> String {
    let query = redirect_query(&authorize(fake, &[]).await, REDIRECT);
    param(&query, "code").expect("a code comes back").to_owned()
}

async fn token(fake: &FakeGoogle, form: &[(&str, &str)]) -> (u16, Value) {
    let id = client_id(fake);
    let secret = env(fake, "KINDRED_GOOGLE_CLIENT_SECRET");
    let mut fields = vec![
        ("client_id", id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    fields.extend_from_slice(form);
    let response = client()
        .post(env(fake, "KINDRED_GOOGLE_TOKEN_URL"))
        .form(&fields)
        .send()
        .await
        .expect("the token endpoint answers");
    (
        response.status().as_u16(),
        response.json().await.expect("JSON"),
    )
}

async fn exchange(fake: &FakeGoogle, code: &str, verifier: &str, redirect: &str) -> (u16, Value) {
    token(
        fake,
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", redirect),
        ],
    )
    .await
}

#[tokio::test]
async fn code_with_pkce_gives_tokens_once() {
    let fake = fake().await;
    let query = redirect_query(&authorize(&fake, &[]).await, REDIRECT);
    assert_eq!(
        param(&query, "state"),
        Some("st4te"),
        "state comes back unchanged"
    );
    assert_eq!(
        param(&query, "scope"),
        Some(SCOPES),
        "the granted scope comes back"
    );
    let code = param(&query, "code").expect("a code");

    let (status, body) = exchange(&fake, code, VERIFIER, REDIRECT).await;
    assert_eq!(status, 200, "a good verifier is accepted: {body}");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(
        body["expires_in"], 3599,
        "expires_in is one second under the lifetime"
    );
    assert_eq!(body["scope"], SCOPES);
    let access = body["access_token"].as_str().expect("access_token");
    assert!(
        body["refresh_token"].is_string(),
        "access_type=offline gives a refresh token"
    );
    let id_token = body["id_token"].as_str().expect("openid gives an id_token");
    let claims = id_token.split('.').nth(1).expect("a JWT has three parts");
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).expect("base64url")).expect("JSON");
    assert_eq!(claims["email"], USER, "the id_token names the account");

    let response = client()
        .get(env(&fake, "KINDRED_GOOGLE_USERINFO_URL"))
        .bearer_auth(access)
        .send()
        .await
        .expect("userinfo answers");
    let info: Value = response.json().await.expect("JSON");
    assert_eq!(info["email"], USER);
    assert_eq!(info["email_verified"], true);
    assert_eq!(
        info["sub"], claims["sub"],
        "userinfo and the id_token agree on sub"
    );

    let (status, body) = exchange(&fake, code, VERIFIER, REDIRECT).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "a code works once"
    );
}

#[tokio::test]
async fn bad_verifier_redirect_or_missing_verifier_is_invalid_grant() {
    let fake = fake().await;
    let code = code(&fake).await;
    let wrong_verifier = "x".repeat(43);
    for (verifier, redirect, what) in [
        (wrong_verifier.as_str(), REDIRECT, "a wrong verifier"),
        (
            VERIFIER,
            "http://127.0.0.1:53683/callback",
            "another redirect_uri",
        ),
    ] {
        let (status, body) = exchange(&fake, &code, verifier, redirect).await;
        assert_eq!(status, 400, "{what} is refused");
        assert_eq!(
            body["error"], "invalid_grant",
            "{what} is invalid_grant: {body}"
        );
    }
    let (status, body) = token(
        &fake,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
        ],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "no verifier"
    );
    let (status, _) = exchange(&fake, &code, VERIFIER, REDIRECT).await;
    assert_eq!(status, 200, "failed attempts do not use the code up");
}

#[tokio::test]
async fn consent_page_refuses_bad_requests_without_redirecting() {
    let fake = fake().await;
    for (overrides, expected, what) in [
        (vec![("code_challenge", "")], 400, "missing PKCE"),
        (
            vec![("code_challenge_method", "plain")],
            400,
            "a plain challenge",
        ),
        (
            vec![("redirect_uri", "https://evil.example/cb")],
            400,
            "a non-loopback redirect",
        ),
        (
            vec![("redirect_uri", "http://localhost/cb")],
            400,
            "a loopback redirect without port",
        ),
        (vec![("scope", "")], 400, "no scope"),
        (
            vec![("client_id", "someone-else")],
            401,
            "an unknown client",
        ),
        (
            vec![("login_hint", "nobody@example.com")],
            400,
            "an unknown login_hint",
        ),
    ] {
        let response = authorize(&fake, &overrides).await;
        assert_eq!(
            response.status().as_u16(),
            expected,
            "{what} gets an error page"
        );
        assert!(
            response.headers().get("location").is_none(),
            "{what} is not redirected"
        );
    }
    let query = redirect_query(
        &authorize(&fake, &[("redirect_uri", "http://[::1]:8080/")]).await,
        "http://[::1]:8080/",
    );
    assert!(
        param(&query, "code").is_some(),
        "[::1] with a port is a loopback redirect"
    );
}

#[tokio::test]
async fn denied_consent_redirects_with_access_denied() {
    let fake = fake().await;
    fake.set_consent(Consent::Deny);
    let query = redirect_query(&authorize(&fake, &[]).await, REDIRECT);
    assert_eq!(param(&query, "error"), Some("access_denied"));
    assert_eq!(param(&query, "state"), Some("st4te"));
    assert!(param(&query, "code").is_none(), "a denial carries no code");
}

#[tokio::test]
async fn no_account_means_an_error_page() {
    let fake = FakeGoogle::start(FakeConfig::default())
        .await
        .expect("starts");
    let response = authorize(&fake, &[]).await;
    assert_eq!(response.status().as_u16(), 400, "nobody to sign in as");
}

#[tokio::test]
async fn refresh_gives_a_working_access_token_and_no_new_refresh_token() {
    let fake = fake().await;
    let (access, refresh) = fake.issue_tokens(USER);
    fake.expire_access_tokens(USER);
    let (status, body) = get(&fake, &access, "/gmail/v1/users/me/profile").await;
    assert_eq!(
        (status, reason(&body)),
        (401, "authError"),
        "an expired token is refused"
    );

    let (status, body) = token(
        &fake,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(status, 200, "refresh works: {body}");
    assert!(
        body.get("refresh_token").is_none(),
        "a refresh returns no new refresh token"
    );
    let fresh = body["access_token"].as_str().expect("access_token");
    let (status, body) = get(&fake, fresh, "/gmail/v1/users/me/profile").await;
    assert_eq!((status, body["emailAddress"].as_str()), (200, Some(USER)));

    let response = client()
        .post(env(&fake, "KINDRED_GOOGLE_TOKEN_URL"))
        .basic_auth(client_id(&fake), Some("wrong-secret"))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh.as_str()),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response.status().as_u16(),
        401,
        "a wrong secret (Basic) is invalid_client"
    );
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_client");
}

#[tokio::test]
async fn invalidated_refresh_tokens_get_invalid_grant() {
    let fake = fake().await;
    let (_, refresh) = fake.issue_tokens(USER);
    fake.invalidate_refresh_tokens(USER);
    let (status, body) = token(
        &fake,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn revoking_the_access_token_kills_both_tokens() {
    let fake = fake().await;
    let (access, refresh) = fake.issue_tokens(USER);
    let (status, _) = get(&fake, &access, "/gmail/v1/users/me/profile").await;
    assert_eq!(status, 200, "the fresh token works");

    let revoke_url = env(&fake, "KINDRED_GOOGLE_REVOKE_URL");
    let revoke = |token: String| {
        let url = revoke_url.clone();
        async move {
            client()
                .post(url)
                .query(&[("token", token)])
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .expect("revoke answers")
        }
    };
    assert_eq!(revoke(access.clone()).await.status().as_u16(), 200);
    let response = client()
        .get(format!("{}/gmail/v1/users/me/profile", fake.base_url()))
        .bearer_auth(&access)
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status().as_u16(), 401, "a revoked token gets 401");
    assert!(
        response.headers().contains_key("www-authenticate"),
        "401 says Bearer"
    );
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED");

    let (status, body) = token(
        &fake,
        &[("grant_type", "refresh_token"), ("refresh_token", &refresh)],
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "its refresh token died too"
    );
    let again = revoke(refresh).await;
    assert_eq!(
        again.status().as_u16(),
        400,
        "revoking a dead token is invalid_token"
    );
    let body: Value = again.json().await.expect("JSON");
    assert_eq!(body["error"], "invalid_token");
    let by_get = client().get(&revoke_url).send().await.expect("answers");
    assert_eq!(
        by_get.status().as_u16(),
        404,
        "GET on the revocation URL is 404"
    );
    assert_eq!(fake.stats().revoked_tokens, 1);
}

#[tokio::test]
async fn granted_scopes_limit_what_a_token_may_call() {
    let fake = fake().await;
    let id = fake.add_raw_message(USER, b"Subject: s\r\n\r\nscoped\r\n", &["INBOX"]);
    let metadata_scope = "https://www.googleapis.com/auth/gmail.metadata";
    let query = redirect_query(
        &authorize(&fake, &[("scope", metadata_scope)]).await,
        REDIRECT,
    );
    let code = param(&query, "code").expect("a code");
    let (_, body) = exchange(&fake, code, VERIFIER, REDIRECT).await;
    assert!(body.get("id_token").is_none(), "no openid, no id_token");
    let token = body["access_token"].as_str().expect("access_token");
    let message = format!("/gmail/v1/users/me/messages/{id}");
    let (status, _) = get(&fake, token, &format!("{message}?format=metadata")).await;
    assert_eq!(status, 200, "gmail.metadata may read headers");
    for path in [
        format!("{message}?format=raw"),
        format!("{message}?format=full"),
        "/gmail/v1/users/me/messages?q=after:2020/01/01".to_owned(),
        "/calendar/v3/users/me/calendarList".to_owned(),
    ] {
        let (status, body) = get(&fake, token, &path).await;
        assert_eq!(
            (status, reason(&body)),
            (403, "insufficientPermissions"),
            "{path} is outside gmail.metadata"
        );
    }
}
