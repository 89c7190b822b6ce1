//! `kindred instructions list|add|edit|remove|confirm`: standing instructions for the
//! assistant.

use std::process::ExitCode;

use kindred_api::{ApiError, InstructionDto, Kindred};

use crate::print_json;

#[derive(Debug, clap::Subcommand)]
pub enum InstructionsCommand {
    /// Every instruction: those in force and those the assistant proposed.
    List,
    /// Add an instruction, in force at once ("always answer in French").
    Add { text: String },
    /// Replace an instruction's text.
    Edit {
        #[arg(value_name = "ID")]
        id: i64,
        text: String,
    },
    /// Remove an instruction.
    Remove {
        #[arg(value_name = "ID")]
        id: i64,
    },
    /// Put an instruction the assistant proposed in force.
    Confirm {
        #[arg(value_name = "ID")]
        id: i64,
    },
}

pub async fn execute(
    kindred: &Kindred,
    command: InstructionsCommand,
    json: bool,
) -> Result<ExitCode, ApiError> {
    let changed = match command {
        InstructionsCommand::List => {
            let instructions = kindred.instructions().await?;
            if json {
                print_json(&instructions);
            } else if instructions.is_empty() {
                println!("no instructions: kindred instructions add \"always answer in French\"");
            } else {
                for instruction in &instructions {
                    println!("{}", line(instruction));
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        InstructionsCommand::Add { text } => kindred.add_instruction(&text).await?,
        InstructionsCommand::Edit { id, text } => kindred.edit_instruction(id, &text).await?,
        InstructionsCommand::Remove { id } => kindred.remove_instruction(id).await?,
        InstructionsCommand::Confirm { id } => kindred.confirm_instruction(id).await?,
    };
    if json {
        print_json(&changed);
    } else {
        println!("{}", line(&changed));
    }
    Ok(ExitCode::SUCCESS)
}

fn line(instruction: &InstructionDto) -> String {
    format!(
        "{:>4}  {:<8}  {}  (by {})",
        instruction.id, instruction.status, instruction.text, instruction.created_by
    )
}
