//! Splits one line of a rule into words at unquoted whitespace. Quotes group text with
//! spaces into a word (`title="Reply to {subject}"`); inside them `\"` and `\\` stand for
//! `"` and `\`. Every character keeps its column and whether it was quoted, so the parser
//! can point at the exact place of an error and tell an operator from quoted text.

/// One character of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Char {
    pub value: char,
    /// 1-based, in characters.
    pub column: usize,
    pub quoted: bool,
}

/// A whitespace-separated word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    pub chars: Vec<Char>,
    /// The column of its first character (its opening quote, if it starts with one).
    pub column: usize,
}

impl Word {
    /// The word's text, quotes removed.
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.value).collect()
    }

    /// Whether it is exactly `keyword`, unquoted.
    pub fn is_keyword(&self, keyword: &str) -> bool {
        self.chars.iter().all(|c| !c.quoted) && self.text() == keyword
    }
}

/// An opening quote without its closing one, at this column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct UnclosedQuote {
    pub column: usize,
}

/// The words of `line`.
pub(super) fn words(line: &str) -> Result<Vec<Word>, UnclosedQuote> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    let mut chars = line.chars().enumerate().map(|(index, c)| (index + 1, c));
    while let Some((column, c)) = chars.next() {
        if c.is_whitespace() {
            words.extend(current.take());
            continue;
        }
        let word = current.get_or_insert_with(|| Word {
            chars: Vec::new(),
            column,
        });
        if c != '"' {
            word.chars.push(Char {
                value: c,
                column,
                quoted: false,
            });
            continue;
        }
        let opening = column;
        let mut closed = false;
        while let Some((column, c)) = chars.next() {
            let value = match c {
                '"' => {
                    closed = true;
                    break;
                }
                '\\' => match chars.next() {
                    Some((_, escaped)) => escaped,
                    None => break,
                },
                other => other,
            };
            word.chars.push(Char {
                value,
                column,
                quoted: true,
            });
        }
        if !closed {
            return Err(UnclosedQuote { column: opening });
        }
    }
    words.extend(current);
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_group_spaces_and_escapes_and_columns_are_kept() {
        let words = words(r#"when  title="a \"b\" c" x"#).unwrap();
        let texts: Vec<String> = words.iter().map(Word::text).collect();
        assert_eq!(texts, ["when", r#"title=a "b" c"#, "x"]);
        assert_eq!(words[1].column, 7);
        assert!(!words[1].chars[5].quoted && words[1].chars[6].quoted);
        assert_eq!(words[2].column, 25);
    }

    #[test]
    fn an_unclosed_quote_is_reported_at_its_column() {
        assert_eq!(
            words(r#"then log message="oops"#),
            Err(UnclosedQuote { column: 18 })
        );
    }
}
