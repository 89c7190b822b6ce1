//! Where a link in a message may take the person: the web, a new mail, a phone call — and
//! nothing else. The desktop app opens a link only after [`link_target`] has checked it,
//! and the HTML sanitiser keeps an `href` only when it would pass, so both read a link the
//! same way. URLs are parsed with the `url` crate, through the re-export of the sanitiser
//! (`ammonia`) that is built on it.
//!
//! [`message_link`] is the same reading told to the person: which kind of link it is, and
//! its address split so that the part saying where it really goes (a web link's host after
//! any user name, a mail's address, a phone number) can stand out, whatever the link's
//! text claims. The viewer shows that split and opens `url`; it has no link rule of its own.

use ammonia::url::Position;
use ammonia::Url;
use serde::Serialize;
use ts_rs::TS;

use crate::{ApiError, ErrorCode};

/// The schemes a link may have: the web, mail and phone.
pub(crate) const LINK_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// `url` as the system should open it (parsed and normalised: a host in lower case and
/// punycode, spaces escaped), if it is a web, mail or phone link.
///
/// # Errors
/// `invalid_link`: `url` is not an absolute URL, or its scheme is not `http`, `https`,
/// `mailto` or `tel` (a `javascript:`, `file:` or `data:` link is never opened).
pub fn link_target(url: &str) -> Result<String, ApiError> {
    parse_link(url).map(Into::into)
}

/// Where a link goes: the web, a new mail, a phone call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    Web,
    Mail,
    Phone,
}

/// A link of a message as the viewer shows and opens it. `before`, `emphasis` and `after`
/// put together are `url`; `emphasis` is what says where it goes: a web link's host (and
/// port) after any user name (`https://bank.example@evil.example/` goes to
/// `evil.example`), a mail link's address, a phone link's number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MessageLink {
    /// The address as [`link_target`] normalises it: what `open_link` opens.
    pub url: String,
    /// The link's visible text, its whitespace folded; empty when it has none.
    pub text: String,
    pub kind: LinkKind,
    pub before: String,
    pub emphasis: String,
    pub after: String,
}

/// The link to `href` split for showing, its `text` left for the caller, who reads the
/// message, to fill in.
///
/// # Errors
/// `invalid_link`, as [`link_target`]: not a web, mail or phone link.
pub(crate) fn message_link(href: &str) -> Result<MessageLink, ApiError> {
    let parsed = parse_link(href)?;
    let (kind, start, end) = match parsed.scheme() {
        // `mailto:dana@acme.example?subject=…`, `tel:+44…`: the address or number itself.
        "mailto" => (LinkKind::Mail, Position::BeforePath, Position::AfterPath),
        "tel" => (LinkKind::Phone, Position::BeforePath, Position::AfterPath),
        // `https://user@host:port/path`: the host and port, after any user name.
        _ => (LinkKind::Web, Position::BeforeHost, Position::AfterPort),
    };
    Ok(MessageLink {
        url: parsed.as_str().to_owned(),
        text: String::new(),
        kind,
        before: parsed[..start].to_owned(),
        emphasis: parsed[start..end].to_owned(),
        after: parsed[end..].to_owned(),
    })
}

