//! The calendar of the sample mailbox as iCalendar text: one-off meetings, a few weekly
//! series (RRULE with EXDATEs, in a TZID with its VTIMEZONE), and the same VEVENT
//! inside invitations sent by mail.

use std::fmt::{self, Write};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Europe;

use super::world::{World, CLIENT_IT, CLIENT_LEAD, LEAVER, MANAGER, ME};

/// An attendee's answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum PartStat {
    Accepted,
    Tentative,
    Declined,
    NeedsAction,
}

impl PartStat {
    fn as_str(self) -> &'static str {
        match self {
            PartStat::Accepted => "ACCEPTED",
            PartStat::Tentative => "TENTATIVE",
            PartStat::Declined => "DECLINED",
            PartStat::NeedsAction => "NEEDS-ACTION",
        }
    }
}

/// One meeting.
#[derive(Clone, Debug)]
pub(super) struct Meeting {
    pub uid: String,
    pub summary: String,
    pub start: DateTime<Utc>,
    pub minutes: i64,
    pub organizer: u32,
    pub attendees: Vec<(u32, PartStat)>,
    pub location: &'static str,
    /// When it was booked (DTSTAMP, and when any invitation went out).
    pub stamp: DateTime<Utc>,
    pub cancelled: bool,
}

/// A weekly meeting: who, which weekday, when (minute of the day in Berlin), how long,
/// every how many weeks, and until when.
struct Series {
    summary: &'static str,
    organizer: u32,
    people: Vec<u32>,
    weekday: Weekday,
    minute: u32,
    minutes: i64,
    interval: u32,
    until: DateTime<Utc>,
}

/// Writes iCalendar content lines, folded at 75 octets, with the given line ending.
pub(super) struct Ics<'a> {
    pub out: &'a mut String,
    pub newline: &'static str,
}

const UTC_FORMAT: &str = "%Y%m%dT%H%M%SZ";
const LOCAL_FORMAT: &str = "%Y%m%dT%H%M%S";

/// The zone the weekly series are written in, and its VTIMEZONE.
const TZID: &str = "Europe/Berlin";
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Berlin",
    "X-LIC-LOCATION:Europe/Berlin",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// Whether I am away on `date`: Christmas to New Year and two weeks in August.
pub(super) fn is_holiday(date: NaiveDate) -> bool {
    let (month, day) = (date.month(), date.day());
    (month == 12 && day >= 23)
        || (month == 1 && day <= 2)
        || (month == 8 && (5..=18).contains(&day))
}

