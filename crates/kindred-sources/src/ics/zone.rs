//! Time zones named by TZID parameters, and the conversion of local wall-clock times to
//! UTC.
//!
//! A TZID is resolved, first match wins: an IANA name known to chrono-tz; a Windows zone
//! name as Outlook and Exchange write them ("W. Europe Standard Time"), through the CLDR
//! table below; the file's own VTIMEZONE with that TZID; an IANA name at the end of a
//! path-like TZID ("/mozilla.org/20070129_1/America/New_York"); a fixed offset written
//! into the name ("UTC+11", "(UTC-03:00) Brasilia"). Windows names come before the file's
//! VTIMEZONE because Outlook writes only the current year's rule there, which misplaces
//! older dates; the IANA zone carries the history.
//!
//! Local times that fall into a DST gap are read with the offset before the gap, and
//! times that occur twice take the first, as RFC 5545 §3.3.5 says.

use std::collections::HashMap;
use std::rc::Rc;
use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::content::Component;
use super::rule::{Bounds, Rule};
use super::value::{parse_utc_offset, parse_written, split_list, Written};

/// Seconds east of UTC.
type OffsetSeconds = i32;

/// Where a local time is.
#[derive(Debug, Clone)]
pub(crate) enum Zone {
    Utc,
    Named(Tz),
    Fixed(OffsetSeconds),
    Defined(Rc<DefinedZone>),
}

impl Zone {
    fn offset_at(&self, utc: i64) -> OffsetSeconds {
        match self {
            Self::Utc => 0,
            Self::Fixed(offset) => *offset,
            Self::Named(tz) => DateTime::from_timestamp(utc, 0).map_or(0, |instant| {
                tz.offset_from_utc_datetime(&instant.naive_utc())
                    .fix()
                    .local_minus_utc()
            }),
            Self::Defined(zone) => zone.offset_at(utc),
        }
    }

    /// The instant a wall-clock time in this zone stands for.
    pub fn to_utc(&self, local: NaiveDateTime) -> DateTime<Utc> {
        let naive = local.and_utc();
        if matches!(self, Self::Utc) {
            return naive;
        }
        let guess = naive.timestamp();
        let before = self.offset_at(guess - 86_400);
        let mut candidates = [
            before,
            self.offset_at(guess),
            self.offset_at(guess + 86_400),
        ];
        candidates.sort_unstable();
        let earliest_valid = candidates
            .iter()
            .map(|&offset| guess - i64::from(offset))
            .filter(|&instant| i64::from(self.offset_at(instant)) == guess - instant)
            .min();
        // In a gap no offset fits: read the time with the offset in force before it.
        let instant = earliest_valid.unwrap_or(guess - i64::from(before));
        DateTime::from_timestamp(instant, 0).unwrap_or(naive)
    }

    /// The wall-clock time of an instant in this zone.
    pub fn to_local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        let offset = self.offset_at(instant.timestamp());
        let utc = instant.naive_utc();
        utc.checked_add_signed(TimeDelta::seconds(i64::from(offset)))
            .unwrap_or(utc)
    }
}

/// A zone defined by a VTIMEZONE: its transitions, expanded once.
#[derive(Debug)]
pub(crate) struct DefinedZone {
    /// (UTC instant, offset from then on), sorted.
    transitions: Vec<(i64, OffsetSeconds)>,
    /// The offset before the first transition.
    initial: OffsetSeconds,
}

impl DefinedZone {
    fn offset_at(&self, utc: i64) -> OffsetSeconds {
        let index = self.transitions.partition_point(|&(at, _)| at <= utc);
        match index.checked_sub(1) {
            Some(last) => self.transitions[last].1,
            None => self.initial,
        }
    }

