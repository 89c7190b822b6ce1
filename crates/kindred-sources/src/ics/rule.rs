//! RRULE (RFC 5545 §3.3.10): reading a rule and expanding it in local wall-clock time.
//!
//! Expansion works period by period (a year, month, week, day, hour, minute or second,
//! stepped by INTERVAL): every day of the period is kept if it passes the BYxxx filters,
//! combined with the BYHOUR/BYMINUTE/BYSECOND times, cut by BYSETPOS, then bounded by
//! DTSTART, UNTIL and COUNT. Rules without BYDAY, BYMONTHDAY, BYYEARDAY or BYWEEKNO take
//! the missing parts from DTSTART, as RFC 5545 and python-dateutil do. Wall-clock
//! expansion is what the RFC asks for: a weekly 09:00 meeting stays at 09:00 across DST.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Timelike, Weekday};

/// Periods visited before a rule is given up as runaway (e.g. a SECONDLY rule whose
/// filters never match).
const MAX_PERIODS: u64 = 3_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Frequency {
    Secondly,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A parsed RRULE. UNTIL is kept as written: its meaning depends on DTSTART's zone,
/// which the caller knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub frequency: Frequency,
    pub interval: u32,
    pub count: Option<u32>,
    pub until: Option<String>,
    pub week_start: Weekday,
    pub by_second: Vec<u32>,
    pub by_minute: Vec<u32>,
    pub by_hour: Vec<u32>,
    pub by_day: Vec<(Option<i32>, Weekday)>,
    pub by_month_day: Vec<i32>,
    pub by_year_day: Vec<i32>,
    pub by_week_no: Vec<i32>,
    pub by_month: Vec<u32>,
    pub by_set_pos: Vec<i32>,
}

/// The occurrences a rule produced, and whether a limit cut them short.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Expansion {
    pub starts: Vec<NaiveDateTime>,
    pub truncated: bool,
}

/// Where to look: occurrences before `from` are counted (for COUNT) but not returned;
/// expansion stops after `to`, or once `limit` occurrences were returned.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub limit: usize,
}

