//! The text of a mail's `<style>` blocks made safe to keep: a tokenizer that follows CSS
//! Syntax Level 3 (so escapes such as `u\72l(` and comments such as `u/**/rl(` read as a
//! browser reads them), a tree of blocks over its tokens, and a filter that keeps only
//! rules and declarations that cannot load, run or bind anything.
//!
//! What goes: every `url(…)` (remote, inline or relative), the other functions that fetch
//! (`image-set(`, `image(`, `cross-fade(`, `element(`, `src(`), `expression(`, the
//! `behavior`, `-ms-behavior` and `-moz-binding` properties, and every at-rule but the
//! grouping ones (`@media`, `@supports`, `@container`, `@layer`, `@keyframes`, `@page`):
//! so `@import`, `@font-face`, `@namespace` and `@charset` go. A declaration that holds
//! any of these goes whole; a rule whose selector holds one goes whole. Comments become a
//! space (never joining the tokens around them), and no `<` survives (strings keep theirs
//! as the escape `\3c `), so the text can never close its `<style>` element.

use super::{compact_url, is_remote};

/// Functions that fetch or run something.
const BANNED_FUNCTIONS: [&str; 11] = [
    "url",
    "src",
    "image",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
    "-webkit-cross-fade",
    "element",
    "-moz-element",
    "expression",
    "-webkit-image",
];

/// Functions whose string arguments are URLs, for counting remote references.
const LOADERS: [&str; 7] = [
    "url",
    "src",
    "image",
    "image-set",
    "-webkit-image-set",
    "cross-fade",
    "-webkit-cross-fade",
];

/// Properties that bind behaviour (script) to elements in old engines.
const BANNED_PROPERTIES: [&str; 3] = ["behavior", "-ms-behavior", "-moz-binding"];

/// At-rules whose block holds more rules.
const GROUPING_AT_RULES: [&str; 8] = [
    "media",
    "supports",
    "container",
    "layer",
    "keyframes",
    "-webkit-keyframes",
    "-moz-keyframes",
    "scope",
];

/// At-rules whose block holds declarations.
const DECLARATION_AT_RULES: [&str; 1] = ["page"];

/// A style sheet made safe, and how many remote resources it no longer loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SafeCss {
    pub css: String,
    pub remote_blocked: u32,
}

/// Sanitises the text of one `<style>` element.
pub(super) fn sanitise_style_sheet(css: &str) -> SafeCss {
    let source = preprocess(css);
    let tokens = Tokenizer::new(&source).tokens();
    let nodes = tree(&mut tokens.into_iter(), None);
    let mut filter = Filter {
        source: &source,
        out: String::with_capacity(css.len()),
        remote_blocked: 0,
    };
    filter.rule_list(&nodes);
    SafeCss {
        css: filter.out,
        remote_blocked: filter.remote_blocked,
    }
}

/// CSS Syntax 3.3: newlines normalised, NUL replaced.
fn preprocess(css: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push('\n');
            }
            '\u{c}' => out.push('\n'),
            '\0' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Whitespace,
    Comment,
    /// A string's decoded value.
    Str(String),
    BadStr,
    /// An identifier's decoded name.
    Ident(String),
    /// A function's decoded name (the token includes its `(`).
    Function(String),
    AtKeyword(String),
    /// An unquoted `url(…)`'s decoded value.
    Url(String),
    BadUrl,
    Colon,
    Semicolon,
    OpenBrace,
    CloseBrace,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,
    Cdo,
    Cdc,
    Delim(char),
    /// Numbers, dimensions, percentages, hashes, commas: kept as they are.
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

struct Tokenizer<'s> {
    source: &'s [char],
    at: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || !c.is_ascii()
}

fn is_ident_char(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || c == '-'
}

fn is_whitespace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

fn is_non_printable(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{e}'..='\u{1f}' | '\u{7f}')
}

impl<'s> Tokenizer<'s> {
    fn new(source: &'s [char]) -> Self {
        Self { source, at: 0 }
    }

    fn peek(&self, ahead: usize) -> Option<char> {
        self.source.get(self.at + ahead).copied()
    }

