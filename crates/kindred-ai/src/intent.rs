//! The questions the assistant answers without any LLM (offline mode), recognised from
//! their wording: my top people, my last contact with someone, who I know at an
//! organisation, my meetings with someone. Anything else is a search.

/// What an offline question asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Intent {
    TopPeople,
    LastContact(String),
    WhoAt(String),
    MeetingsWith(String),
    /// The significant words to search for.
    Search(Vec<String>),
}

/// Words too common to search for.
pub(crate) const STOPWORDS: &[&str] = &[
    "a", "about", "all", "am", "an", "and", "any", "are", "as", "at", "be", "did", "do", "does",
    "for", "from", "had", "has", "have", "how", "i", "in", "is", "it", "me", "my", "of", "on",
    "or", "our", "so", "that", "the", "their", "them", "there", "this", "to", "was", "we", "were",
    "what", "when", "where", "which", "who", "whom", "why", "with", "you", "your",
];

/// The text after the last `marker` in `question`, without trailing punctuation.
fn after(question: &str, lower: &str, marker: &str) -> Option<String> {
    let at = lower.rfind(marker)? + marker.len();
    let rest = question.get(at..)?.trim();
    let rest = rest.trim_end_matches(['?', '.', '!', ' ']);
    (!rest.is_empty()).then(|| rest.to_owned())
}

/// What `question` asks.
#[must_use]
pub fn intent(question: &str) -> Intent {
    let lower = question.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|word| lower.contains(word));
    if has(&[
        "top people",
        "closest",
        "strongest",
        "most important people",
        "talk to most",
        "email most",
    ]) {
        return Intent::TopPeople;
    }
    if has(&["meeting", "meet with", "met with"]) {
        if let Some(who) = after(question, &lower, " with ") {
            return Intent::MeetingsWith(who);
        }
    }
    if has(&["last", "latest", "most recent"])
        && has(&[
            "contact", "talk", "spoke", "heard", "email", "wrote", "message", "exchange",
        ])
    {
        if let Some(who) = ["with ", "from ", "to "]
            .iter()
            .find_map(|marker| after(question, &lower, &format!(" {marker}")))
        {
            return Intent::LastContact(who);
        }
    }
    if lower.starts_with("who") {
        if let Some(org) = after(question, &lower, " at ") {
            return Intent::WhoAt(org);
        }
    }
    Intent::Search(
        lower
            .split(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '-')
            .map(|word| word.trim_matches('.'))
            .filter(|word| word.len() > 1 && !STOPWORDS.contains(word))
            .map(str::to_owned)
            .collect(),
    )
}
