//! Series: the VEVENTs sharing one UID, expanded into occurrences. The master VEVENT's
//! DTSTART, RRULEs and RDATEs give the original starts, EXDATEs remove some, and
//! RECURRENCE-ID instances replace theirs (moved, changed or cancelled), with
//! RANGE=THISANDFUTURE carrying a change on to later occurrences.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use kindred_core::Event;

use super::rule::Bounds;
use super::value::{parse_written, Written};
use super::zone::Zone;
use super::{Draft, ExpansionWindow, Length, Moment, Report, MAX_OCCURRENCES};

/// The VEVENTs sharing one UID: the series itself (the highest SEQUENCE among those
/// without RECURRENCE-ID; the first on a tie) and its modified instances.
pub(super) struct Series {
    master: Option<Draft>,
    overrides: Vec<Draft>,
}

pub(super) fn group(drafts: Vec<Draft>) -> Vec<Series> {
    let mut order: Vec<String> = Vec::new();
    let mut by_uid: HashMap<String, Series> = HashMap::new();
    for draft in drafts {
        let series = by_uid.entry(draft.uid.clone()).or_insert_with(|| {
            order.push(draft.uid.clone());
            Series {
                master: None,
                overrides: Vec::new(),
            }
        });
        if draft.recurrence_id.is_some() {
            series.overrides.push(draft);
        } else if series
            .master
            .as_ref()
            .is_none_or(|master| draft.sequence > master.sequence)
        {
            series.master = Some(draft);
        }
    }
    order
        .into_iter()
        .filter_map(|uid| by_uid.remove(&uid))
        .collect()
}

impl Series {
    pub(super) fn expand(
        self,
        window: &ExpansionWindow,
        events: &mut Vec<Event>,
        report: &mut Report<'_>,
    ) {
        let overrides = latest_overrides(self.overrides);
        let Some(master) = self.master else {
            // Modified instances whose series is not in the file still happened.
            for instance in &overrides {
                let original = instance.recurrence_id.as_ref().map(Moment::utc);
                push_instance(events, window, instance, original);
            }
            return;
        };
        let mut used = vec![false; overrides.len()];
        let exact: HashMap<i64, usize> = overrides
            .iter()
            .enumerate()
            .filter_map(|(i, o)| o.recurrence_id.as_ref().map(|r| (r.utc().timestamp(), i)))
            .collect();
        let by_date: HashMap<NaiveDate, usize> = overrides
            .iter()
            .enumerate()
            .filter_map(|(i, o)| {
                let rid = o.recurrence_id.as_ref()?;
                let day = if rid.date_only {
                    rid.date()
                } else {
                    day_of(rid, &master.start.zone)
                };
                Some((day, i))
            })
            .collect();
        let mut later: Vec<&Draft> = overrides.iter().filter(|o| o.this_and_future).collect();
        later.sort_by_key(|o| o.recurrence_id.as_ref().map(Moment::utc));
        let (starts, truncated) = occurrences(&master, &later, window, report);
        let mut emitted = 0usize;
        for (local, rdate_length) in starts {
            let original = if master.start.date_only {
                local.and_utc()
            } else {
                master.start.zone.to_utc(local)
            };
            let matched = if master.start.date_only {
                by_date.get(&local.date())
            } else {
                exact.get(&original.timestamp()).or_else(|| {
                    by_date.get(&local.date()).filter(|&&i| {
                        overrides[i]
                            .recurrence_id
                            .as_ref()
                            .is_some_and(|r| r.date_only)
                    })
                })
            };
            let recurrence_id = master.is_recurring().then_some(original);
            let pushed = if let Some(&i) = matched {
                used[i] = true;
                let instance = &overrides[i];
                push_instance(events, window, instance, recurrence_id.or(Some(original)))
            } else if let Some(from) = later
                .iter()
                .rev()
                .find(|o| o.recurrence_id.as_ref().is_some_and(|r| r.utc() < original))
            {
                // RANGE=THISANDFUTURE: later instances move and change with this one.
                let shift = from.start.utc()
                    - from
                        .recurrence_id
                        .as_ref()
                        .map_or(from.start.utc(), Moment::utc);
                let shifted = master.start.zone.to_local(original + shift);
                let local = if master.start.date_only {
                    local + shift
                } else {
                    shifted
                };
                push(
                    events,
                    window,
                    from,
                    recurrence_id,
                    &master.start,
                    local,
                    from.length,
                )
            } else {
                push(
                    events,
                    window,
                    &master,
                    recurrence_id,
                    &master.start,
                    local,
                    rdate_length.unwrap_or(master.length),
                )
            };
            if pushed {
                emitted += 1;
                if emitted >= MAX_OCCURRENCES {
                    report.at(
                        master.label.clone(),
                        format!("more than {MAX_OCCURRENCES} occurrences in the window; the rest are skipped"),
                    );
                    break;
                }
            }
        }
        if truncated && emitted < MAX_OCCURRENCES {
            report.at(
                master.label.clone(),
                "the recurrence rule produces too many occurrences; expansion stopped early"
                    .to_owned(),
            );
        }
        for (i, instance) in overrides.iter().enumerate() {
            let Some(rid) = instance.recurrence_id.as_ref() else {
                continue;
            };
            let excluded = master.exdates.iter().any(|e| same_occurrence(e, rid));
            // An instance older than the series that no longer produces its date is a
            // leftover of an earlier version of the series (e.g. before UNTIL moved).
            let stale = instance.sequence < master.sequence && !produces(&master, rid);
            if !used[i] && !excluded && !stale {
                let original = instance.recurrence_id.as_ref().map(Moment::utc);
                push_instance(events, window, instance, original);
            }
        }
    }
}

