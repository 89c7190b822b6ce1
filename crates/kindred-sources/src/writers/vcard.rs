//! People and organisations as vCard 4.0 (RFC 6350), which address books import.

use super::{escape_text, push_folded};

/// What a card says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Stable within one export: `kindred:person:12`, `kindred:org:acme.com`.
    pub uid: String,
    pub kind: CardKind,
    /// The name shown; an address or a domain when there is no name.
    pub full_name: String,
    pub emails: Vec<String>,
    /// The organisation's name, for a person.
    pub organization: Option<String>,
    /// A web address, for an organisation (its domain).
    pub url: Option<String>,
    pub note: Option<String>,
}

/// vCard's KIND.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    Individual,
    Org,
}

/// One card, CRLF-ended and folded.
#[must_use]
pub fn card(card: &Card) -> String {
    let mut out = String::new();
    push_folded(&mut out, "BEGIN:VCARD");
    push_folded(&mut out, "VERSION:4.0");
    push_folded(
        &mut out,
        match card.kind {
            CardKind::Individual => "KIND:individual",
            CardKind::Org => "KIND:org",
        },
    );
    push_folded(&mut out, &format!("UID:{}", escape_text(&card.uid)));
    push_folded(&mut out, &format!("FN:{}", escape_text(&card.full_name)));
    for (index, email) in card.emails.iter().enumerate() {
        let preference = if index == 0 { ";PREF=1" } else { "" };
        push_folded(
            &mut out,
            &format!("EMAIL{preference}:{}", escape_text(email)),
        );
    }
    if let Some(organization) = &card.organization {
        push_folded(&mut out, &format!("ORG:{}", escape_text(organization)));
    }
    if let Some(url) = &card.url {
        push_folded(&mut out, &format!("URL:{}", escape_text(url)));
    }
    if let Some(note) = &card.note {
        push_folded(&mut out, &format!("NOTE:{}", escape_text(note)));
    }
    push_folded(&mut out, "END:VCARD");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_card_names_them_and_lists_their_addresses() {
        let text = card(&Card {
            uid: "kindred:person:7".to_owned(),
            kind: CardKind::Individual,
            full_name: "Dana Þór, PhD".to_owned(),
            emails: vec!["dana@acme.com".to_owned(), "dana@home.org".to_owned()],
            organization: Some("Acme".to_owned()),
            url: None,
            note: Some("rank 1; score 12.5".to_owned()),
        });
        assert_eq!(
            text,
            "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:individual\r\nUID:kindred:person:7\r\n\
FN:Dana Þór\\, PhD\r\nEMAIL;PREF=1:dana@acme.com\r\nEMAIL:dana@home.org\r\nORG:Acme\r\n\
NOTE:rank 1\\; score 12.5\r\nEND:VCARD\r\n"
        );
    }
}
