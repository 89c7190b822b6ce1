/**
 * Pure logic of the Wrapped screen: which windows to offer, the cards a report makes
 * (each with its number, the comparison with the window before and the evidence it rests
 * on) and the weekday × hour heatmap. Locale and time zone are parameters so tests pin them.
 */
import type { RankedPerson, WrappedReport, WrappedWindow } from '../backend';
import { formatCount, formatPercent, type FormatOptions } from '../format';

export const DEFAULT_DAYS = 90;

/** The same window as a stable string, for pickers and cache keys. */
export function windowKey(window: WrappedWindow): string {
  return window.kind === 'last_days' ? `days-${window.days}` : `year-${window.year}`;
}

export function parseWindowKey(key: string): WrappedWindow | null {
  const match = /^(days|year)-(\d+)$/.exec(key);
  if (match === null) return null;
  const value = Number(match[2]);
  return match[1] === 'days' ? { kind: 'last_days', days: value } : { kind: 'year', year: value };
}

export function windowLabel(window: WrappedWindow): string {
  return window.kind === 'last_days' ? `Last ${window.days} days` : String(window.year);
}

/** What the comparison is against, in words: "the 90 days before", "2023". */
export function previousLabel(window: WrappedWindow): string {
  return window.kind === 'last_days' ? `the ${window.days} days before` : String(window.year - 1);
}

/**
 * The windows worth offering: the last 90 days, then every calendar year that holds mail,
 * newest first. Without dates (nothing imported), the current year.
 */
export function windowOptions(
  firstMessageAt: string | null,
  lastMessageAt: string | null,
  now: Date,
): WrappedWindow[] {
  const year = (iso: string | null) => {
    const date = iso === null ? null : new Date(iso);
    return date === null || Number.isNaN(date.getTime()) ? null : date.getFullYear();
  };
  const last = Math.min(year(lastMessageAt) ?? now.getFullYear(), now.getFullYear());
  const first = Math.min(year(firstMessageAt) ?? last, last);
  const years: WrappedWindow[] = [];
  for (let y = last; y >= first && years.length < 30; y -= 1) years.push({ kind: 'year', year: y });
  return [{ kind: 'last_days', days: DEFAULT_DAYS }, ...years];
}

/**
 * The window to open with: the last 90 days if the newest mail falls in them, else the
 * year of the newest mail (an archive of old mail would show an empty quarter).
 */
export function defaultWindow(lastMessageAt: string | null, now: Date): WrappedWindow {
  const last = lastMessageAt === null ? null : new Date(lastMessageAt);
  const recent = now.getTime() - DEFAULT_DAYS * 86_400_000;
  if (last === null || Number.isNaN(last.getTime()) || last.getTime() >= recent) {
    return { kind: 'last_days', days: DEFAULT_DAYS };
  }
  return { kind: 'year', year: last.getFullYear() };
}

/** `changed`: a different person, organisation or day than before (no better or worse). */
export type Trend = 'up' | 'down' | 'same' | 'new' | 'gone' | 'changed';

export interface Comparison {
  trend: Trend;
  /** E.g. "+18% on the 90 days before", "3 points fewer than 2023". */
  text: string;
}

/** A count compared with the previous window's. */
export function compareCounts(
  current: number,
  previous: number,
  against: string,
  options: FormatOptions = {},
): Comparison {
  if (previous === 0 && current === 0) return { trend: 'same', text: `None in ${against} either` };
  if (previous === 0) return { trend: 'new', text: `None in ${against}` };
  if (current === 0) return { trend: 'gone', text: `${formatCount(previous, options)} in ${against}` };
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.005) return { trend: 'same', text: `Same as ${against}` };
  const percent = new Intl.NumberFormat(options.locale, {
    style: 'percent',
    maximumFractionDigits: 0,
    signDisplay: 'always',
  }).format(change);
  return { trend: change > 0 ? 'up' : 'down', text: `${percent} on ${against} (${formatCount(previous, options)})` };
}

