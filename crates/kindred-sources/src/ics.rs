//! The `.ics` calendar source: one iCalendar text (a VCALENDAR, several, or bare VEVENTs)
//! becomes normalised [`Event`]s, one per occurrence inside an [`ExpansionWindow`], plus
//! [`SourceError`]s for what could not be read.
//!
//! This module owns the event semantics: which VEVENTs form a series (UID, SEQUENCE,
//! RECURRENCE-ID), expansion (RRULE, RDATE, EXDATE, moved and cancelled instances,
//! RANGE=THISANDFUTURE), event length (DTEND, DURATION, or RFC 5545's defaults) and the
//! stable `source_key`; `series` does the expansion. The layers below are `content`
//! (lines and components), `value` (dates, durations, offsets), `rule` (RRULE expansion)
//! and `zone` (TZID resolution).
//!
//! Times: a TZID is resolved as `zone` documents. Floating times (no TZID, no `Z`) are
//! read in the calendar's `X-WR-TIMEZONE` when it names a known zone, otherwise as UTC.
//! An unknown TZID is read the same way and reported once per file. All-day events start
//! at midnight UTC of their date, so the date survives whatever zone the reader is in.

mod content;
mod rule;
mod series;
mod value;
mod zone;

use std::collections::HashSet;

use chrono::{DateTime, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use kindred_core::{Address, Attendee, AttendeeRole, Event, EventStatus, ResponseStatus};

use crate::SourceError;
use content::{Component, Property};
use rule::Rule;
use series::group;
use value::{parse_duration, parse_written, split_list, unescape_text, Written};
use zone::{Zone, Zones};

/// Occurrences kept per series inside the window; rules that would produce more (a
/// SECONDLY rule, say) are cut there and reported.
const MAX_OCCURRENCES: usize = 10_000;

/// The span of time whose occurrences are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpansionWindow {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl ExpansionWindow {
    /// Default import window: two years before `now` to one year after.
    #[must_use]
    pub fn around(now: DateTime<Utc>) -> Self {
        Self {
            start: now
                .checked_sub_months(Months::new(24))
                .unwrap_or(now - TimeDelta::days(730)),
            end: now
                .checked_add_months(Months::new(12))
                .unwrap_or(now + TimeDelta::days(365)),
        }
    }

    /// Whether an occurrence overlaps the window. An occurrence of no length counts when it
    /// starts inside; the end of the window is exclusive.
    pub fn overlaps(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> bool {
        if starts_at >= ends_at {
            self.start <= starts_at && starts_at < self.end
        } else {
            starts_at < self.end && self.start < ends_at
        }
    }
}

/// What one `.ics` text yielded.
#[derive(Debug, Default)]
pub struct IcsOutcome {
    /// Single events, and occurrences of recurring ones overlapping the window, by start.
    pub events: Vec<Event>,
    pub errors: Vec<SourceError>,
    /// The first calendar's METHOD (`REQUEST`, `CANCEL`, `REPLY` … in an invitation).
    pub method: Option<String>,
}

/// Parses one .ics text (a VCALENDAR, or several, or bare VEVENTs) and expands recurring
/// events to their occurrences overlapping the window. Never panics: whatever cannot be
/// read becomes a SourceError with `path` and a location (e.g. "line 40" or "VEVENT 3
/// (UID x)").
///
/// Each occurrence's `source_key` is `ics:{uid}@{original start, RFC 3339 UTC}`: a moved
/// instance (RECURRENCE-ID) keeps the key of the occurrence it replaces. A VEVENT without
/// UID gets a stable one from a hash of its content. Errors never stop the rest of the
/// file from importing; a VEVENT without a readable DTSTART is skipped, a bad RRULE
/// leaves only the first occurrence.
#[must_use]
pub fn parse_ics(text: &str, path: &str, window: &ExpansionWindow) -> IcsOutcome {
    let document = content::parse_document(text);
    let mut report = Report {
        path,
        errors: Vec::new(),
    };
    for problem in &document.problems {
        report.at_line(problem.line, problem.reason.clone());
    }
    let mut found = Found::default();
    for component in &document.components {
        found.collect(component, None);
    }
    let (zones, zone_problems) = Zones::read(found.timezones.iter().copied());
    for (line, reason) in zone_problems {
        report.at_line(line, reason);
    }
    let mut reader = Reader {
        zones,
        unknown_zones: HashSet::new(),
        report,
    };
    let first_defined = found
        .timezones
        .iter()
        .find_map(|c| c.property("TZID"))
        .and_then(|tzid| reader.zones.resolve(&tzid.value));
    let mut drafts = Vec::new();
    for (index, (component, calendar_zone)) in found.events.iter().enumerate() {
        let named = calendar_zone
            .as_deref()
            .and_then(|name| reader.zones.resolve(name));
        let calendar = Calendar {
            dates: named
                .clone()
                .or_else(|| first_defined.clone())
                .unwrap_or(Zone::Utc),
            floating: named.unwrap_or(Zone::Utc),
        };
        if let Some(draft) = reader.draft(component, index + 1, &calendar) {
            drafts.push(draft);
        }
    }
    let mut events = Vec::new();
    for series in group(drafts) {
        series.expand(window, &mut events, &mut reader.report);
    }
    events.sort_by(|a, b| (a.starts_at, &a.source_key).cmp(&(b.starts_at, &b.source_key)));
    let method = document
        .components
        .iter()
        .find_map(|c| c.property("METHOD"))
        .map(|p| p.value.trim().to_owned());
    IcsOutcome {
        events,
        errors: reader.report.errors,
        method,
    }
}

/// Errors of one file.
struct Report<'a> {
    path: &'a str,
    errors: Vec<SourceError>,
}

