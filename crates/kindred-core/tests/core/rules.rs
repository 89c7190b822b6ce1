//! The rule language: what parses and to what, where each kind of mistake is reported and
//! what is suggested, that a rule's text parses back to the same rule, and how rules match
//! and render against items.

use chrono::{NaiveDate, TimeZone, Utc};
use kindred_core::rules::{
    fire, parse_rule, parse_rules, Action, Condition, Due, EventFacts, Field, Fired, ItemFacts,
    Matcher, MessageFacts, Party, PersonFacts, PreparedItem, Priority, Rule, Segment, SyncFacts,
    Template, Trigger,
};
use proptest::prelude::*;

/// The 1-based column of the first `needle` in `line` (the place an error must point at).
fn column_of(line: &str, needle: &str) -> usize {
    line[..line.find(needle).expect("the needle is in the line")]
        .chars()
        .count()
        + 1
}

#[test]
fn a_full_rule_parses_to_its_parts() {
    let rule = parse_rule(
        r#"when message.received if from:*@acme.com and subject~"quarterly numbers" and person.rank<=20 then create_task title="Reply to {subject}" priority=high due=+2d"#,
    )
    .unwrap();
    assert_eq!(rule.trigger, Trigger::MessageReceived);
    assert_eq!(
        rule.conditions,
        [
            Condition::From("*@acme.com".to_owned()),
            Condition::SubjectContains("quarterly numbers".to_owned()),
            Condition::RankAtMost(20),
        ]
    );
    assert_eq!(
        rule.action,
        Action::CreateTask {
            title: Some(Template {
                segments: vec![
                    Segment::Text("Reply to ".to_owned()),
                    Segment::Field(Field::Subject),
                ]
            }),
            notes: None,
            priority: Some(Priority::High),
            due: Some(Due::Days(2)),
        }
    );
}

#[test]
fn every_condition_and_action_parses() {
    let cases = [
        "when message.sent if to:dana@acme.com then log",
        "when message.received if domain:acme.com then notify title=\"{from.name}: {subject}\"",
        "when message.received if label:\"Needs reply\" then tag label=Follow-up",
        "when message.received if has:attachment and has:invite then extract_event",
        "when message.received if org:acme then webhook url=https://hooks.example.com/kindred?x=1",
        "when event.created if from:boss@acme.com then create_task title={title} due=2026-12-01",
        "when event.updated if subject~standup then notify body=\"{start} at {location}\"",
        "when person.new if org:\"Northwind Labs\" then log message=\"new: {person.name}\"",
        "when person.fading if person.rank<=10 then create_task title=\"Write to {person.name}\"",
        "when sync.completed then log message=\"{added} new from {account}\"",
    ];
    for case in cases {
        let rule = parse_rule(case).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(
            parse_rule(&rule.to_string()).unwrap(),
            rule,
            "{case} survives display and parse"
        );
    }
}

