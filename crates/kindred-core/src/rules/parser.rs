//! The parser: words (see `lexer`) into a [`Rule`], checking everything that can be
//! checked before the rule runs — the trigger, each condition and its value, the action
//! and its keys, the template fields against the trigger's kind of item, the webhook's
//! scheme. Errors name the line and column, what was expected, and a suggestion.

use std::fmt;

use chrono::NaiveDate;

use super::lexer::{words, Char, Word};
use super::suggest::closest;
use super::{Action, Condition, Due, Field, ItemKind, Priority, Rule, Segment, Template, Trigger};

/// Why text is not a rule, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based.
    pub line: usize,
    /// 1-based, in characters.
    pub column: usize,
    /// What was expected and what was found.
    pub message: String,
    /// The word probably meant.
    pub suggestion: Option<String>,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )?;
        if let Some(suggestion) = &self.suggestion {
            write!(f, " — did you mean '{suggestion}'?")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// The rules in `text`, one per line; blank lines and lines starting with `#` are skipped.
///
/// # Errors
/// The first line that is not a rule, with the line, column and what was expected.
pub fn parse_rules(text: &str) -> Result<Vec<Rule>, ParseError> {
    rule_lines(text)
        .map(|(number, line)| parse_line(line, number))
        .collect()
}

/// The lines of `text` that hold rules, with their 1-based numbers.
fn rule_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| {
            let line = line.trim();
            !line.is_empty() && !line.starts_with('#')
        })
}

/// The one rule in `text` (blank and `#` lines aside).
///
/// # Errors
/// `text` holds no rule, more than one, or a line that is not a rule.
pub fn parse_rule(text: &str) -> Result<Rule, ParseError> {
    let mut rules = parse_rules(text)?;
    match rules.len() {
        1 => Ok(rules.remove(0)),
        0 => Err(ParseError {
            line: 1,
            column: 1,
            message: "expected a rule: when <trigger> [if <condition> [and <condition>]...] \
                      then <action> [key=value ...]"
                .to_owned(),
            suggestion: None,
        }),
        _ => {
            let second = rule_lines(text).nth(1).map_or(2, |(number, _)| number);
            Err(ParseError {
                line: second,
                column: 1,
                message: "expected one rule, found a second: add rules one at a time".to_owned(),
                suggestion: None,
            })
        }
    }
}

fn parse_line(line: &str, number: usize) -> Result<Rule, ParseError> {
    let words = words(line).map_err(|unclosed| ParseError {
        line: number,
        column: unclosed.column,
        message: "this quote is never closed: expected a closing '\"'".to_owned(),
        suggestion: None,
    })?;
    Parser {
        words,
        next: 0,
        line: number,
        end_column: line.chars().count() + 1,
    }
    .rule()
}

const CONDITIONS: [&str; 8] = [
    "from",
    "to",
    "domain",
    "subject",
    "label",
    "has",
    "person.rank",
    "org",
];

struct Parser {
    words: Vec<Word>,
    next: usize,
    line: usize,
    end_column: usize,
}

impl Parser {
    fn error(&self, column: usize, message: impl Into<String>) -> ParseError {
        ParseError {
            line: self.line,
            column,
            message: message.into(),
            suggestion: None,
        }
    }

    fn suggest(
        &self,
        column: usize,
        message: impl Into<String>,
        word: &str,
        candidates: &[&str],
    ) -> ParseError {
        ParseError {
            suggestion: closest(word, candidates.iter().copied()).map(str::to_owned),
            ..self.error(column, message)
        }
    }

    fn take(&mut self) -> Option<Word> {
        let word = self.words.get(self.next).cloned();
        self.next += 1;
        word
    }

    fn rule(mut self) -> Result<Rule, ParseError> {
        match self.take() {
            Some(word) if word.is_keyword("when") => {}
            Some(word) => {
                return Err(self.suggest(
                    word.column,
                    format!("expected 'when' to start the rule, found '{}'", word.text()),
                    &word.text(),
                    &["when"],
                ))
            }
            None => return Err(self.error(1, "expected 'when' to start the rule")),
        }
        let trigger = self.trigger()?;
        let mut conditions = Vec::new();
        let mut expected: &[&str] = &["if", "then"];
        loop {
            let Some(word) = self.take() else {
                return Err(self.error(
                    self.end_column,
                    format!(
                        "the rule ends early: expected {} and an action",
                        or_list(expected)
                    ),
                ));
            };
            if word.is_keyword("then") {
                break;
            }
            let joins = if conditions.is_empty() { "if" } else { "and" };
            if !word.is_keyword(joins) {
                let text = word.text();
                return Err(self.suggest(
                    word.column,
                    format!("expected {}, found '{text}'", or_list(expected)),
                    &text,
                    expected,
                ));
            }
            conditions.push(self.condition(trigger)?);
            expected = &["and", "then"];
        }
        let action = self.action(trigger)?;
        Ok(Rule {
            trigger,
            conditions,
            action,
        })
    }

