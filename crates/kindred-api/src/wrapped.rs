//! Wrapped: how the person spent their attention over a window, compared with the window
//! before it. The figures are computed by `kindred-core`'s pure Wrapped from facts the
//! store holds, in the machine's local time zone (`TZ` respected).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Local, NaiveDate, SecondsFormat, TimeZone, Utc};
use kindred_core::wrapped::{self as core, MailFact, MeetingFact, Period, WrappedInput};

use kindred_store::interactions::Evidence;

use crate::directory::Directory;
use crate::dto::{
    MeetingFigures, RankedOrganizationDto, RankedPerson, ReplyMinutes, WrappedReport,
};
use crate::evidence::off_workers;
use crate::{ApiError, Kindred};

/// The artifact holding a window's Wrapped.
const WRAPPED_ARTIFACT: &str = "wrapped";

/// The window a Wrapped covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrappedWindow {
    /// The last N days up to now.
    LastDays(u32),
    /// A calendar year, local time.
    Year(i32),
    /// From the first local day to the last, both included.
    Dates { from: NaiveDate, to: NaiveDate },
}

fn local_midnight(date: NaiveDate) -> Option<DateTime<Utc>> {
    Local
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

impl WrappedWindow {
    fn period(self, now: DateTime<Utc>) -> Result<Period, ApiError> {
        let period = match self {
            Self::LastDays(days) => Some(core::last_days(now, days)),
            Self::Year(year) => core::calendar_year(year, &|naive| {
                Local
                    .from_local_datetime(&naive)
                    .earliest()
                    .map_or_else(|| naive.and_utc(), |at| at.with_timezone(&Utc))
            }),
            Self::Dates { from, to } => {
                if to < from {
                    return Err(ApiError::invalid_input(format!(
                        "--to {to} is before --from {from}; give the first day, then the last"
                    )));
                }
                local_midnight(from)
                    .zip(to.succ_opt().and_then(local_midnight))
                    .map(|(from, to)| Period { from, to })
            }
        };
        period.ok_or_else(|| ApiError::invalid_input(format!("{self:?} is not a window of dates")))
    }
}

impl Kindred {
    /// Wrapped for `window`, with the window of equal length before it in `previous`.
    ///
    /// # Errors
    /// The window is not a valid range of dates, or the store cannot be read.
    pub async fn wrapped(&self, window: WrappedWindow) -> Result<WrappedReport, ApiError> {
        let now = Utc::now();
        let period = window.period(now)?;
        // A rolling window moves with the clock: its stored figures serve for the hour.
        let zone = Local::now().format("%:z");
        let subject = match window {
            WrappedWindow::LastDays(_) => {
                format!("{window:?} at {} in {zone}", now.format("%Y-%m-%dT%H"))
            }
            WrappedWindow::Year(_) | WrappedWindow::Dates { .. } => format!("{window:?} in {zone}"),
        };
        let report = self
            .cached(WRAPPED_ARTIFACT, &subject, self.compute_wrapped(period))
            .await?;
        Ok(Arc::unwrap_or_clone(report))
    }

    async fn compute_wrapped(&self, period: Period) -> Result<WrappedReport, ApiError> {
        let directory = self.directory().await?;
        let evidence = self.evidence().await?;
        off_workers("computing Wrapped", move || {
            wrapped_of(&directory, &evidence, period)
        })
        .await
    }
}

/// Wrapped of `period` from `evidence`, counted by the people of `directory`.
fn wrapped_of(directory: &Directory, evidence: &Evidence, period: Period) -> WrappedReport {
    // The mail of this window and the one before it; who is new is read from the whole.
    let both = period.previous().from.timestamp_millis()..period.to.timestamp_millis();
    let messages = evidence.message_facts(&both);
    let recipients = evidence.my_recipients(&both);
    let meetings = evidence.meeting_facts();

    let organization_of: Vec<Option<String>> = directory
        .people
        .iter()
        .map(|person| person.organization.clone())
        .collect();
    let mut sent_to: HashMap<i64, Vec<u32>> = HashMap::new();
    for (message, address) in recipients {
        if let Some(person) = directory.index_of(address) {
            let people = sent_to.entry(message).or_default();
            if !people.contains(&person) {
                people.push(person);
            }
        }
    }
    let at = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let mail: Vec<MailFact> = messages
        .into_iter()
        .map(|m| MailFact {
            at: at(m.at),
            from_me: m.from_me,
            automated: m.automated,
            starts_thread: m.starts_thread,
            people: if m.from_me {
                sent_to.remove(&m.id).unwrap_or_default()
            } else {
                m.from_address_id
                    .and_then(|id| directory.index_of(id))
                    .into_iter()
                    .collect()
            },
            replies_to: m.parent_at.map(|parent| (at(parent), m.parent_mine)),
        })
        .collect();
    let meetings: Vec<MeetingFact> = meetings
        .into_iter()
        .map(|m| MeetingFact {
            starts_at: at(m.starts_at),
            minutes: m.minutes,
            people: {
                let mut people: Vec<u32> = m
                    .people
                    .iter()
                    .filter_map(|&id| directory.index_of(id))
                    .collect();
                people.sort_unstable();
                people.dedup();
                people
            },
        })
        .collect();
    let mut first_contact: Vec<Option<DateTime<Utc>>> = vec![None; directory.people.len()];
    for (address, when) in evidence.first_contacts() {
        if let Some(first) = directory
            .index_of(address)
            .and_then(|person| first_contact.get_mut(person as usize))
        {
            let when = at(when);
            *first = Some(first.map_or(when, |f| f.min(when)));
        }
    }

    let input = WrappedInput {
        mail: &mail,
        meetings: &meetings,
        organization_of: &organization_of,
        first_contact: &first_contact,
    };
    let to_local = |utc: DateTime<Utc>| utc.with_timezone(&Local).naive_local();
    let figures = core::wrapped(&input, period, &to_local);
    report(&figures, directory)
}

/// The DTO of `figures`, people resolved to their names and addresses.
fn report(figures: &core::Wrapped, directory: &Directory) -> WrappedReport {
    let people_by_index = &directory.people;
    let iso = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::Secs, true);
    let people = |ranked: &[core::Ranked]| -> Vec<RankedPerson> {
        ranked
            .iter()
            .filter_map(|r| {
                let person = people_by_index.get(r.id as usize)?;
                Some(RankedPerson {
                    person_id: person.id,
                    name: person.name.clone(),
                    email: person.emails.first().cloned().unwrap_or_default(),
                    count: r.count,
                })
            })
            .collect()
    };
    WrappedReport {
        from: iso(figures.from),
        to: iso(figures.to),
        sent: figures.sent,
        received: figures.received,
        people: figures.people,
        new_people: figures.new_people,
        top_people: people(&figures.top_people),
        top_organizations: figures
            .top_organizations
            .iter()
            .map(|o| RankedOrganizationDto {
                name: o.name.clone(),
                count: o.count,
                domain: o.name.clone(),
                display_name: directory.organization_name(&o.name),
            })
            .collect(),
        busiest_weekday: figures.busiest_weekday.clone(),
        busiest_hour: figures.busiest_hour,
        heatmap: figures.heatmap.iter().map(|day| day.to_vec()).collect(),
        median_reply_minutes: ReplyMinutes {
            mine: figures.median_reply_minutes.mine,
            theirs: figures.median_reply_minutes.theirs,
        },
        threads_started: figures.threads_started,
        meetings: MeetingFigures {
            count: figures.meetings.count,
            hours: figures.meetings.hours,
        },
        top_meeting_partners: people(&figures.top_meeting_partners),
        longest_streak_days: figures.longest_streak_days,
        after_hours_share: figures.after_hours_share,
        weekend_share: figures.weekend_share,
        newsletters_share: figures.newsletters_share,
        previous: figures
            .previous
            .as_deref()
            .map(|previous| Box::new(report(previous, directory))),
    }
}
