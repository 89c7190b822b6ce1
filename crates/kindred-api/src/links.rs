//! Where a link in a message may take the person: the web, a new mail, a phone call — and
//! nothing else. The desktop app opens a link only after [`link_target`] has checked it,
//! and the HTML sanitiser keeps an `href` only when it would pass, so both read a link the
//! same way. URLs are parsed with the `url` crate, through the re-export of the sanitiser
//! (`ammonia`) that is built on it.

use ammonia::Url;

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
    Ok(parsed.into())
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
