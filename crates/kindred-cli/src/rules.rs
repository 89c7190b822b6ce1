//! `kindred rules add|list|remove|enable|disable|dry-run`: the person's rules.

use std::process::ExitCode;

use kindred_api::{ApiError, DryRunReport, Kindred, RuleDto, RulesPass};

use crate::print_json;

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    /// Add a rule, enabled: `when <trigger> [if <condition> [and <condition>]...] then
    /// <action> [key=value ...]`. An invalid rule is refused with its line and column.
    Add {
        #[arg(value_name = "RULE")]
        rule: String,
    },
    /// Every rule with its id and whether it is enabled.
    List,
    /// Remove a rule.
    Remove {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Let a disabled rule fire again.
    Enable {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Stop a rule from firing, keeping it.
    Disable {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Run the enabled rules now over the mail that came in since the last pass (the app
    /// does this after every sync). Webhooks are queued for the app to call.
    Run,
    /// Run one rule over everything stored, history included; items it already fired on
    /// are skipped.
    Apply {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// How often a rule would have fired over everything stored, with examples; nothing
    /// is saved or done.
    DryRun {
        #[arg(value_name = "RULE")]
        rule: String,
    },
}

pub async fn execute(
    kindred: &Kindred,
    command: RulesCommand,
    json: bool,
) -> Result<ExitCode, ApiError> {
    match command {
        RulesCommand::Add { rule } => print_rule(&kindred.add_rule(&rule).await?, json),
        RulesCommand::List => {
            let rules = kindred.rules().await?;
            if json {
                print_json(&rules);
            } else if rules.is_empty() {
                println!("no rules yet: kindred rules add \"when ... then ...\"");
            } else {
                for rule in &rules {
                    println!("{}", rule_line(rule));
                }
            }
        }
        RulesCommand::Remove { id } => print_rule(&kindred.remove_rule(id).await?, json),
        RulesCommand::Enable { id } => print_rule(&kindred.set_rule_enabled(id, true).await?, json),
        RulesCommand::Disable { id } => {
            print_rule(&kindred.set_rule_enabled(id, false).await?, json);
        }
        RulesCommand::Run => print_pass(&kindred.evaluate_new_items().await?, json),
        RulesCommand::Apply { id } => print_pass(&kindred.run_rule_on_history(id).await?, json),
        RulesCommand::DryRun { rule } => print_dry_run(&kindred.dry_run_rule(&rule).await?, json),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_rule(rule: &RuleDto, json: bool) {
    if json {
        print_json(rule);
    } else {
        println!("{}", rule_line(rule));
    }
}

fn rule_line(rule: &RuleDto) -> String {
    format!(
        "{:>4}  {:<8}  {}",
        rule.id,
        if rule.enabled { "enabled" } else { "disabled" },
        rule.text
    )
}

fn print_pass(pass: &RulesPass, json: bool) {
    if json {
        print_json(pass);
    } else {
        println!(
            "{} items looked at, {} firings ({} already done before)",
            pass.items, pass.fired, pass.already_fired
        );
    }
}

fn print_dry_run(report: &DryRunReport, json: bool) {
    if json {
        print_json(report);
        return;
    }
    println!(
        "{} would have fired {} times",
        report.rule, report.would_fire
    );
    for example in &report.examples {
        println!(
            "  {}  {}  {}: {}",
            example
                .at
                .as_deref()
                .map_or("", |at| &at[..10.min(at.len())]),
            example.item,
            example.title,
            example.would
        );
    }
}
