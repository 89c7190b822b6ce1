//! Mail HTML made safe to show: `ammonia` keeps only presentational markup, and a filter on
//! every kept attribute blocks anything that would load from elsewhere, counting the remote
//! resources it blocked so the viewer can say so.
//!
//! What goes: scripts, event handlers, forms, frames, objects, embeds, `<base>`, `<meta>`,
//! `<link>`, comments; `javascript:`, `data:` and relative links; every image but inline
//! raster `data:` ones; `srcset` and `background`; CSS declarations that could load
//! something (`url(`, `image-set(` …). Links keep their `href` and open, if at all, in a new
//! context with `rel="noopener noreferrer"`. The text of `<style>` elements is kept apart
//! from the fragment, once [`css`] has sanitised it (no `url(`, `@import`, `@font-face`,
//! bindings or expressions), for the viewer to apply in the frame: newsletters keep their
//! layout. The viewer adds a
//! sandboxed frame and a `default-src 'none'` policy on top of this, so a miss here still
//! loads nothing.
//!
//! Each link that keeps its `href` is numbered in document order (`data-link="N"`, inert)
//! and listed, as [`message_link`] reads it, with its text: the viewer matches a click on
//! an anchor to its entry by that number and never reads an `href` itself.

mod css;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use ammonia::{Builder, UrlRelative};

use crate::links::{link_target, message_link, MessageLink, LINK_SCHEMES};

/// Sanitised markup, its sanitised style sheets and links, and how many remote resources
/// were taken out of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SafeHtml {
    /// The fragment; its links numbered by `data-link`, from 0.
    pub html: String,
    /// The fragment's links, in document order: `links[N]` is the anchor `data-link="N"`.
    pub links: Vec<MessageLink>,
    /// The text of each `<style>` element, in order, sanitised; empty ones left out.
    pub style_sheets: Vec<String>,
    pub remote_blocked: u32,
}

/// Tags mail uses for layout beyond ammonia's defaults.
const LAYOUT_TAGS: [&str; 6] = ["font", "tfoot", "big", "section", "address", "main"];

/// Presentational attributes allowed on any tag (`background` and `style` are then
/// filtered by [`filter_attribute`]); `class` and `id` are what the kept style sheets select.
const LAYOUT_ATTRIBUTES: [&str; 13] = [
    "style",
    "class",
    "id",
    "dir",
    "align",
    "valign",
    "width",
    "height",
    "bgcolor",
    "background",
    "border",
    "cellpadding",
    "cellspacing",
];

/// Inline images kept: raster formats only, which cannot carry script.
const INLINE_IMAGES: [&str; 5] = [
    "data:image/png;",
    "data:image/gif;",
    "data:image/jpeg;",
    "data:image/jpg;",
    "data:image/webp;",
];

/// CSS functions and rules that fetch something.
const CSS_LOADERS: [&str; 7] = [
    "url(",
    "image-set(",
    "image(",
    "cross-fade(",
    "element(",
    "src(",
    "@import",
];

/// Sanitises `html` (a whole document or a fragment) into a fragment safe to show.
pub(crate) fn sanitise(html: &str) -> SafeHtml {
    let blocked = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&blocked);
    let body = Builder::default()
        .add_tags(LAYOUT_TAGS)
        .add_clean_content_tags(["title"])
        .add_generic_attributes(LAYOUT_ATTRIBUTES)
        .add_tag_attributes("font", ["color", "face", "size"])
        .add_tag_attributes("img", ["srcset"])
        .add_tag_attributes("td", ["nowrap"])
        .set_tag_attribute_value("a", "target", "_blank")
        .url_schemes(LINK_SCHEMES.into_iter().chain(["data"]).collect())
        // Relative URLs pass ammonia so that the filter sees (and counts) `//host/…`;
        // the filter then drops every relative URL.
        .url_relative(UrlRelative::PassThrough)
        .attribute_filter(move |element, attribute, value| {
            let (kept, remote) = filter_attribute(element, attribute, value);
            if remote > 0 {
                counter.fetch_add(remote, Ordering::Relaxed);
            }
            kept
        })
        .clean(html)
        .to_string();
    let (body, links) = number_links(&body);
    let mut remote_blocked = blocked.load(Ordering::Relaxed);
    let mut style_sheets = Vec::new();
    for sheet in style_elements(html) {
        let safe = css::sanitise_style_sheet(&sheet);
        remote_blocked += safe.remote_blocked;
        if !safe.css.trim().is_empty() {
            style_sheets.push(safe.css);
        }
    }
    SafeHtml {
        html: body,
        links,
        style_sheets,
        remote_blocked,
    }
}