    /// Reads a VTIMEZONE's STANDARD and DAYLIGHT observances.
    fn from_component(component: &Component) -> Result<Self, String> {
        // Transitions up to here cover any window an import asks for.
        let horizon = chrono::NaiveDate::from_ymd_opt(2200, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .ok_or("calendar limit")?;
        let mut transitions: Vec<(i64, OffsetSeconds, OffsetSeconds)> = Vec::new();
        for observance in component
            .children
            .iter()
            .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
        {
            let offset = |name: &str| {
                observance
                    .property(name)
                    .ok_or_else(|| format!("{} has no {name}", observance.name))
                    .and_then(|p| parse_utc_offset(&p.value))
            };
            let to = offset("TZOFFSETTO")?;
            let from = offset("TZOFFSETFROM").unwrap_or(to);
            let start = observance
                .property("DTSTART")
                .and_then(|p| parse_written(&p.value))
                .ok_or_else(|| format!("{} has no readable DTSTART", observance.name))?;
            let start = match start {
                Written::Date(date) => date.and_time(chrono::NaiveTime::MIN),
                Written::Local(local) => local,
                Written::Utc(utc) => utc + TimeDelta::seconds(i64::from(from)),
            };
            let mut onsets = vec![start];
            for rule in observance.properties_named("RRULE") {
                let rule = Rule::parse(&rule.value)
                    .map_err(|reason| format!("{} RRULE: {reason}", observance.name))?;
                let until =
                    rule.until
                        .as_deref()
                        .and_then(parse_written)
                        .map(|until| match until {
                            Written::Date(date) => date.and_time(chrono::NaiveTime::MIN),
                            Written::Local(local) => local,
                            Written::Utc(utc) => utc + TimeDelta::seconds(i64::from(from)),
                        });
                let bounds = Bounds {
                    from: start,
                    to: horizon,
                    limit: 2_000,
                };
                onsets.extend(rule.expand(start, until, false, bounds).starts);
            }
            for rdate in observance.properties_named("RDATE") {
                onsets.extend(
                    split_list(&rdate.value).filter_map(parse_written).map(
                        |written| match written {
                            Written::Date(date) => date.and_time(chrono::NaiveTime::MIN),
                            Written::Local(local) => local,
                            Written::Utc(utc) => utc + TimeDelta::seconds(i64::from(from)),
                        },
                    ),
                );
            }
            transitions.extend(onsets.into_iter().map(|onset| {
                let instant = onset.and_utc().timestamp() - i64::from(from);
                (instant, from, to)
            }));
        }
        transitions.sort_unstable();
        transitions.dedup_by_key(|t| t.0);
        let initial = transitions
            .first()
            .map(|&(_, from, _)| from)
            .ok_or("it has no STANDARD or DAYLIGHT observance")?;
        Ok(Self {
            transitions: transitions
                .into_iter()
                .map(|(at, _, to)| (at, to))
                .collect(),
            initial,
        })
    }
}

/// The VTIMEZONEs of one file, and TZID resolution against them.
#[derive(Debug, Default)]
pub(crate) struct Zones {
    defined: HashMap<String, Rc<DefinedZone>>,
}

impl Zones {
    /// Reads every VTIMEZONE; the first definition of a TZID wins. Returns the zones and,
    /// per unreadable VTIMEZONE, its line and the reason.
    pub fn read<'a>(
        components: impl IntoIterator<Item = &'a Component>,
    ) -> (Self, Vec<(usize, String)>) {
        let mut zones = Self::default();
        let mut problems = Vec::new();
        for component in components {
            let Some(tzid) = component.property("TZID").map(|p| clean_tzid(&p.value)) else {
                problems.push((component.line, "VTIMEZONE without a TZID".to_owned()));
                continue;
            };
            // Known names never consult the file's definition (see the module docs).
            if zones.defined.contains_key(&tzid)
                || named(&tzid).is_some()
                || windows_zone(&tzid).is_some()
            {
                continue;
            }
            match DefinedZone::from_component(component) {
                Ok(zone) => {
                    zones.defined.insert(tzid, Rc::new(zone));
                }
                Err(reason) => problems.push((
                    component.line,
                    format!("VTIMEZONE '{tzid}' is unusable: {reason}"),
                )),
            }
        }
        (zones, problems)
    }

