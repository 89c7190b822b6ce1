//! Text plumbing for the sample mailbox: template slots, wrapping, and the encodings mail
//! needs (base64, quoted-printable, RFC 2047 encoded-words, HTML escaping).

use rand::seq::SliceRandom;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::words;

/// A stream of randomness for one item, derived from the seed and the item's coordinates,
/// so any message can be regenerated alone (quoting does this).
pub(super) fn rng_for(seed: u64, parts: &[u64]) -> ChaCha8Rng {
    let mut h = seed ^ 0x6b69_6e64_7265_6421;
    for &p in parts {
        h = splitmix(h ^ splitmix(p));
    }
    ChaCha8Rng::seed_from_u64(h)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Picks one of `items` (which are never empty).
pub(super) fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

/// Picks one of `items` not yet in `used` (when a few tries find one), and records it.
pub(super) fn fresh<'a>(
    rng: &mut ChaCha8Rng,
    items: &[&'a str],
    used: &mut Vec<&'a str>,
) -> &'a str {
    let mut choice = pick(rng, items);
    for _ in 0..4 {
        if !used.contains(&choice) {
            break;
        }
        choice = pick(rng, items);
    }
    used.push(choice);
    choice
}

/// Appends `template` with its `{slot}`s filled: first from `fixed`, else drawn at random.
pub(super) fn expand(
    template: &str,
    fixed: &[(&str, &str)],
    rng: &mut ChaCha8Rng,
    out: &mut String,
) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return;
        };
        let key = &after[..close];
        match fixed.iter().find(|(k, _)| *k == key) {
            Some((_, value)) => out.push_str(value),
            None => random_slot(key, fixed, rng, out),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
}

fn random_slot(key: &str, fixed: &[(&str, &str)], rng: &mut ChaCha8Rng, out: &mut String) {
    let list: &[&str] = match key {
        "day" => words::DAYS,
        "time" => words::TIMES,
        "month" => words::MONTHS,
        "product" => words::PRODUCTS,
        "role" => words::ROLES,
        "talk" => words::TALKS,
        "book" => words::BOOKS,
        "food" => words::FOODS,
        "place" => words::PLACES,
        "project" => words::PROJECTS,
        "doc" => words::DOCS,
        "amount" => words::AMOUNTS,
        "pr" => words::PR_TITLES,
        "meetup" => &[words::MEETUP],
        "n" => return out.push_str(&rng.gen_range(2..10).to_string()),
        "q" => return out.push_str(&rng.gen_range(1..5).to_string()),
        "inv" => return out.push_str(&rng.gen_range(1000..99_999).to_string()),
        "headline" => {
            let headline = pick(rng, words::HEADLINES);
            return expand(headline, fixed, rng, out);
        }
        "repo" => {
            let project = pick(rng, words::PROJECTS);
            return out.push_str(&project.to_lowercase());
        }
        _ => &[],
    };
    match list.choose(rng) {
        Some(value) => out.push_str(value),
        None => out.push_str(key),
    }
}

/// Appends `text` wrapped at `width` columns, each line starting with `prefix`.
pub(super) fn wrap(text: &str, width: usize, prefix: &str, out: &mut String) {
    let mut column = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        // Bytes, not characters: close enough for wrapping, and cheap.
        let len = word.len();
        if column > 0 && column + 1 + len > width {
            out.push('\n');
            column = 0;
        }
        if column == 0 {
            out.push_str(prefix);
        } else {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
    }
    out.push('\n');
}

/// Lower-case ASCII for an address's local part: accents dropped, spaces and
/// punctuation removed.
pub(super) fn ascii_fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'a'..='z' | '0'..='9' | '-' => c.to_string(),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => "a".into(),
            'æ' => "ae".into(),
            'ç' | 'ć' | 'č' => "c".into(),
            'è' | 'é' | 'ê' | 'ë' | 'ě' => "e".into(),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => "i".into(),
            'ñ' | 'ń' => "n".into(),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => "o".into(),
            'ù' | 'ú' | 'û' | 'ü' => "u".into(),
            'ý' | 'ÿ' => "y".into(),
            'ß' => "ss".into(),
            'ł' => "l".into(),
            'ś' | 'š' | 'ş' => "s".into(),
            'ź' | 'ż' | 'ž' => "z".into(),
            'ğ' => "g".into(),
            'ř' => "r".into(),
            _ => continue,
        };
        out.push_str(&folded);
    }
    out
}