/// The text of every `<style>` element in `html`, in order, as the browser's parser would
/// find it. A second `ammonia` pass keeps nothing but `<style>` elements without attributes,
/// so in its output every other `<` is escaped text and the elements can be cut out by
/// their tags.
fn style_elements(html: &str) -> Vec<String> {
    if !html.to_ascii_lowercase().contains("<style") {
        return Vec::new();
    }
    let only_styles = Builder::empty()
        .add_tags(["style"])
        .rm_clean_content_tags(["style"])
        .generic_attributes(HashSet::new())
        .tag_attributes(HashMap::new())
        .clean(html)
        .to_string();
    let mut sheets = Vec::new();
    let mut rest = only_styles.as_str();
    while let Some(start) = rest.find("<style>") {
        let text = &rest[start + "<style>".len()..];
        let end = text.find("</style>").unwrap_or(text.len());
        sheets.push(text[..end].to_owned());
        rest = &text[end..];
    }
    sheets
}

/// `html`, as ammonia writes it, with each anchor that has an `href` numbered
/// (`data-link="N"`), and the links in that order with their text.
///
/// Ammonia's writer makes this a plain scan: every `<` of text is written `&lt;`, every
/// attribute value is in double quotes with its `"` written `&quot;`, no comment and no
/// element whose text is raw (`<style>`, `<script>`) is kept, and every `<a>` has its
/// `</a>`. So a `<`
/// outside quotes opens a tag, and the `>` after it, outside quotes, closes it.
fn number_links(html: &str) -> (String, Vec<MessageLink>) {
    let mut numbered = String::with_capacity(html.len());
    let mut links: Vec<MessageLink> = Vec::new();
    // The text of each listed link, as written.
    let mut texts: Vec<String> = Vec::new();
    // The anchors open where the scan is, with their number if they have one.
    let mut open: Vec<Option<usize>> = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        numbered.push_str(text);
        for number in open.iter().flatten() {
            texts[*number].push_str(text);
        }
        let tag = &rest[start..start + tag_length(&rest[start..])];
        rest = &rest[start + tag.len()..];
        if tag == "</a>" {
            open.pop();
        } else if tag.starts_with("<a ") || tag == "<a>" {
            let link = attribute(tag, "href").and_then(|href| message_link(&href).ok());
            let number = link.map(|link| {
                links.push(link);
                texts.push(String::new());
                links.len() - 1
            });
            match (number, tag.strip_suffix('>')) {
                (Some(number), Some(inside)) => {
                    numbered.push_str(inside);
                    numbered.push_str(&format!(" data-link=\"{number}\">"));
                }
                _ => numbered.push_str(tag),
            }
            open.push(number);
            continue;
        }
        numbered.push_str(tag);
    }
    numbered.push_str(rest);
    for (link, text) in links.iter_mut().zip(texts) {
        link.text = unescape(&text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    (numbered, links)
}

/// The length of the tag at the start of `html`, up to its `>` outside quotes (the rest
/// of `html` if there is none).
fn tag_length(html: &str) -> usize {
    let mut quoted = false;
    for (at, c) in html.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '>' if !quoted => return at + 1,
            _ => {}
        }
    }
    html.len()
}