    fn trigger(&mut self) -> Result<Trigger, ParseError> {
        let names: Vec<&str> = Trigger::ALL.iter().map(|t| t.as_str()).collect();
        let Some(word) = self.take() else {
            return Err(self.error(
                self.end_column,
                format!("expected a trigger after 'when': {}", names.join(", ")),
            ));
        };
        let text = word.text();
        Trigger::parse(&text).ok_or_else(|| {
            self.suggest(
                word.column,
                format!("unknown trigger '{text}' (triggers: {})", names.join(", ")),
                &text,
                &names,
            )
        })
    }

    fn condition(&mut self, trigger: Trigger) -> Result<Condition, ParseError> {
        let Some(word) = self.take() else {
            return Err(self.error(
                self.end_column,
                "expected a condition, like from:dana@acme.com or subject~\"invoice\"",
            ));
        };
        let operator = word
            .chars
            .iter()
            .position(|c| !c.quoted && matches!(c.value, ':' | '~' | '<' | '>' | '='));
        let Some(operator) = operator else {
            let text = word.text();
            return Err(self.suggest(
                word.column,
                format!(
                    "expected a condition ({}), found '{text}'",
                    CONDITIONS.join(", ")
                ),
                &text,
                &CONDITIONS,
            ));
        };
        let name: String = word.chars[..operator].iter().map(|c| c.value).collect();
        let Some(known) = CONDITIONS.iter().copied().find(|known| *known == name) else {
            return Err(self.suggest(
                word.column,
                format!(
                    "unknown condition '{name}' (conditions: {})",
                    CONDITIONS.join(", ")
                ),
                &name,
                &CONDITIONS,
            ));
        };
        let wanted = match known {
            "subject" => "~",
            "person.rank" => "<=",
            _ => ":",
        };
        let rest = &word.chars[operator..];
        let written: String = rest
            .iter()
            .take_while(|c| !c.quoted && matches!(c.value, ':' | '~' | '<' | '>' | '='))
            .map(|c| c.value)
            .collect();
        let operator_column = word.chars[operator].column;
        let wanted_length = wanted.chars().count();
        let starts_with_wanted = rest.len() >= wanted_length
            && rest[..wanted_length]
                .iter()
                .map(|c| c.value)
                .eq(wanted.chars());
        if !starts_with_wanted {
            return Err(self.error(
                operator_column,
                format!(
                    "expected '{wanted}' after '{known}', found '{written}' ({})",
                    usage(known)
                ),
            ));
        }
        let value_chars = &rest[wanted_length..];
        let value: String = value_chars.iter().map(|c| c.value).collect();
        let value_column = value_chars
            .first()
            .map_or(operator_column + written.len(), |c| c.column);
        if value.is_empty() {
            return Err(self.error(
                value_column,
                format!(
                    "expected a value after '{known}{wanted}' ({})",
                    usage(known)
                ),
            ));
        }
        let condition = match known {
            "from" => Condition::From(value),
            "to" => Condition::To(value),
            "domain" => {
                if value.contains('@') {
                    return Err(self.error(
                        value_column,
                        format!(
                            "domain: takes a domain like acme.com, found the address '{value}'; \
                             to match an address use from:{value}"
                        ),
                    ));
                }
                Condition::Domain(value)
            }
            "subject" => Condition::SubjectContains(value),
            "label" => Condition::Label(value),
            "has" => match value.as_str() {
                "attachment" => Condition::HasAttachment,
                "invite" => Condition::HasInvite,
                _ => {
                    return Err(self.suggest(
                        value_column,
                        format!("expected has:attachment or has:invite, found 'has:{value}'"),
                        &value,
                        &["attachment", "invite"],
                    ))
                }
            },
            "person.rank" => match value.parse::<u32>() {
                Ok(rank) if rank >= 1 => Condition::RankAtMost(rank),
                _ => {
                    return Err(self.error(
                        value_column,
                        format!(
                            "expected a rank of 1 or more after 'person.rank<=', found '{value}'"
                        ),
                    ))
                }
            },
            _ => Condition::Org(value),
        };
        let kind = trigger.item_kind();
        let allowed = conditions_for(kind);
        if !allowed.contains(&known) {
            let message = if allowed.is_empty() {
                format!("{trigger} takes no conditions: remove 'if ...'")
            } else {
                format!(
                    "'{known}' does not apply to {trigger}: conditions on {} are {}",
                    kind.plural(),
                    allowed.join(", ")
                )
            };
            return Err(self.error(word.column, message));
        }
        Ok(condition)
    }

