//! Email addresses: normalisation, rejection of garbage, and the pure tests on an address
//! alone (automated senders, freemail domains).

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A normalised email address: trimmed, unquoted, without angle brackets, lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Address(String);

/// Why a string was not accepted as an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressRejection {
    Empty,
    NoAtSign,
    /// Group syntax such as `undisclosed-recipients:;`.
    Group,
    Malformed,
}

impl Address {
    /// Normalises `raw` into an address, or says why it is not one.
    ///
    /// # Errors
    /// An [`AddressRejection`] for empty strings, strings without `@`, group syntax and
    /// strings with spaces or an empty local part or domain.
    pub fn parse(raw: &str) -> Result<Self, AddressRejection> {
        let mut text = raw.trim();
        if let (Some(start), Some(end)) = (text.rfind('<'), text.rfind('>')) {
            if start < end {
                text = &text[start + 1..end];
            }
        }
        let text = text
            .trim()
            .trim_matches(|c: char| c == '"' || c == '\'' || c == '<' || c == '>')
            .trim();
        if text.is_empty() {
            return Err(AddressRejection::Empty);
        }
        if text.ends_with(";") || text.contains(":;") {
            return Err(AddressRejection::Group);
        }
        let Some((local, domain)) = text.rsplit_once('@') else {
            return Err(AddressRejection::NoAtSign);
        };
        let local = local.trim_start_matches("mailto:");
        let domain = domain.trim_end_matches('.');
        let well_formed = !local.is_empty()
            && !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !text.chars().any(|c| c.is_whitespace() || c.is_control())
            && !domain.contains(['@', ',', ';', '(', ')', '[', ']', '\\']);
        if !well_formed {
            return Err(AddressRejection::Malformed);
        }
        Ok(Self(format!(
            "{}@{}",
            local.to_lowercase(),
            domain.to_lowercase()
        )))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    #[must_use]
    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(local, _)| local)
    }

    #[must_use]
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, domain)| domain)
    }

    /// Whether the address itself says no person reads it: no-reply, bounces, daemons,
    /// notification and list robots.
    #[must_use]
    pub fn looks_automated(&self) -> bool {
        const PREFIXES: [&str; 14] = [
            "noreply",
            "no-reply",
            "no_reply",
            "donotreply",
            "do-not-reply",
            "do_not_reply",
            "mailer-daemon",
            "postmaster",
            "bounce",
            "notification",
            "notify",
            "newsletter",
            "list-",
            "owner-",
        ];
        let local = self.local_part();
        PREFIXES.iter().any(|prefix| local.starts_with(prefix))
            || local.ends_with("-bounces")
            || local.ends_with("-request")
            || local.contains("+bounce")
    }

    /// The address Gmail delivers to: on gmail.com and googlemail.com the dots of the local
    /// part and anything after a `+` do not matter, and the two domains are one. Every
    /// other address is its own canonical form (other providers' rules differ).
    #[must_use]
    pub fn canonical(&self) -> Self {
        let (local, domain) = (self.local_part(), self.domain());
        if domain != "gmail.com" && domain != "googlemail.com" {
            return self.clone();
        }
        let local = local.split('+').next().unwrap_or(local).replace('.', "");
        Self(format!("{local}@gmail.com"))
    }

    /// Whether the address is a placeholder some system wrote where no address was known
    /// (`no.address@enron.com`, `undisclosed-recipients@…`, `unknown@…`): it names no one.
    #[must_use]
    pub fn is_placeholder(&self) -> bool {
        const LOCAL_PARTS: [&str; 12] = [
            "no.address",
            "no_address",
            "no-address",
            "noaddress",
            "undisclosed-recipients",
            "undisclosed.recipients",
            "undisclosed_recipients",
            "unknown",
            "unknown.sender",
            "nobody",
            "invalid",
            "null",
        ];
        LOCAL_PARTS.contains(&self.local_part()) || self.domain().ends_with(".invalid")
    }

    /// Whether the domain is a freemail or ISP mailbox provider rather than an organisation.
    #[must_use]
    pub fn is_freemail(&self) -> bool {
        is_freemail_domain(self.domain())
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The registrable domain of `domain` by the public suffix list: `eu.acme.co.uk` →
/// `acme.co.uk`. Subdomains of an organisation fold into it; a domain the list cannot
/// split is returned as it is.
#[must_use]
pub fn registrable_domain(domain: &str) -> String {
    psl::domain_str(domain).unwrap_or(domain).to_owned()
}

/// A readable organisation name from its registrable domain: `northwind-labs.com` →
/// `Northwind Labs`.
#[must_use]
pub fn organization_name(registrable: &str) -> String {
    let label = registrable.split('.').next().unwrap_or(registrable);
    label
        .split(['-', '_'])
        .filter(|word| !word.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect::<String>()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The organisation's name as its people write it, where that is clear: a display name,
/// or a part of one (after `|`, ` - `, `@`, ` at `, `,` or in parentheses), that spells
/// the domain's first label, ignoring case, spaces, punctuation and a legal suffix such as
/// "Inc": `HubSpot` for hubspot.com, `Reliant Energy` for reliantenergy.com, `Acme Corp`
/// from "Dana Smith (Acme Corp)" for acme.com. The most frequent spelling wins (ties in
/// alphabetical order); with none, [`organization_name`].
#[must_use]
pub fn organization_name_from<'a>(
    registrable: &str,
    display_names: impl IntoIterator<Item = &'a str>,
) -> String {
    const LEGAL: [&str; 11] = [
        "inc",
        "llc",
        "ltd",
        "gmbh",
        "corp",
        "corporation",
        "co",
        "plc",
        "sa",
        "ag",
        "company",
    ];
    let label = compact(registrable.split('.').next().unwrap_or(registrable));
    if label.is_empty() {
        return organization_name(registrable);
    }
    let spells_label = |candidate: &str| {
        let words: Vec<&str> = candidate.split_whitespace().collect();
        let without_legal = match words.split_last() {
            Some((last, rest)) if !rest.is_empty() && LEGAL.contains(&compact(last).as_str()) => {
                rest.join(" ")
            }
            _ => candidate.to_owned(),
        };
        compact(candidate) == label || compact(&without_legal) == label
    };
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for name in display_names {
        let inner = name.split(['(', ')']).nth(1).unwrap_or_default();
        let parts = name
            .split(['|', '@', ','])
            .flat_map(|part| part.split(" - "))
            .flat_map(|part| part.split(" at "))
            .chain([name, inner]);
        let mut spelled: Vec<&str> = parts
            .map(|part| part.trim_matches(|c: char| c.is_whitespace() || "()\"'".contains(c)))
            .filter(|part| !part.is_empty() && spells_label(part))
            .collect();
        spelled.sort_unstable();
        spelled.dedup();
        for part in spelled {
            *counts.entry(part.to_owned()).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|(a, x), (b, y)| x.cmp(y).then_with(|| b.cmp(a)))
        .map_or_else(|| organization_name(registrable), |(name, _)| name)
}

/// Letters and digits only, lower case: how a name and a domain label are compared.
fn compact(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Freemail, ISP and disposable mailbox domains, whose users are individuals rather than
/// members of one organisation: `data/freemail-domains.txt`, whose header gives its source
/// and licence. A subdomain of a listed domain is listed too.
#[must_use]
pub fn is_freemail_domain(domain: &str) -> bool {
    static FREEMAIL: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
        include_str!("../data/freemail-domains.txt")
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    });
    FREEMAIL.contains(domain) || FREEMAIL.contains(registrable_domain(domain).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_quotes_and_brackets() {
        let address = Address::parse(" \"Dana Smith\" <Dana.Smith@Example.COM> ").unwrap();
        assert_eq!(address.as_str(), "dana.smith@example.com");
        assert_eq!(address.domain(), "example.com");
        assert_eq!(address.local_part(), "dana.smith");
    }

    #[test]
    fn garbage_is_rejected_with_a_reason() {
        assert_eq!(
            Address::parse("undisclosed-recipients:;"),
            Err(AddressRejection::Group)
        );
        assert_eq!(Address::parse("John Doe"), Err(AddressRejection::NoAtSign));
        assert_eq!(Address::parse("  "), Err(AddressRejection::Empty));
        assert_eq!(
            Address::parse("a b@c.com"),
            Err(AddressRejection::Malformed)
        );
        assert_eq!(
            Address::parse("user@localhost"),
            Err(AddressRejection::Malformed)
        );
    }

    #[test]
    fn subdomains_fold_into_their_registrable_domain() {
        assert_eq!(registrable_domain("eu.acme.co.uk"), "acme.co.uk");
        assert_eq!(
            registrable_domain("mail.northwind.example"),
            "northwind.example"
        );
        assert_eq!(registrable_domain("enron.com"), "enron.com");
        assert_eq!(organization_name("northwind-labs.com"), "Northwind Labs");
    }

    #[test]
    fn an_organisation_is_named_as_its_people_spell_it_where_that_is_clear() {
        assert_eq!(
            organization_name_from("hubspot.com", ["HubSpot", "Dana Smith"]),
            "HubSpot"
        );
        assert_eq!(
            organization_name_from("reliantenergy.com", ["Reliant Energy | Billing"]),
            "Reliant Energy"
        );
        assert_eq!(
            organization_name_from("acme.com", ["Dana Smith (Acme Corp)", "Bob at ACME"]),
            "ACME",
            "two spellings, once each: the first in order"
        );
        assert_eq!(
            organization_name_from(
                "acme.com",
                ["Dana Smith (Acme Corp)", "Bob - Acme Corp", "Bob at ACME"]
            ),
            "Acme Corp",
            "the most frequent spelling"
        );
        assert_eq!(
            organization_name_from("northwind-labs.com", ["Dana Smith", "Support"]),
            "Northwind Labs",
            "no name spells the domain: the name from the domain"
        );
        assert_eq!(
            organization_name_from("acme.com", ["Acmeville Tours"]),
            "Acme",
            "a name that only starts like the domain is not it"
        );
    }

    #[test]
    fn gmail_ignores_dots_and_plus_tags_and_nothing_else_does() {
        let canonical = |raw: &str| Address::parse(raw).unwrap().canonical().as_str().to_owned();
        assert_eq!(
            canonical("Dana.Smith+news@gmail.com"),
            "danasmith@gmail.com"
        );
        assert_eq!(
            canonical("d.a.n.a.smith@googlemail.com"),
            "danasmith@gmail.com"
        );
        assert_eq!(canonical("dana.smith+x@acme.com"), "dana.smith+x@acme.com");
    }

    #[test]
    fn placeholders_name_no_one() {
        for raw in [
            "no.address@enron.com",
            "undisclosed-recipients@x.org",
            "a@b.invalid",
        ] {
            assert!(Address::parse(raw).unwrap().is_placeholder(), "{raw}");
        }
        assert!(!Address::parse("no.adams@enron.com")
            .unwrap()
            .is_placeholder());
    }

    #[test]
    fn freemail_and_isp_domains_are_not_organisations() {
        for domain in [
            "gmail.com",
            "googlemail.com",
            "comcast.net",
            "t-online.de",
            "eu.yahoo.com",
        ] {
            assert!(is_freemail_domain(domain), "{domain}");
        }
        for domain in [
            "enron.com",
            "reliantenergy.com",
            "mit.edu",
            "larkspur.example",
        ] {
            assert!(!is_freemail_domain(domain), "{domain}");
        }
    }

    #[test]
    fn automated_senders_are_recognised() {
        for raw in [
            "no-reply@github.com",
            "MAILER-DAEMON@x.org",
            "list-bounces@x.org",
        ] {
            assert!(Address::parse(raw).unwrap().looks_automated(), "{raw}");
        }
        assert!(!Address::parse("dana@acme.com").unwrap().looks_automated());
    }
}