impl Report<'_> {
    fn at(&mut self, location: String, reason: String) {
        self.errors.push(SourceError {
            path: self.path.to_owned(),
            location,
            reason,
        });
    }

    fn at_line(&mut self, line: usize, reason: String) {
        self.at(format!("line {line}"), reason);
    }
}

/// The VEVENTs (each with its calendar's X-WR-TIMEZONE) and VTIMEZONEs of a document.
#[derive(Default)]
struct Found<'a> {
    events: Vec<(&'a Component, Option<String>)>,
    timezones: Vec<&'a Component>,
}

impl<'a> Found<'a> {
    fn collect(&mut self, component: &'a Component, calendar_zone: Option<&str>) {
        match component.name.as_str() {
            "VEVENT" => self
                .events
                .push((component, calendar_zone.map(str::to_owned))),
            "VTIMEZONE" => self.timezones.push(component),
            "VCALENDAR" => {
                let own = component
                    .property("X-WR-TIMEZONE")
                    .map(|p| p.value.trim().to_owned())
                    .filter(|v| !v.is_empty());
                let zone = own.as_deref().or(calendar_zone);
                for child in &component.children {
                    self.collect(child, zone);
                }
            }
            // Events may sit inside other (even unknown, X-) components.
            _ => {
                for child in &component.children {
                    self.collect(child, calendar_zone);
                }
            }
        }
    }
}

/// The zones a VEVENT's calendar implies.
struct Calendar {
    /// For floating times: the calendar's X-WR-TIMEZONE, else UTC.
    floating: Zone,
    /// Where the calendar's days begin, for matching UTC values (an Outlook UNTIL or
    /// EXDATE) against all-day occurrences: X-WR-TIMEZONE, else the file's first
    /// VTIMEZONE, else UTC.
    dates: Zone,
}

/// A point in time as a VEVENT wrote it: the wall-clock time and the zone it is in.
#[derive(Debug, Clone)]
struct Moment {
    local: NaiveDateTime,
    /// For a DATE, the calendar's zone for days (see [`Calendar::dates`]).
    zone: Zone,
    date_only: bool,
    /// The zone as written (TZID, "Z", or none), to tell whether two moments share one.
    written_zone: Option<String>,
}

impl Moment {
    fn utc(&self) -> DateTime<Utc> {
        if self.date_only {
            self.local.and_utc()
        } else {
            self.zone.to_utc(self.local)
        }
    }