impl Rule {
    /// Reads the value of an RRULE property.
    ///
    /// # Errors
    /// A reason naming the offending part: a missing or unknown FREQ, an unknown rule part,
    /// a value out of its range, or a non-Gregorian RSCALE.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut frequency = None;
        let mut rule = Self {
            frequency: Frequency::Yearly,
            interval: 1,
            count: None,
            until: None,
            week_start: Weekday::Mon,
            by_second: Vec::new(),
            by_minute: Vec::new(),
            by_hour: Vec::new(),
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
        };
        let body = text.trim();
        let body = body
            .get(..6)
            .filter(|head| head.eq_ignore_ascii_case("RRULE:"))
            .map_or(body, |_| &body[6..]);
        for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("rule part '{part}' has no '='"))?;
            let key = key.trim().to_ascii_uppercase();
            let value = value.trim();
            match key.as_str() {
                "FREQ" => frequency = Some(parse_frequency(value)?),
                "INTERVAL" => {
                    // INTERVAL=0 is meaningless; read it as the default, 1.
                    rule.interval = number::<u32>(&key, value)?.max(1);
                }
                // A negative COUNT (seen in the wild) is read as no COUNT at all.
                "COUNT" => rule.count = u32::try_from(number::<i64>(&key, value)?).ok(),
                "UNTIL" => rule.until = Some(value.to_owned()),
                "WKST" => rule.week_start = parse_weekday(value)?,
                "BYSECOND" => rule.by_second = list(&key, value, 0, 60)?,
                "BYMINUTE" => rule.by_minute = list(&key, value, 0, 59)?,
                "BYHOUR" => rule.by_hour = list(&key, value, 0, 23)?,
                "BYMONTH" => rule.by_month = list(&key, value, 1, 12)?,
                "BYMONTHDAY" => rule.by_month_day = signed_list(&key, value, 31)?,
                "BYYEARDAY" => rule.by_year_day = signed_list(&key, value, 366)?,
                "BYWEEKNO" => rule.by_week_no = signed_list(&key, value, 53)?,
                "BYSETPOS" => rule.by_set_pos = signed_list(&key, value, 366)?,
                "BYDAY" => {
                    rule.by_day = value
                        .split(',')
                        .map(str::trim)
                        .filter(|d| !d.is_empty())
                        .map(parse_by_day)
                        .collect::<Result<_, _>>()?;
                }
                "RSCALE" if value.eq_ignore_ascii_case("GREGORIAN") => {}
                "RSCALE" => return Err(format!("RSCALE={value} (RFC 7529) is not supported")),
                // SKIP only matters for non-Gregorian RSCALE; extensions carry nothing here.
                "SKIP" => {}
                _ if key.starts_with("X-") => {}
                _ => return Err(format!("unknown rule part '{key}'")),
            }
        }
        rule.frequency = frequency.ok_or_else(|| "FREQ is missing".to_owned())?;
        Ok(rule)
    }

    /// The occurrences of the rule for a series starting at `start` (which need not match
    /// the rule; it is not itself returned unless the rule produces it), up to `until`
    /// inclusive, within `bounds`. `date_only` series ignore BYHOUR/BYMINUTE/BYSECOND.
    pub fn expand(
        &self,
        start: NaiveDateTime,
        until: Option<NaiveDateTime>,
        date_only: bool,
        bounds: Bounds,
    ) -> Expansion {
        let plan = Plan::new(self, start, date_only);
        let mut expansion = Expansion::default();
        let mut produced: u64 = 0;
        let first = self.first_period(start, bounds.from);
        let end = until.map_or(bounds.to, |until| until.min(bounds.to));
        let mut period = first;
        let mut visited: u64 = 0;
        loop {
            visited += 1;
            if visited > MAX_PERIODS {
                expansion.truncated = true;
                return expansion;
            }
            let Some(period_start) = self.period_start(start, period) else {
                return expansion;
            };
            if period_start > end {
                return expansion;
            }
            for occurrence in plan.occurrences(self, period_start) {
                if occurrence < start {
                    continue;
                }
                if until.is_some_and(|until| occurrence > until) || occurrence > bounds.to {
                    return expansion;
                }
                produced += 1;
                if occurrence >= bounds.from {
                    if expansion.starts.len() >= bounds.limit {
                        expansion.truncated = true;
                        return expansion;
                    }
                    expansion.starts.push(occurrence);
                }
                if self.count.is_some_and(|count| produced >= u64::from(count)) {
                    return expansion;
                }
            }
            period += i64::from(self.interval);
        }
    }

    /// The index (in units of the frequency, from the period holding `start`) of the first
    /// period worth visiting. Rules with COUNT must be walked from the start.
    fn first_period(&self, start: NaiveDateTime, from: NaiveDateTime) -> i64 {
        if self.count.is_some() || from <= start {
            return 0;
        }
        let gap = from - start;
        let units = match self.frequency {
            Frequency::Yearly => i64::from(from.year() - start.year()),
            Frequency::Monthly => {
                i64::from(from.year() - start.year()) * 12 + i64::from(from.month())
                    - i64::from(start.month())
            }
            Frequency::Weekly => gap.num_days() / 7,
            Frequency::Daily => gap.num_days(),
            Frequency::Hourly => gap.num_hours(),
            Frequency::Minutely => gap.num_minutes(),
            Frequency::Secondly => gap.num_seconds(),
        };
        // Step back one whole interval so that nothing at the edge is missed.
        let interval = i64::from(self.interval);
        ((units / interval) - 1).max(0) * interval
    }

    /// The first instant of period number `index` counted from the one holding `start`.
    fn period_start(&self, start: NaiveDateTime, index: i64) -> Option<NaiveDateTime> {
        let date = start.date();
        let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
        match self.frequency {
            Frequency::Yearly => {
                let year = i32::try_from(i64::from(date.year()) + index).ok()?;
                NaiveDate::from_ymd_opt(year, 1, 1).map(midnight)
            }
            Frequency::Monthly => {
                let first = date.with_day(1)?;
                first
                    .checked_add_months(Months::new(u32::try_from(index).ok()?))
                    .map(midnight)
            }
            Frequency::Weekly => {
                let back = days_from(self.week_start, date.weekday());
                let week = date.checked_sub_signed(TimeDelta::days(i64::from(back)))?;
                week.checked_add_signed(TimeDelta::try_days(index.checked_mul(7)?)?)
                    .map(midnight)
            }
            Frequency::Daily => date
                .checked_add_signed(TimeDelta::try_days(index)?)
                .map(midnight),
            Frequency::Hourly => {
                let hour = midnight(date) + TimeDelta::hours(i64::from(start.hour()));
                hour.checked_add_signed(TimeDelta::try_hours(index)?)
            }
            Frequency::Minutely => {
                let minute = start.with_second(0)?;
                minute.checked_add_signed(TimeDelta::try_minutes(index)?)
            }
            Frequency::Secondly => start.checked_add_signed(TimeDelta::try_seconds(index)?),
        }
    }
}