#[test]
fn errors_name_line_column_expectation_and_suggestion() {
    // (rule, the text the error must point at, a fragment of the message, the suggestion)
    let cases: [(&str, &str, &str, Option<&str>); 18] = [
        (
            "when message.received then creat_task",
            "creat_task",
            "unknown action 'creat_task'",
            Some("create_task"),
        ),
        (
            "when message.recieved then log",
            "message.recieved",
            "unknown trigger",
            Some("message.received"),
        ),
        (
            "wen message.received then log",
            "wen",
            "expected 'when'",
            Some("when"),
        ),
        (
            "when message.received if form:dana@acme.com then log",
            "form:",
            "unknown condition 'form'",
            Some("from"),
        ),
        (
            "when message.received if from:a@b.c adn to:c@d.e then log",
            "adn",
            "expected 'and' or 'then'",
            Some("and"),
        ),
        (
            "when message.received if has:attachmnt then log",
            "attachmnt",
            "has:attachment or has:invite",
            Some("attachment"),
        ),
        (
            "when message.received if subject:invoice then log",
            ":invoice",
            "expected '~' after 'subject'",
            None,
        ),
        (
            "when message.received if person.rank<5 then log",
            "<5",
            "expected '<=' after 'person.rank'",
            None,
        ),
        (
            "when message.received if person.rank<=zero then log",
            "zero",
            "a rank of 1 or more",
            None,
        ),
        (
            "when message.received if from: then log",
            " then",
            "expected a value after 'from:'",
            None,
        ),
        (
            "when message.received then create_task titel=x",
            "titel=x",
            "unknown key 'titel' for create_task",
            Some("title"),
        ),
        (
            "when message.received then create_task priority=hihg",
            "hihg",
            "expected priority=low, normal or high",
            Some("high"),
        ),
        (
            "when message.received then create_task due=tomorrow",
            "tomorrow",
            "expected due=+Nd",
            None,
        ),
        (
            "when message.received then create_task title=\"Reply to {subjct}\"",
            "subjct}",
            "unknown field '{subjct}'",
            Some("subject"),
        ),
        (
            "when message.received then webhook url=ftp://example.com/x",
            "ftp:",
            "http:// or https://",
            None,
        ),
        (
            "when event.created if label:Work then log",
            "label:",
            "'label' does not apply to event.created",
            None,
        ),
        (
            "when event.created then tag label=x",
            "tag",
            "tag acts on messages",
            None,
        ),
        (
            "when message.received then log message=\"unfinished",
            "\"unfinished",
            "quote is never closed",
            None,
        ),
    ];
    for (rule, at, fragment, suggestion) in cases {
        let error = parse_rule(rule).expect_err(rule);
        assert_eq!(error.line, 1, "{rule}");
        assert_eq!(
            error.column,
            column_of(rule, at),
            "{rule}: the error points at {at:?}, got {error}"
        );
        assert!(
            error.message.contains(fragment),
            "{rule}: {error} says {fragment:?}"
        );
        assert_eq!(error.suggestion.as_deref(), suggestion, "{rule}: {error}");
    }
}

#[test]
fn an_error_reads_as_one_sentence_with_the_suggestion() {
    let error = parse_rule("when message.received then creat_task").unwrap_err();
    assert_eq!(
        error.to_string(),
        "line 1, column 28: unknown action 'creat_task' (actions: create_task, notify, tag, \
         extract_event, webhook, log) — did you mean 'create_task'?"
    );
}

#[test]
fn a_field_of_another_kind_of_item_is_refused_with_the_fields_that_apply() {
    let error = parse_rule("when event.created then log message={subject}").unwrap_err();
    assert!(
        error.message.contains("'{subject}' is a field of messages")
            && error.message.contains("{title}"),
        "{error}"
    );
}

#[test]
fn rules_that_end_early_point_past_the_end() {
    for rule in [
        "when",
        "when message.received",
        "when message.received if from:a@b.c",
        "when message.received then",
        "when message.received then webhook",
        "when message.received then tag",
    ] {
        let error = parse_rule(rule).expect_err(rule);
        assert_eq!(
            error.column,
            rule.chars().count() + 1,
            "{rule}: the error points just past the end, got {error}"
        );
    }
}

#[test]
fn errors_in_later_lines_name_their_line_and_blank_and_comment_lines_are_skipped() {
    let text = "# my rules\nwhen message.received then log\n\nwhen message.sent then notfy\n";
    let error = parse_rules(text).unwrap_err();
    assert_eq!((error.line, error.column), (4, 24));
    assert_eq!(error.suggestion.as_deref(), Some("notify"));
    assert_eq!(
        parse_rules("# none\n\nwhen sync.completed then log\n")
            .unwrap()
            .len(),
        1
    );
    let error =
        parse_rule("when sync.completed then log\nwhen sync.completed then log").unwrap_err();
    assert_eq!(error.line, 2, "one rule at a time: {error}");
    assert!(parse_rule("  \n# nothing\n").is_err());
}

fn party(address: &str, name: Option<&str>) -> Party {
    Party {
        address: address.to_owned(),
        name: name.map(str::to_owned),
    }
}

fn received(from: &str, subject: &str) -> MessageFacts {
    MessageFacts {
        id: 1,
        from: Some(party(from, Some("Dana Scully"))),
        recipients: vec![party("me@home.org", None)],
        subject: subject.to_owned(),
        labels: vec!["Inbox".to_owned(), "Needs Reply".to_owned()],
        has_attachment: true,
        has_invite: false,
        sent_by_me: false,
        rank: Some(7),
        sent_at: Utc.with_ymd_and_hms(2026, 11, 20, 8, 30, 0).unwrap(),
    }
}

