//! Signing in to Google: the installed-app flow (authorization code + PKCE S256, `state`
//! checked, `access_type=offline`) over a loopback redirect, token refresh, revocation,
//! and the tokens' home in the secret store (the OS keyring) — never the database, logs
//! or error messages.
//!
//! oauth2's requests go through Kindred's own reqwest client (the system certificate
//! store) via a small adapter, not through oauth2's bundled HTTP client.

use std::time::Duration;

use chrono::{DateTime, Utc};
use kindred_store::secrets::{SecretStore, SecretString};
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet,
    EndpointSet, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError,
    Scope, TokenResponse, TokenUrl,
};
use serde::Deserialize;
use url::Url;

use crate::config::{Endpoints, SyncSettings, SCOPES};
use crate::error::GoogleError;
use crate::loopback::Loopback;

/// How long the person has to finish signing in in the browser.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

type OAuthClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// The secret-store entry of the refresh token of `email`.
#[must_use]
pub fn refresh_token_entry(email: &str) -> String {
    format!("google-refresh-token:{email}")
}

/// The secret-store entry of the access token (with its expiry) of `email`.
#[must_use]
pub fn access_token_entry(email: &str) -> String {
    format!("google-access-token:{email}")
}

/// Google, as configured: endpoints, the sync's settings and the HTTP client.
#[derive(Debug, Clone)]
pub struct Google {
    pub(crate) endpoints: Endpoints,
    pub(crate) settings: SyncSettings,
    pub(crate) http: reqwest::Client,
}

/// An access token and when it stops working.
pub(crate) struct AccessToken {
    pub(crate) secret: SecretString,
    pub(crate) expires_at: Option<DateTime<Utc>>,
}

/// The outcome of a completed sign-in: the address and the tokens, not yet stored.
#[derive(Debug)]
pub struct SignedIn {
    pub email: String,
    access: SecretString,
    refresh: Option<SecretString>,
    expires_at: Option<DateTime<Utc>>,
}

/// A sign-in waiting for the browser: open [`PendingLogin::authorization_url`], then
/// [`Google::finish_login`].
#[derive(Debug)]
pub struct PendingLogin {
    url: Url,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    redirect_uri: String,
    loopback: Loopback,
}

impl PendingLogin {
    /// The URL to open in the person's browser.
    #[must_use]
    pub fn authorization_url(&self) -> &Url {
        &self.url
    }

    /// Where the browser will be redirected (the loopback listener).
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
}

#[derive(Deserialize)]
struct UserInfo {
    email: Option<String>,
}

