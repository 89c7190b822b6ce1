//! `kindred people`, `person`, `merge` and `split`: the people as text or JSON.

use kindred_api::{PeopleFilter, PeoplePage, PeopleQuery, PersonDetail, PersonSummary};

use crate::print_json;

/// Which people `kindred people --filter` lists.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Filter {
    All,
    Fading,
    New,
    OweReply,
}

impl From<Filter> for PeopleFilter {
    fn from(filter: Filter) -> Self {
        match filter {
            Filter::All => Self::All,
            Filter::Fading => Self::Fading,
            Filter::New => Self::New,
            Filter::OweReply => Self::OweReply,
        }
    }
}

/// The page's people: as JSON, the array `kindred people` has always printed; as text, one
/// line each, then where the page stands among all that match when it does not show them all.
pub fn print_page(query: &PeopleQuery, page: &PeoplePage, json: bool) {
    if json {
        print_json(&page.people);
        return;
    }
    for person in &page.people {
        println!("{}", summary_line(person));
    }
    let shown = u32::try_from(page.people.len()).unwrap_or(u32::MAX);
    let total = page.total;
    if shown == total {
        return;
    }
    if shown == 0 {
        println!(
            "{total} people match; --offset {} is past the last of them",
            query.offset
        );
        return;
    }
    let last = query.offset.saturating_add(shown);
    let next = if last < total {
        format!(" (--offset {last} for the next ones)")
    } else {
        String::new()
    };
    println!("{}–{last} of {total} people{next}", query.offset + 1);
}

pub fn print_person(detail: &PersonDetail, json: bool) {
    if json {
        print_json(detail);
        return;
    }
    let person = &detail.person;
    println!("{}", summary_line(person));
    for address in &detail.addresses {
        println!("  address {}  {}", address.address_id, address.email);
    }
    for term in &person.explanation {
        println!("  {:>8.3}  {}", term.value, term.text);
    }
    for month in &detail.timeline {
        println!(
            "  {}  sent {}, received {}, meetings {}",
            month.month, month.sent, month.received, month.meetings
        );
    }
    for message in &detail.unanswered {
        println!(
            "  awaiting your reply since {}: {}",
            message.at, message.subject
        );
    }
    for proposal in &detail.proposed_merges {
        println!(
            "  maybe the same as {} <{}> ({}): kindred merge {} {}",
            proposal.name.as_deref().unwrap_or("?"),
            proposal.emails.join(", "),
            proposal.reason,
            person.person_id,
            proposal.person_id
        );
    }
}

fn summary_line(person: &PersonSummary) -> String {
    let who = person.name.as_deref().unwrap_or(&person.emails[0]);
    let mut flags = Vec::new();
    if person.fading {
        flags.push("fading");
    }
    if person.new_this_period {
        flags.push("new");
    }
    if person.owe_reply {
        flags.push("you owe a reply");
    }
    format!(
        "{:>4}  {:>8.2}  {who} <{}>  id {}, sent {}, received {}, meetings {}{}",
        person.rank,
        person.score,
        person.emails.join(", "),
        person.person_id,
        person.sent,
        person.received,
        person.meetings,
        if flags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", flags.join(", "))
        }
    )
}