/// The rule with DTSTART's defaults filled in, ready to produce each period's occurrences.
struct Plan {
    by_month: Vec<u32>,
    by_month_day: Vec<i32>,
    by_day: Vec<(Option<i32>, Weekday)>,
    hours: Vec<u32>,
    minutes: Vec<u32>,
    seconds: Vec<u32>,
}

impl Plan {
    fn new(rule: &Rule, start: NaiveDateTime, date_only: bool) -> Self {
        let mut by_month = rule.by_month.clone();
        let mut by_month_day = rule.by_month_day.clone();
        let mut by_day = rule.by_day.clone();
        let no_day_rule = rule.by_week_no.is_empty()
            && rule.by_year_day.is_empty()
            && by_month_day.is_empty()
            && by_day.is_empty();
        if no_day_rule {
            match rule.frequency {
                Frequency::Yearly => {
                    if by_month.is_empty() {
                        by_month = vec![start.month()];
                    }
                    by_month_day = vec![i32::try_from(start.day()).unwrap_or(1)];
                }
                Frequency::Monthly => by_month_day = vec![i32::try_from(start.day()).unwrap_or(1)],
                Frequency::Weekly => by_day = vec![(None, start.weekday())],
                _ => {}
            }
        }
        let pick = |given: &[u32], own: u32| {
            if date_only {
                vec![0]
            } else if given.is_empty() {
                vec![own]
            } else {
                let mut values = given.to_vec();
                values.sort_unstable();
                values.dedup();
                values
            }
        };
        Self {
            by_month,
            by_month_day,
            by_day,
            hours: pick(&rule.by_hour, start.hour()),
            minutes: pick(&rule.by_minute, start.minute()),
            seconds: pick(&rule.by_second, start.second()),
        }
    }

