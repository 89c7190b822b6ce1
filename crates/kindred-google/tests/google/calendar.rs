//! Calendar sync: every calendar over the window, attendees with their answers,
//! incremental runs from the sync token, cancellations, and 410 resets.

use chrono::{Duration, FixedOffset, TimeZone, Utc};
use kindred_fakegoogle::{EventTime, FakeAttendee, FakeConfig, FakeEvent, FakeResponseStatus};

use crate::World;

const ADA: &str = "ada@example.com";

fn meeting(summary: &str, days_ago: i64) -> FakeEvent {
    let start = (Utc::now() - Duration::days(days_ago))
        .with_timezone(&FixedOffset::east_opt(3600).unwrap());
    let mut event = FakeEvent::new(
        summary,
        EventTime::DateTime(start),
        EventTime::DateTime(start + Duration::minutes(45)),
    );
    event.attendees = vec![
        FakeAttendee::new(ADA, FakeResponseStatus::Accepted),
        FakeAttendee::new("bob@example.org", FakeResponseStatus::Declined),
        FakeAttendee::new("cy@example.net", FakeResponseStatus::Tentative),
    ];
    event
}

/// The store holds the calendar's events except the `cancelled` ones (which the fake
/// keeps, to report them to incremental syncs).
async fn assert_calendar_matches(
    world: &World,
    account_id: i64,
    calendar: &str,
    cancelled: &[&str],
) {
    let stored = world
        .store
        .calendar_event_ids(account_id, calendar)
        .await
        .unwrap();
    let mut served = world.fake.event_ids(ADA, calendar);
    for id in cancelled {
        assert!(served.remove(*id), "the fake knows cancelled event {id}");
    }
    assert_eq!(
        stored, served,
        "the store holds exactly the events of calendar {calendar}"
    );
}

#[tokio::test]
async fn calendars_sync_fully_then_incrementally_with_cancellations() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world
        .fake
        .add_calendar(ADA, "team@group.calendar.google.com", "Team");
    let first = world.fake.add_event(ADA, "primary", meeting("Planning", 3));
    let second = world.fake.add_event(ADA, "primary", meeting("Review", 2));
    world
        .fake
        .add_event(ADA, "team@group.calendar.google.com", meeting("Standup", 1));
    let day = Utc
        .with_ymd_and_hms(2026, 11, 20, 0, 0, 0)
        .unwrap()
        .date_naive();
    world.fake.add_event(
        ADA,
        "primary",
        FakeEvent::new(
            "Offsite",
            EventTime::Date(day),
            EventTime::Date(day.succ_opt().unwrap()),
        ),
    );
    let account = world.sign_in(ADA, None).await;
    let report = world.sync_ok(&account).await;
    assert_eq!(report.counts.events_added, 4);
    assert_calendar_matches(&world, account.id, ADA, &[]).await;
    assert_calendar_matches(&world, account.id, "team@group.calendar.google.com", &[]).await;
    assert_eq!(world.store.totals().await.unwrap().events, 4);

    world
        .fake
        .update_event(ADA, "primary", &first, meeting("Planning (moved)", 1));
    world.fake.cancel_event(ADA, "primary", &second);
    world.fake.add_event(ADA, "primary", meeting("Retro", 0));
    let report = world.sync_ok(&account).await;
    assert_eq!(report.counts.events_added, 1);
    assert_eq!(report.counts.events_updated, 1);
    assert_eq!(report.counts.events_deleted, 1);
    assert_calendar_matches(&world, account.id, ADA, &[&second]).await;
    assert_eq!(
        world.store.totals().await.unwrap().events,
        4,
        "a cancelled event is deleted"
    );
}

#[tokio::test]
async fn an_expired_sync_token_clears_the_calendar_and_resyncs_it() {
    let world = World::start(FakeConfig::default()).await;
    world.fake.add_user(ADA);
    world.fake.add_event(ADA, "primary", meeting("One", 3));
    let two = world.fake.add_event(ADA, "primary", meeting("Two", 2));
    let account = world.sign_in(ADA, None).await;
    world.sync_ok(&account).await;
    world.fake.cancel_event(ADA, "primary", &two);
    world.fake.add_event(ADA, "primary", meeting("Three", 1));
    world.fake.expire_sync_tokens(ADA);
    world.sync_ok(&account).await;
    assert_calendar_matches(&world, account.id, ADA, &[&two]).await;
    assert_eq!(world.store.totals().await.unwrap().events, 2);
}
