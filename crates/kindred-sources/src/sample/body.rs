//! What people write: the sender's own text of one message (greeting, paragraphs,
//! closing, signature), regenerated identically whenever a later reply quotes it.

use std::fmt::{self, Write};

use rand::Rng;

use super::plan::{Kind, Thread};
use super::text::{expand, fresh, html_escape, pick, rng_for, wrap};
use super::words::{self, SENTENCES};
use super::world::{Circle, World, ME};

/// A piece of a message's own text.
pub(super) enum Block {
    /// Kept as written (greeting, closing, a short reply).
    Line(String),
    /// Wrapped for plain text.
    Para(String),
    /// After the `-- ` separator.
    Signature(String),
}

/// The sender's own text of one message.
pub(super) struct Own {
    pub blocks: Vec<Block>,
    /// A one-line message: nothing else, not even a quote.
    pub short: bool,
}

impl Own {
    /// The text as a plain-text part writes it.
    pub fn plain(&self, out: &mut String) {
        for (i, block) in self.blocks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match block {
                Block::Line(line) => {
                    out.push_str(line);
                    out.push('\n');
                }
                Block::Para(para) => wrap(para, 72, "", out),
                Block::Signature(signature) => {
                    out.push_str("-- \n");
                    out.push_str(signature);
                    out.push('\n');
                }
            }
        }
    }

    /// The text as an HTML part writes it.
    pub fn html(&self, out: &mut String) {
        out.push_str("<div dir=\"ltr\">");
        for block in &self.blocks {
            match block {
                Block::Line(text) | Block::Para(text) => {
                    out.push_str("<div>");
                    html_escape(text, out);
                    out.push_str("</div><div><br></div>\n");
                }
                Block::Signature(signature) => {
                    out.push_str("<div>-- <br><div dir=\"ltr\" class=\"gmail_signature\">");
                    html_escape(signature, out);
                    out.push_str("</div></div>\n");
                }
            }
        }
        out.push_str("</div>\n");
    }
}