    fn tokens(mut self) -> Vec<Token> {
        let mut tokens = Vec::new();
        while self.at < self.source.len() {
            let start = self.at;
            let kind = self.token();
            tokens.push(Token {
                kind,
                start,
                end: self.at,
            });
        }
        tokens
    }

    /// `\` followed by anything but a newline, at `ahead`.
    fn valid_escape(&self, ahead: usize) -> bool {
        self.peek(ahead) == Some('\\') && self.peek(ahead + 1).is_some_and(|c| c != '\n')
    }

    fn starts_ident(&self, ahead: usize) -> bool {
        match self.peek(ahead) {
            Some('-') => {
                self.peek(ahead + 1)
                    .is_some_and(|c| is_ident_start(c) || c == '-')
                    || self.valid_escape(ahead + 1)
            }
            Some('\\') => self.valid_escape(ahead),
            Some(c) => is_ident_start(c),
            None => false,
        }
    }

    fn starts_number(&self, ahead: usize) -> bool {
        let digit = |offset| {
            self.peek(ahead + offset)
                .is_some_and(|c: char| c.is_ascii_digit())
        };
        match self.peek(ahead) {
            Some('+' | '-') => digit(1) || (self.peek(ahead + 1) == Some('.') && digit(2)),
            Some('.') => digit(1),
            Some(c) => c.is_ascii_digit(),
            None => false,
        }
    }

    fn token(&mut self) -> Kind {
        let Some(c) = self.peek(0) else {
            return Kind::Other;
        };
        if c == '/' && self.peek(1) == Some('*') {
            self.at += 2;
            while self.at < self.source.len() {
                if self.peek(0) == Some('*') && self.peek(1) == Some('/') {
                    self.at += 2;
                    return Kind::Comment;
                }
                self.at += 1;
            }
            return Kind::Comment;
        }
        if is_whitespace(c) {
            while self.peek(0).is_some_and(is_whitespace) {
                self.at += 1;
            }
            return Kind::Whitespace;
        }
        match c {
            '"' | '\'' => self.string(c),
            '#' if self.peek(1).is_some_and(is_ident_char) || self.valid_escape(1) => {
                self.at += 1;
                self.name();
                Kind::Other
            }
            '(' => self.single(Kind::OpenParen),
            ')' => self.single(Kind::CloseParen),
            '[' => self.single(Kind::OpenBracket),
            ']' => self.single(Kind::CloseBracket),
            '{' => self.single(Kind::OpenBrace),
            '}' => self.single(Kind::CloseBrace),
            ':' => self.single(Kind::Colon),
            ';' => self.single(Kind::Semicolon),
            '+' | '.' if self.starts_number(0) => self.numeric(),
            '-' if self.starts_number(0) => self.numeric(),
            '-' if self.peek(1) == Some('-') && self.peek(2) == Some('>') => {
                self.at += 3;
                Kind::Cdc
            }
            '-' | '\\' if self.starts_ident(0) => self.ident_like(),
            '<' if self.peek(1) == Some('!')
                && self.peek(2) == Some('-')
                && self.peek(3) == Some('-') =>
            {
                self.at += 4;
                Kind::Cdo
            }
            '@' if self.starts_ident(1) => {
                self.at += 1;
                Kind::AtKeyword(self.name())
            }
            c if c.is_ascii_digit() => self.numeric(),
            c if is_ident_start(c) => self.ident_like(),
            c => self.single(Kind::Delim(c)),
        }
    }

    fn single(&mut self, kind: Kind) -> Kind {
        self.at += 1;
        kind
    }

    /// An escape after its `\`: up to six hex digits and one whitespace, or one character.
    fn escape(&mut self) -> char {
        let mut value: u32 = 0;
        let mut digits = 0;
        while digits < 6 {
            match self.peek(0).and_then(|c| c.to_digit(16)) {
                Some(digit) => {
                    value = value * 16 + digit;
                    digits += 1;
                    self.at += 1;
                }
                None => break,
            }
        }
        if digits > 0 {
            if self.peek(0).is_some_and(is_whitespace) {
                self.at += 1;
            }
            return match char::from_u32(value) {
                Some(c) if value != 0 => c,
                _ => '\u{fffd}',
            };
        }
        match self.peek(0) {
            Some(c) => {
                self.at += 1;
                c
            }
            None => '\u{fffd}',
        }
    }

