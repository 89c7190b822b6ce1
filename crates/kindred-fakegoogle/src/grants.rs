//! What the OAuth server has handed out: authorization codes (with their PKCE challenge
//! and redirect URI), access tokens and refresh tokens, and the rules for redeeming,
//! refreshing and revoking them.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand::distributions::Alphanumeric;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

use crate::errors::TokenError;

/// Scopes of [`crate::FakeGoogle::issue_tokens`]: everything Kindred asks for.
pub(crate) const ALL_SCOPES: &str = "https://www.googleapis.com/auth/gmail.readonly \
    https://www.googleapis.com/auth/calendar.readonly openid \
    https://www.googleapis.com/auth/userinfo.email";

/// An authorization request the person approved.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    pub email: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub scope: String,
    /// `access_type=offline`: the exchange also returns a refresh token.
    pub offline: bool,
}

#[derive(Debug)]
struct Code {
    authorization: Authorization,
    redeemed: bool,
}

#[derive(Debug)]
struct AccessGrant {
    email: String,
    scope: String,
    expires_at: Instant,
    revoked: bool,
    refresh_token: Option<String>,
}

#[derive(Debug)]
struct RefreshGrant {
    email: String,
    client_id: String,
    scope: String,
    revoked: bool,
}

/// Tokens a grant produced.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub email: String,
    pub scope: String,
}

/// Who a valid access token speaks for.
#[derive(Debug, Clone)]
pub(crate) struct Bearer {
    pub email: String,
    pub scope: String,
}

#[derive(Debug)]
pub(crate) struct Grants {
    codes: HashMap<String, Code>,
    access: HashMap<String, AccessGrant>,
    refresh: HashMap<String, RefreshGrant>,
    random: StdRng,
}