/// The own text of message `k` of `thread`.
pub(super) fn compose(
    world: &World,
    seed: u64,
    thread: &Thread,
    k: usize,
) -> Result<Own, fmt::Error> {
    let mut rng = rng_for(seed, &[thread.id, k as u64, 1]);
    let step = &thread.steps[k];
    let sender = &world.people[step.from as usize];
    let personal = thread.circle.is_personal();
    let intro = match thread.kind {
        Kind::Intro { introducer, new } if k < 3 => Some((introducer, new)),
        _ => None,
    };
    let short = intro.is_none() && rng.gen_bool(if k == 0 { 0.05 } else { 0.17 });
    let addressee = step.to.first().copied().unwrap_or(ME);
    let team = &world.members[Circle::Team.index()];
    let colleague = world.people[team[rng.gen_range(0..team.len())] as usize].first;
    let friends = &world.members[Circle::Friend.index()];
    let friend = world.people[friends[rng.gen_range(0..friends.len())] as usize].first;
    let counterpart = if thread.steps[0].from == ME {
        thread.steps[0].to[0]
    } else {
        thread.steps[0].from
    };
    let org = match world.org_name(counterpart) {
        "" => "your team",
        name => name,
    };
    let (introducer, new) = intro.unwrap_or((ME, ME));
    let new_name = world.full_name(new);
    let slots = [
        ("first", world.people[addressee as usize].first),
        ("me", "Maya"),
        ("org", org),
        ("project", thread.project),
        ("doc", thread.doc),
        ("place", thread.place),
        ("food", thread.food),
        ("colleague", colleague),
        ("friend", friend),
        ("new", new_name.as_str()),
        ("newfirst", world.people[new as usize].first),
        ("neworg", world.org_name(new)),
        ("newtitle", world.people[new as usize].title),
        ("introducer", world.people[introducer as usize].first),
    ];
    let mut blocks = Vec::new();
    let mut text = String::new();
    if short {
        expand(
            pick(&mut rng, words::SHORT_LINES),
            &slots,
            &mut rng,
            &mut text,
        );
        blocks.push(Block::Line(text));
        return Ok(Own { blocks, short });
    }
    if k == 0 || intro.is_some() || rng.gen_bool(0.5) {
        let greetings = if step.to.len() + step.cc.len() > 1 && intro.is_none() {
            if thread.circle == Circle::Family {
                &words::GROUP_GREETINGS[3..]
            } else {
                &words::GROUP_GREETINGS[..3]
            }
        } else if personal {
            words::HOME_GREETINGS
        } else if thread.circle.is_formal() && k == 0 {
            words::FORMAL_GREETINGS
        } else {
            words::WORK_GREETINGS
        };
        expand(pick(&mut rng, greetings), &slots, &mut rng, &mut text);
        blocks.push(Block::Line(std::mem::take(&mut text)));
    }
    let pool = SENTENCES[thread.circle.index()];
    let filler = if personal {
        words::HOME_FILLER
    } else {
        words::WORK_FILLER
    };
    let mut used = Vec::new();
    if intro.is_some() {
        let friend_of_a_friend = k == 0 && world.org_name(new).is_empty();
        let line = words::INTRO_LINES[k + usize::from(k > 0 || friend_of_a_friend)];
        expand(line, &slots, &mut rng, &mut text);
        blocks.push(Block::Para(std::mem::take(&mut text)));
    } else if k > 0 {
        let openers = if thread.steps[k - 1].from == step.from {
            words::FOLLOW_UPS
        } else if personal {
            words::HOME_OPENERS
        } else {
            words::WORK_OPENERS
        };
        expand(pick(&mut rng, openers), &slots, &mut rng, &mut text);
        if rng.gen_bool(0.5) {
            text.push(' ');
            expand(
                fresh(&mut rng, pool, &mut used),
                &slots,
                &mut rng,
                &mut text,
            );
        }
        blocks.push(Block::Para(std::mem::take(&mut text)));
    }
    let paragraphs = if k == 0 {
        [0, 24, 42, 25, 9]
    } else {
        [30, 42, 20, 8, 0]
    };
    for _ in 0..super::plan::draw(&mut rng, &paragraphs) {
        for i in 0..rng.gen_range(2..=4) {
            if i > 0 {
                text.push(' ');
            }
            let list = if rng.gen_bool(0.78) { pool } else { filler };
            expand(
                fresh(&mut rng, list, &mut used),
                &slots,
                &mut rng,
                &mut text,
            );
        }
        blocks.push(Block::Para(std::mem::take(&mut text)));
    }
    if step.ask {
        let questions = if personal {
            words::HOME_QUESTIONS
        } else {
            words::WORK_QUESTIONS
        };
        expand(pick(&mut rng, questions), &slots, &mut rng, &mut text);
        match blocks.last_mut() {
            Some(Block::Para(para)) => {
                para.push(' ');
                para.push_str(&text);
            }
            _ => blocks.push(Block::Para(std::mem::take(&mut text))),
        }
        text.clear();
    }
    if k == 0 || rng.gen_bool(0.7) {
        let closings = if personal {
            words::HOME_CLOSINGS
        } else {
            words::WORK_CLOSINGS
        };
        write!(text, "{}\n{}", pick(&mut rng, closings), sender.first)?;
        blocks.push(Block::Line(std::mem::take(&mut text)));
    }
    if sender.signature && !personal {
        let zone = sender.zone.name();
        let code = words::CALLING_CODES
            .iter()
            .find_map(|&(name, code)| (name == zone).then_some(code))
            .unwrap_or(1);
        let org = world.org_name(step.from);
        write!(
            text,
            "{} {}\n{}, {org}\n+{code} 555 {:04}",
            sender.first,
            sender.last,
            sender.title,
            (step.from * 7919 + 4711) % 10_000
        )?;
        blocks.push(Block::Signature(text));
    }
    Ok(Own { blocks, short })
}