/// The value of attribute `name` of `tag` (a start tag as ammonia writes it: ` name="…"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find('"') {
        let key = rest[..at].trim_end_matches('=').rsplit(' ').next()?;
        let value_and_rest = &rest[at + 1..];
        let end = value_and_rest.find('"')?;
        if key == name {
            return Some(unescape(&value_and_rest[..end]));
        }
        rest = &value_and_rest[end + 1..];
    }
    None
}

/// Text or an attribute value as ammonia writes it, read back: its writer escapes only
/// `&`, `<`, `>`, `"` and the no-break space.
fn unescape(written: &str) -> String {
    written
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// What is kept of one attribute, and how many remote resources dropping it blocked.
fn filter_attribute<'v>(
    element: &str,
    attribute: &str,
    value: &'v str,
) -> (Option<Cow<'v, str>>, u32) {
    match attribute {
        "href" => {
            let link = link_target(value).is_ok();
            (link.then_some(Cow::Borrowed(value)), 0)
        }
        "src" if element == "img" => {
            let compact = compact_url(value);
            if INLINE_IMAGES
                .iter()
                .any(|prefix| compact.starts_with(prefix))
            {
                (Some(Cow::Borrowed(value)), 0)
            } else {
                (None, u32::from(is_remote(&compact)))
            }
        }
        "src" => (None, u32::from(is_remote(&compact_url(value)))),
        "srcset" => {
            let remote = value
                .split(',')
                .any(|candidate| is_remote(&compact_url(candidate)));
            (None, u32::from(remote))
        }
        "background" => (None, u32::from(is_remote(&compact_url(value)))),
        "style" => filter_style(value),
        _ => (Some(Cow::Borrowed(value)), 0),
    }
}

/// The declarations of a `style` attribute that load nothing, and how many of the dropped
/// ones pointed at a remote URL. A style with a CSS escape (`\75rl(`) is dropped whole:
/// escapes can spell any function name, and mail has no need of them.
fn filter_style(style: &str) -> (Option<Cow<'_, str>>, u32) {
    let lower = style.to_ascii_lowercase();
    if lower.contains('\\') {
        return (None, u32::from(css_is_remote(&lower)));
    }
    let mut remote = 0;
    let kept: Vec<&str> = style
        .split(';')
        .filter(|declaration| {
            let declaration = declaration.to_ascii_lowercase();
            let loads = CSS_LOADERS
                .iter()
                .any(|loader| declaration.contains(loader));
            if loads && css_is_remote(&declaration) {
                remote += 1;
            }
            !loads
        })
        .collect();
    if remote == 0 && kept.len() == style.split(';').count() {
        return (Some(Cow::Borrowed(style)), 0);
    }
    let kept = kept.join(";");
    let kept = (!kept.trim().is_empty()).then_some(Cow::Owned(kept));
    (kept, remote)
}

fn css_is_remote(lower: &str) -> bool {
    lower.contains("http:") || lower.contains("https:") || lower.contains("//")
}