impl Grants {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            codes: HashMap::new(),
            access: HashMap::new(),
            refresh: HashMap::new(),
            random: StdRng::seed_from_u64(seed.rotate_left(17) ^ 0x6f61_7574),
        }
    }

    fn random_text(&mut self, length: usize) -> String {
        (&mut self.random)
            .sample_iter(&Alphanumeric)
            .take(length)
            .map(char::from)
            .collect()
    }

    /// A single-use code for an approved request.
    pub(crate) fn new_code(&mut self, authorization: Authorization) -> String {
        let code = format!("4/0A{}", self.random_text(60));
        self.codes.insert(
            code.clone(),
            Code {
                authorization,
                redeemed: false,
            },
        );
        code
    }

    /// Exchanges a code, checking the client, the redirect URI and the PKCE verifier.
    pub(crate) fn redeem(
        &mut self,
        code: &str,
        client_id: &str,
        redirect_uri: Option<&str>,
        code_verifier: Option<&str>,
        lifetime: Duration,
    ) -> Result<Issued, TokenError> {
        let entry = self
            .codes
            .get(code)
            .ok_or_else(|| TokenError::invalid_grant("Malformed auth code."))?;
        let authorization = entry.authorization.clone();
        if entry.redeemed {
            return Err(TokenError::invalid_grant("Bad Request"));
        }
        if authorization.client_id != client_id {
            return Err(TokenError::invalid_grant("Bad Request"));
        }
        if redirect_uri != Some(authorization.redirect_uri.as_str()) {
            return Err(TokenError::invalid_grant(
                "redirect_uri does not match the one the code was issued for",
            ));
        }
        let verifier =
            code_verifier.ok_or_else(|| TokenError::invalid_grant("Missing code verifier."))?;
        if !is_pkce_text(verifier) || pkce_challenge(verifier) != authorization.code_challenge {
            return Err(TokenError::invalid_grant("Invalid code verifier."));
        }
        if let Some(entry) = self.codes.get_mut(code) {
            entry.redeemed = true;
        }
        Ok(self.issue(
            &authorization.email,
            &authorization.scope,
            &authorization.client_id,
            authorization.offline,
            lifetime,
        ))
    }

    /// New tokens for `email`, a refresh token too when `offline`.
    pub(crate) fn issue(
        &mut self,
        email: &str,
        scope: &str,
        client_id: &str,
        offline: bool,
        lifetime: Duration,
    ) -> Issued {
        let refresh_token = offline.then(|| {
            let token = format!("1//0{}", self.random_text(100));
            self.refresh.insert(
                token.clone(),
                RefreshGrant {
                    email: email.to_owned(),
                    client_id: client_id.to_owned(),
                    scope: scope.to_owned(),
                    revoked: false,
                },
            );
            token
        });
        let access_token = self.new_access(email, scope, refresh_token.clone(), lifetime);
        Issued {
            access_token,
            refresh_token,
            email: email.to_owned(),
            scope: scope.to_owned(),
        }
    }

    fn new_access(
        &mut self,
        email: &str,
        scope: &str,
        refresh_token: Option<String>,
        lifetime: Duration,
    ) -> String {
        let token = format!("ya29.{}", self.random_text(150));
        self.access.insert(
            token.clone(),
            AccessGrant {
                email: email.to_owned(),
                scope: scope.to_owned(),
                expires_at: Instant::now() + lifetime,
                revoked: false,
                refresh_token,
            },
        );
        token
    }

    /// A new access token from a refresh token; no new refresh token, as Google does.
    pub(crate) fn refresh(
        &mut self,
        refresh_token: &str,
        client_id: &str,
        lifetime: Duration,
    ) -> Result<Issued, TokenError> {
        let grant = self
            .refresh
            .get(refresh_token)
            .filter(|grant| !grant.revoked)
            .ok_or_else(|| TokenError::invalid_grant("Token has been expired or revoked."))?;
        if grant.client_id != client_id {
            return Err(TokenError::invalid_grant(
                "Token has been expired or revoked.",
            ));
        }
        let (email, scope) = (grant.email.clone(), grant.scope.clone());
        let access_token =
            self.new_access(&email, &scope, Some(refresh_token.to_owned()), lifetime);
        Ok(Issued {
            access_token,
            refresh_token: None,
            email,
            scope,
        })
    }

    /// Revokes an access or refresh token and everything tied to it; false when the token
    /// is unknown or already revoked.
    pub(crate) fn revoke(&mut self, token: &str) -> bool {
        let refresh_token = if let Some(grant) = self.access.get_mut(token) {
            if grant.revoked {
                return false;
            }
            grant.revoked = true;
            grant.refresh_token.clone()
        } else if self.refresh.get(token).is_some_and(|grant| !grant.revoked) {
            Some(token.to_owned())
        } else {
            return false;
        };
        if let Some(refresh_token) = refresh_token {
            if let Some(grant) = self.refresh.get_mut(&refresh_token) {
                grant.revoked = true;
            }
            for grant in self.access.values_mut() {
                if grant.refresh_token.as_deref() == Some(refresh_token.as_str()) {
                    grant.revoked = true;
                }
            }
        }
        true
    }

    /// Every refresh token of `email` stops working (the person revoked access elsewhere
    /// or changed their password).
    pub(crate) fn invalidate_refresh_tokens(&mut self, email: &str) {
        for grant in self
            .refresh
            .values_mut()
            .filter(|grant| grant.email == email)
        {
            grant.revoked = true;
        }
    }

    /// Every access token of `email` expires now.
    pub(crate) fn expire_access_tokens(&mut self, email: &str) {
        let now = Instant::now();
        for grant in self
            .access
            .values_mut()
            .filter(|grant| grant.email == email)
        {
            grant.expires_at = now;
        }
    }

    /// Who `access_token` speaks for, when it is known, unexpired and not revoked.
    pub(crate) fn bearer(&self, access_token: &str) -> Option<Bearer> {
        self.access
            .get(access_token)
            .filter(|grant| !grant.revoked && grant.expires_at > Instant::now())
            .map(|grant| Bearer {
                email: grant.email.clone(),
                scope: grant.scope.clone(),
            })
    }
}

/// Whether `text` is a PKCE verifier or challenge: 43–128 characters of
/// `[A-Za-z0-9-._~]` (RFC 7636).
pub(crate) fn is_pkce_text(text: &str) -> bool {
    (43..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// PKCE S256: base64url(sha256(verifier)) without padding.
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}