    /// An identifier's code points, escapes decoded.
    fn name(&mut self) -> String {
        let mut name = String::new();
        loop {
            match self.peek(0) {
                Some(c) if is_ident_char(c) => {
                    name.push(c);
                    self.at += 1;
                }
                Some('\\') if self.valid_escape(0) => {
                    self.at += 1;
                    name.push(self.escape());
                }
                _ => return name,
            }
        }
    }

    fn string(&mut self, quote: char) -> Kind {
        self.at += 1;
        let mut value = String::new();
        loop {
            match self.peek(0) {
                None => return Kind::Str(value),
                Some(c) if c == quote => {
                    self.at += 1;
                    return Kind::Str(value);
                }
                Some('\n') => return Kind::BadStr,
                Some('\\') => {
                    self.at += 1;
                    match self.peek(0) {
                        None => {}
                        Some('\n') => self.at += 1,
                        Some(_) => value.push(self.escape()),
                    }
                }
                Some(c) => {
                    value.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn numeric(&mut self) -> Kind {
        if matches!(self.peek(0), Some('+' | '-')) {
            self.at += 1;
        }
        let digits = |this: &mut Self| {
            while this.peek(0).is_some_and(|c| c.is_ascii_digit()) {
                this.at += 1;
            }
        };
        digits(self);
        if self.peek(0) == Some('.') && self.peek(1).is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
            digits(self);
        }
        if matches!(self.peek(0), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.peek(1), Some('+' | '-')));
            if self.peek(1 + sign).is_some_and(|c| c.is_ascii_digit()) {
                self.at += 1 + sign;
                digits(self);
            }
        }
        if self.starts_ident(0) {
            self.name();
        } else if self.peek(0) == Some('%') {
            self.at += 1;
        }
        Kind::Other
    }

    fn ident_like(&mut self) -> Kind {
        let name = self.name();
        if self.peek(0) != Some('(') {
            return Kind::Ident(name);
        }
        self.at += 1;
        if !name.eq_ignore_ascii_case("url") {
            return Kind::Function(name);
        }
        while self.peek(0).is_some_and(is_whitespace) && self.peek(1).is_some_and(is_whitespace) {
            self.at += 1;
        }
        let next = if self.peek(0).is_some_and(is_whitespace) {
            self.peek(1)
        } else {
            self.peek(0)
        };
        if matches!(next, Some('"' | '\'')) {
            return Kind::Function(name);
        }
        self.url()
    }

    fn url(&mut self) -> Kind {
        let mut value = String::new();
        while self.peek(0).is_some_and(is_whitespace) {
            self.at += 1;
        }
        loop {
            match self.peek(0) {
                None => return Kind::Url(value),
                Some(')') => {
                    self.at += 1;
                    return Kind::Url(value);
                }
                Some(c) if is_whitespace(c) => {
                    while self.peek(0).is_some_and(is_whitespace) {
                        self.at += 1;
                    }
                    match self.peek(0) {
                        None => return Kind::Url(value),
                        Some(')') => {
                            self.at += 1;
                            return Kind::Url(value);
                        }
                        Some(_) => return self.bad_url(),
                    }
                }
                Some('"' | '\'' | '(') => return self.bad_url(),
                Some(c) if is_non_printable(c) => return self.bad_url(),
                Some('\\') => {
                    if !self.valid_escape(0) {
                        return self.bad_url();
                    }
                    self.at += 1;
                    value.push(self.escape());
                }
                Some(c) => {
                    value.push(c);
                    self.at += 1;
                }
            }
        }
    }

    fn bad_url(&mut self) -> Kind {
        loop {
            match self.peek(0) {
                None => return Kind::BadUrl,
                Some(')') => {
                    self.at += 1;
                    return Kind::BadUrl;
                }
                Some('\\') if self.valid_escape(0) => {
                    self.at += 1;
                    self.escape();
                }
                Some(_) => self.at += 1,
            }
        }
    }
}

/// A token, or a block: `{…}`, `[…]`, `(…)` or a function, with what it holds.
#[derive(Debug)]
enum Node {
    Token(Token),
    Block {
        open: Token,
        children: Vec<Node>,
        close: Option<Token>,
    },
}

/// Reads nodes until `close` (or the end); a closer that matches no open block is a token.
fn tree(tokens: &mut std::vec::IntoIter<Token>, close: Option<&Kind>) -> Vec<Node> {
    let mut nodes = Vec::new();
    while let Some(token) = tokens.next() {
        if close == Some(&token.kind) {
            nodes.push(Node::Token(token));
            return nodes;
        }
        let closer = match token.kind {
            Kind::OpenBrace => Kind::CloseBrace,
            Kind::OpenBracket => Kind::CloseBracket,
            Kind::OpenParen | Kind::Function(_) => Kind::CloseParen,
            _ => {
                nodes.push(Node::Token(token));
                continue;
            }
        };
        let mut children = tree(tokens, Some(&closer));
        let close = match children.last() {
            Some(Node::Token(last)) if last.kind == closer => match children.pop() {
                Some(Node::Token(last)) => Some(last),
                _ => None,
            },
            _ => None,
        };
        nodes.push(Node::Block {
            open: token,
            children,
            close,
        });
    }
    nodes
}

fn is_brace_block(node: &Node) -> bool {
    matches!(node, Node::Block { open, .. } if open.kind == Kind::OpenBrace)
}

fn lower_in(name: &str, list: &[&str]) -> bool {
    let name = name.to_ascii_lowercase();
    list.contains(&name.as_str())
}

/// Whether `nodes`, at any depth, hold anything that loads, runs or binds: a banned
/// function, a URL, an at-rule that is not grouping, a banned property.
fn unsafe_anywhere(nodes: &[Node]) -> bool {
    nodes.iter().enumerate().any(|(index, node)| match node {
        Node::Token(token) => match &token.kind {
            Kind::Url(_) | Kind::BadUrl => true,
            Kind::AtKeyword(name) => {
                !lower_in(name, &GROUPING_AT_RULES) && !lower_in(name, &DECLARATION_AT_RULES)
            }
            Kind::Ident(name) if lower_in(name, &BANNED_PROPERTIES) => nodes[index + 1..]
                .iter()
                .find(|next| {
                    !matches!(next, Node::Token(t) if matches!(t.kind, Kind::Whitespace | Kind::Comment))
                })
                .is_some_and(|next| matches!(next, Node::Token(t) if t.kind == Kind::Colon)),
            _ => false,
        },
        Node::Block { open, children, .. } => {
            matches!(&open.kind, Kind::Function(name) if lower_in(name, &BANNED_FUNCTIONS))
                || unsafe_anywhere(children)
        }
    })
}

/// Remote URLs referenced in `nodes`: unquoted `url(…)`s, and strings where they name a
/// URL (inside a loading function, or after `@import` when `loading`).
fn count_remote(source: &[char], nodes: &[Node], loading: bool) -> u32 {
    let remote = |url: &str| u32::from(is_remote(&compact_url(url)));
    nodes
        .iter()
        .map(|node| match node {
            Node::Token(token) => match &token.kind {
                Kind::Url(url) => remote(url),
                Kind::Str(url) if loading => remote(url),
                Kind::BadUrl => {
                    let raw: String = source[token.start..token.end].iter().collect();
                    let after = raw.find('(').map_or("", |open| &raw[open + 1..]);
                    remote(after.trim_start_matches([' ', '\t', '\n', '"', '\'']))
                }
                _ => 0,
            },
            Node::Block { open, children, .. } => {
                let loader = matches!(&open.kind, Kind::Function(name) if lower_in(name, &LOADERS));
                count_remote(source, children, loader)
            }
        })
        .sum()
}

struct Filter<'s> {
    source: &'s [char],
    out: String,
    remote_blocked: u32,
}