/// `url` as a browser reads it: without the whitespace and control characters it ignores,
/// lower-cased.
fn compact_url(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether a compacted URL reaches another host: an absolute network URL, or a
/// protocol-relative one (which browsers also spell with backslashes).
fn is_remote(compact: &str) -> bool {
    ["http:", "https:", "ftp:", "//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|prefix| compact.starts_with(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::links::LinkKind;

    fn clean(html: &str) -> SafeHtml {
        sanitise(html)
    }

    fn assert_absent(safe: &SafeHtml, needles: &[&str]) {
        let lower = safe.html.to_ascii_lowercase();
        for needle in needles {
            assert!(
                !lower.contains(needle),
                "{needle:?} must not survive sanitising: {}",
                safe.html
            );
        }
    }

    #[test]
    fn scripts_and_their_text_are_removed() {
        let safe = clean("<p>Hi</p><script>alert(1)</script><SCRIPT src=x.js></SCRIPT>");
        assert_absent(&safe, &["<script", "alert(1)", "x.js"]);
        assert!(safe.html.contains("<p>Hi</p>"), "{}", safe.html);
    }

    #[test]
    fn event_handlers_are_removed() {
        let safe = clean(
            r#"<img src="data:image/png;base64,iVBORw0KGgo=" onerror="alert(1)"><b onclick=steal()>x</b><svg onload="alert(2)"><circle/></svg>"#,
        );
        assert_absent(&safe, &["onerror", "onclick", "onload", "alert", "<svg"]);
        assert!(
            safe.html.contains("data:image/png;base64"),
            "an inline raster image stays"
        );
        assert_eq!(safe.remote_blocked, 0, "nothing remote here");
    }

    #[test]
    fn javascript_and_data_links_lose_their_href() {
        let safe = clean(
            r#"<a href="javascript:alert(1)">a</a><a href=" JaVaScRiPt:alert(2)">b</a><a href="data:text/html,<script>x</script>">c</a><a href="/relative">d</a>"#,
        );
        assert_absent(&safe, &["javascript", "data:", "href"]);
        assert!(
            safe.html.contains(">d</a>"),
            "the link's text stays: {}",
            safe.html
        );
    }

    /// The numbers of the fragment's anchors that have one, in document order.
    fn numbers(html: &str) -> Vec<String> {
        html.split(" data-link=\"")
            .skip(1)
            .map(|after| after[..after.find('"').unwrap()].to_owned())
            .collect()
    }

    #[test]
    fn kept_links_are_numbered_in_order_and_listed_with_their_text() {
        let safe = clean(concat!(
            r#"<p><a href="https://acme.example/report?a=1&amp;b=2">  Read <b>the</b>"#,
            "\n report </a> or <a href=\"mailto:dana@acme.example\"><img alt=\"mail\" ",
            r#"src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></a></p>"#,
            r#"<a href="HTTPS://Bank.Example@Evil.Example/login">Your&nbsp;bank &lt;&gt;</a>"#,
            r#"<a href="tel:+44-20-7946-0000">Call</a>"#,
        ));
        assert_eq!(numbers(&safe.html), ["0", "1", "2", "3"], "{}", safe.html);
        assert!(
            safe.html.contains(r#"" data-link="0">  Read <b>the</b>"#),
            "the number is added to the anchor, its text left as it was: {}",
            safe.html
        );
        let listed: Vec<(&str, &str, LinkKind, &str)> = safe
            .links
            .iter()
            .map(|link| {
                (
                    link.url.as_str(),
                    link.text.as_str(),
                    link.kind,
                    link.emphasis.as_str(),
                )
            })
            .collect();
        assert_eq!(
            listed,
            [
                (
                    "https://acme.example/report?a=1&b=2",
                    "Read the report",
                    LinkKind::Web,
                    "acme.example"
                ),
                (
                    "mailto:dana@acme.example",
                    "",
                    LinkKind::Mail,
                    "dana@acme.example"
                ),
                (
                    "https://Bank.Example@evil.example/login",
                    "Your bank <>",
                    LinkKind::Web,
                    "evil.example"
                ),
                (
                    "tel:+44-20-7946-0000",
                    "Call",
                    LinkKind::Phone,
                    "+44-20-7946-0000"
                ),
            ]
        );
    }

    #[test]
    fn refused_links_get_no_number_and_no_entry() {
        let safe = clean(concat!(
            r#"<a href="javascript:alert(1)">Prize</a><a href="/relative">Here</a>"#,
            r#"<a name="top">Top</a><a href="https://acme.example/">Acme</a>"#,
            r#"<a href="data:text/html,x">Data</a><a href="http://acme.example/2">Two</a>"#,
        ));
        assert_eq!(numbers(&safe.html), ["0", "1"], "{}", safe.html);
        let texts: Vec<&str> = safe.links.iter().map(|link| link.text.as_str()).collect();
        assert_eq!(texts, ["Acme", "Two"]);
        let before_prize = &safe.html[..safe.html.find(">Prize</a>").unwrap()];
        assert!(
            !before_prize[before_prize.rfind("<a ").unwrap()..].contains("data-link"),
            "a refused link keeps its text and has no number: {}",
            safe.html
        );
    }

    #[test]
    fn a_message_cannot_number_its_own_links_or_fake_an_anchor() {
        let safe = clean(concat!(
            r#"<!-- " <a href="https://fake.example/"> -->"#,
            r#"<a href="https://evil.example/" data-link="1">First</a>"#,
            r#"<p title="<a href=&quot;https://fake.example/&quot;>x</a>">"#,
            r#"Text that says &lt;a href="https://fake.example/"&gt; data-link="0"</p>"#,
            r#"<a href="https://acme.example/" title='"quoted" > <a href="https://fake.example/">'>Second</a>"#,
        ));
        let urls: Vec<&str> = safe.links.iter().map(|link| link.url.as_str()).collect();
        assert_eq!(
            urls,
            ["https://evil.example/", "https://acme.example/"],
            "{}",
            safe.html
        );
        assert_eq!(
            safe.links[1].text, "Second",
            "the text after a tricky attribute"
        );
        assert_eq!(
            safe.html.matches("data-link=\"").count(),
            3,
            "the two real anchors and the text that spells one: {}",
            safe.html
        );
        assert!(
            safe.html.contains(r#"" data-link="0">First</a>"#),
            "the message's own number is dropped: {}",
            safe.html
        );
    }

    #[test]
    fn only_raster_inline_images_stay() {
        let safe = clean(concat!(
            r#"<img alt="svg" src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">"#,
            r#"<img alt="html" src="data:text/html,<script>alert(1)</script>">"#,
            r#"<img alt="gif" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">"#,
        ));
        assert_absent(&safe, &["svg+xml", "text/html"]);
        assert!(safe.html.contains("data:image/gif;base64"), "{}", safe.html);
        assert_eq!(safe.remote_blocked, 0, "inline images are not remote");
    }

    #[test]
    fn web_links_keep_their_href_and_open_apart() {
        let safe =
            clean(r#"<a href="https://example.com/a?b=1" target="_self" rel="opener">go</a>"#);
        assert!(
            safe.html.contains(r#"href="https://example.com/a?b=1""#),
            "{}",
            safe.html
        );
        assert!(safe.html.contains(r#"target="_blank""#), "{}", safe.html);
        assert!(
            safe.html.contains(r#"rel="noopener noreferrer""#),
            "{}",
            safe.html
        );
        assert_absent(&safe, &["_self", "\"opener\""]);
    }

    #[test]
    fn remote_images_are_blocked_and_counted() {
        let safe = clean(concat!(
            r#"<img src="https://tracker.example/p.gif" alt="pixel">"#,
            r#"<img src="//cdn.example/logo.png">"#,
            r#"<img src=" HTTP://loud.example/x.png ">"#,
            r#"<img src="\\evil.example\x.png">"#,
            r#"<img srcset="https://a.example/1x.png 1x, https://a.example/2x.png 2x">"#,
            r#"<table background="http://bg.example/t.png"><tr><td background="//bg.example/c.png">x</td></tr></table>"#,
            r#"<img src="cid:part1@mail">"#,
        ));
        assert_absent(
            &safe,
            &[
                "tracker",
                "cdn.example",
                "loud.example",
                "evil.example",
                "a.example",
                "bg.example",
                "cid:",
                "srcset",
                "background",
            ],
        );
        assert_eq!(
            safe.remote_blocked, 7,
            "each remote reference counts: {}",
            safe.html
        );
        assert!(
            safe.html.contains(r#"alt="pixel""#),
            "the alt text stays: {}",
            safe.html
        );
    }

    #[test]
    fn css_urls_are_removed_and_the_rest_of_the_style_kept() {
        let safe = clean(concat!(
            r#"<div style="color: red; background-image: url(https://t.example/a.png); font-weight: bold">a</div>"#,
            r#"<p style="background: URL('//t.example/b.png')">b</p>"#,
            r#"<p style="background-image: image-set('https://t.example/c.png' 1x)">c</p>"#,
            r#"<p style="background: \75rl(https://t.example/d.png)">d</p>"#,
            r#"<p style="background: url(data:image/png;base64,AAAA)">e</p>"#,
        ));
        assert_absent(&safe, &["t.example", "url(", "image-set", "\\75"]);
        assert!(safe.html.contains("color: red"), "{}", safe.html);
        assert!(safe.html.contains("font-weight: bold"), "{}", safe.html);
        assert_eq!(
            safe.remote_blocked, 4,
            "the data: URL is dropped but is not remote"
        );
    }

    #[test]
    fn documents_lose_their_head_meta_base_and_link_and_keep_safe_style_sheets() {
        let safe = clean(concat!(
            r#"<html><head><meta http-equiv="refresh" content="0;url=https://evil.example/">"#,
            r#"<base href="https://evil.example/"><link rel="stylesheet" href="https://evil.example/s.css">"#,
            "<title>Secret title</title><style>body { background: url(https://evil.example/bg.png) } .lead { color: #123a6b }</style>",
            "</head><body><p class=\"lead\">Body text</p></body></html>",
        ));
        assert_absent(
            &safe,
            &[
                "<meta",
                "refresh",
                "<base",
                "<link",
                "evil.example",
                "<style",
                "secret title",
                "<html",
                "<body",
            ],
        );
        assert!(
            safe.html.contains("<p class=\"lead\">Body text</p>"),
            "the class the style sheet selects stays: {}",
            safe.html
        );
        assert_eq!(
            safe.style_sheets,
            ["body { } .lead { color: #123a6b }"],
            "the style sheet is kept apart, without its URL"
        );
        assert_eq!(
            safe.remote_blocked, 1,
            "the style sheet's background is counted"
        );
    }

    #[test]
    fn style_sheets_are_found_as_the_browser_finds_them() {
        let safe = clean(concat!(
            r#"<p title="<style>@import 'https://evil.example/a.css';</style>">a</p>"#,
            "<p>&lt;style&gt;.x { color: red }&lt;/style&gt;</p>",
            "<STYLE media=\"screen\" onload=\"alert(1)\">td > p { margin: 0 }</STYLE>",
            "<svg><style>.s { fill: red }</style></svg>",
            "<style>.q::after { content: '</style><script>alert(2)</script>' }</style>",
            "<style>@import url(https://evil.example/b.css);</style>",
        ));
        assert_eq!(
            safe.style_sheets,
            ["td > p { margin: 0 }", ".q::after { content: '"],
            "only the HTML style elements, each ending at the first </style> (the SVG's goes \
             with its SVG, an emptied one is left out)"
        );
        assert_absent(&safe, &["<style", "<script", "alert", "onload", "media="]);
        assert_eq!(safe.remote_blocked, 1, "only the real @import counts");
    }

    #[test]
    fn forms_frames_objects_and_embeds_are_removed() {
        let safe = clean(concat!(
            r#"<form action="https://evil.example/post"><input name="password"><button formaction="https://evil.example/">Send</button></form>"#,
            r#"<iframe src="https://evil.example/frame"></iframe><object data="https://evil.example/o.swf"></object>"#,
            r#"<embed src="https://evil.example/e.swf"><video poster="https://evil.example/p.png"></video>"#,
        ));
        assert_absent(
            &safe,
            &[
                "<form",
                "<input",
                "<button",
                "<iframe",
                "<object",
                "<embed",
                "<video",
                "evil.example",
            ],
        );
    }

    #[test]
    fn mail_layout_survives() {
        let safe = clean(
            r##"<table width="600" cellpadding="4" bgcolor="#ffffff"><tr><td valign="top" style="padding: 8px"><font color="#333" face="Arial">Hello</font></td></tr></table>"##,
        );
        for kept in [
            r#"width="600""#,
            r#"cellpadding="4""#,
            r##"bgcolor="#ffffff""##,
            r#"valign="top""#,
            "padding: 8px",
            r##"color="#333""##,
            r#"face="Arial""#,
        ] {
            assert!(safe.html.contains(kept), "{kept} stays: {}", safe.html);
        }
    }
}
