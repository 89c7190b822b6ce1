//! The LLM provider's configuration and use: base URL, chat model and embeddings model
//! from `KINDRED_LLM_BASE_URL`, `KINDRED_LLM_MODEL`, `KINDRED_EMBEDDINGS_MODEL` or the
//! settings (the environment wins, field by field), the key from `KINDRED_LLM_API_KEY` or
//! the secret store (never the database). No base URL means offline mode: every feature
//! of the assistant then works from the engine alone. Tokens used are recorded.

use chrono::Utc;
use kindred_ai::{ConnectionReport, Provider, ProviderError, ProviderSettings, Usage};
use kindred_store::secrets::{SecretStore, SecretString};
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, ErrorCode, Kindred};

const BASE_URL_SETTING: &str = "llm.base_url";
const MODEL_SETTING: &str = "llm.model";
const EMBEDDINGS_MODEL_SETTING: &str = "llm.embeddings_model";
/// The longest wait for an embeddings reply: a batch of chunks is one request.
const EMBEDDINGS_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);
/// The secret store entry holding the API key.
pub(crate) const API_KEY_SECRET: &str = "llm-api-key";

/// Where a setting's value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SettingSource {
    Environment,
    Settings,
    Unset,
}

/// One setting and where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LlmSetting {
    pub value: Option<String>,
    pub source: SettingSource,
}

/// `kindred llm show`: the provider in use, or offline mode. The key is never shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LlmSettings {
    /// No provider is configured: the assistant answers from the engine alone.
    pub offline: bool,
    pub base_url: LlmSetting,
    pub model: LlmSetting,
    pub embeddings_model: LlmSetting,
    pub api_key: SettingSource,
    /// Tokens used over the last [`USAGE_DAYS`] days, by purpose and model.
    pub usage: Vec<LlmUsage>,
}

/// How far back [`LlmSettings::usage`] counts.
pub const USAGE_DAYS: i64 = 30;

/// Tokens used for one purpose (`story`, `story.verify`, `story.fix`, `test`) with one
/// model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LlmUsage {
    pub purpose: String,
    pub model: String,
    #[ts(type = "number")]
    pub calls: i64,
    #[ts(type = "number")]
    pub prompt_tokens: i64,
    #[ts(type = "number")]
    pub completion_tokens: i64,
}

/// What to change; `None` leaves a value as it is, an empty text clears it.
#[derive(Default)]
pub struct LlmSettingsUpdate {
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub embeddings_model: Option<String>,
    /// Goes to the secret store, never the database.
    pub api_key: Option<String>,
}

impl std::fmt::Debug for LlmSettingsUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmSettingsUpdate")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("embeddings_model", &self.embeddings_model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// `kindred llm test`: what the endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LlmConnection {
    pub base_url: String,
    pub model: String,
    pub models: Vec<String>,
    /// Whether the endpoint lists the configured model (some servers list none).
    pub model_listed: bool,
    #[ts(type = "number")]
    pub reply_milliseconds: u64,
}

impl From<ProviderError> for ApiError {
    fn from(error: ProviderError) -> Self {
        let code = match &error {
            ProviderError::Unauthorized { .. } => ErrorCode::InvalidInput,
            _ => ErrorCode::Io,
        };
        Self::new(code, error.to_string())
    }
}

fn from_env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The API key: `KINDRED_LLM_API_KEY`, else the secret store's.
fn api_key(secrets: &dyn SecretStore) -> Result<Option<SecretString>, ApiError> {
    Ok(match from_env("KINDRED_LLM_API_KEY") {
        Some(key) => Some(SecretString::new(key)),
        None => secrets.get(API_KEY_SECRET)?,
    })
}

impl Kindred {
    async fn llm_setting(&self, variable: &str, key: &str) -> Result<LlmSetting, ApiError> {
        if let Some(value) = from_env(variable) {
            return Ok(LlmSetting {
                value: Some(value),
                source: SettingSource::Environment,
            });
        }
        let value = self
            .store
            .setting(key)
            .await?
            .filter(|value| !value.is_empty());
        Ok(LlmSetting {
            source: if value.is_some() {
                SettingSource::Settings
            } else {
                SettingSource::Unset
            },
            value,
        })
    }

    /// The LLM configuration in use.
    ///
    /// # Errors
    /// The store or the secret store cannot be read.
    pub async fn llm_settings(&self, secrets: &dyn SecretStore) -> Result<LlmSettings, ApiError> {
        let base_url = self
            .llm_setting("KINDRED_LLM_BASE_URL", BASE_URL_SETTING)
            .await?;
        let api_key = if from_env("KINDRED_LLM_API_KEY").is_some() {
            SettingSource::Environment
        } else if secrets.get(API_KEY_SECRET)?.is_some() {
            SettingSource::Settings
        } else {
            SettingSource::Unset
        };
        Ok(LlmSettings {
            offline: base_url.value.is_none(),
            base_url,
            model: self.llm_setting("KINDRED_LLM_MODEL", MODEL_SETTING).await?,
            embeddings_model: self
                .llm_setting("KINDRED_EMBEDDINGS_MODEL", EMBEDDINGS_MODEL_SETTING)
                .await?,
            api_key,
            usage: self
                .store
                .llm_usage_since(
                    (Utc::now() - chrono::Duration::days(USAGE_DAYS)).timestamp_millis(),
                )
                .await?
                .into_iter()
                .map(|total| LlmUsage {
                    purpose: total.purpose,
                    model: total.model,
                    calls: total.calls,
                    prompt_tokens: total.prompt_tokens,
                    completion_tokens: total.completion_tokens,
                })
                .collect(),
        })
    }

