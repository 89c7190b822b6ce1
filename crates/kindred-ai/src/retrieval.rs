//! The pure parts of retrieval: cleaning mail for indexing, cutting it into chunks, the
//! built-in local embedder, and reciprocal rank fusion.
//!
//! **The local embedder** is feature hashing, not a neural model: the lower-cased words
//! of a text (common function words left out) and their character trigrams are hashed (FNV-1a) into [`DIMENSIONS`] signed
//! buckets, weighted (a word counts twice a trigram), and the vector is L2-normalised.
//! Cosine similarity then measures shared vocabulary and spelling — it finds "invoices"
//! for "invoice" and tolerates typos, but knows no synonyms ("bill" does not find
//! "invoice"). It needs no network, no model file, and embeds thousands of chunks a second.

use crate::intent::STOPWORDS;

/// The length of the local embedder's vectors (and of the vector index).
pub const DIMENSIONS: usize = 256;
/// Chunks aim at this many characters, cut at paragraph or sentence ends.
pub const CHUNK_CHARS: usize = 800;
/// Reciprocal rank fusion's constant: a document at rank r scores 1 / (K + r).
pub const RRF_K: f64 = 60.0;

/// The words of `query` for the full-text pass: the common function words ("for",
/// "this", "a") left out when another word remains. They are in nearly every chunk, so
/// requiring them makes FTS5 walk the longest lists of its index for matches that hardly
/// change, and BM25 gives them almost no weight.
#[must_use]
pub fn search_words(query: &str) -> String {
    let kept: Vec<&str> = query
        .split_whitespace()
        .filter(|word| {
            let bare = word
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            !STOPWORDS.contains(&bare.as_str())
        })
        .collect();
    if kept.is_empty() {
        query.trim().to_owned()
    } else {
        kept.join(" ")
    }
}

/// `text` without HTML tags, quoted replies and the signature.
#[must_use]
pub fn clean_body(text: &str) -> String {
    let text = if looks_like_html(text) {
        html_to_text(text)
    } else {
        text.to_owned()
    };
    let mut kept = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        // A signature starts at "-- " (RFC 3676); everything after is signature.
        if line == "-- " || trimmed == "--" {
            break;
        }
        // The attribution line of a quoted reply, and everything quoted after it.
        if is_attribution(trimmed) || trimmed.starts_with("-----Original Message-----") {
            break;
        }
        if trimmed.starts_with('>') {
            continue;
        }
        kept.push(line);
    }
    kept.join("\n").trim().to_owned()
}

fn is_attribution(line: &str) -> bool {
    line.starts_with("On ") && line.ends_with("wrote:")
}

fn looks_like_html(text: &str) -> bool {
    let lower = text
        .get(..text.len().min(2000))
        .unwrap_or(text)
        .to_lowercase();
    lower.contains("<html")
        || lower.contains("<body")
        || lower.contains("<div")
        || lower.contains("<p>")
}

/// Text of an HTML document: tags out (block tags become line breaks), scripts and styles
/// dropped, the common entities decoded.
#[must_use]
pub fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[open + 1..open + close].to_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        rest = &rest[open + close + 1..];
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let end = format!("</{name}");
            match rest.to_lowercase().find(&end) {
                Some(at) => rest = &rest[at..],
                None => rest = "",
            }
            continue;
        }
        if matches!(
            name.as_str(),
            "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "blockquote"
        ) {
            text.push('\n');
        }
    }
    text.push_str(rest);
    text.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The chunks of a message body, already cleaned: paragraphs packed up to about
/// [`CHUNK_CHARS`] characters; a longer paragraph is cut at sentence ends. An empty body
/// gives one empty chunk, so the subject alone is still indexed.
#[must_use]
pub fn chunk_body(body: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut push = |piece: &str, current: &mut String| {
        if !current.is_empty() && current.len() + piece.len() + 2 > CHUNK_CHARS {
            chunks.push(std::mem::take(current));
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(piece);
    };
    for paragraph in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        if paragraph.len() <= CHUNK_CHARS {
            push(paragraph, &mut current);
            continue;
        }
        let mut sentence_start = 0;
        let mut piece_start = 0;
        for (at, c) in paragraph.char_indices() {
            if matches!(c, '.' | '!' | '?' | '\n') {
                let end = at + c.len_utf8();
                if end - piece_start > CHUNK_CHARS && sentence_start > piece_start {
                    push(paragraph[piece_start..sentence_start].trim(), &mut current);
                    piece_start = sentence_start;
                }
                sentence_start = end;
            }
        }
        let mut tail = &paragraph[piece_start..];
        while tail.len() > CHUNK_CHARS {
            let mut cut = CHUNK_CHARS;
            while !tail.is_char_boundary(cut) {
                cut -= 1;
            }
            push(tail[..cut].trim(), &mut current);
            tail = &tail[cut..];
        }
        push(tail.trim(), &mut current);
    }
    if !current.is_empty() || chunks.is_empty() {
        chunks.push(current);
    }
    chunks
}

fn fnv1a(bytes: impl Iterator<Item = u8>) -> u64 {
    bytes.fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn add(vector: &mut [f32; DIMENSIONS], hash: u64, weight: f32) {
    let bucket = usize::try_from(hash % DIMENSIONS as u64).unwrap_or(0);
    let sign = if hash >> 63 == 0 { 1.0 } else { -1.0 };
    vector[bucket] += sign * weight;
}

/// The local embedding of `text` (see the module's documentation): unit length, or all
/// zeros for a text without letters or digits.
#[must_use]
pub fn embed_locally(text: &str) -> [f32; DIMENSIONS] {
    let mut vector = [0f32; DIMENSIONS];
    let lower = text.to_lowercase();
    for word in lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !STOPWORDS.contains(w))
    {
        add(&mut vector, fnv1a(word.bytes()), 2.0);
        let padded: Vec<u8> = std::iter::once(b' ')
            .chain(word.bytes())
            .chain(std::iter::once(b' '))
            .collect();
        for trigram in padded.windows(3) {
            add(&mut vector, fnv1a(trigram.iter().copied()), 1.0);
        }
    }
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut vector {
            *x /= norm;
        }
    }
    vector
}

/// The cosine similarity of two vectors of equal length (0 when either is zero).
#[must_use]
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let norms =
        a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norms > 0.0 {
        dot / norms
    } else {
        0.0
    }
}

/// Reciprocal rank fusion of ranked lists of ids: each id scores the sum of
/// 1 / ([`RRF_K`] + rank) over the lists it is in (rank from 1). Best first; ties by the
/// order the ids were first seen.
#[must_use]
pub fn fuse<T: Copy + PartialEq>(lists: &[&[T]]) -> Vec<(T, f64)> {
    let mut scores: Vec<(T, f64)> = Vec::new();
    for list in lists {
        for (rank, id) in list.iter().enumerate() {
            let score = 1.0 / (RRF_K + rank as f64 + 1.0);
            match scores.iter_mut().find(|(seen, _)| seen == id) {
                Some(entry) => entry.1 += score,
                None => scores.push((*id, score)),
            }
        }
    }
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    scores
}