    /// The zone a TZID parameter names, or `None` when nothing is known about it.
    pub fn resolve(&self, tzid: &str) -> Option<Zone> {
        let tzid = clean_tzid(tzid);
        if let Some(zone) = named(&tzid) {
            return Some(zone);
        }
        if let Some(zone) = windows_zone(&tzid) {
            return Some(Zone::Named(zone));
        }
        if let Some(zone) = self.defined.get(&tzid) {
            return Some(Zone::Defined(Rc::clone(zone)));
        }
        if let Some(zone) = tzid
            .match_indices('/')
            .find_map(|(i, _)| named(&tzid[i + 1..]))
        {
            return Some(zone);
        }
        fixed_offset(&tzid).map(Zone::Fixed)
    }
}

fn clean_tzid(raw: &str) -> String {
    raw.trim().trim_matches('"').trim().to_owned()
}

/// An IANA name (or UTC spelled one of its ways).
pub(crate) fn named(name: &str) -> Option<Zone> {
    if ["UTC", "Z", "GMT", "Etc/UTC", "Etc/GMT"].contains(&name) {
        return Some(Zone::Utc);
    }
    Tz::from_str(name).ok().map(Zone::Named)
}

/// `UTC+11`, `GMT-05:00`, `(UTC+01:00) Amsterdam, Berlin`: the first offset after
/// "UTC" or "GMT".
fn fixed_offset(tzid: &str) -> Option<OffsetSeconds> {
    let upper = tzid.to_ascii_uppercase();
    let at = upper.find("UTC").or_else(|| upper.find("GMT"))?;
    let rest = upper[at + 3..].trim_start();
    let (sign, rest) = match rest.as_bytes().first()? {
        b'+' => (1, &rest[1..]),
        b'-' => (-1, &rest[1..]),
        _ => return None,
    };
    let written: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    let (hours, minutes) = match written.split_once(':') {
        Some((hours, minutes)) => (hours.to_owned(), minutes.to_owned()),
        None if written.len() > 2 => (
            written[..written.len() - 2].to_owned(),
            written[written.len() - 2..].to_owned(),
        ),
        None => (written.clone(), "0".to_owned()),
    };
    let hours: i32 = hours.parse().ok()?;
    let minutes: i32 = minutes.parse().ok()?;
    (hours < 24 && minutes < 60).then_some(sign * (hours * 3_600 + minutes * 60))
}

fn windows_zone(name: &str) -> Option<Tz> {
    WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
        .and_then(|(_, iana)| Tz::from_str(iana).ok())
}