    fn date(&self) -> NaiveDate {
        self.local.date()
    }
}

/// How long each occurrence lasts.
#[derive(Debug, Clone, Copy)]
enum Length {
    /// Added to the wall-clock start (DTEND in the start's zone, DURATION, all-day).
    Nominal(TimeDelta),
    /// Added to the instant (DTEND in another zone than DTSTART).
    Exact(TimeDelta),
}

impl Length {
    fn end(self, start: &Moment, local_start: NaiveDateTime) -> DateTime<Utc> {
        match self {
            Self::Nominal(delta) => {
                let local_end = local_start.checked_add_signed(delta).unwrap_or(local_start);
                if start.date_only {
                    local_end.and_utc()
                } else {
                    start.zone.to_utc(local_end)
                }
            }
            Self::Exact(delta) => {
                let begin = if start.date_only {
                    local_start.and_utc()
                } else {
                    start.zone.to_utc(local_start)
                };
                begin.checked_add_signed(delta).unwrap_or(begin)
            }
        }
    }

    fn span(self) -> TimeDelta {
        match self {
            Self::Nominal(delta) | Self::Exact(delta) => delta,
        }
    }
}

/// What an occurrence shows, shared by all occurrences of one VEVENT.
#[derive(Debug, Clone)]
struct Details {
    summary: String,
    description: String,
    location: String,
    status: EventStatus,
    attendees: Vec<Attendee>,
}

/// One VEVENT after reading, before expansion.
#[derive(Debug)]
struct Draft {
    /// For error locations: "VEVENT 3 (UID x)".
    label: String,
    uid: String,
    sequence: i64,
    start: Moment,
    length: Length,
    rules: Vec<Rule>,
    /// RDATEs, with their own length when given as a PERIOD.
    rdates: Vec<(Moment, Option<Length>)>,
    exdates: Vec<Moment>,
    recurrence_id: Option<Moment>,
    this_and_future: bool,
    details: Details,
}

impl Draft {
    fn is_recurring(&self) -> bool {
        !self.rules.is_empty() || !self.rdates.is_empty()
    }
}

/// Reads VEVENTs against the file's zones.
struct Reader<'a> {
    zones: Zones,
    unknown_zones: HashSet<String>,
    report: Report<'a>,
}