    /// Changes the stored LLM configuration (the environment still wins where set); the
    /// key goes to the secret store only.
    ///
    /// # Errors
    /// A base URL that is not http(s), or the store or secret store refused the write.
    pub async fn set_llm_settings(
        &self,
        secrets: &dyn SecretStore,
        update: LlmSettingsUpdate,
    ) -> Result<LlmSettings, ApiError> {
        if let Some(url) = update.base_url.as_deref().filter(|url| !url.is_empty()) {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(ApiError::invalid_input(format!(
                    "the LLM base URL {url:?} must start with http:// or https://, \
                     e.g. http://localhost:11434/v1 for Ollama"
                )));
            }
        }
        for (key, value) in [
            (BASE_URL_SETTING, &update.base_url),
            (MODEL_SETTING, &update.model),
            (EMBEDDINGS_MODEL_SETTING, &update.embeddings_model),
        ] {
            if let Some(value) = value {
                self.store.set_setting(key, value.trim()).await?;
            }
        }
        if let Some(key) = update.api_key {
            let key = SecretString::new(key);
            if key.expose().is_empty() {
                secrets.delete(API_KEY_SECRET)?;
            } else {
                secrets.set(API_KEY_SECRET, &key)?;
            }
        }
        self.llm_settings(secrets).await
    }

    /// The configured provider, or `None` in offline mode.
    ///
    /// # Errors
    /// A base URL without a model, or the store or secret store cannot be read.
    pub(crate) async fn provider(
        &self,
        secrets: &dyn SecretStore,
    ) -> Result<Option<Provider>, ApiError> {
        let settings = self.llm_settings(secrets).await?;
        let Some(base_url) = settings.base_url.value else {
            return Ok(None);
        };
        let Some(model) = settings.model.value else {
            return Err(ApiError::invalid_input(format!(
                "an LLM base URL is set ({base_url}) but no model: set KINDRED_LLM_MODEL or \
                 `kindred llm set --model NAME`, or clear the base URL for offline mode"
            )));
        };
        let api_key = api_key(secrets)?;
        let provider = Provider::new(&ProviderSettings {
            base_url,
            model,
            embeddings_model: settings.embeddings_model.value,
            api_key,
            timeout: kindred_ai::DEFAULT_TIMEOUT,
        })?;
        Ok(Some(provider))
    }

    /// The embeddings model retrieval uses: the configured one when a base URL is set
    /// too, otherwise `None` (the local embedder). Reads no secret.
    ///
    /// # Errors
    /// The store cannot be read.
    pub(crate) async fn embeddings_model(&self) -> Result<Option<String>, ApiError> {
        let base_url = self
            .llm_setting("KINDRED_LLM_BASE_URL", BASE_URL_SETTING)
            .await?;
        if base_url.value.is_none() {
            return Ok(None);
        }
        Ok(self
            .llm_setting("KINDRED_EMBEDDINGS_MODEL", EMBEDDINGS_MODEL_SETTING)
            .await?
            .value)
    }

    /// The provider that computes embeddings, when an embeddings model and a base URL are
    /// configured (no chat model is needed for it); `None` means the local embedder.
    ///
    /// # Errors
    /// The store or the secret store cannot be read, or the HTTP client cannot be built.
    pub(crate) async fn embeddings_provider(
        &self,
        secrets: &dyn SecretStore,
    ) -> Result<Option<Provider>, ApiError> {
        let Some(embeddings_model) = self.embeddings_model().await? else {
            return Ok(None);
        };
        let settings = self.llm_settings(secrets).await?;
        let api_key = api_key(secrets)?;
        let provider = Provider::new(&ProviderSettings {
            base_url: settings.base_url.value.unwrap_or_default(),
            model: settings.model.value.unwrap_or_default(),
            embeddings_model: Some(embeddings_model),
            api_key,
            timeout: EMBEDDINGS_TIMEOUT,
        })?;
        Ok(Some(provider))
    }

    /// Checks the configured endpoint: its models, and a one-word reply from the model.
    ///
    /// # Errors
    /// Offline mode (`invalid_input`: nothing to test), or the endpoint failed.
    pub async fn test_llm_connection(
        &self,
        secrets: &dyn SecretStore,
    ) -> Result<LlmConnection, ApiError> {
        let Some(provider) = self.provider(secrets).await? else {
            return Err(ApiError::invalid_input(
                "no LLM is configured (offline mode): set KINDRED_LLM_BASE_URL and \
                 KINDRED_LLM_MODEL, or `kindred llm set --base-url URL --model NAME`",
            ));
        };
        let settings = self.llm_settings(secrets).await?;
        let ConnectionReport {
            models,
            model_listed,
            reply_milliseconds,
            usage,
        } = provider.test_connection().await?;
        self.record_usage(provider.model(), usage.map(|u| ("test", u)))
            .await?;
        Ok(LlmConnection {
            base_url: settings.base_url.value.unwrap_or_default(),
            model: provider.model().to_owned(),
            models,
            model_listed,
            reply_milliseconds,
        })
    }

    /// Records the tokens LLM calls used, now.
    pub(crate) async fn record_usage(
        &self,
        model: &str,
        usage: impl IntoIterator<Item = (&'static str, Usage)>,
    ) -> Result<(), ApiError> {
        let now = Utc::now().timestamp_millis();
        for (purpose, usage) in usage {
            self.store
                .record_llm_usage(
                    now,
                    purpose,
                    model,
                    usage.prompt_tokens,
                    usage.completion_tokens,
                )
                .await?;
        }
        Ok(())
    }
}