    /// The occurrences of one period, sorted, after BYSETPOS.
    fn occurrences(&self, rule: &Rule, period_start: NaiveDateTime) -> Vec<NaiveDateTime> {
        let day = period_start.date();
        let days: Vec<NaiveDate> = match rule.frequency {
            Frequency::Yearly => {
                let Some(first) = NaiveDate::from_ymd_opt(day.year(), 1, 1) else {
                    return Vec::new();
                };
                first
                    .iter_days()
                    .take_while(|d| d.year() == day.year())
                    .collect()
            }
            Frequency::Monthly => day
                .iter_days()
                .take_while(|d| d.month() == day.month())
                .collect(),
            Frequency::Weekly => day.iter_days().take(7).collect(),
            _ => vec![day],
        };
        let mut result = Vec::new();
        for date in days.into_iter().filter(|d| self.day_matches(rule, *d)) {
            match rule.frequency {
                Frequency::Hourly | Frequency::Minutely | Frequency::Secondly => {
                    let hour = period_start.hour();
                    if !rule.by_hour.is_empty() && !rule.by_hour.contains(&hour) {
                        continue;
                    }
                    let minutes = if rule.frequency == Frequency::Hourly {
                        self.minutes.clone()
                    } else {
                        vec![period_start.minute()]
                    };
                    let seconds = if rule.frequency == Frequency::Secondly {
                        vec![period_start.second()]
                    } else {
                        self.seconds.clone()
                    };
                    for minute in minutes {
                        if rule.frequency != Frequency::Hourly
                            && !rule.by_minute.is_empty()
                            && !rule.by_minute.contains(&minute)
                        {
                            continue;
                        }
                        for &second in &seconds {
                            if rule.frequency == Frequency::Secondly
                                && !rule.by_second.is_empty()
                                && !rule.by_second.contains(&second)
                            {
                                continue;
                            }
                            if let Some(time) =
                                NaiveTime::from_hms_opt(hour, minute, second.min(59))
                            {
                                result.push(date.and_time(time));
                            }
                        }
                    }
                }
                _ => {
                    for &hour in &self.hours {
                        for &minute in &self.minutes {
                            for &second in &self.seconds {
                                if let Some(time) =
                                    NaiveTime::from_hms_opt(hour, minute, second.min(59))
                                {
                                    result.push(date.and_time(time));
                                }
                            }
                        }
                    }
                }
            }
        }
        result.sort_unstable();
        result.dedup();
        if rule.by_set_pos.is_empty() {
            return result;
        }
        let len = i64::try_from(result.len()).unwrap_or(i64::MAX);
        let mut picked: Vec<NaiveDateTime> = rule
            .by_set_pos
            .iter()
            .filter_map(|&pos| {
                let pos = i64::from(pos);
                let index = if pos > 0 { pos - 1 } else { len + pos };
                usize::try_from(index)
                    .ok()
                    .and_then(|i| result.get(i).copied())
            })
            .collect();
        picked.sort_unstable();
        picked.dedup();
        picked
    }

    fn day_matches(&self, rule: &Rule, date: NaiveDate) -> bool {
        if !self.by_month.is_empty() && !self.by_month.contains(&date.month()) {
            return false;
        }
        if !rule.by_week_no.is_empty()
            && !week_number_matches(&rule.by_week_no, date, rule.week_start)
        {
            return false;
        }
        if !rule.by_year_day.is_empty() {
            let length = year_length(date.year());
            let day = i32::try_from(date.ordinal()).unwrap_or(0);
            if !rule
                .by_year_day
                .iter()
                .any(|&d| d == day || d == day - length - 1)
            {
                return false;
            }
        }
        if !self.by_month_day.is_empty() {
            let length = month_length(date);
            let day = i32::try_from(date.day()).unwrap_or(0);
            if !self
                .by_month_day
                .iter()
                .any(|&d| d == day || d == day - length - 1)
            {
                return false;
            }
        }
        if !self.by_day.is_empty() {
            // Ordinals count within the month for MONTHLY, and for YEARLY with BYMONTH;
            // within the year for plain YEARLY; finer frequencies ignore them.
            let scope = match rule.frequency {
                Frequency::Monthly => Some(true),
                Frequency::Yearly => Some(!self.by_month.is_empty()),
                _ => None,
            };
            let matches = self.by_day.iter().any(|&(ordinal, weekday)| {
                if weekday != date.weekday() {
                    return false;
                }
                match (ordinal, scope) {
                    (Some(n), Some(in_month)) => ordinal_matches(n, date, in_month),
                    _ => true,
                }
            });
            if !matches {
                return false;
            }
        }
        true
    }
}

/// Whether `date` is the `n`th (or, negative, `-n`th from the end) of its weekday in its
/// month or year.
fn ordinal_matches(n: i32, date: NaiveDate, in_month: bool) -> bool {
    let (position, length) = if in_month {
        (date.day(), u32::try_from(month_length(date)).unwrap_or(31))
    } else {
        (
            date.ordinal(),
            u32::try_from(year_length(date.year())).unwrap_or(366),
        )
    };
    let from_start = i32::try_from((position - 1) / 7 + 1).unwrap_or(0);
    let from_end = -i32::try_from((length - position) / 7 + 1).unwrap_or(0);
    n == from_start || n == from_end
}

