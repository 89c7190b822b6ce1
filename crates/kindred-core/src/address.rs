//! Email addresses: normalisation, rejection of garbage, and the pure tests on an address
//! alone (automated senders, freemail domains).

use std::fmt;

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

/// Freemail and consumer ISP domains, whose users are individuals rather than members of
/// one organisation. A short list of the largest providers; the insights work refines it.
#[must_use]
pub fn is_freemail_domain(domain: &str) -> bool {
    const FREEMAIL: [&str; 24] = [
        "gmail.com",
        "googlemail.com",
        "yahoo.com",
        "yahoo.co.uk",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "msn.com",
        "aol.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "gmx.de",
        "web.de",
        "mail.com",
        "yandex.ru",
        "earthlink.net",
        "comcast.net",
        "att.net",
        "verizon.net",
        "fastmail.com",
    ];
    FREEMAIL.contains(&domain)
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