impl Reader<'_> {
    /// Reads one VEVENT, or reports why it cannot be imported.
    fn draft(&mut self, event: &Component, index: usize, calendar: &Calendar) -> Option<Draft> {
        let written_uid = event
            .property("UID")
            .map(|p| unescape_text(p.value.trim()))
            .filter(|uid| !uid.is_empty());
        let label = match &written_uid {
            Some(uid) => format!("VEVENT {index} (UID {uid})"),
            None => format!("VEVENT {index} (line {})", event.line),
        };
        let uid = written_uid.unwrap_or_else(|| synthetic_uid(event));
        let Some(start_property) = event.property("DTSTART") else {
            self.report.at(
                label,
                "no DTSTART, so the event has no time; it is skipped".to_owned(),
            );
            return None;
        };
        let mut start = match self.moment(start_property, calendar) {
            Ok(start) => start,
            Err(reason) => {
                self.report
                    .at(label, format!("{reason}; the event is skipped"));
                return None;
            }
        };
        let recurrence_id = match event.property("RECURRENCE-ID") {
            Some(property) => match self.moment(property, calendar) {
                Ok(moment) => Some(moment),
                Err(reason) => {
                    self.report
                        .at(label, format!("{reason}; the event is skipped"));
                    return None;
                }
            },
            None => None,
        };
        let this_and_future = event
            .property("RECURRENCE-ID")
            .and_then(|p| p.parameter("RANGE"))
            .is_some_and(|range| range.eq_ignore_ascii_case("THISANDFUTURE"));
        let length = self.length(event, &mut start, calendar, &label);
        let mut rules = Vec::new();
        // An empty RRULE (some generators write `RRULE:`) says nothing.
        for property in event
            .properties_named("RRULE")
            .filter(|p| !p.value.trim().is_empty())
        {
            match Rule::parse(&property.value) {
                Ok(rule) => rules.push(rule),
                Err(reason) => self.report.at(
                    label.clone(),
                    format!(
                        "RRULE '{}' ignored: {reason}; only the listed occurrences are imported",
                        property.value.trim()
                    ),
                ),
            }
        }
        let mut rdates = Vec::new();
        for property in event.properties_named("RDATE") {
            for item in split_list(&property.value) {
                match self.rdate(property, item, calendar) {
                    Ok(rdate) => rdates.push(rdate),
                    Err(reason) => self
                        .report
                        .at(label.clone(), format!("RDATE {reason}; ignored")),
                }
            }
        }
        let mut exdates = Vec::new();
        for property in event.properties_named("EXDATE") {
            for item in split_list(&property.value) {
                match self.moment_of(property, item, calendar) {
                    Ok(moment) => exdates.push(moment),
                    Err(reason) => self
                        .report
                        .at(label.clone(), format!("EXDATE {reason}; ignored")),
                }
            }
        }
        Some(Draft {
            label,
            uid,
            sequence: event
                .property("SEQUENCE")
                .and_then(|p| p.value.trim().parse().ok())
                .unwrap_or(0),
            start,
            length,
            rules,
            rdates,
            exdates,
            recurrence_id,
            this_and_future,
            details: details(event),
        })
    }

    /// DTEND, else DURATION, else a day for all-day events and nothing for timed ones
    /// (RFC 5545 §3.6.1). A DTEND before DTSTART swaps the two.
    fn length(
        &mut self,
        event: &Component,
        start: &mut Moment,
        calendar: &Calendar,
        label: &str,
    ) -> Length {
        let default = if start.date_only {
            Length::Nominal(TimeDelta::days(1))
        } else {
            Length::Nominal(TimeDelta::zero())
        };
        if let Some(property) = event.property("DTEND") {
            return match self.moment(property, calendar) {
                Ok(end) => {
                    let same_zone =
                        end.written_zone == start.written_zone || start.date_only || end.date_only;
                    let length = if same_zone {
                        Length::Nominal(end.local - start.local)
                    } else {
                        Length::Exact(end.utc() - start.utc())
                    };
                    if length.span() < TimeDelta::zero() {
                        // Most likely the two were written the wrong way round.
                        self.report.at(
                            label.to_owned(),
                            "DTEND is before DTSTART; the two are read swapped".to_owned(),
                        );
                        *start = end;
                        return match length {
                            Length::Nominal(delta) => Length::Nominal(-delta),
                            Length::Exact(delta) => Length::Exact(-delta),
                        };
                    }
                    length
                }
                Err(reason) => {
                    self.report.at(
                        label.to_owned(),
                        format!("{reason}; the default length is used"),
                    );
                    default
                }
            };
        }
        if let Some(property) = event.property("DURATION") {
            return match parse_duration(&property.value) {
                Ok(delta) if delta >= TimeDelta::zero() => Length::Nominal(delta),
                Ok(_) => {
                    self.report.at(
                        label.to_owned(),
                        "DURATION is negative; the event is imported as ending when it starts"
                            .to_owned(),
                    );
                    Length::Nominal(TimeDelta::zero())
                }
                Err(reason) => {
                    self.report.at(
                        label.to_owned(),
                        format!("DURATION: {reason}; the default length is used"),
                    );
                    default
                }
            };
        }
        default
    }

    /// A single-valued DATE or DATE-TIME property.
    fn moment(&mut self, property: &Property, calendar: &Calendar) -> Result<Moment, String> {
        self.moment_of(property, property.value.trim(), calendar)
            .map_err(|reason| format!("{} {reason}", property.name))
    }

    /// One value of `property` (which may hold a list), read with its TZID.
    fn moment_of(
        &mut self,
        property: &Property,
        item: &str,
        calendar: &Calendar,
    ) -> Result<Moment, String> {
        let written =
            parse_written(item).ok_or_else(|| format!("'{item}' is not a date or date-time"))?;
        Ok(match written {
            Written::Date(date) => Moment {
                local: date.and_time(NaiveTime::MIN),
                zone: calendar.dates.clone(),
                date_only: true,
                written_zone: None,
            },
            Written::Utc(local) => Moment {
                local,
                zone: Zone::Utc,
                date_only: false,
                written_zone: Some("Z".to_owned()),
            },
            Written::Local(local) => {
                let tzid = property
                    .parameter("TZID")
                    .map(|t| t.trim().trim_matches('"').to_owned());
                let zone = match &tzid {
                    Some(tzid) => self.zone(tzid, property.line, calendar),
                    None => calendar.floating.clone(),
                };
                Moment {
                    local,
                    zone,
                    date_only: false,
                    written_zone: tzid,
                }
            }
        })
    }

    fn zone(&mut self, tzid: &str, line: usize, calendar: &Calendar) -> Zone {
        if let Some(zone) = self.zones.resolve(tzid) {
            return zone;
        }
        if self.unknown_zones.insert(tzid.to_owned()) {
            self.report.at_line(
                line,
                format!(
                    "unknown time zone '{tzid}' (not an IANA or Windows name, no VTIMEZONE \
                     defines it): its times are read as floating times"
                ),
            );
        }
        calendar.floating.clone()
    }

    /// One RDATE value: a date, a date-time, or a PERIOD (`start/end` or `start/duration`).
    fn rdate(
        &mut self,
        property: &Property,
        item: &str,
        calendar: &Calendar,
    ) -> Result<(Moment, Option<Length>), String> {
        let Some((begin, finish)) = item.split_once('/') else {
            return self.moment_of(property, item, calendar).map(|m| (m, None));
        };
        let begin = self.moment_of(property, begin, calendar)?;
        let length = match parse_written(finish) {
            Some(_) => {
                let end = self.moment_of(property, finish, calendar)?;
                Length::Exact(end.utc() - begin.utc())
            }
            None => Length::Nominal(
                parse_duration(finish).map_err(|reason| format!("period '{item}': {reason}"))?,
            ),
        };
        if length.span() < TimeDelta::zero() {
            return Err(format!("period '{item}' ends before it starts"));
        }
        Ok((begin, Some(length)))
    }
}