/// RFC 5545 week numbers: weeks start on WKST and week 1 is the first with at least four
/// days in the year.
fn week_number_matches(wanted: &[i32], date: NaiveDate, week_start: Weekday) -> bool {
    let week_one = |year: i32| {
        NaiveDate::from_ymd_opt(year, 1, 1).map(|jan1| {
            let offset = i64::from(days_from(week_start, jan1.weekday()));
            if offset <= 3 {
                jan1 - TimeDelta::days(offset)
            } else {
                jan1 + TimeDelta::days(7 - offset)
            }
        })
    };
    let year = date.year();
    let (Some(this), Some(next), Some(previous)) =
        (week_one(year), week_one(year + 1), week_one(year - 1))
    else {
        return false;
    };
    let (base, following) = if date >= next {
        (next, week_one(year + 2))
    } else if date >= this {
        (this, Some(next))
    } else {
        (previous, Some(this))
    };
    let Some(following) = following else {
        return false;
    };
    let week = i32::try_from((date - base).num_days() / 7 + 1).unwrap_or(0);
    let weeks_in_year = i32::try_from((following - base).num_days() / 7).unwrap_or(52);
    wanted
        .iter()
        .any(|&w| w == week || w == week - weeks_in_year - 1)
}

/// Days from `from` forward to `to` (0..=6).
fn days_from(from: Weekday, to: Weekday) -> u32 {
    (to.num_days_from_monday() + 7 - from.num_days_from_monday()) % 7
}

fn year_length(year: i32) -> i32 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

fn month_length(date: NaiveDate) -> i32 {
    let first = date.with_day(1);
    let next = first.and_then(|d| d.checked_add_months(Months::new(1)));
    match (first, next) {
        (Some(first), Some(next)) => i32::try_from((next - first).num_days()).unwrap_or(31),
        _ => 31,
    }
}

fn parse_frequency(value: &str) -> Result<Frequency, String> {
    Ok(match value.to_ascii_uppercase().as_str() {
        "SECONDLY" => Frequency::Secondly,
        "MINUTELY" => Frequency::Minutely,
        "HOURLY" => Frequency::Hourly,
        "DAILY" => Frequency::Daily,
        "WEEKLY" => Frequency::Weekly,
        "MONTHLY" => Frequency::Monthly,
        "YEARLY" => Frequency::Yearly,
        _ => return Err(format!("unknown FREQ '{value}'")),
    })
}

fn parse_weekday(value: &str) -> Result<Weekday, String> {
    Ok(match value.trim().to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return Err(format!("unknown weekday '{value}'")),
    })
}

fn parse_by_day(value: &str) -> Result<(Option<i32>, Weekday), String> {
    let split = value.len().saturating_sub(2);
    let (ordinal, day) = value
        .split_at_checked(split)
        .ok_or_else(|| format!("unknown BYDAY value '{value}'"))?;
    let weekday = parse_weekday(day)?;
    let ordinal = ordinal.trim();
    if ordinal.is_empty() {
        return Ok((None, weekday));
    }
    let n: i32 = ordinal
        .strip_prefix('+')
        .unwrap_or(ordinal)
        .parse()
        .map_err(|_| format!("unknown BYDAY value '{value}'"))?;
    if n == 0 || n.abs() > 53 {
        return Err(format!("BYDAY ordinal out of range in '{value}'"));
    }
    Ok((Some(n), weekday))
}

fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{key}={value} is not a number"))
}

fn list(key: &str, value: &str, low: u32, high: u32) -> Result<Vec<u32>, String> {
    value
        .split(',')
        .map(|v| {
            let n: u32 = number(key, v.trim())?;
            if (low..=high).contains(&n) {
                Ok(n)
            } else {
                Err(format!("{key} value {n} is outside {low}..{high}"))
            }
        })
        .collect()
}