    fn action(&mut self, trigger: Trigger) -> Result<Action, ParseError> {
        const ACTIONS: [&str; 6] = [
            "create_task",
            "notify",
            "tag",
            "extract_event",
            "webhook",
            "log",
        ];
        let Some(word) = self.take() else {
            return Err(self.error(
                self.end_column,
                format!("expected an action after 'then': {}", ACTIONS.join(", ")),
            ));
        };
        let name = word.text();
        let Some(name) = ACTIONS.iter().copied().find(|known| *known == name) else {
            return Err(self.suggest(
                word.column,
                format!("unknown action '{name}' (actions: {})", ACTIONS.join(", ")),
                &name,
                &ACTIONS,
            ));
        };
        let kind = trigger.item_kind();
        if matches!(name, "tag" | "extract_event") && kind != ItemKind::Message {
            return Err(self.error(
                word.column,
                format!(
                    "{name} acts on messages, and {trigger} is about {}",
                    kind.plural()
                ),
            ));
        }
        let keys: &[&str] = match name {
            "create_task" => &["title", "notes", "priority", "due"],
            "notify" => &["title", "body"],
            "tag" => &["label"],
            "webhook" => &["url"],
            "log" => &["message"],
            _ => &[],
        };
        let mut params: Vec<(&str, Vec<Char>, usize)> = Vec::new();
        while let Some(param) = self.take() {
            let Some(equals) = param.chars.iter().position(|c| !c.quoted && c.value == '=') else {
                let text = param.text();
                let message = if keys.is_empty() {
                    format!("{name} takes no keys, found '{text}'")
                } else {
                    format!(
                        "expected key=value after '{name}' ({}), found '{text}'",
                        keys.join(", ")
                    )
                };
                return Err(self.suggest(param.column, message, &text, keys));
            };
            let key: String = param.chars[..equals].iter().map(|c| c.value).collect();
            let Some(key) = keys.iter().copied().find(|known| *known == key) else {
                let message = if keys.is_empty() {
                    format!("{name} takes no keys, found '{key}'")
                } else {
                    format!("unknown key '{key}' for {name} (keys: {})", keys.join(", "))
                };
                return Err(self.suggest(param.column, message, &key, keys));
            };
            if params.iter().any(|(seen, _, _)| *seen == key) {
                return Err(self.error(param.column, format!("'{key}' is given twice")));
            }
            let value = param.chars[equals + 1..].to_vec();
            let value_column = param.chars[equals].column + 1;
            if value.is_empty() {
                return Err(self.error(value_column, format!("expected a value after '{key}='")));
            }
            params.push((key, value, value_column));
        }
        let text_of = |key: &str| {
            params
                .iter()
                .find(|(seen, _, _)| *seen == key)
                .map(|(_, chars, column)| {
                    (chars.iter().map(|c| c.value).collect::<String>(), *column)
                })
        };
        let template = |key: &str| -> Result<Option<Template>, ParseError> {
            params
                .iter()
                .find(|(seen, _, _)| *seen == key)
                .map(|(_, chars, _)| self.template(chars, kind))
                .transpose()
        };
        Ok(match name {
            "create_task" => Action::CreateTask {
                title: template("title")?,
                notes: template("notes")?,
                priority: text_of("priority")
                    .map(|(text, column)| {
                        Priority::parse(&text).ok_or_else(|| {
                            self.suggest(
                                column,
                                format!("expected priority=low, normal or high, found '{text}'"),
                                &text,
                                &["low", "normal", "high"],
                            )
                        })
                    })
                    .transpose()?,
                due: text_of("due")
                    .map(|(text, column)| {
                        parse_due(&text).ok_or_else(|| {
                            self.error(
                                column,
                                format!(
                                    "expected due=+Nd (days after the rule fires), +Nw (weeks) or \
                                     a date YYYY-MM-DD, found '{text}'"
                                ),
                            )
                        })
                    })
                    .transpose()?,
            },
            "notify" => Action::Notify {
                title: template("title")?,
                body: template("body")?,
            },
            "tag" => Action::Tag {
                label: text_of("label").map(|(text, _)| text).ok_or_else(|| {
                    self.error(
                        self.end_column,
                        "tag needs the label to add: tag label=Important",
                    )
                })?,
            },
            "extract_event" => Action::ExtractEvent,
            "webhook" => {
                let (url, column) = text_of("url").ok_or_else(|| {
                    self.error(
                        self.end_column,
                        "webhook needs the address to call: webhook url=https://…",
                    )
                })?;
                if !is_web_url(&url) {
                    return Err(self.error(
                        column,
                        format!(
                            "expected an http:// or https:// address with a host, found '{url}'"
                        ),
                    ));
                }
                Action::Webhook { url }
            }
            _ => Action::Log {
                message: template("message")?,
            },
        })
    }