impl Filter<'_> {
    /// A list of rules: a style sheet, or the block of a grouping at-rule.
    fn rule_list(&mut self, nodes: &[Node]) {
        let mut at = 0;
        while at < nodes.len() {
            let node = &nodes[at];
            if let Node::Token(Token {
                kind: Kind::AtKeyword(name),
                ..
            }) = node
            {
                let end = nodes[at..]
                    .iter()
                    .position(|node| {
                        is_brace_block(node)
                            || matches!(node, Node::Token(t) if t.kind == Kind::Semicolon)
                    })
                    .map_or(nodes.len(), |offset| at + offset + 1);
                self.at_rule(name, &nodes[at..end]);
                at = end;
            } else if matches!(node, Node::Token(t) if matches!(t.kind, Kind::Whitespace | Kind::Comment | Kind::Cdo | Kind::Cdc))
            {
                self.node(node);
                at += 1;
            } else {
                let end = nodes[at..]
                    .iter()
                    .position(is_brace_block)
                    .map_or(nodes.len(), |offset| at + offset + 1);
                self.qualified_rule(&nodes[at..end]);
                at = end;
            }
        }
    }

    /// `@name prelude;` or `@name prelude { … }`.
    fn at_rule(&mut self, name: &str, rule: &[Node]) {
        let (prelude, block) = match rule.split_last() {
            Some((last, prelude)) if is_brace_block(last) => (prelude, Some(last)),
            _ => (rule, None),
        };
        let grouping = lower_in(name, &GROUPING_AT_RULES);
        let declarations = lower_in(name, &DECLARATION_AT_RULES);
        if !(grouping || declarations) || unsafe_anywhere(&prelude[1..]) {
            self.drop_nodes(rule, name.eq_ignore_ascii_case("import"));
            return;
        }
        self.nodes(prelude);
        if let Some(Node::Block {
            open,
            children,
            close,
        }) = block
        {
            self.raw(open);
            if grouping {
                self.rule_list(children);
            } else {
                self.declaration_list(children);
            }
            if let Some(close) = close {
                self.raw(close);
            }
        }
    }

    /// `selector { declarations }`; without its block it is not a rule and goes.
    fn qualified_rule(&mut self, rule: &[Node]) {
        match rule.split_last() {
            Some((
                Node::Block {
                    open,
                    children,
                    close,
                },
                prelude,
            )) if open.kind == Kind::OpenBrace && !unsafe_anywhere(prelude) => {
                self.nodes(prelude);
                self.raw(open);
                self.declaration_list(children);
                if let Some(close) = close {
                    self.raw(close);
                }
            }
            _ => self.drop_nodes(rule, false),
        }
    }

    /// The inside of a rule's block: declarations, each up to its `;`, and nested rules,
    /// each up to its block's end; one that holds anything unsafe goes whole.
    fn declaration_list(&mut self, nodes: &[Node]) {
        let mut at = 0;
        while at < nodes.len() {
            let end = nodes[at..]
                .iter()
                .position(|node| {
                    is_brace_block(node)
                        || matches!(node, Node::Token(t) if t.kind == Kind::Semicolon)
                })
                .map_or(nodes.len(), |offset| at + offset + 1);
            let item = &nodes[at..end];
            if unsafe_anywhere(item) {
                self.drop_nodes(item, false);
            } else {
                self.nodes(item);
            }
            at = end;
        }
    }

    fn drop_nodes(&mut self, nodes: &[Node], import: bool) {
        self.remote_blocked += count_remote(self.source, nodes, import);
        self.out.push(' ');
    }

    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Token(token) => self.raw(token),
            Node::Block {
                open,
                children,
                close,
            } => {
                self.raw(open);
                self.nodes(children);
                if let Some(close) = close {
                    self.raw(close);
                }
            }
        }
    }

    /// A kept token as written, but for comments and `<`.
    fn raw(&mut self, token: &Token) {
        match token.kind {
            Kind::Comment | Kind::Cdo | Kind::Cdc | Kind::Delim('<') => self.out.push(' '),
            _ => {
                for &c in &self.source[token.start..token.end] {
                    if c == '<' {
                        self.out.push_str("\\3c ");
                    } else {
                        self.out.push(c);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(css: &str) -> SafeCss {
        sanitise_style_sheet(css)
    }

    fn assert_gone(safe: &SafeCss, needles: &[&str]) {
        let lower = safe.css.to_ascii_lowercase();
        for needle in needles {
            assert!(
                !lower.contains(needle),
                "{needle:?} must not survive: {:?}",
                safe.css
            );
        }
    }

    #[test]
    fn plain_layout_is_kept_as_written() {
        let css = ".card { color: #123a6b; padding: 8px 12px; }\n@media (max-width: 600px) { .card { padding: 4px } }\ntd > p:first-child { margin: 0 !important }";
        let safe = clean(css);
        assert_eq!(safe.css, css, "nothing unsafe, nothing changed");
        assert_eq!(safe.remote_blocked, 0);
    }

    #[test]
    fn urls_go_with_their_declaration_and_remote_ones_are_counted() {
        let safe = clean(concat!(
            ".a { color: red; background: url(https://t.example/a.png); font-weight: bold }",
            ".b { background-image: URL( '//t.example/b.png' ) }",
            ".c { background: url(data:image/png;base64,AAAA) }",
            ".d { background-image: image-set('https://t.example/d.png' 1x, url(http://t.example/e.png) 2x) }",
            ".e { list-style: url(relative.png) }",
        ));
        assert_gone(
            &safe,
            &["t.example", "url", "image-set", "data:", "relative"],
        );
        assert!(safe.css.contains("color: red;"), "{:?}", safe.css);
        assert!(safe.css.contains("font-weight: bold"), "{:?}", safe.css);
        assert_eq!(safe.remote_blocked, 4, "a, b, d twice: {:?}", safe.css);
    }

    #[test]
    fn escapes_and_comments_do_not_hide_a_url() {
        let safe = clean(concat!(
            ".a { background: u\\72l(https://t.example/a.png) }",
            ".b { background: \\75 \\72 \\6c (https://t.example/b.png) }",
            ".c { background: \\55RL(\"https://t.example/c.png\") }",
            ".d { background: url(/**/https://t.example/d.png) }",
        ));
        assert_gone(&safe, &["t.example", "\\72", "\\75", "\\55"]);
        assert_eq!(
            safe.remote_blocked, 3,
            "a, b and c are remote; d is a relative path starting with /**/: {:?}",
            safe.css
        );
    }

    #[test]
    fn a_comment_never_joins_the_tokens_around_it() {
        let safe = clean(".a { background: u/**/rl(https://t.example/a.png) }");
        assert!(
            !safe.css.to_ascii_lowercase().contains("url("),
            "u and rl( stay apart: {:?}",
            safe.css
        );
    }

    #[test]
    fn strings_and_comments_that_look_like_urls_are_not_urls() {
        let safe = clean(".q::before { content: \"url(https://t.example/q.png)\" } /* url(https://t.example/c.png) */ .r { color: blue }");
        assert_eq!(
            safe.remote_blocked, 0,
            "nothing is loaded from a string or a comment"
        );
        assert!(
            safe.css
                .contains("content: \"url(https://t.example/q.png)\""),
            "{:?}",
            safe.css
        );
        assert!(safe.css.contains(".r { color: blue }"), "{:?}", safe.css);
        assert_gone(&safe, &["/*"]);
    }

    #[test]
    fn imports_fonts_and_other_at_rules_go() {
        let safe = clean(concat!(
            "@import url(https://t.example/a.css);\n",
            "@import 'https://t.example/b.css' screen;\n",
            "@IMPORT \"//t.example/c.css\";\n",
            "@font-face { font-family: X; src: url(https://t.example/x.woff2) format('woff2') }\n",
            "@namespace svg url(http://www.w3.org/2000/svg);\n",
            "@charset \"utf-8\";\n",
            "@\\69mport 'https://t.example/d.css';\n",
            ".kept { color: green }",
        ));
        assert_gone(
            &safe,
            &[
                "@import",
                "@font-face",
                "@namespace",
                "@charset",
                "t.example",
                "\\69",
            ],
        );
        assert!(
            safe.css.contains(".kept { color: green }"),
            "{:?}",
            safe.css
        );
        assert_eq!(
            safe.remote_blocked, 6,
            "three imports, the font, the namespace, the escaped import: {:?}",
            safe.css
        );
    }

    #[test]
    fn script_bindings_go() {
        let safe = clean(concat!(
            ".a { width: expression(alert(1)); color: red }",
            ".b { behavior: url(x.htc); -moz-binding: url(x.xml#y) }",
            ".c { BEHAVIOR : \"x.htc\" }",
            ".d { -ms-behavior: x }",
            ".e { width: e\\78pression(alert(2)) }",
        ));
        assert_gone(
            &safe,
            &["expression", "behavior", "binding", "alert", "\\78"],
        );
        assert!(safe.css.contains("color: red"), "{:?}", safe.css);
    }

    #[test]
    fn the_text_cannot_close_its_style_element() {
        let safe = clean(concat!(
            ".a { color: red } </style><script>alert(1)</script>",
            ".b::after { content: \"</style><script>alert(2)</script>\" }",
            "<!-- .c { color: blue } -->",
        ));
        assert!(!safe.css.contains('<'), "no < survives: {:?}", safe.css);
        assert!(
            safe.css.contains("\\3c /style>"),
            "a string keeps its text as an escape: {:?}",
            safe.css
        );
        assert!(safe.css.contains(".c { color: blue }"), "{:?}", safe.css);
    }

    #[test]
    fn nested_rules_and_unclosed_input_are_filtered_too() {
        let safe = clean(concat!(
            ".a { color: red; .b { background: url(https://t.example/n.png) } margin: 0; }",
            "@media screen { @import 'https://t.example/m.css'; .c { color: red } }",
            "@supports (background: url(x)) { .d { color: red } }",
            ".e { background: url(https://t.example/open.png",
        ));
        assert_gone(&safe, &["t.example", "url", "@import"]);
        assert!(safe.css.contains(".c { color: red }"), "{:?}", safe.css);
        assert!(safe.css.contains("margin: 0;"), "{:?}", safe.css);
        assert!(
            !safe.css.contains(".d"),
            "a @supports testing a URL goes: {:?}",
            safe.css
        );
        assert_eq!(safe.remote_blocked, 3, "{:?}", safe.css);
    }

    #[test]
    fn bad_urls_and_bad_strings_go() {
        let safe = clean(".a { background: url(https://t.example/a b.png) } .b { content: \"open\n; color: red } .c { color: blue }");
        assert_gone(&safe, &["t.example"]);
        assert_eq!(safe.remote_blocked, 1, "{:?}", safe.css);
        assert!(safe.css.contains(".c { color: blue }"), "{:?}", safe.css);
    }

    /// Style sheets from hostile tests and from the MIME torture corpus (each file's text
    /// read as HTML), sanitised: sanitising again changes nothing and finds nothing to block.
    #[test]
    fn sanitised_style_sheets_are_a_fixed_point() {
        let mut sheets: Vec<String> = [
            ".a { background: u\\72l(https://t.example/a.png) } .b { color: red }",
            "@import 'x'; .c { content: \"</style>\" } <!-- .d { color: blue } -->",
            ".e { width: expression(alert(1)); behavior: url(x.htc) } .f { margin: 0",
        ]
        .map(str::to_owned)
        .to_vec();
        if let Some(data) = kindred_testkit::corpus_dir("css sanitiser") {
            let root = data.join("mime-torture");
            let catalog = std::fs::read_to_string(root.join("catalog.tsv")).unwrap();
            for path in catalog
                .lines()
                .skip(1)
                .filter_map(|line| line.split('\t').next())
            {
                let bytes = std::fs::read(root.join(path)).unwrap();
                sheets.extend(super::super::style_elements(&String::from_utf8_lossy(
                    &bytes,
                )));
            }
            assert!(
                sheets.len() > 6,
                "the corpus holds style sheets: {}",
                sheets.len()
            );
        }
        for sheet in &sheets {
            let once = clean(sheet);
            let twice = clean(&once.css);
            assert!(!once.css.contains('<'), "no < survives: {:?}", once.css);
            assert_eq!(
                twice.css, once.css,
                "sanitising is done in one pass: {sheet:?}"
            );
            assert_eq!(
                twice.remote_blocked, 0,
                "nothing left to block: {:?}",
                once.css
            );
        }
    }

    #[test]
    fn keyframes_and_page_keep_their_declarations() {
        let css = "@keyframes fade { from { opacity: 0 } to { opacity: 1 } } @page { margin: 1cm }";
        assert_eq!(clean(css).css, css);
    }
}
