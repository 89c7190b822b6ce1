//! iCalendar value types (RFC 5545 §3.3): DATE, DATE-TIME, DURATION, PERIOD, UTC-OFFSET
//! and TEXT escapes. Parsers return `None` or a reason instead of failing loudly.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// A DATE or DATE-TIME as written, before any time zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Written {
    Date(NaiveDate),
    /// A local date-time: floating, or in the zone named by a TZID parameter.
    Local(NaiveDateTime),
    /// A date-time with the `Z` suffix.
    Utc(NaiveDateTime),
}

/// Reads `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ` (seconds may be missing,
/// as some generators write them).
pub(crate) fn parse_written(text: &str) -> Option<Written> {
    let text = text.trim();
    if text.len() == 8 {
        return parse_date(text).map(Written::Date);
    }
    let (body, utc) = match text.strip_suffix(['Z', 'z']) {
        Some(body) => (body, true),
        None => (text, false),
    };
    let (date, time) = body.split_once(['T', 't'])?;
    let date = parse_date(date)?;
    let time = parse_time(time)?;
    let local = date.and_time(time);
    Some(if utc {
        Written::Utc(local)
    } else {
        Written::Local(local)
    })
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text[..4].parse().ok()?;
    let month = text[4..6].parse().ok()?;
    let day = text[6..8].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    if !(text.len() == 6 || text.len() == 4) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hour = text[..2].parse().ok()?;
    let minute = text[2..4].parse().ok()?;
    let second: u32 = if text.len() == 6 {
        text[4..6].parse().ok()?
    } else {
        0
    };
    // A leap second (60) is read as the last second of its minute.
    NaiveTime::from_hms_opt(hour, minute, second.min(59))
}

/// Reads a DURATION such as `PT1H30M`, `-P2D` or `P1W`. Nominal days and weeks are
/// returned as exact multiples of 24 hours; callers add them in local time.
pub(crate) fn parse_duration(text: &str) -> Result<TimeDelta, String> {
    let text = text.trim();
    let unreadable = || format!("unreadable duration '{text}'");
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let rest = rest
        .strip_prefix(['P', 'p'])
        .ok_or_else(unreadable)?
        .to_ascii_uppercase();
    let mut seconds: i64 = 0;
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in rest.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if c == 'T' {
            in_time = true;
            continue;
        }
        let unit: i64 = match (c, in_time) {
            ('W', false) => 7 * 86_400,
            ('D', false) => 86_400,
            ('H', true) => 3_600,
            ('M', true) => 60,
            ('S', true) => 1,
            _ => return Err(unreadable()),
        };
        let value: i64 = number.parse().map_err(|_| unreadable())?;
        number.clear();
        seconds = value
            .checked_mul(unit)
            .and_then(|part| seconds.checked_add(part))
            .ok_or_else(|| format!("impractical duration '{text}'"))?;
        any = true;
    }
    if !any || !number.is_empty() {
        return Err(unreadable());
    }
    // Longer than a thousand years is a mistake, and would overflow date arithmetic.
    if seconds > 1_000 * 366 * 86_400 {
        return Err(format!("impractical duration '{text}'"));
    }
    let delta = TimeDelta::try_seconds(seconds).ok_or_else(unreadable)?;
    Ok(if negative { -delta } else { delta })
}

/// Reads a UTC-OFFSET (`+0100`, `-0530`, `+013045`) into seconds east of UTC.
pub(crate) fn parse_utc_offset(text: &str) -> Result<i32, String> {
    let text = text.trim();
    let unreadable = || format!("unreadable UTC offset '{text}'");
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ => return Err(unreadable()),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unreadable());
    }
    let hours: i32 = digits[..2].parse().map_err(|_| unreadable())?;
    let minutes: i32 = digits[2..4].parse().map_err(|_| unreadable())?;
    let seconds: i32 = if digits.len() == 6 {
        digits[4..].parse().map_err(|_| unreadable())?
    } else {
        0
    };
    if hours >= 24 || minutes >= 60 || seconds >= 60 {
        return Err(format!("UTC offset '{text}' is not less than 24 hours"));
    }
    Ok(sign * (hours * 3_600 + minutes * 60 + seconds))
}

/// Undoes TEXT escaping: `\n`, `\N`, `\,`, `\;`, `\\`.
pub(crate) fn unescape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Splits a list value on commas (DATE-TIME lists in RDATE and EXDATE).
pub(crate) fn split_list(value: &str) -> impl Iterator<Item = &str> {
    value
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_weeks_days_and_times() {
        assert_eq!(parse_duration("PT1H30M"), Ok(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("-P2D"), Ok(TimeDelta::days(-2)));
        assert_eq!(parse_duration("P1W"), Ok(TimeDelta::days(7)));
        assert!(parse_duration("P999999999999999999W").is_err());
        assert!(parse_duration("PT").is_err());
    }

    #[test]
    fn written_times_keep_their_kind() {
        assert!(matches!(parse_written("20240310"), Some(Written::Date(_))));
        assert!(matches!(
            parse_written("20240310T020000"),
            Some(Written::Local(_))
        ));
        assert!(matches!(
            parse_written("20240310T020000Z"),
            Some(Written::Utc(_))
        ));
        assert_eq!(parse_written("INVALID-DATE"), None);
    }

    #[test]
    fn offsets_of_a_day_or_more_are_refused() {
        assert_eq!(parse_utc_offset("-0530"), Ok(-19_800));
        assert!(parse_utc_offset("+5744").is_err());
    }
}
