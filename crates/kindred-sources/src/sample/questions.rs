//! Questions planted in the sample for evaluating retrieval: for one human thread in
//! every so many, a question about it as a person would put it — who it was with and what
//! it was about — with the messages that answer it. A question is written from the
//! thread's subject and the first name of the person it is with, in one of three ways
//! taken in turn: the words as typed into a search box, a question in a sentence (words
//! the mail does not hold around them), and the search words with one misspelt. Every
//! thread with that person and that subject answers it.

use std::collections::HashMap;

use super::plan::{Kind, Thread};
use super::world::{World, ME};

/// A question about the sample with the messages that answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleQuestion {
    pub question: String,
    /// The Message-IDs (without angle brackets) of every message answering it.
    pub answers: Vec<String>,
}

/// Collects the threads as they are written and plants questions about some of them.
pub(super) struct Planting {
    every: u64,
    /// Messages by the person a thread is with and its subject.
    threads: HashMap<(u32, String), Vec<String>>,
    /// The questions, with the key of the threads answering them.
    asked: Vec<(String, (u32, String))>,
}

impl Planting {
    /// Plants a question about one thread in `every` (at least 1).
    pub fn new(every: usize) -> Self {
        Planting {
            every: u64::try_from(every.max(1)).unwrap_or(u64::MAX),
            threads: HashMap::new(),
            asked: Vec::new(),
        }
    }

    /// Records `thread`, written whole, and perhaps asks about it.
    pub fn thread(&mut self, world: &World, thread: &Thread) {
        if !matches!(thread.kind, Kind::Human) {
            return;
        }
        let first = &thread.steps[0];
        let with = if first.from == ME {
            match first.to.first() {
                Some(&to) => to,
                None => return,
            }
        } else {
            first.from
        };
        let key = (with, thread.subject.clone());
        self.threads.entry(key.clone()).or_default().extend(
            thread
                .steps
                .iter()
                .map(|step| step.id.trim_matches(|c| c == '<' || c == '>').to_owned()),
        );
        if thread.id.is_multiple_of(self.every) {
            let question = ask(
                world.people[with as usize].first,
                &thread.subject,
                thread.id,
            );
            self.asked.push((question, key));
        }
    }

    /// The questions planted, in the order of their threads.
    pub fn questions(self) -> Vec<SampleQuestion> {
        let Planting { threads, asked, .. } = self;
        asked
            .into_iter()
            .map(|(question, key)| SampleQuestion {
                question,
                answers: threads.get(&key).cloned().unwrap_or_default(),
            })
            .collect()
    }
}

/// The question about a thread with `first` on `subject`, in the way `turn` picks.
fn ask(first: &str, subject: &str, turn: u64) -> String {
    let words: Vec<String> = subject
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    match turn % 3 {
        0 => format!("{} {first}", words.join(" ")),
        1 => format!("what did {first} write about {}?", words.join(" ")),
        _ => {
            // The longest word loses its second letter, as a hurried typist drops it.
            let longest = words
                .iter()
                .enumerate()
                .max_by_key(|(at, word)| (word.chars().count(), std::cmp::Reverse(*at)))
                .map_or(0, |(at, _)| at);
            let typed: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(at, word)| {
                    if at == longest && word.chars().count() > 3 {
                        word.chars()
                            .enumerate()
                            .filter(|(i, _)| *i != 1)
                            .map(|(_, c)| c)
                            .collect()
                    } else {
                        word.clone()
                    }
                })
                .collect();
            format!("{} {first}", typed.join(" "))
        }
    }
}
