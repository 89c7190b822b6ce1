//! The iCalendar content layer (RFC 5545 §3.1): line unfolding, content lines with their
//! parameters, and the BEGIN/END component tree. Lenient by design: a malformed line or a
//! mismatched END becomes a [`Problem`] and reading goes on.

/// One parameter of a content line, e.g. `TZID=Europe/Berlin` or `MEMBER="a","b"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parameter {
    /// Upper-cased.
    pub name: String,
    /// Unquoted, with RFC 6868 `^n`, `^'` and `^^` decoded.
    pub values: Vec<String>,
}

/// One unfolded content line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Property {
    /// Upper-cased.
    pub name: String,
    pub parameters: Vec<Parameter>,
    /// The raw value after the first unquoted colon, still escaped.
    pub value: String,
    /// The physical line (1-based) where this content line starts.
    pub line: usize,
}

impl Property {
    /// The first value of the named parameter.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.values.first())
            .map(String::as_str)
    }
}

/// A BEGIN/END block with its properties and nested blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Component {
    /// Upper-cased, e.g. `VEVENT`.
    pub name: String,
    /// The line of its BEGIN.
    pub line: usize,
    pub properties: Vec<Property>,
    pub children: Vec<Component>,
}

impl Component {
    fn new(name: String, line: usize) -> Self {
        Self {
            name,
            line,
            properties: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The first property with this (upper-case) name.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    /// Every property with this (upper-case) name, in file order.
    pub fn properties_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Property> {
        self.properties.iter().filter(move |p| p.name == name)
    }
}

/// Something in the text that could not be read, at a physical line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub line: usize,
    pub reason: String,
}

/// The components found at the top level of a text (usually one or more VCALENDARs, or
/// bare VEVENTs), and what could not be read.
#[derive(Debug, Default)]
pub(crate) struct Document {
    pub components: Vec<Component>,
    pub problems: Vec<Problem>,
}

/// Reads `text` into components. Lines may end in CRLF, LF or a lone CR; folded lines
/// (continuations starting with a space or tab) are joined; blank lines are skipped, so a
/// fold after a blank line still continues the line before it.
pub(crate) fn parse_document(text: &str) -> Document {
    let mut document = Document::default();
    let mut stack: Vec<Component> = Vec::new();
    for (line, content) in logical_lines(text) {
        let property = match parse_content_line(&content, line) {
            Ok(property) => property,
            Err(reason) => {
                document.problems.push(Problem { line, reason });
                continue;
            }
        };
        match property.name.as_str() {
            "BEGIN" => {
                let name = property.value.trim().to_ascii_uppercase();
                if name.is_empty() {
                    document.problems.push(Problem {
                        line,
                        reason: "BEGIN without a component name".to_owned(),
                    });
                } else {
                    stack.push(Component::new(name, line));
                }
            }
            "END" => close(&mut stack, &mut document, &property),
            // Properties outside any component carry nothing we import.
            _ => {
                if let Some(component) = stack.last_mut() {
                    component.properties.push(property);
                }
            }
        }
    }
    while let Some(open) = stack.pop() {
        document.problems.push(Problem {
            line: open.line,
            reason: format!("BEGIN:{} is never closed by END:{}", open.name, open.name),
        });
        attach(&mut stack, &mut document, open);
    }
    document
}

fn close(stack: &mut Vec<Component>, document: &mut Document, end: &Property) {
    let name = end.value.trim().to_ascii_uppercase();
    if !stack.iter().any(|c| c.name == name) {
        document.problems.push(Problem {
            line: end.line,
            reason: format!("END:{name} without a matching BEGIN:{name}"),
        });
        return;
    }
    while let Some(open) = stack.pop() {
        let done = open.name == name;
        if !done {
            document.problems.push(Problem {
                line: open.line,
                reason: format!(
                    "BEGIN:{} is closed by END:{name} at line {} instead of END:{}",
                    open.name, end.line, open.name
                ),
            });
        }
        attach(stack, document, open);
        if done {
            return;
        }
    }
}

fn attach(stack: &mut [Component], document: &mut Document, component: Component) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(component),
        None => document.components.push(component),
    }
}

