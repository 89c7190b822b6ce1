//! The assistant's commands: `kindred ask`, `kindred story` and
//! `kindred llm show|set|test|reindex`.

use std::io::{IsTerminal as _, Read as _, Write as _};
use std::process::ExitCode;

use clap::Subcommand;
use kindred_api::{
    ApiError, AskRequest, Kindred, LlmSetting, LlmSettings, LlmSettingsUpdate, SettingSource,
};

use crate::print_json;

/// `kindred llm …`: the LLM provider.
#[derive(Debug, Subcommand)]
pub enum LlmCommand {
    /// The provider in use (environment first, then settings), or offline mode.
    Show,
    /// Store the provider's settings; the key goes to the system keyring only.
    Set {
        /// The API's base URL, e.g. http://localhost:11434/v1 (Ollama); empty clears it.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        #[arg(long, value_name = "NAME")]
        model: Option<String>,
        #[arg(long, value_name = "NAME")]
        embeddings_model: Option<String>,
        /// Read the API key from standard input (never from the command line).
        #[arg(long, conflicts_with = "clear_api_key")]
        api_key_stdin: bool,
        /// Forget the stored API key.
        #[arg(long)]
        clear_api_key: bool,
    },
    /// Check the endpoint: its models and a one-word reply from the model.
    Test,
    /// Index for search now: cut new mail into chunks and embed every chunk without a
    /// vector of the configured embeddings model (all of them after a change of model).
    /// Interrupted, the next run resumes where it stopped.
    Reindex,
}

/// Runs `kindred llm …`.
pub async fn llm(kindred: &Kindred, command: LlmCommand, json: bool) -> Result<ExitCode, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let secrets = secrets.as_ref();
    match command {
        LlmCommand::Show => print_settings(&kindred.llm_settings(secrets).await?, json),
        LlmCommand::Set {
            base_url,
            model,
            embeddings_model,
            api_key_stdin,
            clear_api_key,
        } => {
            let api_key = if api_key_stdin {
                let mut key = String::new();
                std::io::stdin().read_to_string(&mut key).map_err(|error| {
                    ApiError::invalid_input(format!("cannot read the API key from stdin: {error}"))
                })?;
                Some(key.trim().to_owned())
            } else if clear_api_key {
                Some(String::new())
            } else {
                None
            };
            let update = LlmSettingsUpdate {
                base_url,
                model,
                embeddings_model,
                api_key,
            };
            print_settings(&kindred.set_llm_settings(secrets, update).await?, json);
        }
        LlmCommand::Reindex => {
            let on_terminal = std::io::stderr().is_terminal();
            let report = kindred
                .index_messages(secrets, &|at| {
                    if on_terminal {
                        eprint!(
                            "\r{}: {} of {} ({})   ",
                            at.stage, at.indexed, at.total, at.model
                        );
                    }
                })
                .await?;
            if on_terminal {
                eprintln!();
            }
            if json {
                print_json(&report);
            } else {
                println!(
                    "{} new messages cut into chunks; {} chunks embedded by {}; {}",
                    report.messages,
                    report.embedded,
                    report.model,
                    if report.complete {
                        "every chunk has its vector"
                    } else {
                        "some chunks still have no vector"
                    }
                );
            }
        }
        LlmCommand::Test => {
            let connection = kindred.test_llm_connection(secrets).await?;
            if json {
                print_json(&connection);
            } else {
                println!(
                    "{} answered with {} in {} ms",
                    connection.base_url, connection.model, connection.reply_milliseconds
                );
                if !connection.model_listed {
                    println!(
                        "note: the endpoint does not list {} among its models ({})",
                        connection.model,
                        connection.models.join(", ")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_settings(settings: &LlmSettings, json: bool) {
    if json {
        print_json(settings);
        return;
    }
    let source = |source: SettingSource| match source {
        SettingSource::Environment => " (from the environment)",
        SettingSource::Settings => " (from settings)",
        SettingSource::Unset => "",
    };
    let line = |label: &str, setting: &LlmSetting| {
        println!(
            "{label:<17}{}{}",
            setting.value.as_deref().unwrap_or("-"),
            source(setting.source)
        );
    };
    if settings.offline {
        println!("offline mode: no LLM base URL is set");
    }
    line("base URL", &settings.base_url);
    line("model", &settings.model);
    line("embeddings model", &settings.embeddings_model);
    let key = match settings.api_key {
        SettingSource::Unset => "none",
        _ => "set",
    };
    println!("{:<17}{key}{}", "API key", source(settings.api_key));
    for usage in &settings.usage {
        println!(
            "{:<17}{} calls to {}, {} prompt + {} completion tokens (last 30 days)",
            usage.purpose, usage.calls, usage.model, usage.prompt_tokens, usage.completion_tokens
        );
    }
}

/// Runs `kindred story`.
pub async fn story(
    kindred: &Kindred,
    who: &str,
    verify: bool,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let story = kindred.story(secrets.as_ref(), who, verify).await?;
    if json {
        print_json(&story);
    } else {
        println!("{}", story.text);
        if story.claims.is_empty() {
            println!("(nothing is known about this relationship yet)");
        }
        eprintln!("written by: {}", story.generated_by);
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `kindred ask`: the answer streams to stdout as it is written (with `--json`,
/// one document at the end instead), then its sources and proposed actions.
pub async fn ask(kindred: &Kindred, request: AskRequest, json: bool) -> Result<ExitCode, ApiError> {
    let secrets = kindred_api::secrets_from_env()?;
    let mut streamed = false;
    let mut on_token = |piece: &str| {
        if !json {
            streamed = true;
            let mut stdout = std::io::stdout().lock();
            // A reader that went away (| head) just stops the printing.
            let _ = stdout
                .write_all(piece.as_bytes())
                .and_then(|()| stdout.flush());
        }
    };
    let answer = kindred
        .ask(secrets.as_ref(), &request, &mut on_token)
        .await?;
    if json {
        print_json(&answer);
        return Ok(ExitCode::SUCCESS);
    }
    if streamed {
        println!();
    } else {
        println!("{}", answer.answer);
    }
    if !answer.citations.is_empty() {
        println!("\nSources:");
        for citation in &answer.citations {
            let tag = if citation.kind == "event" {
                "event"
            } else {
                "msg"
            };
            println!(
                "  [{tag}:{}] {}  {}",
                citation.id,
                citation.date.get(..10).unwrap_or(&citation.date),
                citation.subject_or_title
            );
        }
    }
    for action in &answer.proposed_actions {
        match action.status.as_str() {
            "done" => println!(
                "\nDone (confirmed): {} {}",
                action.tool,
                action.outcome.as_deref().unwrap_or_default()
            ),
            "failed" => println!(
                "\nNot done: {}: {}",
                action.tool,
                action.outcome.as_deref().unwrap_or_default()
            ),
            _ => println!(
                "\nProposed, not done: {} {} (ask again with --yes to confirm)",
                action.tool, action.arguments
            ),
        }
    }
    eprintln!(
        "conversation {0} (continue it with --conversation {0})",
        answer.conversation_id
    );
    Ok(ExitCode::SUCCESS)
}