/// `url` parsed, if it is a web, mail or phone link.
fn parse_link(url: &str) -> Result<Url, ApiError> {
    let shown: String = url.chars().take(200).collect();
    let parsed = Url::parse(url.trim()).map_err(|error| {
        ApiError::new(
            ErrorCode::InvalidLink,
            format!("the link '{shown}' is not a web, mail or phone address ({error})"),
        )
    })?;
    if !LINK_SCHEMES.contains(&parsed.scheme()) {
        return Err(ApiError::new(
            ErrorCode::InvalidLink,
            format!(
                "Kindred does not open {}: links (in '{shown}'); only web (http, https), mail \
                 (mailto) and phone (tel) links open",
                parsed.scheme()
            ),
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mail_and_phone_links_are_opened_normalised() {
        for (link, target) in [
            (
                "https://acme.example/report?q=1#top",
                "https://acme.example/report?q=1#top",
            ),
            ("  HTTP://ACME.Example/a b ", "http://acme.example/a%20b"),
            ("https://bücher.example/", "https://xn--bcher-kva.example/"),
            (
                "mailto:dana@acme.example?subject=Hi",
                "mailto:dana@acme.example?subject=Hi",
            ),
            ("tel:+44-20-7946-0000", "tel:+44-20-7946-0000"),
        ] {
            assert_eq!(link_target(link).as_deref(), Ok(target), "{link}");
        }
    }

    #[test]
    fn other_schemes_are_refused_by_name() {
        for (link, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            ("file:///etc/passwd", "file"),
            ("data:text/html,<script>alert(1)</script>", "data"),
            ("ftp://files.example/x", "ftp"),
            ("tauri://localhost/", "tauri"),
        ] {
            let error = link_target(link).expect_err(link);
            assert_eq!(error.code, ErrorCode::InvalidLink, "{link}");
            assert!(
                error.message.contains(&format!("{scheme}:")),
                "the refusal names the scheme: {}",
                error.message
            );
        }
    }

    fn split(link: &MessageLink) -> [&str; 3] {
        [&link.before, &link.emphasis, &link.after]
    }

    #[test]
    fn a_web_link_is_split_so_its_real_host_stands_out() {
        let link = message_link("https://acme.example/report?q=1").unwrap();
        assert_eq!(
            link,
            MessageLink {
                url: "https://acme.example/report?q=1".to_owned(),
                text: String::new(),
                kind: LinkKind::Web,
                before: "https://".to_owned(),
                emphasis: "acme.example".to_owned(),
                after: "/report?q=1".to_owned(),
            }
        );
    }

    #[test]
    fn the_host_after_a_user_name_that_imitates_another_site_stands_out() {
        let link = message_link("https://bank.example@evil.example:8443/login").unwrap();
        assert_eq!(
            split(&link),
            ["https://bank.example@", "evil.example:8443", "/login"]
        );
        let link = message_link("http://user:secret@acme.example").unwrap();
        assert_eq!(split(&link), ["http://user:secret@", "acme.example", "/"]);
    }

    #[test]
    fn the_split_is_of_the_address_as_it_will_be_opened() {
        let link = message_link("  HTTP://Bücher.Example ").unwrap();
        assert_eq!(link.url, "http://xn--bcher-kva.example/");
        assert_eq!(link.url, link_target("  HTTP://Bücher.Example ").unwrap());
        assert_eq!(split(&link), ["http://", "xn--bcher-kva.example", "/"]);
        assert_eq!(split(&link).concat(), link.url);
    }

    #[test]
    fn a_mail_link_emphasises_its_address_and_a_phone_link_its_number() {
        let mail = message_link("mailto:dana@acme.example?subject=Hi#x").unwrap();
        assert_eq!(mail.kind, LinkKind::Mail);
        assert_eq!(
            split(&mail),
            ["mailto:", "dana@acme.example", "?subject=Hi#x"]
        );
        let phone = message_link("tel:+44-20-7946-0000").unwrap();
        assert_eq!(phone.kind, LinkKind::Phone);
        assert_eq!(split(&phone), ["tel:", "+44-20-7946-0000", ""]);
    }

    #[test]
    fn kinds_are_named_as_the_viewer_reads_them() {
        let kinds = [LinkKind::Web, LinkKind::Mail, LinkKind::Phone]
            .map(|kind| serde_json::to_string(&kind).unwrap());
        assert_eq!(kinds, [r#""web""#, r#""mail""#, r#""phone""#]);
    }

    #[test]
    fn a_link_that_would_not_open_is_not_split() {
        for link in ["javascript:alert(1)", "/relative", "ftp://files.example/x"] {
            let error = message_link(link).expect_err(link);
            assert_eq!(error.code, ErrorCode::InvalidLink, "{link}");
        }
    }

    #[test]
    fn what_is_not_an_absolute_url_is_refused() {
        for link in [
            "/relative/path",
            "acme.example",
            "",
            "https://",
            "http://[::1",
        ] {
            let error = link_target(link).expect_err(link);
            assert_eq!(error.code, ErrorCode::InvalidLink, "{link}");
            assert!(
                error
                    .message
                    .contains("is not a web, mail or phone address"),
                "{}",
                error.message
            );
        }
    }
}