fn details(event: &Component) -> Details {
    let text = |name: &str| {
        event
            .property(name)
            .map(|p| unescape_text(&p.value))
            .unwrap_or_default()
    };
    let status = match event
        .property("STATUS")
        .map(|p| p.value.trim().to_ascii_uppercase())
        .as_deref()
    {
        Some("CANCELLED" | "CANCELED") => EventStatus::Cancelled,
        Some("TENTATIVE") => EventStatus::Tentative,
        _ => EventStatus::Confirmed,
    };
    let mut attendees: Vec<Attendee> = Vec::new();
    let people = event
        .properties_named("ORGANIZER")
        .map(|p| (AttendeeRole::Organizer, p))
        .chain(
            event
                .properties_named("ATTENDEE")
                .map(|p| (AttendeeRole::Attendee, p)),
        );
    for (role, property) in people {
        let Some(address) = address_of(property) else {
            continue;
        };
        // The organizer's own answer is rarely written; organising implies attending.
        let response = property.parameter("PARTSTAT").map_or(
            match role {
                AttendeeRole::Organizer => ResponseStatus::Accepted,
                AttendeeRole::Attendee => ResponseStatus::NeedsAction,
            },
            ResponseStatus::parse,
        );
        let name = property
            .parameter("CN")
            .map(|cn| cn.trim().to_owned())
            .filter(|cn| !cn.is_empty());
        let attendee = Attendee {
            role,
            address,
            name,
            response,
        };
        if !attendees
            .iter()
            .any(|a| a.role == attendee.role && a.address == attendee.address)
        {
            attendees.push(attendee);
        }
    }
    Details {
        summary: text("SUMMARY"),
        description: text("DESCRIPTION"),
        location: text("LOCATION"),
        status,
        attendees,
    }
}