/// Windows zone names to IANA zones: the "001" (primary) rows of CLDR's windowsZones.xml.
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Aleutian Standard Time", "America/Adak"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Marquesas Standard Time", "Pacific/Marquesas"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("UTC-09", "Etc/GMT+9"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("UTC-08", "Etc/GMT+8"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Yukon Standard Time", "America/Whitehorse"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time", "America/Chicago"),
    ("Easter Island Standard Time", "Pacific/Easter"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("Haiti Standard Time", "America/Port-au-Prince"),
    ("Cuba Standard Time", "America/Havana"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Turks And Caicos Standard Time", "America/Grand_Turk"),
    ("Paraguay Standard Time", "America/Asuncion"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("Tocantins Standard Time", "America/Araguaina"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("Greenland Standard Time", "America/Nuuk"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("Magallanes Standard Time", "America/Punta_Arenas"),
    ("Saint Pierre Standard Time", "America/Miquelon"),
    ("Bahia Standard Time", "America/Bahia"),
    ("UTC-02", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Sao Tome Standard Time", "Africa/Sao_Tome"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("West Bank Standard Time", "Asia/Hebron"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kyiv"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Sudan Standard Time", "Africa/Juba"),
    ("Kaliningrad Standard Time", "Europe/Kaliningrad"),
    ("Sudan Standard Time", "Africa/Khartoum"),
    ("Libya Standard Time", "Africa/Tripoli"),
    ("Namibia Standard Time", "Africa/Windhoek"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Belarus Standard Time", "Europe/Minsk"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Volgograd Standard Time", "Europe/Volgograd"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Astrakhan Standard Time", "Europe/Astrakhan"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Russia Time Zone 3", "Europe/Samara"),
    ("Mauritius Standard Time", "Indian/Mauritius"),
    ("Saratov Standard Time", "Europe/Saratov"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Caucasus Standard Time", "Asia/Yerevan"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("Qyzylorda Standard Time", "Asia/Qyzylorda"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Almaty"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Omsk Standard Time", "Asia/Omsk"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("Altai Standard Time", "Asia/Barnaul"),
    ("W. Mongolia Standard Time", "Asia/Hovd"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("N. Central Asia Standard Time", "Asia/Novosibirsk"),
    ("Tomsk Standard Time", "Asia/Tomsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("North Asia East Standard Time", "Asia/Irkutsk"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Ulaanbaatar Standard Time", "Asia/Ulaanbaatar"),
    ("Aus Central W. Standard Time", "Australia/Eucla"),
    ("Transbaikal Standard Time", "Asia/Chita"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("North Korea Standard Time", "Asia/Pyongyang"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Yakutsk Standard Time", "Asia/Yakutsk"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("Lord Howe Standard Time", "Australia/Lord_Howe"),
    ("Bougainville Standard Time", "Pacific/Bougainville"),
    ("Russia Time Zone 10", "Asia/Srednekolymsk"),
    ("Magadan Standard Time", "Asia/Magadan"),
    ("Norfolk Standard Time", "Pacific/Norfolk"),
    ("Sakhalin Standard Time", "Asia/Sakhalin"),
    ("Central Pacific Standard Time", "Pacific/Guadalcanal"),
    ("Russia Time Zone 11", "Asia/Kamchatka"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("UTC+12", "Etc/GMT-12"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Chatham Islands Standard Time", "Pacific/Chatham"),
    ("UTC+13", "Etc/GMT-13"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
    ("Samoa Standard Time", "Pacific/Apia"),
    ("Line Islands Standard Time", "Pacific/Kiritimati"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ics::content::parse_document;

    #[test]
    fn every_windows_name_maps_to_a_known_zone() {
        for (windows, iana) in WINDOWS_ZONES {
            assert!(
                Tz::from_str(iana).is_ok(),
                "{windows} → {iana} is not in chrono-tz"
            );
        }
    }

    #[test]
    fn gap_times_take_the_offset_before_the_gap() {
        let zone = Zones::default().resolve("Europe/Berlin").unwrap();
        let local = NaiveDateTime::parse_from_str("2024-03-31 02:30", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(zone.to_utc(local).to_rfc3339(), "2024-03-31T01:30:00+00:00");
        let twice = NaiveDateTime::parse_from_str("2024-10-27 02:30", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(zone.to_utc(twice).to_rfc3339(), "2024-10-27T00:30:00+00:00");
    }

    #[test]
    fn a_custom_vtimezone_is_used_for_an_unknown_tzid() {
        let text = "BEGIN:VTIMEZONE\nTZID:Custom\nBEGIN:STANDARD\nDTSTART:16011104T020000\n\
            RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\n\
            END:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010311T020000\n\
            RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\n\
            END:DAYLIGHT\nEND:VTIMEZONE\n";
        let document = parse_document(text);
        let (zones, problems) = Zones::read(&document.components);
        assert!(problems.is_empty(), "{problems:?}");
        let zone = zones.resolve("Custom").unwrap();
        let summer = NaiveDateTime::parse_from_str("2024-07-01 12:00", "%Y-%m-%d %H:%M").unwrap();
        let winter = NaiveDateTime::parse_from_str("2024-12-01 12:00", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            zone.to_utc(summer).to_rfc3339(),
            "2024-07-01T16:00:00+00:00"
        );
        assert_eq!(
            zone.to_utc(winter).to_rfc3339(),
            "2024-12-01T17:00:00+00:00"
        );
    }

    #[test]
    fn windows_paths_and_offsets_resolve() {
        let zones = Zones::default();
        assert!(matches!(
            zones.resolve("\"W. Europe Standard Time\""),
            Some(Zone::Named(_))
        ));
        assert!(matches!(
            zones.resolve("/mozilla.org/20070129_1/America/New_York"),
            Some(Zone::Named(_))
        ));
        assert!(matches!(zones.resolve("UTC+11"), Some(Zone::Fixed(39_600))));
        assert!(zones.resolve("MyTimezone").is_none());
    }
}