/// Appends `text` with `&`, `<`, `>` and `"` escaped for HTML, and line breaks as `<br>`.
pub(super) fn html_escape(text: &str, out: &mut String) {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        let escaped = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\n' => "<br>\n",
            _ => continue,
        };
        out.push_str(&text[run..i]);
        out.push_str(escaped);
        run = i + 1;
    }
    out.push_str(&text[run..]);
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends `bytes` in base64; with `line` > 0, broken into lines of that many characters
/// (a multiple of four).
pub(super) fn base64(bytes: &[u8], line: usize, out: &mut String) {
    let per_line = if line == 0 { usize::MAX } else { line / 4 * 3 };
    let mut buffer = Vec::with_capacity(line.max(4) + 1);
    for row in bytes.chunks(per_line.min(bytes.len().max(1))) {
        buffer.clear();
        for chunk in row.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
            for i in 0..4 {
                buffer.push(if i <= chunk.len() {
                    BASE64[(n >> (18 - 6 * i) & 63) as usize]
                } else {
                    b'='
                });
            }
        }
        if line > 0 {
            buffer.push(b'\n');
        }
        out.push_str(std::str::from_utf8(&buffer).unwrap_or_default());
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` quoted-printable: lines at most 76 characters, soft breaks as `=`.
pub(super) fn quoted_printable(text: &str, out: &mut String) {
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let bytes = line.as_bytes();
        let plain = |b: u8| matches!(b, b'!'..=b'<' | b'>'..=b'~' | b' ');
        if bytes.len() <= 76 && bytes.iter().all(|&b| plain(b)) && !line.ends_with(' ') {
            out.push_str(line);
            continue;
        }
        // Runs of literal bytes are ASCII, so they start and end on character boundaries.
        let flush = |out: &mut String, from: usize, to: usize| {
            if from < to {
                out.push_str(&line[from..to]);
            }
        };
        let (mut column, mut run) = (0, 0);
        for (j, &b) in bytes.iter().enumerate() {
            let literal = plain(b) && !(b == b' ' && j + 1 == bytes.len());
            let width = if literal { 1 } else { 3 };
            if column + width > 75 {
                flush(out, run, j);
                out.push_str("=\n");
                (column, run) = (0, j);
            }
            if !literal {
                flush(out, run, j);
                out.push('=');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 15)]));
                run = j + 1;
            }
            column += width;
        }
        flush(out, run, bytes.len());
    }
}

/// Appends a header value: as is when ASCII, else as RFC 2047 encoded-words (Q for
/// Latin text, B when it holds wider characters), folded between words.
pub(super) fn header_text(value: &str, out: &mut String) {
    if value.is_ascii() {
        out.push_str(value);
        return;
    }
    let b_encoding = value.chars().any(|c| u32::from(c) >= 0x800);
    let mut chunk = String::new();
    let mut first = true;
    let mut flush = |chunk: &mut String, out: &mut String| {
        if !first {
            out.push_str("\n ");
        }
        first = false;
        if b_encoding {
            out.push_str("=?UTF-8?B?");
            base64(chunk.as_bytes(), 0, out);
        } else {
            out.push_str("=?UTF-8?Q?");
            for &b in chunk.as_bytes() {
                match b {
                    b' ' => out.push('_'),
                    b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'!' | b'*' | b'+' | b'-' | b'/' => {
                        out.push(char::from(b));
                    }
                    _ => {
                        out.push('=');
                        out.push(char::from(HEX[usize::from(b >> 4)]));
                        out.push(char::from(HEX[usize::from(b & 15)]));
                    }
                }
            }
        }
        out.push_str("?=");
        chunk.clear();
    };
    for c in value.chars() {
        if chunk.len() + c.len_utf8() > if b_encoding { 42 } else { 20 } {
            flush(&mut chunk, out);
        }
        chunk.push(c);
    }
    flush(&mut chunk, out);
}

/// Appends `n` random characters from `alphabet` (at most 64 letters long).
pub(super) fn random_chars(rng: &mut ChaCha8Rng, alphabet: &[u8], n: usize, out: &mut String) {
    let mut bits = 0u64;
    for i in 0..n {
        if i % 10 == 0 {
            bits = rng.next_u64();
        }
        out.push(char::from(alphabet[(bits & 63) as usize % alphabet.len()]));
        bits >>= 6;
    }
}

/// Fills `out` with bytes that look random (signatures, attachment payloads), stretched
/// cheaply from one draw of `rng`.
pub(super) fn noise(rng: &mut ChaCha8Rng, out: &mut [u8]) {
    let mut state = rng.next_u64();
    for chunk in out.chunks_mut(8) {
        state = splitmix(state);
        chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
    }
}

/// Letters and digits, for ids and tokens.
pub(super) const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Upper-case hexadecimal digits.
pub(super) const UPPER_HEX: &[u8] = b"0123456789ABCDEF";
/// Lower-case hexadecimal digits.
pub(super) const LOWER_HEX: &[u8] = b"0123456789abcdef";