fn signed_list(key: &str, value: &str, high: i32) -> Result<Vec<i32>, String> {
    value
        .split(',')
        .map(|v| {
            let v = v.trim();
            let n: i32 = number(key, v.strip_prefix('+').unwrap_or(v))?;
            if n != 0 && n.abs() <= high {
                Ok(n)
            } else {
                Err(format!("{key} value {n} is outside ±1..{high}"))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn expand(rule: &str, start: &str, limit: usize) -> Vec<String> {
        let rule = Rule::parse(rule).unwrap();
        let bounds = Bounds {
            from: at("1900-01-01 00:00"),
            to: at("2100-01-01 00:00"),
            limit,
        };
        rule.expand(at(start), None, false, bounds)
            .starts
            .iter()
            .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
            .collect()
    }

    #[test]
    fn monthly_last_weekday_by_set_pos() {
        // RFC 5545 example: the last work day of the month.
        let got = expand(
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3",
            "2024-01-05 09:00",
            10,
        );
        assert_eq!(
            got,
            ["2024-01-31 09:00", "2024-02-29 09:00", "2024-03-29 09:00"]
        );
    }

    #[test]
    fn yearly_nth_weekday_in_month_and_year() {
        let got = expand(
            "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU;COUNT=2",
            "2024-03-31 02:00",
            10,
        );
        assert_eq!(got, ["2024-03-31 02:00", "2025-03-30 02:00"]);
        let got = expand("FREQ=YEARLY;BYDAY=20MO;COUNT=1", "1997-01-01 09:00", 10);
        assert_eq!(got, ["1997-05-19 09:00"]);
    }

    #[test]
    fn monthly_on_the_31st_skips_short_months() {
        let got = expand("FREQ=MONTHLY;COUNT=3", "2024-01-31 10:00", 10);
        assert_eq!(
            got,
            ["2024-01-31 10:00", "2024-03-31 10:00", "2024-05-31 10:00"]
        );
    }

    #[test]
    fn biweekly_with_week_start() {
        // RFC 5545: WKST changes which days an every-other-week rule picks.
        let got = expand(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
            "1997-08-05 09:00",
            10,
        );
        assert_eq!(
            got,
            [
                "1997-08-05 09:00",
                "1997-08-17 09:00",
                "1997-08-19 09:00",
                "1997-08-31 09:00"
            ]
        );
        let got = expand(
            "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
            "1997-08-05 09:00",
            10,
        );
        assert_eq!(
            got,
            [
                "1997-08-05 09:00",
                "1997-08-10 09:00",
                "1997-08-19 09:00",
                "1997-08-24 09:00"
            ]
        );
    }

    #[test]
    fn week_numbers_follow_the_rfc() {
        let got = expand(
            "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3",
            "1997-05-12 09:00",
            10,
        );
        assert_eq!(
            got,
            ["1997-05-12 09:00", "1998-05-11 09:00", "1999-05-17 09:00"]
        );
    }

    #[test]
    fn hourly_and_runaway_rules_stop() {
        let got = expand(
            "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",
            "1997-09-02 09:00",
            10,
        );
        assert_eq!(got.len(), 10, "no UNTIL handling here: the limit applies");
        let rule = Rule::parse("FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30").unwrap();
        let bounds = Bounds {
            from: at("2000-01-01 00:00"),
            to: at("2100-01-01 00:00"),
            limit: 10,
        };
        let expansion = rule.expand(at("2000-01-01 00:00"), None, false, bounds);
        assert!(expansion.starts.is_empty() && expansion.truncated);
    }

    #[test]
    fn bad_rules_are_refused_with_a_reason() {
        assert!(Rule::parse("FREQ=INVALID_TYPE")
            .unwrap_err()
            .contains("FREQ"));
        assert!(Rule::parse("FREQ=WEEKLY;UNTL=20191023")
            .unwrap_err()
            .contains("UNTL"));
        assert!(Rule::parse("BYDAY=MO").is_err());
        assert!(Rule::parse("RSCALE=CHINESE;FREQ=YEARLY").is_err());
    }
}