/// The address of an ORGANIZER or ATTENDEE: its `mailto:` value, else its EMAIL
/// parameter (RFC 7986). Values that are no email address are dropped.
fn address_of(property: &Property) -> Option<Address> {
    let value = unescape_text(property.value.trim());
    let value = match value.get(..7) {
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto:") => &value[7..],
        _ => value.as_str(),
    };
    Address::parse(value).ok().or_else(|| {
        property
            .parameter("EMAIL")
            .and_then(|e| Address::parse(e).ok())
    })
}

/// A UID for a VEVENT that has none: a hash of its properties, leaving out DTSTAMP, which
/// exporters set to the time of export.
fn synthetic_uid(event: &Component) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    for property in event.properties.iter().filter(|p| p.name != "DTSTAMP") {
        hasher.update(property.name.as_bytes());
        for parameter in &property.parameters {
            hasher.update(b";");
            hasher.update(parameter.name.as_bytes());
            hasher.update(b"=");
            hasher.update(parameter.values.join(",").as_bytes());
        }
        hasher.update(b":");
        hasher.update(property.value.as_bytes());
        hasher.update(b"\n");
    }
    format!("kindred-{}", hasher.digest())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn window() -> ExpansionWindow {
        ExpansionWindow {
            start: Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap(),
        }
    }

    fn parse(body: &str) -> IcsOutcome {
        let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n");
        parse_ics(
            &text.replace('\n', "\r\n").replace("\r\r", "\r"),
            "test.ics",
            &window(),
        )
    }

    fn starts(outcome: &IcsOutcome) -> Vec<String> {
        outcome
            .events
            .iter()
            .map(|e| e.starts_at.to_rfc3339())
            .collect()
    }

    #[test]
    fn weekly_rule_with_exdate_keeps_wall_clock_time_across_dst() {
        let outcome = parse(
            "BEGIN:VEVENT\nUID:weekly\nSUMMARY:Standup\n\
             DTSTART;TZID=Europe/Berlin:20240318T090000\n\
             DTEND;TZID=Europe/Berlin:20240318T093000\n\
             RRULE:FREQ=WEEKLY;COUNT=4\n\
             EXDATE;TZID=Europe/Berlin:20240325T090000\nEND:VEVENT\n",
        );
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        // 09:00 CET is 08:00 UTC; after the change on 31 March, 09:00 CEST is 07:00 UTC.
        assert_eq!(
            starts(&outcome),
            [
                "2024-03-18T08:00:00+00:00",
                "2024-04-01T07:00:00+00:00",
                "2024-04-08T07:00:00+00:00"
            ]
        );
        let first = &outcome.events[0];
        assert_eq!(first.duration_minutes(), 30);
        assert_eq!(first.recurrence_id, Some(first.starts_at));
        assert_eq!(first.source_key, "ics:weekly@2024-03-18T08:00:00+00:00");
    }

    #[test]
    fn recurrence_id_moves_one_instance_and_keeps_its_key() {
        let outcome = parse(
            "BEGIN:VEVENT\nUID:series\nSUMMARY:Review\nDTSTART:20240102T100000Z\n\
             DURATION:PT1H\nRRULE:FREQ=DAILY;COUNT=3\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:series\nRECURRENCE-ID:20240103T100000Z\nSUMMARY:Review (moved)\n\
             DTSTART:20240103T150000Z\nDTEND:20240103T153000Z\nSEQUENCE:1\nEND:VEVENT\n",
        );
        assert_eq!(
            starts(&outcome),
            [
                "2024-01-02T10:00:00+00:00",
                "2024-01-03T15:00:00+00:00",
                "2024-01-04T10:00:00+00:00"
            ]
        );
        let moved = &outcome.events[1];
        assert_eq!(moved.summary, "Review (moved)");
        assert_eq!(moved.duration_minutes(), 30);
        assert_eq!(moved.source_key, "ics:series@2024-01-03T10:00:00+00:00");
        assert_eq!(
            moved.recurrence_id,
            Some(Utc.with_ymd_and_hms(2024, 1, 3, 10, 0, 0).unwrap())
        );
    }

    #[test]
    fn cancelled_instance_stays_with_its_status() {
        let outcome = parse(
            "BEGIN:VEVENT\nUID:c\nDTSTART:20240102T100000Z\nRRULE:FREQ=DAILY;COUNT=2\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:c\nRECURRENCE-ID:20240103T100000Z\nDTSTART:20240103T100000Z\n\
             STATUS:CANCELLED\nEND:VEVENT\n",
        );
        let statuses: Vec<EventStatus> = outcome.events.iter().map(|e| e.status).collect();
        assert_eq!(statuses, [EventStatus::Confirmed, EventStatus::Cancelled]);
    }

    #[test]
    fn all_day_event_lasts_its_days_from_midnight_utc() {
        let outcome = parse(
            "BEGIN:VEVENT\nUID:holiday\nSUMMARY:Holiday\nDTSTART;VALUE=DATE:20240704\n\
             END:VEVENT\nBEGIN:VEVENT\nUID:trip\nDTSTART;VALUE=DATE:20240801\n\
             DTEND;VALUE=DATE:20240804\nEND:VEVENT\n",
        );
        let holiday = &outcome.events[0];
        assert!(holiday.all_day);
        assert_eq!(holiday.starts_at.to_rfc3339(), "2024-07-04T00:00:00+00:00");
        assert_eq!(holiday.ends_at.to_rfc3339(), "2024-07-05T00:00:00+00:00");
        assert_eq!(holiday.recurrence_id, None);
        assert_eq!(outcome.events[1].duration_minutes(), 3 * 24 * 60);
    }

    #[test]
    fn all_day_exdate_and_outlook_until_name_local_days() {
        // Outlook writes UNTIL as the last day's local midnight in UTC (here 22:00Z the day
        // before, Berlin summer time): that day is still an occurrence.
        let outcome = parse(
            "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\nBEGIN:STANDARD\n\
             DTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n\
             RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\n\
             DTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n\
             RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n\
             BEGIN:VEVENT\nUID:away\nDTSTART;VALUE=DATE:20210601\nDTEND;VALUE=DATE:20210602\n\
             RRULE:FREQ=DAILY;UNTIL=20210603T220000Z\nEXDATE;VALUE=DATE:20210602\nEND:VEVENT\n",
        );
        assert_eq!(
            starts(&outcome),
            [
                "2021-06-01T00:00:00+00:00",
                "2021-06-03T00:00:00+00:00",
                "2021-06-04T00:00:00+00:00"
            ]
        );
    }

    #[test]
    fn attendees_carry_partstat_and_names() {
        let outcome = parse(
            "BEGIN:VEVENT\nUID:meet\nDTSTART:20240102T100000Z\n\
             ORGANIZER;CN=Ada Lovelace:mailto:Ada@Example.org\n\
             ATTENDEE;CN=\"Grace, H.\";PARTSTAT=ACCEPTED:mailto:grace@example.org\n\
             ATTENDEE;PARTSTAT=DECLINED:MAILTO:alan@example.org\n\
             ATTENDEE;PARTSTAT=TENTATIVE:mailto:not-an-address\n\
             ATTENDEE:mailto:bob@example.org\nEND:VEVENT\n",
        );
        let attendees = &outcome.events[0].attendees;
        let seen: Vec<(AttendeeRole, &str, Option<&str>, ResponseStatus)> = attendees
            .iter()
            .map(|a| (a.role, a.address.as_str(), a.name.as_deref(), a.response))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    AttendeeRole::Organizer,
                    "ada@example.org",
                    Some("Ada Lovelace"),
                    ResponseStatus::Accepted
                ),
                (
                    AttendeeRole::Attendee,
                    "grace@example.org",
                    Some("Grace, H."),
                    ResponseStatus::Accepted
                ),
                (
                    AttendeeRole::Attendee,
                    "alan@example.org",
                    None,
                    ResponseStatus::Declined
                ),
                (
                    AttendeeRole::Attendee,
                    "bob@example.org",
                    None,
                    ResponseStatus::NeedsAction
                ),
            ]
        );
    }

    #[test]
    fn broken_file_yields_errors_and_the_readable_rest() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:bad\nDTSTART:INVALID-DATE\nEND:VEVENT\n\
                    BEGIN:VEVENT\nSUMMARY:no start\nEND:VEVENT\n\
                    BEGIN:VEVENT\nUID:rule\nDTSTART:20240102T100000Z\nRRULE:FREQ=SOMETIMES\n\
                    END:VEVENT\nthis is not a content line\n\u{0}\u{feff}BEGIN:\nEND:VTODO\n\
                    BEGIN:VEVENT\nUID:ok\nDTSTART:20240105T100000Z\nDURATION:P999999999999W\n";
        let outcome = parse_ics(text, "broken.ics", &window());
        let uids: Vec<&str> = outcome.events.iter().map(|e| e.uid.as_str()).collect();
        assert_eq!(uids, ["rule", "ok"]);
        let locations: Vec<&str> = outcome.errors.iter().map(|e| e.location.as_str()).collect();
        assert!(locations.contains(&"VEVENT 1 (UID bad)"), "{locations:?}");
        assert!(locations.contains(&"VEVENT 2 (line 6)"), "{locations:?}");
        assert!(locations.contains(&"VEVENT 3 (UID rule)"), "{locations:?}");
        assert!(locations.contains(&"line 14"), "{locations:?}");
        assert!(outcome.errors.iter().all(|e| e.path == "broken.ics"));
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                let _ = parse_ics(&text[..cut], "cut.ics", &window());
            }
        }
    }

    #[test]
    fn runaway_rules_are_capped_and_reported() {
        let outcome = parse(
            "BEGIN:VEVENT\nUID:tick\nDTSTART:20240101T000000Z\nRRULE:FREQ=MINUTELY\nEND:VEVENT\n",
        );
        assert_eq!(outcome.events.len(), MAX_OCCURRENCES);
        assert_eq!(outcome.errors.len(), 1, "{:?}", outcome.errors);
    }

    #[test]
    fn windows_zone_names_and_x_wr_timezone_are_understood() {
        let outcome = parse(
            "X-WR-TIMEZONE:America/New_York\nBEGIN:VEVENT\nUID:a\n\
             DTSTART;TZID=Pacific Standard Time:20240115T090000\nEND:VEVENT\n\
             BEGIN:VEVENT\nUID:b\nDTSTART:20240115T090000\nEND:VEVENT\n",
        );
        assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
        assert_eq!(
            starts(&outcome),
            ["2024-01-15T14:00:00+00:00", "2024-01-15T17:00:00+00:00"]
        );
    }

    #[test]
    fn events_without_uid_get_a_stable_one() {
        let body = "BEGIN:VEVENT\nDTSTAMP:20240101T000000Z\nDTSTART:20240102T100000Z\nEND:VEVENT\n";
        let first = parse(body);
        let again = parse(&body.replace("20240101T000000Z", "20250101T000000Z"));
        assert!(first.events[0].uid.starts_with("kindred-"));
        assert_eq!(first.events[0].source_key, again.events[0].source_key);
    }

    #[test]
    fn the_widest_window_does_not_overflow() {
        let widest = ExpansionWindow {
            start: DateTime::<Utc>::MIN_UTC,
            end: DateTime::<Utc>::MAX_UTC,
        };
        let text = "BEGIN:VEVENT\nUID:w\nDTSTART;TZID=Asia/Tokyo:99991231T230000\n\
                    DURATION:PT2H\nRRULE:FREQ=DAILY\nEND:VEVENT\n";
        let outcome = parse_ics(text, "wide.ics", &widest);
        assert!(!outcome.events.is_empty());
    }

    #[test]
    fn default_window_spans_two_years_back_and_one_ahead() {
        let now = Utc.with_ymd_and_hms(2024, 6, 15, 12, 0, 0).unwrap();
        let window = ExpansionWindow::around(now);
        assert_eq!(
            window.start,
            Utc.with_ymd_and_hms(2022, 6, 15, 12, 0, 0).unwrap()
        );
        assert_eq!(
            window.end,
            Utc.with_ymd_and_hms(2025, 6, 15, 12, 0, 0).unwrap()
        );
    }
}
