//! `kindred`: the Kindred engine on the command line. A thin adapter over `kindred-api`:
//! parse arguments, call one operation, print its result — human text, or exactly one
//! JSON document on stdout with `--json`. Progress and logs go to stderr.

mod activity;
mod assistant;
mod doctor;
mod erase;
mod events;
mod export;
mod google;
mod instructions;
mod people;
mod progress;
mod retention;
mod rules;
mod tasks;

use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kindred_api::{
    ApiError, Config, ImportRequest, ImportSummary, Kindred, WrappedReport, WrappedWindow,
};
use serde::Serialize;

/// Your relationships, from your mail and calendar, on your machine.
#[derive(Debug, Parser)]
#[command(name = "kindred", version, about)]
struct Cli {
    /// Where Kindred keeps its encrypted database (default: the platform's app-data
    /// directory, or KINDRED_DATA_DIR).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Print exactly one JSON document on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import mbox files, Maildirs, .eml files, Google Takeout .zip archives and .ics files.
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// An address of yours (repeatable); without one, the sender of your sent mail.
        #[arg(long = "me", value_name = "ADDRESS")]
        me: Vec<String>,
        /// Exit non-zero when any item had to be skipped.
        #[arg(long)]
        strict: bool,
    },
    /// Counts of what the store holds.
    Stats,
    /// Search messages and calendar events: by their words (all must match; `word*`
    /// matches a prefix) and by likeness of wording (the local embedder's vectors, or the
    /// configured embeddings model's), the two fused.
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
        /// Only messages with this person (an address or id), and events they attend.
        #[arg(long, value_name = "EMAIL_OR_ID")]
        person: Option<String>,
        /// From this day on, YYYY-MM-DD (UTC).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Up to and including this day, YYYY-MM-DD (UTC).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
    },
    /// Your people, strongest relationship first, with the terms of each score.
    People {
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// Only the people fading (strong before, quiet lately), new this period, or
        /// waiting for your reply.
        #[arg(long, value_enum, default_value_t = people::Filter::All)]
        filter: people::Filter,
        /// Only the people whose name, addresses or organisation contain every word of
        /// TEXT (case and accents aside).
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Only the people of this organisation (its domain, as `kindred orgs` shows it).
        #[arg(long, value_name = "DOMAIN")]
        org: Option<String>,
        /// Skip the N strongest of the people selected (the next page).
        #[arg(long, value_name = "N", default_value_t = 0)]
        offset: u32,
    },
    /// One person in full: addresses, the score's terms, timeline, proposed merges.
    Person {
        /// An address of theirs, or their id from `kindred people`.
        #[arg(value_name = "EMAIL_OR_ID")]
        who: String,
    },
    /// Confirm that two people are one (ids or addresses); survives every recompute.
    Merge {
        #[arg(value_name = "ID")]
        first: String,
        #[arg(value_name = "ID")]
        second: String,
    },
    /// Take an address out of a person: it becomes a person of its own.
    Split {
        #[arg(value_name = "ID")]
        person: String,
        #[arg(value_name = "EMAIL")]
        email: String,
    },
    /// Organisations by domain, strongest first, aggregating their people.
    Orgs {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// The relationship graph with communities and PageRank, as JSON (default) or GraphML.
    Graph {
        #[arg(long, value_enum, default_value_t = GraphFormat::Json)]
        format: GraphFormat,
        /// Prune for display: me, my N strongest people and the strongest edges among
        /// them (the whole graph without it).
        #[arg(long, value_name = "N")]
        max_nodes: Option<usize>,
    },
    /// How you spent your attention over a window (default: the last 90 days), compared
    /// with the window before it. Local time (TZ is respected).
    Wrapped {
        /// The last N days.
        #[arg(long, conflicts_with_all = ["year", "from", "to"])]
        days: Option<u32>,
        /// A calendar year.
        #[arg(long, conflicts_with_all = ["from", "to"])]
        year: Option<i32>,
        /// The first day, YYYY-MM-DD (with --to).
        #[arg(long, requires = "to")]
        from: Option<chrono::NaiveDate>,
        /// The last day, YYYY-MM-DD, included (with --from).
        #[arg(long, requires = "from")]
        to: Option<chrono::NaiveDate>,
    },
    /// Fill the store with the bundled sample mailbox, or write it to files.
    Sample {
        /// Number of messages (the bundled sample has about 5,000).
        #[arg(long, value_name = "MESSAGES")]
        scale: Option<usize>,
        /// Write sample.mbox and sample.ics into DIR instead of importing them.
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
    },
    /// Everything Kindred holds into DIR: messages.mbox, events.ics, people and
    /// organisations as vCard and JSON, accounts, and a manifest.
    Export {
        #[arg(value_name = "DIR")]
        directory: PathBuf,
    },
    /// Delete everything Kindred keeps — the database, its key, Google tokens (revoked at
    /// Google first), logs and caches. Cannot be undone.
    DeleteAll {
        /// Confirms the deletion; without it nothing is deleted.
        #[arg(long)]
        yes: bool,
    },
    /// Check the secret store, the database (integrity, size, schema), each account's
    /// sync, the job queue and the LLM endpoint, with what to do when one is wrong.
    Doctor,
    /// How long evidence (mail and events) is kept: show it, set it, turn it off, or apply
    /// it now (the app applies it daily). Each pass is in the activity log.
    Retention {
        /// Delete evidence older than this many days.
        #[arg(long, value_name = "N", conflicts_with = "off")]
        days: Option<u32>,
        /// Keep evidence for ever.
        #[arg(long)]
        off: bool,
        /// Apply the setting now and print what was deleted.
        #[arg(long)]
        apply: bool,
    },
    #[command(flatten)]
    Google(google::GoogleCommand),
    /// The story of a relationship, each claim citing its evidence ([msg:ID], [event:ID]):
    /// written by the configured LLM and verified, or from templates offline.
    Story {
        /// An address of theirs, or their id from `kindred people`.
        #[arg(value_name = "EMAIL_OR_ID")]
        who: String,
        /// Skip the verification and fix passes (faster; claims are shown unverified).
        #[arg(long)]
        no_verify: bool,
    },
    /// Ask the assistant about your mail, calendar and people; the answer cites its
    /// sources. Changes it proposes (tasks, rules, instructions) are only proposed.
    Ask {
        question: String,
        /// Continue this conversation (its id is printed after each answer).
        #[arg(long, value_name = "ID")]
        conversation: Option<i64>,
        /// Confirm in advance the changes the answer proposes: they are made after it.
        #[arg(long)]
        yes: bool,
    },
    /// The LLM provider (any OpenAI-compatible endpoint): show, set or test it.
    Llm {
        #[command(subcommand)]
        command: assistant::LlmCommand,
    },
    /// What Kindred did (syncs, rule firings, webhook calls, tasks, assistant actions),
    /// newest first.
    Activity {
        /// From this time on: an RFC 3339 instant, a date, or a span back (12h, 7d).
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        /// Only this actor: person, sync, assistant or "rule N".
        #[arg(long)]
        actor: Option<String>,
        /// Only this kind of action (webhook), or a prefix ending in a dot (rule.).
        #[arg(long)]
        kind: Option<String>,
        /// Only actions that failed.
        #[arg(long)]
        failed: bool,
        #[arg(long, default_value_t = 200)]
        limit: u32,
    },
    /// Your rules: add (checked first), list, enable, disable, remove, dry-run.
    Rules {
        #[command(subcommand)]
        command: rules::RulesCommand,
    },
    /// Events from calendars and invitations in mail, listed or exported as .ics.
    Events(events::EventsArgs),
    /// Your tasks: list, add, move between todo, doing and done.
    Tasks {
        #[command(subcommand)]
        command: tasks::TasksCommand,
    },
    /// Standing instructions for the assistant: list, add, edit, remove, confirm.
    Instructions {
        #[command(subcommand)]
        command: instructions::InstructionsCommand,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum GraphFormat {
    Json,
    Graphml,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    kindred_api::logging::init_in("warn", cli.data_dir.as_deref());
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let json = cli.json;
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {}", error.message);
            if json {
                print_json(&serde_json::json!({ "error": error }));
            }
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, ApiError> {
    if let Command::Sample {
        output: Some(dir),
        scale,
    } = &cli.command
    {
        let paths = kindred_api::write_sample_files(dir, *scale, chrono::Utc::now())?;
        let paths: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        if cli.json {
            print_json(&serde_json::json!({ "written": paths }));
        } else {
            println!("wrote {}", paths.join(" and "));
        }
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::DeleteAll { yes } = cli.command {
        return erase::run(cli.data_dir, yes, cli.json).await;
    }
    let config = Config::from_env(cli.data_dir)?;
    let kindred = Kindred::open(&config).await?;
    let result = execute(&kindred, cli.command, cli.json).await;
    kindred.close().await;
    result
}

async fn execute(kindred: &Kindred, command: Command, json: bool) -> Result<ExitCode, ApiError> {
    let show_progress = std::io::stderr().is_terminal();
    match command {
        Command::Import { paths, me, strict } => {
            let bar = progress::ImportBar::new(show_progress);
            let summary = kindred
                .import(ImportRequest { paths, me }, &|event| bar.update(&event))
                .await?;
            bar.finish();
            Ok(report_import(&summary, json, strict))
        }
        Command::Sample { scale, .. } => {
            let bar = progress::ImportBar::new(show_progress);
            let summary = kindred
                .load_sample(scale, &|event| bar.update(&event))
                .await?;
            bar.finish();
            Ok(report_import(&summary, json, false))
        }
        Command::Export { directory } => {
            export::run(kindred, &directory, json, show_progress).await
        }
        Command::DeleteAll { .. } => unreachable!("delete-all runs before the store is open"),
        Command::Doctor => doctor::run(kindred, json).await,
        Command::Retention { days, off, apply } => {
            retention::run(kindred, days, off, apply, json).await
        }
        Command::Google(command) => google::execute(kindred, command, json).await,
        Command::Story { who, no_verify } => {
            assistant::story(kindred, &who, !no_verify, json).await
        }
        Command::Llm { command } => assistant::llm(kindred, command, json).await,
        Command::Ask {
            question,
            conversation,
            yes,
        } => {
            let request = kindred_api::AskRequest {
                question,
                conversation,
                confirm: yes,
            };
            assistant::ask(kindred, request, json).await
        }
        Command::Activity {
            since,
            actor,
            kind,
            failed,
            limit,
        } => {
            let filter = activity::filter(
                since.as_deref(),
                actor,
                kind,
                failed,
                limit,
                chrono::Utc::now(),
            )?;
            activity::print_activity(&kindred.activity(&filter).await?, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { command } => rules::execute(kindred, command, json).await,
        Command::Events(args) => events::execute(kindred, args, json).await,
        Command::Tasks { command } => tasks::execute(kindred, command, json).await,
        Command::Instructions { command } => instructions::execute(kindred, command, json).await,
        Command::Stats => {
            let stats = kindred.stats().await?;
            if json {
                print_json(&stats);
            } else {
                println!("messages       {}", stats.messages);
                println!("events         {}", stats.events);
                println!("people         {}", stats.people);
                println!("organizations  {}", stats.organizations);
                if let (Some(first), Some(last)) = (&stats.first_message_at, &stats.last_message_at)
                {
                    println!("mail from      {first} to {last}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::People {
            limit,
            filter,
            search,
            org,
            offset,
        } => {
            let query = kindred_api::PeopleQuery {
                search: search.unwrap_or_default(),
                filter: filter.into(),
                organization: org,
                offset,
                limit: u32::try_from(limit).unwrap_or(u32::MAX),
            };
            people::print_page(&query, &kindred.people_page(&query).await?, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Person { who } => {
            people::print_person(&kindred.person(&who).await?, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge { first, second } => {
            people::print_person(&kindred.merge_people(&first, &second).await?, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Split { person, email } => {
            people::print_person(&kindred.split_person(&person, &email).await?, json);
            Ok(ExitCode::SUCCESS)
        }
        Command::Orgs { limit } => {
            let organizations = kindred.organizations(limit).await?;
            if json {
                print_json(&organizations);
            } else {
                for org in &organizations {
                    println!(
                        "{:>4}  {:>8.2}  {} ({}){}  {} people, sent {}, received {}, meetings {}",
                        org.rank,
                        org.score,
                        org.name,
                        org.domain,
                        if org.is_mine { ", mine" } else { "" },
                        org.people,
                        org.sent,
                        org.received,
                        org.meetings
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Graph { format, max_nodes } => {
            let graph = match max_nodes {
                Some(max_nodes) => kindred.graph_for_display(max_nodes).await?,
                None => kindred.graph().await?,
            };
            match format {
                GraphFormat::Json => print_json(&graph),
                GraphFormat::Graphml => print!("{}", kindred_api::to_graphml(&graph)),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Wrapped {
            days,
            year,
            from,
            to,
        } => {
            let window = match (year, from, to) {
                (Some(year), _, _) => WrappedWindow::Year(year),
                (None, Some(from), Some(to)) => WrappedWindow::Dates { from, to },
                _ => WrappedWindow::LastDays(days.unwrap_or(90)),
            };
            let report = kindred.wrapped(window).await?;
            if json {
                print_json(&report);
            } else {
                print_wrapped(&report);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Search {
            query,
            limit,
            person,
            from,
            to,
        } => {
            let request = kindred_api::SearchRequest {
                query: query.clone(),
                person,
                from,
                to,
                limit,
            };
            let secrets = kindred_api::secrets_from_env()?;
            let results = kindred.search_hybrid(secrets.as_ref(), &request).await?;
            let hits = results.hits;
            if let Some(note) = &results.vectors.note {
                eprintln!("note: {note}");
            }
            if json {
                print_json(&hits);
            } else {
                for hit in &hits {
                    println!(
                        "{}  {}  {}",
                        &hit.date[..10.min(hit.date.len())],
                        hit.from,
                        hit.subject
                    );
                    println!("    {}", hit.snippet.replace('\n', " "));
                }
                if hits.is_empty() {
                    println!("no messages or events match {query:?}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn report_import(summary: &ImportSummary, json: bool, strict: bool) -> ExitCode {
    if json {
        print_json(summary);
    } else {
        println!(
            "imported {} messages and {} events; {} duplicates skipped",
            summary.imported.messages, summary.imported.events, summary.duplicates
        );
        if summary.already_imported > 0 {
            println!("{} sources were already imported", summary.already_imported);
        }
    }
    for error in &summary.errors {
        eprintln!(
            "warning: skipped {} ({}): {}",
            error.path, error.location, error.reason
        );
    }
    if !summary.errors.is_empty() {
        eprintln!("warning: {} items skipped", summary.errors.len());
        if strict {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

fn print_wrapped(report: &WrappedReport) {
    let before = report.previous.as_deref();
    let compare = |now: u32, then: Option<u32>| match then {
        Some(then) => format!("{now} (before: {then})"),
        None => now.to_string(),
    };
    println!("{} to {}", report.from, report.to);
    println!(
        "sent           {}",
        compare(report.sent, before.map(|b| b.sent))
    );
    println!(
        "received       {}",
        compare(report.received, before.map(|b| b.received))
    );
    println!(
        "people         {}",
        compare(report.people, before.map(|b| b.people))
    );
    println!(
        "new people     {}",
        compare(report.new_people, before.map(|b| b.new_people))
    );
    println!(
        "meetings       {} ({:.1} h)",
        compare(report.meetings.count, before.map(|b| b.meetings.count)),
        report.meetings.hours
    );
    let top: Vec<String> = report
        .top_people
        .iter()
        .map(|p| format!("{} ({})", p.name.as_deref().unwrap_or(&p.email), p.count))
        .collect();
    println!("top people     {}", top.join(", "));
    if let (Some(day), Some(hour)) = (&report.busiest_weekday, report.busiest_hour) {
        println!("busiest        {day}s, {hour}:00");
    }
    println!("longest streak {} days", report.longest_streak_days);
    println!(
        "after hours    {:.0} %, weekends {:.0} %, newsletters {:.0} %",
        report.after_hours_share * 100.0,
        report.weekend_share * 100.0,
        report.newsletters_share * 100.0
    );
}

/// Prints `value` as one JSON document on stdout. A reader that stops early (`| head`)
/// is no error: the rest is simply not written.
fn print_json(value: &impl Serialize) {
    let mut stdout = std::io::stdout().lock();
    let written = serde_json::to_writer_pretty(&mut stdout, value)
        .map_err(std::io::Error::from)
        .and_then(|()| writeln!(stdout));
    if let Err(error) = written {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write JSON: {error}");
        }
    }
}
