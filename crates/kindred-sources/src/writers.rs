//! Writers: the normalised evidence back out in the formats other programs read — mbox
//! for messages, iCalendar for events, vCard for people and organisations. What they
//! write imports again through Kindred's own readers with the same messages and events
//! (the export → import round trip); each writer's tests parse its output back.

pub mod ics;
pub mod mbox;
pub mod vcard;

/// Escapes text for an iCalendar or vCard property value (RFC 5545 §3.3.11, RFC 6350
/// §3.4): backslash, semicolon, comma and line breaks.
fn escape_text(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => escaped.push_str("\\n"),
            _ => escaped.push(c),
        }
    }
    escaped
}

/// A parameter value (CN=…): quoted when it holds a separator; a double quote, which a
/// parameter value cannot carry, becomes a single one and line breaks become spaces.
fn parameter_value(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '\r' | '\n' => ' ',
            c => c,
        })
        .collect();
    if clean.contains([':', ';', ',']) {
        format!("\"{clean}\"")
    } else {
        clean
    }
}

/// Appends one content line, folded at 75 octets as RFC 5545 §3.1 and RFC 6350 §3.2 ask
/// (never inside a UTF-8 sequence), ended with CRLF.
fn push_folded(out: &mut String, line: &str) {
    const LIMIT: usize = 75;
    let mut rest = line;
    let mut first = true;
    while !rest.is_empty() {
        // Continuation lines start with a space, which counts toward their length.
        let room = if first { LIMIT } else { LIMIT - 1 };
        let mut cut = rest.len().min(room);
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if !first {
            out.push(' ');
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n");
        rest = &rest[cut..];
        first = false;
    }
    if line.is_empty() {
        out.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_separators_and_line_breaks() {
        assert_eq!(escape_text("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        push_folded(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{physical:?} is longer than 75 octets"
            );
        }
        let unfolded = out.replace("\r\n ", "").replace("\r\n", "");
        assert_eq!(unfolded, line, "unfolding gives the line back");
    }

    #[test]
    fn parameters_with_separators_are_quoted() {
        assert_eq!(parameter_value("Grace, H."), "\"Grace, H.\"");
        assert_eq!(
            parameter_value("Ada \"the\" Countess"),
            "Ada 'the' Countess"
        );
    }
}