/// Unfolded lines with the physical line number where each starts.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (index, physical) in text.split('\n').enumerate() {
        let physical = physical.strip_suffix('\r').unwrap_or(physical);
        // A lone CR inside a line is a line break too (old Mac exports, fuzzed files).
        for part in physical.split('\r') {
            if part.is_empty() {
                continue;
            }
            if part.starts_with([' ', '\t']) {
                if let Some(last) = lines.last_mut() {
                    last.1.push_str(&part[1..]);
                    continue;
                }
            }
            lines.push((index + 1, part.to_owned()));
        }
    }
    lines
}

/// Splits `name *(";" param) ":" value`.
fn parse_content_line(content: &str, line: usize) -> Result<Property, String> {
    let name_end = content
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .unwrap_or(content.len());
    let name = content[..name_end].to_ascii_uppercase();
    if name.is_empty() {
        return Err(format!("not a content line: '{}'", preview(content)));
    }
    let mut rest = &content[name_end..];
    let mut parameters = Vec::new();
    loop {
        if let Some(value) = rest.strip_prefix(':') {
            return Ok(Property {
                name,
                parameters,
                value: value.to_owned(),
                line,
            });
        }
        let Some(after) = rest.strip_prefix(';') else {
            return Err(format!(
                "{name}: expected ':' before the value in '{}'",
                preview(content)
            ));
        };
        let (parameter, remaining) = parse_parameter(after)
            .ok_or_else(|| format!("{name}: unreadable parameter in '{}'", preview(content)))?;
        parameters.push(parameter);
        rest = remaining;
    }
}

/// One `NAME=value,value` (values possibly quoted); returns the rest after it.
fn parse_parameter(text: &str) -> Option<(Parameter, &str)> {
    let name_end = text.find(['=', ';', ':'])?;
    let name = text[..name_end].trim().to_ascii_uppercase();
    let mut rest = &text[name_end..];
    let mut values = Vec::new();
    if let Some(after) = rest.strip_prefix('=') {
        rest = after;
        loop {
            let (value, remaining) = if let Some(quoted) = rest.strip_prefix('"') {
                let close = quoted.find('"')?;
                (&quoted[..close], &quoted[close + 1..])
            } else {
                let end = rest.find([',', ';', ':']).unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            };
            values.push(decode_parameter_value(value));
            match remaining.strip_prefix(',') {
                Some(next) => rest = next,
                None => {
                    rest = remaining;
                    break;
                }
            }
        }
    }
    Some((Parameter { name, values }, rest))
}

/// RFC 6868: `^n` is a newline, `^'` a double quote, `^^` a caret.
fn decode_parameter_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.peek() {
                Some('n' | 'N') => {
                    out.push('\n');
                    chars.next();
                }
                Some('\'') => {
                    out.push('"');
                    chars.next();
                }
                Some('^') => {
                    out.push('^');
                    chars.next();
                }
                _ => out.push('^'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn preview(text: &str) -> String {
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_and_quoted_parameters_are_read() {
        let document = parse_document(
            "BEGIN:VEVENT\r\nATTENDEE;CN=\"Doe; Jane\";PARTSTAT=ACCEPTED:mailto:jane@\r\n example.org\r\nEND:VEVENT\r\n",
        );
        assert!(document.problems.is_empty(), "{:?}", document.problems);
        let event = &document.components[0];
        let attendee = event.property("ATTENDEE").unwrap();
        assert_eq!(attendee.parameter("CN"), Some("Doe; Jane"));
        assert_eq!(attendee.value, "mailto:jane@example.org");
    }

    #[test]
    fn mismatched_end_is_a_problem_and_the_tree_survives() {
        let document =
            parse_document("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:1\nEND:VCALENDAR\nEND:VTODO\n");
        assert_eq!(document.components.len(), 1);
        assert_eq!(document.components[0].children.len(), 1);
        assert_eq!(document.problems.len(), 2, "{:?}", document.problems);
    }
}