impl Google {
    /// Google at `endpoints`, used with `settings`.
    ///
    /// # Errors
    /// The HTTP client cannot be built (no TLS backend).
    pub fn new(endpoints: Endpoints, settings: SyncSettings) -> Result<Self, GoogleError> {
        let http = reqwest::Client::builder()
            .timeout(settings.request_timeout)
            .connect_timeout(settings.request_timeout)
            .user_agent(concat!("kindred/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| GoogleError::Config(format!("cannot set up HTTPS: {error}")))?;
        Ok(Self {
            endpoints,
            settings,
            http,
        })
    }

    /// Google as the environment configures it (see [`Endpoints::from_env`] and
    /// [`SyncSettings::from_env`]).
    ///
    /// # Errors
    /// No client id is configured, or a variable is malformed.
    pub fn from_env() -> Result<Self, GoogleError> {
        Self::new(Endpoints::from_env()?, SyncSettings::from_env()?)
    }

    /// The sync settings in use.
    #[must_use]
    pub fn settings(&self) -> &SyncSettings {
        &self.settings
    }

    fn oauth_client(&self) -> OAuthClient {
        let client = BasicClient::new(ClientId::new(self.endpoints.client_id.clone()))
            .set_auth_uri(AuthUrl::from_url(self.endpoints.auth_url.clone()))
            .set_token_uri(TokenUrl::from_url(self.endpoints.token_url.clone()))
            .set_auth_type(AuthType::RequestBody);
        match &self.endpoints.client_secret {
            Some(secret) => client.set_client_secret(ClientSecret::new(secret.clone())),
            None => client,
        }
    }

    /// Starts a sign-in: binds the loopback listener and builds the authorization URL
    /// (PKCE S256, a random `state`, offline access, read-only scopes).
    ///
    /// # Errors
    /// No loopback port could be bound.
    pub async fn begin_login(&self) -> Result<PendingLogin, GoogleError> {
        let loopback = Loopback::bind().await?;
        let redirect_uri = loopback.redirect_uri();
        let redirect = RedirectUrl::new(redirect_uri.clone())
            .map_err(|error| GoogleError::Login(format!("bad redirect URI: {error}")))?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state) = self
            .oauth_client()
            .set_redirect_uri(redirect)
            .authorize_url(CsrfToken::new_random)
            .add_scopes(SCOPES.iter().map(|s| Scope::new((*s).to_owned())))
            .set_pkce_challenge(challenge)
            .add_extra_param("access_type", "offline")
            .add_extra_param("prompt", "consent")
            .url();
        Ok(PendingLogin {
            url,
            state,
            verifier,
            redirect_uri,
            loopback,
        })
    }

    /// Waits (up to `timeout`) for the browser's redirect, exchanges the code with the
    /// PKCE verifier, and learns the address from the userinfo endpoint.
    ///
    /// # Errors
    /// The timeout passed, access was refused, or Google refused the exchange.
    pub async fn finish_login(
        &self,
        pending: PendingLogin,
        timeout: Duration,
    ) -> Result<SignedIn, GoogleError> {
        let PendingLogin {
            state,
            verifier,
            redirect_uri,
            loopback,
            ..
        } = pending;
        let code = loopback.wait(state.secret(), timeout).await?;
        let redirect = RedirectUrl::new(redirect_uri)
            .map_err(|error| GoogleError::Login(format!("bad redirect URI: {error}")))?;
        let http = |request| send(self.http.clone(), request);
        let response = self
            .oauth_client()
            .set_redirect_uri(redirect)
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(verifier)
            .request_async(&http)
            .await
            .map_err(|error| GoogleError::Login(describe_token_error(&error)))?;
        let access = SecretString::new(response.access_token().secret().clone());
        let refresh = response
            .refresh_token()
            .map(|token| SecretString::new(token.secret().clone()));
        let expires_at = expiry(response.expires_in());
        let email = self.user_email(&access).await?;
        Ok(SignedIn {
            email,
            access,
            refresh,
            expires_at,
        })
    }

    async fn user_email(&self, access: &SecretString) -> Result<String, GoogleError> {
        let context = "reading the signed-in address";
        let response = self
            .http
            .get(self.endpoints.userinfo_url.clone())
            .bearer_auth(access.expose())
            .send()
            .await
            .map_err(|error| GoogleError::Login(format!("{context}: {}", redact(&error))))?;
        if !response.status().is_success() {
            return Err(GoogleError::Login(format!(
                "{context}: the userinfo endpoint answered {}",
                response.status()
            )));
        }
        let info: UserInfo = response
            .json()
            .await
            .map_err(|error| GoogleError::Malformed {
                context: context.to_owned(),
                message: redact(&error),
            })?;
        info.email
            .map(|email| email.trim().to_lowercase())
            .filter(|email| email.contains('@'))
            .ok_or_else(|| GoogleError::Login(format!("{context}: no address was returned")))
    }

    /// Stores the tokens of a sign-in in `secrets`. A sign-in without a refresh token
    /// (Google sends one only on consent) keeps the one stored before, if any.
    ///
    /// # Errors
    /// The secret store cannot be written, or there is no refresh token at all.
    pub fn store_tokens(
        &self,
        secrets: &dyn SecretStore,
        signed_in: &SignedIn,
    ) -> Result<(), GoogleError> {
        let email = &signed_in.email;
        match &signed_in.refresh {
            Some(refresh) => secrets.set(&refresh_token_entry(email), refresh)?,
            None if secrets.get(&refresh_token_entry(email))?.is_some() => {}
            None => {
                return Err(GoogleError::Login(
                    "Google granted no offline access (no refresh token); remove Kindred's \
                     access in your Google account settings and sign in again"
                        .to_owned(),
                ))
            }
        }
        store_access_token(
            secrets,
            email,
            &AccessToken {
                secret: SecretString::new(signed_in.access.expose().to_owned()),
                expires_at: signed_in.expires_at,
            },
        )
    }

    /// A fresh access token for `email` from its refresh token, stored for later use.
    ///
    /// # Errors
    /// [`GoogleError::ReconnectNeeded`] when Google refuses the refresh token
    /// (`invalid_grant`), [`GoogleError::NotSignedIn`] when none is stored, else a
    /// network or secret-store error.
    pub(crate) async fn refresh(
        &self,
        secrets: &dyn SecretStore,
        email: &str,
    ) -> Result<AccessToken, GoogleError> {
        let refresh =
            secrets
                .get(&refresh_token_entry(email))?
                .ok_or_else(|| GoogleError::NotSignedIn {
                    email: email.to_owned(),
                    store: secrets.describe(),
                })?;
        let http = |request| send(self.http.clone(), request);
        let token = RefreshToken::new(refresh.expose().to_owned());
        let mut attempt = 0;
        let response = loop {
            attempt += 1;
            match self
                .oauth_client()
                .exchange_refresh_token(&token)
                .request_async(&http)
                .await
            {
                Ok(response) => break response,
                Err(RequestTokenError::ServerResponse(response))
                    if matches!(
                        response.error(),
                        BasicErrorResponseType::InvalidGrant
                            | BasicErrorResponseType::UnauthorizedClient
                    ) =>
                {
                    return Err(GoogleError::ReconnectNeeded {
                        email: email.to_owned(),
                        reason: response.error().to_string(),
                    });
                }
                Err(error) if attempt >= self.settings.max_attempts => {
                    return Err(GoogleError::Network {
                        context: format!("refreshing the access token of {email}"),
                        message: describe_token_error(&error),
                        attempts: attempt,
                    });
                }
                Err(error) => {
                    tracing::debug!(
                        "token refresh failed, retrying: {}",
                        describe_token_error(&error)
                    );
                    tokio::time::sleep(crate::client::backoff(&self.settings, attempt)).await;
                }
            }
        };
        if let Some(rotated) = response.refresh_token() {
            secrets.set(
                &refresh_token_entry(email),
                &SecretString::new(rotated.secret().clone()),
            )?;
        }
        let access = AccessToken {
            secret: SecretString::new(response.access_token().secret().clone()),
            expires_at: expiry(response.expires_in()),
        };
        store_access_token(secrets, email, &access)?;
        Ok(access)
    }

    /// Signs `email` out: revokes its refresh token at Google (which revokes its access
    /// tokens too) and deletes both tokens from `secrets`. Returns whether Google
    /// confirmed the revocation; the tokens are deleted either way.
    ///
    /// # Errors
    /// The secret store cannot be reached.
    pub async fn revoke(
        &self,
        secrets: &dyn SecretStore,
        email: &str,
    ) -> Result<bool, GoogleError> {
        // Revoking the refresh token revokes its access tokens too. The request is sent
        // directly: oauth2 refuses a revocation endpoint that is not HTTPS, and tests and
        // local setups use plain HTTP on loopback.
        let token = match secrets.get(&refresh_token_entry(email))? {
            Some(refresh) => Some(refresh),
            None => load_access_token(secrets, email)?.map(|access| access.secret),
        };
        let mut revoked = false;
        if let Some(token) = token {
            let sent = self
                .http
                .post(self.endpoints.revoke_url.clone())
                .form(&[("token", token.expose())])
                .send()
                .await;
            match sent {
                Ok(response) if response.status().is_success() => revoked = true,
                Ok(response) => tracing::warn!(
                    "Google did not confirm the revocation: {}",
                    response.status()
                ),
                Err(error) => tracing::warn!("the revocation request failed: {}", redact(&error)),
            }
        }
        secrets.delete(&refresh_token_entry(email))?;
        secrets.delete(&access_token_entry(email))?;
        Ok(revoked)
    }
}

/// The stored access token of `email`, if any.
pub(crate) fn load_access_token(
    secrets: &dyn SecretStore,
    email: &str,
) -> Result<Option<AccessToken>, GoogleError> {
    let Some(stored) = secrets.get(&access_token_entry(email))? else {
        return Ok(None);
    };
    let Some((expires, token)) = stored.expose().split_once(' ') else {
        return Ok(None);
    };
    Ok(Some(AccessToken {
        secret: SecretString::new(token.to_owned()),
        expires_at: expires
            .parse::<i64>()
            .ok()
            .and_then(DateTime::from_timestamp_millis),
    }))
}

/// Stores an access token as `<expiry in unix ms> <token>`.
fn store_access_token(
    secrets: &dyn SecretStore,
    email: &str,
    access: &AccessToken,
) -> Result<(), GoogleError> {
    let expires = access.expires_at.map_or(0, |at| at.timestamp_millis());
    secrets.set(
        &access_token_entry(email),
        &SecretString::new(format!("{expires} {}", access.secret.expose())),
    )?;
    Ok(())
}

fn expiry(expires_in: Option<Duration>) -> Option<DateTime<Utc>> {
    expires_in
        .and_then(|d| chrono::Duration::from_std(d).ok())
        .map(|d| Utc::now() + d)
}

/// An oauth2 request sent through Kindred's reqwest client. The client is taken by value
/// (a cheap handle) so the future borrows nothing: a borrowing one is not provably `Send`
/// through oauth2's higher-ranked client bound, and sign-in runs as a task.
async fn send(
    client: reqwest::Client,
    request: oauth2::HttpRequest,
) -> Result<oauth2::HttpResponse, reqwest::Error> {
    let request = reqwest::Request::try_from(request)?;
    let response = client.execute(request).await?;
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?.to_vec();
    let mut converted = http::Response::new(body);
    *converted.status_mut() = status;
    *converted.headers_mut() = headers;
    Ok(converted)
}

/// A token error in words, without any token (oauth2's server responses carry only the
/// error code and description).
fn describe_token_error<E: std::error::Error>(
    error: &RequestTokenError<E, impl oauth2::ErrorResponse>,
) -> String {
    match error {
        RequestTokenError::ServerResponse(response) => response.to_string(),
        RequestTokenError::Request(error) => format!("the request failed: {error}"),
        RequestTokenError::Parse(error, _) => format!("unreadable answer: {error}"),
        RequestTokenError::Other(other) => other.clone(),
    }
}

/// A reqwest error in words (URLs never carry tokens: those go in headers and bodies).
pub(crate) fn redact(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        format!("timed out ({error})")
    } else {
        error.to_string()
    }
}