    fn template(&self, chars: &[Char], kind: ItemKind) -> Result<Template, ParseError> {
        let mut segments = Vec::new();
        let mut text = String::new();
        let mut index = 0;
        while index < chars.len() {
            let c = chars[index];
            match c.value {
                '{' => {
                    let Some(length) = chars[index + 1..].iter().position(|c| c.value == '}')
                    else {
                        return Err(self.error(
                            c.column,
                            "this '{' opens a field that is never closed: expected '}'",
                        ));
                    };
                    let name: String = chars[index + 1..index + 1 + length]
                        .iter()
                        .map(|c| c.value)
                        .collect();
                    let name_column = chars.get(index + 1).map_or(c.column + 1, |c| c.column);
                    let fields: Vec<&str> = Field::ALL
                        .iter()
                        .filter(|f| f.item_kind() == kind)
                        .map(|f| f.as_str())
                        .collect();
                    let listed = fields
                        .iter()
                        .map(|f| format!("{{{f}}}"))
                        .collect::<Vec<_>>()
                        .join(" ");
                    let field = Field::ALL.iter().copied().find(|f| f.as_str() == name);
                    match field {
                        Some(field) if field.item_kind() == kind => {}
                        Some(field) => {
                            return Err(self.error(
                                name_column,
                                format!(
                                    "'{{{name}}}' is a field of {}; fields of {} are {listed}",
                                    field.item_kind().plural(),
                                    kind.plural()
                                ),
                            ))
                        }
                        None => {
                            return Err(self.suggest(
                                name_column,
                                format!(
                                    "unknown field '{{{name}}}' (fields of {}: {listed})",
                                    kind.plural()
                                ),
                                &name,
                                &fields,
                            ))
                        }
                    }
                    if !text.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut text)));
                    }
                    segments.extend(field.map(Segment::Field));
                    index += length + 2;
                }
                '}' => {
                    return Err(
                        self.error(c.column, "this '}' closes no field: expected '{' before it")
                    )
                }
                other => {
                    text.push(other);
                    index += 1;
                }
            }
        }
        if !text.is_empty() {
            segments.push(Segment::Text(text));
        }
        Ok(Template { segments })
    }
}

/// The conditions that apply to a kind of item.
fn conditions_for(kind: ItemKind) -> &'static [&'static str] {
    match kind {
        ItemKind::Message => &CONDITIONS,
        ItemKind::Event => &["from", "to", "domain", "subject", "org", "person.rank"],
        ItemKind::Person => &["from", "domain", "org", "person.rank"],
        ItemKind::Sync => &[],
    }
}

fn usage(condition: &str) -> &'static str {
    match condition {
        "from" => "from:dana@acme.com or from:*@acme.com",
        "to" => "to:me@example.com",
        "domain" => "domain:acme.com",
        "subject" => "subject~\"quarterly numbers\"",
        "label" => "label:Important",
        "has" => "has:attachment or has:invite",
        "person.rank" => "person.rank<=20",
        _ => "org:acme",
    }
}

fn or_list(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    quoted.join(" or ")
}

fn parse_due(text: &str) -> Option<Due> {
    if let Some(span) = text.strip_prefix('+') {
        let unit = span.chars().last()?;
        let number: u32 = span[..span.len() - unit.len_utf8()].parse().ok()?;
        return match unit {
            'd' => Some(Due::Days(number)),
            'w' => number.checked_mul(7).map(Due::Days),
            _ => None,
        };
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .map(Due::Date)
}

/// Whether `url` is an http(s) address with a host and no whitespace.
fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty() && !url.chars().any(char::is_whitespace)
}
