//! The `kindred-fakegoogle` program: serves the fake Google on 127.0.0.1 with the accounts,
//! mbox and .ics files named on the command line, prints the `export` lines that point
//! Kindred at it, and runs until killed, interrupted, or its standard input closes.

use std::io::{Read as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use kindred_fakegoogle::{FakeConfig, FakeGoogle};

/// A fake of Google's OAuth, Gmail and Calendar APIs for trying Kindred without Google.
#[derive(Debug, Parser)]
#[command(name = "kindred-fakegoogle", version)]
struct Arguments {
    /// A Google account to serve (repeatable); the first is the one sign-in picks.
    #[arg(long = "user", value_name = "EMAIL", required = true)]
    users: Vec<String>,
    /// An mbox file loaded into the first account's mail (repeatable).
    #[arg(long = "mbox", value_name = "PATH")]
    mboxes: Vec<PathBuf>,
    /// An .ics file loaded into the first account's primary calendar (repeatable).
    #[arg(long = "ics", value_name = "PATH")]
    calendars: Vec<PathBuf>,
    /// Port on 127.0.0.1 (default: a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Per-user quota in units per second (default: unlimited).
    #[arg(long, value_name = "UNITS_PER_SEC")]
    quota: Option<f64>,
    /// Share of API calls answered by a fault (500, 503 or a stall), 0.0–1.0.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Keep serving when standard input closes (for running in the background).
    #[arg(long)]
    ignore_stdin: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let arguments = Arguments::parse();
    match serve(arguments).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kindred-fakegoogle: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(arguments: Arguments) -> Result<(), String> {
    let config = FakeConfig {
        port: arguments.port,
        quota_units_per_second: arguments.quota,
        fault_rate: arguments.fault_rate,
        ..FakeConfig::default()
    };
    let fake = FakeGoogle::start(config)
        .await
        .map_err(|error| format!("cannot listen on 127.0.0.1:{}: {error}", arguments.port))?;
    for user in &arguments.users {
        fake.add_user(user);
    }
    let owner = &arguments.users[0];
    for path in &arguments.mboxes {
        let count = fake
            .load_mbox(owner, path)
            .map_err(|error| format!("cannot read mbox {}: {error}", path.display()))?;
        eprintln!(
            "kindred-fakegoogle: {count} messages from {} for {owner}",
            path.display()
        );
    }
    for path in &arguments.calendars {
        let count = fake
            .load_ics(owner, "primary", path)
            .map_err(|error| format!("cannot read calendar {}: {error}", path.display()))?;
        eprintln!(
            "kindred-fakegoogle: {count} events from {} for {owner}",
            path.display()
        );
    }
    let mut stdout = std::io::stdout().lock();
    for (key, value) in fake.env() {
        writeln!(stdout, "export {key}='{value}'").map_err(|error| error.to_string())?;
    }
    stdout.flush().map_err(|error| error.to_string())?;
    drop(stdout);
    eprintln!("kindred-fakegoogle: serving {}", fake.base_url());
    let stdin_closed = async {
        if arguments.ignore_stdin {
            std::future::pending::<()>().await;
        }
        // Reading to the end returns when the parent closes the pipe or exits.
        let _ = tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await;
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = stdin_closed => {}
    }
    Ok(())
}
