//! `kindred login google`, `kindred accounts`, `kindred sync` and `kindred logout google`:
//! Google accounts on the command line. Progress goes to stderr — a bar on a terminal,
//! one line per committed batch otherwise — and `--json` prints one document on stdout.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use kindred_api::{
    AccountDto, ApiError, Kindred, SyncProgressEvent, SyncRequest, SyncStageDto, SyncSummary,
    SyncWindow,
};

use crate::print_json;

/// The providers Kindred signs in to.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Provider {
    Google,
}

#[derive(Debug, Subcommand)]
pub enum GoogleCommand {
    /// Sign in to an account (opens the browser; the address is learnt from Google).
    Login {
        #[arg(value_enum)]
        provider: Provider,
        /// Do not open a browser: print the authorization URL alone on one line of
        /// stderr and wait for the redirect.
        #[arg(long)]
        no_browser: bool,
        /// The initial sync's window for this account: 365d (default), 90d, 2y, all.
        #[arg(long, value_name = "WINDOW")]
        window: Option<String>,
    },
    /// The connected accounts, their status and last sync.
    Accounts,
    /// Sync the connected accounts: every N minutes until interrupted, or once.
    Sync {
        /// One pass (initial or incremental) over every connected account, then exit.
        #[arg(long)]
        once: bool,
        /// The initial sync's window (stored with each account): 365d, 90d, 2y, all.
        #[arg(long, value_name = "WINDOW")]
        window: Option<String>,
        /// Only this account.
        #[arg(long, value_name = "EMAIL")]
        account: Option<String>,
        /// Minutes between passes without --once.
        #[arg(long, default_value_t = 10, value_name = "MINUTES")]
        every: u64,
        /// A one-time snapshot: sync once, then revoke and delete the tokens; the data
        /// stays and the account is marked snapshot.
        #[arg(long)]
        snapshot: bool,
    },
    /// Sign out: revoke the tokens at Google and delete them from the keyring. The mail
    /// and events stay.
    Logout {
        #[arg(value_enum)]
        provider: Provider,
        /// Only this account (default: every Google account).
        #[arg(long, value_name = "EMAIL")]
        account: Option<String>,
    },
}

/// Runs one Google command.
pub async fn execute(
    kindred: &Kindred,
    command: GoogleCommand,
    json: bool,
) -> Result<ExitCode, ApiError> {
    // The same secret store the store's key came from (KINDRED_SECRETS).
    let secrets = kindred_api::secrets_from_env()?;
    let secrets = secrets.as_ref();
    match command {
        GoogleCommand::Login {
            provider: Provider::Google,
            no_browser,
            window,
        } => {
            let window = window
                .as_deref()
                .map(str::parse::<SyncWindow>)
                .transpose()?;
            let open = |url: &str| {
                eprintln!("{url}");
                if !no_browser && !open_browser(url) {
                    eprintln!("open the address above in your browser to sign in");
                }
            };
            let account = kindred.google_login(secrets, window, &open).await?;
            if json {
                print_json(&account);
            } else {
                println!(
                    "signed in as {} (initial sync window {})",
                    account.email, account.window
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        GoogleCommand::Accounts => {
            let accounts = kindred.accounts().await?;
            if json {
                print_json(&accounts);
            } else {
                print_accounts(&accounts);
            }
            Ok(ExitCode::SUCCESS)
        }
        GoogleCommand::Sync {
            once,
            window,
            account,
            every,
            snapshot,
        } => {
            let request = SyncRequest {
                window: window
                    .as_deref()
                    .map(str::parse::<SyncWindow>)
                    .transpose()?,
                account,
            };
            let bar = SyncBar::new(std::io::stderr().is_terminal());
            let progress = |event: SyncProgressEvent| bar.update(&event);
            if snapshot {
                let summary = kindred
                    .google_snapshot(secrets, &request, &progress)
                    .await?;
                bar.finish();
                return Ok(report(&summary, json));
            }
            loop {
                let summary = kindred.sync(secrets, &request, &progress).await?;
                bar.finish();
                let code = report(&summary, json);
                if once {
                    return Ok(code);
                }
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(every.max(1) * 60)) => {}
                    _ = tokio::signal::ctrl_c() => return Ok(code),
                }
            }
        }
        GoogleCommand::Logout {
            provider: Provider::Google,
            account,
        } => {
            let accounts = kindred.google_logout(secrets, account.as_deref()).await?;
            if json {
                print_json(&accounts);
            } else {
                for account in &accounts {
                    println!("signed out {}; its mail and events stay", account.email);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Opens `url` in the system browser; false when no opener could be started.
fn open_browser(url: &str) -> bool {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut command = std::process::Command::new("cmd");
        command.args(["/C", "start", ""]);
        command
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

fn print_accounts(accounts: &[AccountDto]) {
    if accounts.is_empty() {
        println!("no accounts; sign in with `kindred login google`");
    }
    for account in accounts {
        let last = account.last_sync.as_ref().map_or_else(
            || "never synced".to_owned(),
            |run| match &run.error_class {
                Some(class) => format!("last sync {} failed ({class})", run.started_at),
                None => format!(
                    "last sync {}: mail +{} ~{} -{}, events +{} ~{} -{}",
                    run.started_at,
                    run.mail.added,
                    run.mail.updated,
                    run.mail.deleted,
                    run.calendar.added,
                    run.calendar.updated,
                    run.calendar.deleted
                ),
            },
        );
        println!(
            "{}  {}  {}  window {}  {last}",
            account.provider, account.email, account.status, account.window
        );
    }
}

/// Prints the summary; failure when any account's pass failed.
fn report(summary: &SyncSummary, json: bool) -> ExitCode {
    if json {
        print_json(summary);
    } else {
        for account in &summary.accounts {
            println!(
                "{}: mail +{} ~{} -{}, events +{} ~{} -{} ({})",
                account.email,
                account.mail.added,
                account.mail.updated,
                account.mail.deleted,
                account.calendar.added,
                account.calendar.updated,
                account.calendar.deleted,
                account.status
            );
        }
        if summary.accounts.is_empty() {
            println!("no connected accounts; sign in with `kindred login google`");
        }
    }
    for error in &summary.errors {
        eprintln!("error: {error}");
    }
    if summary.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn stage_name(stage: SyncStageDto) -> &'static str {
    match stage {
        SyncStageDto::Listing => "listing",
        SyncStageDto::FetchingMail => "fetching mail",
        SyncStageDto::FetchingCalendar => "fetching calendar",
        SyncStageDto::Computing => "computing",
    }
}

/// The sync progress on stderr: a bar on a terminal, plain lines otherwise.
struct SyncBar(Option<ProgressBar>);

impl SyncBar {
    fn new(terminal: bool) -> Self {
        Self(terminal.then(|| {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{spinner} {wide_msg} [{bar:30}] {pos}/{len} {eta}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        }))
    }

    fn update(&self, event: &SyncProgressEvent) {
        let SyncProgressEvent::Stage {
            account,
            stage,
            done,
            total,
            rate,
            eta_seconds,
        } = event
        else {
            return;
        };
        match &self.0 {
            Some(bar) => {
                bar.set_length(total.unwrap_or(*done));
                bar.set_position(*done);
                bar.set_message(format!("{account}: {} ({rate:.0}/s)", stage_name(*stage)));
            }
            None => {
                let total = total.map_or_else(|| "?".to_owned(), |t| t.to_string());
                let eta = eta_seconds.map_or_else(String::new, |s| format!(", eta {s} s"));
                eprintln!(
                    "progress: {account} {} {done}/{total} ({rate:.1}/s{eta})",
                    stage_name(*stage)
                );
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