fn fires(rule: &str, item: &ItemFacts) -> bool {
    Matcher::new(&parse_rule(rule).unwrap()).matches(&PreparedItem::new(item))
}

#[test]
fn message_conditions_match_case_insensitively_and_only_their_trigger() {
    let item = ItemFacts::Message(received("Dana@EU.Acme.co.uk", "Quarterly Numbers for Q3"));
    let matching = [
        "when message.received then log",
        "when message.received if from:dana@eu.acme.co.uk then log",
        "when message.received if from:*@EU.ACME.CO.UK then log",
        "when message.received if from:d*@*.co.uk then log",
        "when message.received if to:ME@home.org then log",
        "when message.received if domain:acme.co.uk then log",
        "when message.received if domain:eu.acme.co.uk then log",
        "when message.received if subject~\"quarterly numbers\" then log",
        "when message.received if label:\"needs reply\" then log",
        "when message.received if has:attachment then log",
        "when message.received if person.rank<=7 then log",
        "when message.received if org:acme then log",
        "when message.received if org:ACME.co.uk then log",
    ];
    for rule in matching {
        assert!(fires(rule, &item), "{rule} fires");
    }
    let not_matching = [
        "when message.sent then log",
        "when event.created then log",
        "when message.received if from:dana@acme.co.uk then log",
        "when message.received if from:*@acme.com then log",
        "when message.received if domain:me.co.uk then log",
        "when message.received if domain:cme.co.uk then log",
        "when message.received if subject~invoice then log",
        "when message.received if label:Work then log",
        "when message.received if has:invite then log",
        "when message.received if person.rank<=6 then log",
        "when message.received if org:northwind then log",
        "when message.received if has:attachment and label:Work then log",
    ];
    for rule in not_matching {
        assert!(!fires(rule, &item), "{rule} does not fire");
    }
}

#[test]
fn the_other_side_of_sent_mail_is_its_recipients() {
    let mut message = received("me@home.org", "Offer");
    message.sent_by_me = true;
    message.recipients = vec![party("bob@northwind-labs.com", None)];
    let item = ItemFacts::Message(message);
    assert!(fires(
        "when message.sent if domain:northwind-labs.com then log",
        &item
    ));
    assert!(fires(
        "when message.sent if org:\"Northwind Labs\" then log",
        &item
    ));
    assert!(!fires(
        "when message.sent if domain:home.org then log",
        &item
    ));
    assert!(!fires("when message.received then log", &item));
}

#[test]
fn an_unranked_sender_never_passes_a_rank_condition() {
    let mut message = received("news@shop.example", "Sale");
    message.rank = None;
    assert!(!fires(
        "when message.received if person.rank<=1000 then log",
        &ItemFacts::Message(message)
    ));
}

#[test]
fn events_people_and_syncs_fire_their_own_triggers() {
    let event = ItemFacts::Event(EventFacts {
        id: 3,
        title: "Weekly Standup".to_owned(),
        organizer: Some(party("boss@acme.com", None)),
        attendees: vec![party("me@home.org", None)],
        location: "Room 4".to_owned(),
        starts_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap(),
        ends_at: Utc.with_ymd_and_hms(2026, 11, 23, 9, 15, 0).unwrap(),
        rank: None,
        updated: true,
        change: Some(12),
    });
    assert!(fires(
        "when event.updated if subject~standup and from:boss@acme.com then log",
        &event
    ));
    assert!(!fires("when event.created then log", &event));
    let person = ItemFacts::Person(PersonFacts {
        id: 9,
        name: Some("Bob".to_owned()),
        emails: vec!["bob@acme.com".to_owned()],
        rank: Some(3),
        fading: true,
    });
    assert!(fires(
        "when person.fading if person.rank<=5 and domain:acme.com then log",
        &person
    ));
    assert!(!fires("when person.new then log", &person));
    let sync = ItemFacts::Sync(SyncFacts {
        run: 4,
        account: "me@home.org".to_owned(),
        added: 12,
    });
    assert!(fires("when sync.completed then log", &sync));
}