/// Whether the series' own rules (DTSTART, RRULE, RDATE) give an occurrence at `rid`.
fn produces(master: &Draft, rid: &Moment) -> bool {
    let start = &master.start;
    let probe = |local: NaiveDateTime| {
        let occurrence = Moment {
            local,
            zone: start.zone.clone(),
            date_only: start.date_only,
            written_zone: start.written_zone.clone(),
        };
        same_occurrence(rid, &occurrence)
    };
    if probe(start.local)
        || master
            .rdates
            .iter()
            .any(|(rdate, _)| same_occurrence(rid, rdate))
    {
        return true;
    }
    let around = if start.date_only || rid.date_only {
        rid.local
    } else {
        start.zone.to_local(rid.utc())
    };
    let bounds = Bounds {
        from: around - TimeDelta::days(2),
        to: around + TimeDelta::days(2),
        limit: 100,
    };
    master.rules.iter().any(|rule| {
        let until = rule
            .until
            .as_deref()
            .and_then(parse_written)
            .map(|until| until_local(until, start));
        rule.expand(start.local, until, start.date_only, bounds)
            .starts
            .into_iter()
            .any(probe)
    })
}

/// Per RECURRENCE-ID, the instance with the highest SEQUENCE (the first on a tie).
fn latest_overrides(overrides: Vec<Draft>) -> Vec<Draft> {
    let mut kept: Vec<Draft> = Vec::new();
    for draft in overrides {
        let key = draft.recurrence_id.as_ref().map(Moment::utc);
        match kept
            .iter_mut()
            .find(|k| k.recurrence_id.as_ref().map(Moment::utc) == key)
        {
            Some(existing) if draft.sequence > existing.sequence => *existing = draft,
            Some(_) => {}
            None => kept.push(draft),
        }
    }
    kept
}

/// Whether an EXDATE or RECURRENCE-ID `named` names the occurrence `occurrence`: the
/// same instant, or the same day when either is a DATE.
fn same_occurrence(named: &Moment, occurrence: &Moment) -> bool {
    match (named.date_only, occurrence.date_only) {
        (false, false) => named.utc() == occurrence.utc(),
        (true, _) => named.date() == occurrence.date(),
        (false, true) => day_of(named, &occurrence.zone) == occurrence.date(),
    }
}

/// The day a date-time falls on: its own wall-clock date, or for a UTC value the date in
/// the calendar's zone for days (Outlook writes all-day EXDATEs as local midnight in UTC).
fn day_of(moment: &Moment, dates: &Zone) -> NaiveDate {
    if moment.written_zone.as_deref() == Some("Z") {
        dates.to_local(moment.utc()).date()
    } else {
        moment.date()
    }
}