impl Ics<'_> {
    /// One content line, folded so no line exceeds 75 octets.
    fn line(&mut self, content: &str) {
        let mut rest = content;
        let mut limit = 75;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            self.out.push_str(&rest[..cut]);
            self.out.push_str(self.newline);
            self.out.push(' ');
            rest = &rest[cut..];
            limit = 74;
        }
        self.out.push_str(rest);
        self.out.push_str(self.newline);
    }

    fn text(&mut self, name: &str, value: &str) {
        let mut line = String::with_capacity(name.len() + value.len() + 8);
        line.push_str(name);
        line.push(':');
        for c in value.chars() {
            match c {
                '\\' | ';' | ',' => {
                    line.push('\\');
                    line.push(c);
                }
                '\n' => line.push_str("\\n"),
                _ => line.push(c),
            }
        }
        self.line(&line);
    }

    fn person(
        &mut self,
        world: &World,
        property: &str,
        who: u32,
        status: Option<PartStat>,
    ) -> fmt::Result {
        let mut line = String::new();
        line.push_str(property);
        if let Some(status) = status {
            write!(
                line,
                ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={};RSVP=TRUE",
                status.as_str()
            )?;
        }
        write!(
            line,
            ";CN=\"{}\":mailto:{}",
            world.full_name(who),
            world.address(who, 0)
        )?;
        self.line(&line);
        Ok(())
    }

    /// The calendar's opening lines and the VTIMEZONE of the weekly series.
    pub fn head(&mut self, method: &str) {
        self.line("BEGIN:VCALENDAR");
        self.line("PRODID:-//Kindred//Sample calendar 1.0//EN");
        self.line("VERSION:2.0");
        self.line("CALSCALE:GREGORIAN");
        self.line(&format!("METHOD:{method}"));
        self.line(&format!("X-WR-CALNAME:{}", super::SAMPLE_ME));
        self.line(&format!("X-WR-TIMEZONE:{TZID}"));
        for line in VTIMEZONE {
            self.line(line);
        }
    }

    pub fn tail(&mut self) {
        self.line("END:VCALENDAR");
    }

    /// One meeting as a VEVENT.
    pub fn event(&mut self, world: &World, meeting: &Meeting) -> fmt::Result {
        let end = meeting.start + Duration::minutes(meeting.minutes);
        self.line("BEGIN:VEVENT");
        self.line(&format!("DTSTART:{}", meeting.start.format(UTC_FORMAT)));
        self.line(&format!("DTEND:{}", end.format(UTC_FORMAT)));
        self.line(&format!("DTSTAMP:{}", meeting.stamp.format(UTC_FORMAT)));
        self.person(world, "ORGANIZER", meeting.organizer, None)?;
        self.line(&format!("UID:{}", meeting.uid));
        for &(who, status) in &meeting.attendees {
            self.person(world, "ATTENDEE", who, Some(status))?;
        }
        self.line(&format!("CREATED:{}", meeting.stamp.format(UTC_FORMAT)));
        let link = if meeting.location.starts_with("http") {
            meeting.location
        } else {
            ""
        };
        let description = format!(
            "{}\n\nOrganised by {}.\n{link}",
            meeting.summary,
            world.full_name(meeting.organizer)
        );
        self.text("DESCRIPTION", description.trim_end());
        self.text("LOCATION", meeting.location);
        self.line("SEQUENCE:0");
        self.line(if meeting.cancelled {
            "STATUS:CANCELLED"
        } else {
            "STATUS:CONFIRMED"
        });
        self.text("SUMMARY", &meeting.summary);
        self.line("TRANSP:OPAQUE");
        self.line("END:VEVENT");
        Ok(())
    }

    /// The weekly series of my working life; returns how many VEVENTs it wrote.
    pub fn series(
        &mut self,
        world: &World,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<usize, fmt::Error> {
        let team: Vec<u32> = world.members[super::world::Circle::Team.index()]
            .iter()
            .copied()
            .filter(|&m| m != LEAVER)
            .take(8)
            .collect();
        let halfway = start + Duration::days(world.span / 2 + 30);
        let series = [
            Series {
                summary: "Platform team standup",
                organizer: MANAGER,
                people: team,
                weekday: Weekday::Mon,
                minute: 9 * 60 + 30,
                minutes: 15,
                interval: 1,
                until: end,
            },
            Series {
                summary: "Maya / Priya 1:1",
                organizer: MANAGER,
                people: vec![MANAGER],
                weekday: Weekday::Thu,
                minute: 14 * 60,
                minutes: 30,
                interval: 1,
                until: end,
            },
            Series {
                summary: "Northwind weekly sync",
                organizer: CLIENT_LEAD,
                people: vec![CLIENT_LEAD, CLIENT_IT, 2],
                weekday: Weekday::Tue,
                minute: 17 * 60,
                minutes: 45,
                interval: 1,
                until: end,
            },
            Series {
                summary: "Coffee with Tomás",
                organizer: ME,
                people: vec![LEAVER],
                weekday: Weekday::Fri,
                minute: 10 * 60,
                minutes: 30,
                interval: 2,
                until: halfway,
            },
        ];
        for (
            i,
            Series {
                summary,
                organizer,
                people,
                weekday,
                minute,
                minutes,
                interval,
                until,
            },
        ) in series.into_iter().enumerate()
        {
            let mut first = start.with_timezone(&Europe::Berlin).date_naive() + Duration::days(1);
            while first.weekday() != weekday {
                first += Duration::days(1);
            }
            let at = |date: NaiveDate| -> NaiveDateTime {
                date.and_hms_opt(minute / 60, minute % 60, 0)
                    .unwrap_or_default()
            };
            let mut exdates: Vec<NaiveDate> = Vec::new();
            let mut date = first;
            let mut n = 0;
            while Europe::Berlin
                .from_local_datetime(&at(date))
                .earliest()
                .is_some_and(|t| t < until)
            {
                if is_holiday(date) {
                    exdates.push(date);
                }
                // Every series skips its third meeting, so each has an exception.
                if n == 2 && i % 2 == 0 {
                    exdates.push(date);
                }
                date += Duration::days(7 * i64::from(interval));
                n += 1;
            }
            if exdates.is_empty() {
                exdates.push(first + Duration::days(14 * i64::from(interval)));
            }
            let stamp = start.format(UTC_FORMAT);
            self.line("BEGIN:VEVENT");
            self.line(&format!(
                "DTSTART;TZID={TZID}:{}",
                at(first).format(LOCAL_FORMAT)
            ));
            self.line(&format!(
                "DTEND;TZID={TZID}:{}",
                (at(first) + Duration::minutes(minutes)).format(LOCAL_FORMAT)
            ));
            let day = match weekday {
                Weekday::Mon => "MO",
                Weekday::Tue => "TU",
                Weekday::Thu => "TH",
                _ => "FR",
            };
            self.line(&format!(
                "RRULE:FREQ=WEEKLY;INTERVAL={interval};BYDAY={day};UNTIL={}",
                until.format(UTC_FORMAT)
            ));
            let list: Vec<String> = exdates
                .iter()
                .map(|&d| at(d).format(LOCAL_FORMAT).to_string())
                .collect();
            self.line(&format!("EXDATE;TZID={TZID}:{}", list.join(",")));
            self.line(&format!("DTSTAMP:{stamp}"));
            self.person(world, "ORGANIZER", organizer, None)?;
            self.line(&format!(
                "UID:series-{i}-{}@larkspur.example",
                start.format("%Y%m%d")
            ));
            for who in std::iter::once(ME).chain(people.into_iter().filter(|&p| p != ME)) {
                self.person(world, "ATTENDEE", who, Some(PartStat::Accepted))?;
            }
            self.text("SUMMARY", summary);
            self.text("LOCATION", "https://meet.example/weekly");
            self.line("STATUS:CONFIRMED");
            self.line("END:VEVENT");
        }
        Ok(4)
    }
}

/// The time of a meeting as invitations write it: `Tue 12 Mar 2024 14:00 - 14:30 (CET)`.
pub(super) fn when(meeting: &Meeting) -> String {
    let start = meeting.start.with_timezone(&Europe::Berlin);
    let end = start + Duration::minutes(meeting.minutes);
    format!(
        "{} - {} ({})",
        start.format("%a %-d %b %Y %H:%M"),
        end.format("%H:%M"),
        start.format("%Z")
    )
}