#[test]
fn firing_fills_templates_and_counts_due_days_from_now() {
    let item = ItemFacts::Message(received("dana@acme.com", "Contract"));
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 23, 0, 0).unwrap();
    let rule = parse_rule(
        "when message.received then create_task title=\"Reply to {from.name} about {subject}\" \
         notes=\"{from} on {date} to {to}\" priority=high due=+2d",
    )
    .unwrap();
    assert_eq!(
        fire(&rule.action, &item, now),
        Fired::CreateTask {
            title: "Reply to Dana Scully about Contract".to_owned(),
            notes: "Dana Scully <dana@acme.com> on 2026-11-20 to me@home.org".to_owned(),
            priority: Priority::High,
            due: NaiveDate::from_ymd_opt(2026, 11, 24),
        }
    );
    let bare = parse_rule("when message.received then create_task").unwrap();
    assert_eq!(
        fire(&bare.action, &item, now),
        Fired::CreateTask {
            title: "Contract".to_owned(),
            notes: String::new(),
            priority: Priority::Normal,
            due: None,
        },
        "without a title the task is named after the message"
    );
}

/// A value that needs no quotes or one that does (spaces, quotes, backslashes).
fn value() -> impl Strategy<Value = String> {
    prop_oneof!["[a-z0-9@.*_-]{1,12}", "[a-zA-Z0-9 \"\\\\:=~]{1,16}",]
}

fn template_strategy() -> impl Strategy<Value = Template> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9 :\"\\\\]{1,8}".prop_map(Segment::Text),
            prop::sample::select(vec![
                Field::Subject,
                Field::From,
                Field::FromName,
                Field::Date
            ])
            .prop_map(Segment::Field),
        ],
        1..4,
    )
    .prop_map(|segments| {
        // Adjacent texts are one text once written out.
        let mut merged: Vec<Segment> = Vec::new();
        for segment in segments {
            match (merged.last_mut(), segment) {
                (Some(Segment::Text(previous)), Segment::Text(next)) => previous.push_str(&next),
                (_, segment) => merged.push(segment),
            }
        }
        Template { segments: merged }
    })
}

fn condition_strategy() -> impl Strategy<Value = Condition> {
    prop_oneof![
        value().prop_map(Condition::From),
        value().prop_map(Condition::To),
        "[a-z]{1,8}\\.[a-z]{2,3}".prop_map(Condition::Domain),
        value().prop_map(Condition::SubjectContains),
        value().prop_map(Condition::Label),
        Just(Condition::HasAttachment),
        Just(Condition::HasInvite),
        (1u32..500).prop_map(Condition::RankAtMost),
        value().prop_map(Condition::Org),
    ]
}

fn action_strategy() -> impl Strategy<Value = Action> {
    prop_oneof![
        (
            prop::option::of(template_strategy()),
            prop::option::of(template_strategy()),
            prop::option::of(prop::sample::select(Priority::ALL.to_vec())),
            prop::option::of(prop_oneof![
                (0u32..400).prop_map(Due::Days),
                (0u32..3000).prop_map(|days| Due::Date(
                    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(days.into())
                )),
            ]),
        )
            .prop_map(|(title, notes, priority, due)| Action::CreateTask {
                title,
                notes,
                priority,
                due
            }),
        (
            prop::option::of(template_strategy()),
            prop::option::of(template_strategy())
        )
            .prop_map(|(title, body)| Action::Notify { title, body }),
        value().prop_map(|label| Action::Tag { label }),
        Just(Action::ExtractEvent),
        "https://[a-z]{1,10}\\.example/[a-z0-9?=&]{0,10}".prop_map(|url| Action::Webhook { url }),
        prop::option::of(template_strategy()).prop_map(|message| Action::Log { message }),
    ]
}

proptest! {
    #[test]
    fn a_rules_text_parses_back_to_the_same_rule(
        conditions in prop::collection::vec(condition_strategy(), 0..4),
        action in action_strategy(),
        sent in any::<bool>(),
    ) {
        let trigger = if sent { Trigger::MessageSent } else { Trigger::MessageReceived };
        let rule = Rule { trigger, conditions, action };
        let text = rule.to_string();
        let parsed = parse_rule(&text);
        prop_assert_eq!(parsed.as_ref(), Ok(&rule), "{}", text);
    }

    #[test]
    fn no_input_makes_the_parser_panic(line in "\\PC{0,80}") {
        let _ = parse_rule(&line);
    }
}