/** A share compared with the previous window's, in percentage points. */
export function compareShares(
  current: number,
  previous: number,
  against: string,
  options: FormatOptions = {},
): Comparison {
  const points = Math.round((current - previous) * 100);
  if (points === 0) return { trend: 'same', text: `Same as ${against} (${formatPercent(previous, options)})` };
  const unit = Math.abs(points) === 1 ? 'point' : 'points';
  return {
    trend: points > 0 ? 'up' : 'down',
    text: `${points > 0 ? '+' : '−'}${Math.abs(points)} ${unit} on ${against} (${formatPercent(previous, options)})`,
  };
}

/** Minutes as a readable span: `45 min`, `6.6 h`, `2.1 days`. */
export function formatMinutes(minutes: number, { locale }: FormatOptions = {}): string {
  const number = (value: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
  if (minutes < 60) return `${number(Math.max(0, minutes))} min`;
  if (minutes < 48 * 60) return `${number(minutes / 60)} h`;
  return `${number(minutes / 1440)} days`;
}

function compareMinutes(current: number | null, previous: number | null, against: string, options: FormatOptions): Comparison | null {
  if (current === null || previous === null) return null;
  if (previous <= 0) return null;
  const change = (current - previous) / previous;
  if (Math.abs(change) < 0.005) return { trend: 'same', text: `Same as ${against}` };
  return {
    trend: change > 0 ? 'up' : 'down',
    text: `${change > 0 ? 'Slower' : 'Faster'} than ${against} (${formatMinutes(previous, options)})`,
  };
}

export interface HeatmapCell {
  weekday: number;
  hour: number;
  count: number;
  /** 0 (none) to 4 (the busiest hour), for the colour scale. */
  level: number;
}

export interface Heatmap {
  cells: HeatmapCell[];
  max: number;
  total: number;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * The report's messages by weekday (Monday first) and hour as 7 × 24 cells with a colour
 * level each, or `null` when the report carries no such data (missing, misshapen or empty).
 * Levels split (0, max] in four equal bands, so the busiest hour is always level 4.
 */
export function bucketHeatmap(rows: readonly (readonly number[])[] | undefined): Heatmap | null {
  if (rows?.length !== 7 || rows.some((row) => row.length !== 24)) return null;
  const cells: HeatmapCell[] = [];
  let max = 0;
  let total = 0;
  for (const [weekday, row] of rows.entries()) {
    for (const [hour, raw] of row.entries()) {
      const count = Number.isFinite(raw) && raw > 0 ? raw : 0;
      max = Math.max(max, count);
      total += count;
      cells.push({ weekday, hour, count, level: 0 });
    }
  }
  if (total === 0) return null;
  for (const cell of cells) {
    cell.level = cell.count === 0 ? 0 : Math.min(4, Math.ceil((cell.count / max) * 4));
  }
  return { cells, max, total };
}

export interface ListItem {
  label: string;
  detail: string;
  count: string;
  /** The person the line is about, who opens in People. */
  personId?: number;
}

/** One side of a this-window-against-the-one-before bar pair. */
export interface Bar {
  label: string;
  value: number;
  display: string;
  /** `value` over the larger of the pair, in [0, 1]. */
  fraction: number;
}

export interface WrappedCard {
  id: string;
  title: string;
  value: string;
  caption: string;
  comparison: Comparison | null;
  evidence: string;
  list?: ListItem[];
  heatmap?: Heatmap;
  /** This window against the one before, when the report has the one before. */
  bars?: [Bar, Bar];
}

/** The bar pair of a figure against the previous window's, or nothing without one. */
export function versus(
  window: WrappedWindow,
  current: number,
  previous: number | undefined,
  display: (value: number) => string,
): { bars: [Bar, Bar] } | Record<string, never> {
  if (previous === undefined) return {};
  const top = Math.max(current, previous);
  const fraction = (value: number) => (top > 0 ? Math.max(0, value) / top : 0);
  const before = previousLabel(window);
  return {
    bars: [
      { label: windowLabel(window), value: current, display: display(current), fraction: fraction(current) },
      {
        label: before.charAt(0).toUpperCase() + before.slice(1),
        value: previous,
        display: display(previous),
        fraction: fraction(previous),
      },
    ],
  };
}

function personItems(people: readonly RankedPerson[], unit: string, options: FormatOptions): ListItem[] {
  return people.map((person) => ({
    label: person.name?.trim() || person.email,
    detail: person.email,
    count: `${formatCount(person.count, options)} ${unit}`,
    personId: person.person_id,
  }));
}

function hourLabel(hour: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(hour)}:00–${pad((hour + 1) % 24)}:00`;
}

/** The date range of a report, `[from, to)`, as inclusive local dates. */
export function reportRange(report: Pick<WrappedReport, 'from' | 'to'>, options: FormatOptions = {}): string {
  const format = new Intl.DateTimeFormat(options.locale, { dateStyle: 'medium', timeZone: options.timeZone });
  const from = new Date(report.from);
  const last = new Date(new Date(report.to).getTime() - 1);
  if (Number.isNaN(from.getTime()) || Number.isNaN(last.getTime())) return '';
  return format.formatRange(from, last);
}

/** The cards of a report, in the order they are shown. */
export function buildCards(
  report: WrappedReport,
  window: WrappedWindow,
  options: FormatOptions = {},
): WrappedCard[] {
  const previous = report.previous;
  const against = previousLabel(window);
  const count = (value: number) => formatCount(value, options);
  const percent = (value: number) => formatPercent(value, options);
  const counts = (current: number, before: number | undefined) =>
    before === undefined ? null : compareCounts(current, before, against, options);
  const shares = (current: number, before: number | undefined) =>
    before === undefined ? null : compareShares(current, before, against, options);
  const range = reportRange(report, options);

  const cards: WrappedCard[] = [
    {
      id: 'messages',
      title: 'Messages',
      value: count(report.sent + report.received),
      caption: `${count(report.sent)} sent · ${count(report.received)} received`,
      comparison: counts(report.sent + report.received, previous ? previous.sent + previous.received : undefined),
      evidence: `Deduplicated messages dated ${range}: ${count(report.sent)} from you, ${count(report.received)} to you, newsletters included.`,
      ...versus(window, report.sent + report.received, previous ? previous.sent + previous.received : undefined, count),
    },
    {
      id: 'people',
      title: 'People',
      value: count(report.people),
      caption: `${count(report.new_people)} new`,
      comparison: counts(report.people, previous?.people),
      evidence: `People you exchanged mail with or met, ${range}; ${count(report.new_people)} of them for the first time.`,
      ...versus(window, report.people, previous?.people, count),
    },
  ];

  const [topPerson] = report.top_people;
  if (topPerson) {
    cards.push({
      id: 'top-people',
      title: 'Your people',
      value: topPerson.name?.trim() || topPerson.email,
      caption: 'closest in this window',
      comparison: previous
        ? {
            trend: previous.top_people[0]?.person_id === topPerson.person_id ? 'same' : 'changed',
            text:
              previous.top_people[0] === undefined
                ? `Nobody topped ${against}`
                : previous.top_people[0].person_id === topPerson.person_id
                  ? `Also first in ${against}`
                  : `${previous.top_people[0].name?.trim() || previous.top_people[0].email} was first in ${against}`,
          }
        : null,
      evidence: 'Ranked by messages exchanged and meetings shared in the window.',
      list: personItems(report.top_people, 'together', options),
    });
  }

  const [topOrganization] = report.top_organizations;
  if (topOrganization) {
    cards.push({
      id: 'top-organizations',
      title: 'Organisations',
      value: topOrganization.display_name || topOrganization.name,
      caption: 'where most of your mail went',
      comparison: previous
        ? {
            trend: previous.top_organizations[0]?.name === topOrganization.name ? 'same' : 'changed',
            text:
              previous.top_organizations[0] === undefined
                ? `No organisation in ${against}`
                : previous.top_organizations[0].name === topOrganization.name
                  ? `Also first in ${against}`
                  : `${previous.top_organizations[0].display_name || previous.top_organizations[0].name} was first in ${against}`,
          }
        : null,
      evidence: 'Messages and meetings with people at each organisation (by domain, freemail left out).',
      list: report.top_organizations.map((organization) => ({
        label: organization.display_name || organization.name,
        detail: organization.domain,
        count: count(organization.count),
      })),
    });
  }

  const heatmap = bucketHeatmap(report.heatmap);
  if (report.busiest_weekday !== null && report.busiest_hour !== null) {
    cards.push({
      id: 'rhythm',
      title: 'Your rhythm',
      value: `${report.busiest_weekday}s`,
      caption: `busiest hour ${hourLabel(report.busiest_hour)}`,
      comparison:
        previous?.busiest_weekday
          ? {
              trend: previous.busiest_weekday === report.busiest_weekday ? 'same' : 'changed',
              text:
                previous.busiest_weekday === report.busiest_weekday
                  ? `${previous.busiest_weekday}s in ${against} too`
                  : `${previous.busiest_weekday}s in ${against}`,
            }
          : null,
      evidence: heatmap
        ? `${count(heatmap.total)} messages by local weekday and hour; the darkest cell holds ${count(heatmap.max)}.`
        : 'Messages by local weekday and hour.',
      ...(heatmap ? { heatmap } : {}),
    });
  }

  const replies = report.median_reply_minutes;
  if (replies.mine !== null || replies.theirs !== null) {
    const mine = replies.mine === null ? null : formatMinutes(replies.mine, options);
    const theirs = replies.theirs === null ? null : formatMinutes(replies.theirs, options);
    cards.push({
      id: 'replies',
      title: 'Reply time',
      value: mine ?? theirs ?? '',
      caption: mine === null ? 'their median reply' : `your median reply${theirs === null ? '' : ` · theirs ${theirs}`}`,
      comparison: compareMinutes(
        replies.mine ?? replies.theirs,
        (replies.mine === null ? previous?.median_reply_minutes.theirs : previous?.median_reply_minutes.mine) ?? null,
        against,
        options,
      ),
      evidence: 'Medians of replies sent between 10 seconds and 7 days after the message they answer.',
    });
  }

  cards.push(
    {
      id: 'threads',
      title: 'Conversations started',
      value: count(report.threads_started),
      caption: 'threads you began',
      comparison: counts(report.threads_started, previous?.threads_started),
      evidence: `Threads whose first message is yours, ${range}.`,
      ...versus(window, report.threads_started, previous?.threads_started, count),
    },
    {
      id: 'meetings',
      title: 'Meetings',
      value: count(report.meetings.count),
      caption: `${new Intl.NumberFormat(options.locale, { maximumFractionDigits: 1 }).format(report.meetings.hours)} hours`,
      comparison: counts(report.meetings.count, previous?.meetings.count),
      evidence:
        report.top_meeting_partners[0] === undefined
          ? 'Calendar events with at least one other attendee.'
          : `Calendar events with other attendees; most often with ${report.top_meeting_partners[0].name?.trim() || report.top_meeting_partners[0].email}.`,
      ...(report.top_meeting_partners.length > 0
        ? { list: personItems(report.top_meeting_partners, 'meetings', options) }
        : {}),
    },
    {
      id: 'streak',
      title: 'Longest streak',
      value: `${count(report.longest_streak_days)} ${report.longest_streak_days === 1 ? 'day' : 'days'}`,
      caption: 'in a row with mail sent',
      comparison: counts(report.longest_streak_days, previous?.longest_streak_days),
      evidence: 'Consecutive local days on which you sent at least one message.',
      ...versus(window, report.longest_streak_days, previous?.longest_streak_days, (days) => `${count(days)} d`),
    },
    {
      id: 'after-hours',
      title: 'After hours',
      value: percent(report.after_hours_share),
      caption: `of your mail · ${percent(report.weekend_share)} on weekends`,
      comparison: shares(report.after_hours_share, previous?.after_hours_share),
      evidence: 'Mail you sent on weekends or outside 09:00–18:00 on weekdays, local time.',
      ...versus(window, report.after_hours_share, previous?.after_hours_share, percent),
    },
    {
      id: 'newsletters',
      title: 'Newsletters',
      value: percent(report.newsletters_share),
      caption: 'of the mail you received',
      comparison: shares(report.newsletters_share, previous?.newsletters_share),
      evidence: `Newsletters and notifications among the ${count(report.received)} messages you received.`,
      ...versus(window, report.newsletters_share, previous?.newsletters_share, percent),
    },
  );
  return cards;
}
