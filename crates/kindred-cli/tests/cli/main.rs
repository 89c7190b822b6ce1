//! Integration tests of the `kindred` program: its commands, JSON contracts and the
//! store's promises as a person using the CLI sees them.

mod activity;
mod artifacts;
mod assistant;
mod corpora;
mod doctor;
mod erase;
mod errors;
mod events;
mod export;
mod google;
mod graph;
mod identity;
mod import;
mod instructions;
mod logs;
mod people;
mod retention;
mod rules;
mod sample;
mod search;
mod tasks;
mod wrapped;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A data directory with its own file-based secret store.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Default for Home {
    fn default() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }
}

impl Home {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn secrets(&self) -> PathBuf {
        self.dir.path().join("secrets.json")
    }

    /// `kindred --data-dir <data> ARGS`, with this home's secret store.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_kindred"));
        command
            .arg("--data-dir")
            .arg(self.data_dir())
            .args(args)
            .env(
                "KINDRED_SECRETS",
                format!("file:{}", self.secrets().display()),
            )
            .env_remove("KINDRED_LOG");
        command
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Runs a `--json` command that must succeed and returns its one JSON document.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        let output = self.run(&all);
        assert!(
            output.status.success(),
            "kindred {:?} failed: {}",
            &args[..args.len().min(3)],
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout of kindred {:?} is one JSON document ({e}): {}",
                &args[..args.len().min(3)],
                String::from_utf8_lossy(&output.stdout)
            )
        })
    }

    pub fn stats(&self) -> Value {
        self.json(&["stats"])
    }
}

/// Writes the sample at `messages` messages into `dir`; returns the mbox path.
pub fn sample_mbox(dir: &Path, messages: usize) -> PathBuf {
    let home = Home::default();
    let written = home.json(&[
        "sample",
        "--scale",
        &messages.to_string(),
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(written["written"].as_array().unwrap().len(), 2);
    dir.join("sample.mbox")
}

pub fn count(value: &Value) -> u64 {
    value
        .as_u64()
        .unwrap_or_else(|| panic!("{value} is a count"))
}