/// The original starts of a series (wall-clock, in DTSTART's zone) that may overlap the
/// window, each with an RDATE PERIOD's own length; and whether a limit cut them short.
fn occurrences(
    master: &Draft,
    later: &[&Draft],
    window: &ExpansionWindow,
    report: &mut Report<'_>,
) -> (Vec<(NaiveDateTime, Option<Length>)>, bool) {
    let start = &master.start;
    if !master.is_recurring() {
        return (vec![(start.local, None)], false);
    }
    // Occurrences starting this much before the window can still reach into it.
    let longest = later
        .iter()
        .map(|o| {
            let shift = o
                .recurrence_id
                .as_ref()
                .map_or(TimeDelta::zero(), |r| (o.start.utc() - r.utc()).abs());
            o.length.span() + shift
        })
        .chain(
            master
                .rdates
                .iter()
                .filter_map(|(_, l)| l.map(Length::span)),
        )
        .fold(master.length.span(), TimeDelta::max);
    let margin = longest + TimeDelta::days(2);
    let to_local = |instant: DateTime<Utc>| {
        if start.date_only {
            instant.naive_utc()
        } else {
            start.zone.to_local(instant)
        }
    };
    let bounds = Bounds {
        from: to_local(
            window
                .start
                .checked_sub_signed(margin)
                .unwrap_or(window.start),
        ),
        to: to_local(
            window
                .end
                .checked_add_signed(TimeDelta::days(2))
                .unwrap_or(window.end),
        ),
        limit: MAX_OCCURRENCES * 2,
    };
    let mut starts: Vec<(NaiveDateTime, Option<Length>)> = Vec::new();
    let mut truncated = false;
    let mut last_until: Option<NaiveDateTime> = None;
    let mut every_rule_ends = !master.rules.is_empty();
    for rule in &master.rules {
        let until = match rule.until.as_deref().map(|u| (u, parse_written(u))) {
            None => None,
            Some((_, Some(written))) => Some(until_local(written, start)),
            Some((raw, None)) => {
                report.at(
                    master.label.clone(),
                    format!("RRULE UNTIL '{raw}' is not a date or date-time; the rule is ignored"),
                );
                continue;
            }
        };
        match until {
            Some(until) => {
                last_until = Some(last_until.map_or(until, |l: NaiveDateTime| l.max(until)));
            }
            None => every_rule_ends = false,
        }
        let expansion = rule.expand(start.local, until, start.date_only, bounds);
        truncated |= expansion.truncated;
        starts.extend(expansion.starts.into_iter().map(|s| (s, None)));
    }
    // DTSTART is the first occurrence (RFC 5545 §3.8.5.3), unless every rule ended before it.
    if !(every_rule_ends && last_until.is_some_and(|until| start.local > until)) {
        starts.push((start.local, None));
    }
    for (rdate, length) in &master.rdates {
        let local = if start.date_only || rdate.date_only {
            rdate.local
        } else {
            to_local(rdate.utc())
        };
        starts.push((local, *length));
    }
    // A PERIOD's own length wins over the plain occurrence at the same start.
    starts.sort_by_key(|(local, length)| (*local, length.is_none()));
    starts.dedup_by_key(|(local, _)| *local);
    starts.retain(|(local, _)| {
        let moment = Moment {
            local: *local,
            zone: start.zone.clone(),
            date_only: start.date_only,
            written_zone: None,
        };
        !master.exdates.iter().any(|e| same_occurrence(e, &moment))
    });
    (starts, truncated)
}

/// UNTIL in the wall-clock frame of DTSTART. A UTC UNTIL is converted (for an all-day
/// series, to a day in the calendar's zone: Outlook writes the last day's local midnight
/// in UTC). A DATE UNTIL on a timed series, which RFC 5545 forbids, is read as the start
/// of that day, as python-dateutil and libical read it.
fn until_local(until: Written, start: &Moment) -> NaiveDateTime {
    match until {
        Written::Date(date) => date.and_time(NaiveTime::MIN),
        Written::Local(local) if start.date_only => local.date().and_time(NaiveTime::MIN),
        Written::Local(local) => local,
        Written::Utc(utc) if start.date_only => start
            .zone
            .to_local(utc.and_utc())
            .date()
            .and_time(NaiveTime::MIN),
        Written::Utc(utc) => start.zone.to_local(utc.and_utc()),
    }
}

/// Adds one occurrence of `draft` starting at `local` (wall-clock in `zone_of`'s zone) if
/// it overlaps the window; says whether it did.
/// Emits a modified instance at its own start, with its own length.
fn push_instance(
    events: &mut Vec<Event>,
    window: &ExpansionWindow,
    instance: &Draft,
    recurrence_id: Option<DateTime<Utc>>,
) -> bool {
    push(
        events,
        window,
        instance,
        recurrence_id,
        &instance.start,
        instance.start.local,
        instance.length,
    )
}

fn push(
    events: &mut Vec<Event>,
    window: &ExpansionWindow,
    draft: &Draft,
    recurrence_id: Option<DateTime<Utc>>,
    zone_of: &Moment,
    local: NaiveDateTime,
    length: Length,
) -> bool {
    let starts_at = if zone_of.date_only {
        local.and_utc()
    } else {
        zone_of.zone.to_utc(local)
    };
    let ends_at = length.end(zone_of, local).max(starts_at);
    // The window bounds recurrence expansion; a single event is kept wherever it falls.
    if recurrence_id.is_some() && !window.overlaps(starts_at, ends_at) {
        return false;
    }
    let original = recurrence_id.unwrap_or(starts_at);
    let details = &draft.details;
    events.push(Event {
        source_key: format!("ics:{}@{}", draft.uid, original.to_rfc3339()),
        uid: draft.uid.clone(),
        recurrence_id,
        summary: details.summary.clone(),
        description: details.description.clone(),
        location: details.location.clone(),
        starts_at,
        ends_at,
        all_day: zone_of.date_only,
        status: details.status,
        attendees: details.attendees.clone(),
    });
    true
}
