//! Matching what the person types against names and addresses: text is folded to lower
//! case without diacritics (so "lea" finds "Léa" and "LÉA"), and a query matches when every
//! one of its words occurs somewhere in the text.
//!
//! Pure and allocation-free per candidate: a search runs over every person on each
//! keystroke, so the folding reuses one buffer and takes a fast path for ASCII.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Appends `text` to `out`, lower-cased, with its diacritics dropped (canonical
/// decomposition, combining marks removed).
pub fn fold_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        decompose_canonical(c, |part| {
            if !is_combining_mark(part) {
                out.extend(part.to_lowercase());
            }
        });
    }
}

/// `text` lower-cased, without diacritics.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// The words of a query, folded; a text matches when it contains every one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Words(Vec<String>);

impl Words {
    /// The whitespace-separated words of `query`, folded.
    #[must_use]
    pub fn new(query: &str) -> Self {
        Self(query.split_whitespace().map(fold).collect())
    }

    /// No word: every text matches.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether every word occurs in `folded`, a text already passed through [`fold`].
    #[must_use]
    pub fn all_in(&self, folded: &str) -> bool {
        self.0.iter().all(|word| folded.contains(word.as_str()))
    }
}
