/**
 * Pure logic of the Person page: the timeline as bars (gaps filled, scaled to the busiest
 * month), what the merge and split confirmations say, and the person's place in the graph.
 */
import type {
  MergeProposal,
  PersonAddressDto,
  PersonDetail,
  RelationshipGraph,
  TimelineMonth,
} from '../backend';
import { displayName } from '../insights/people';

/** Months the chart shows at most: two years reads at a glance; the table has them all. */
export const CHART_MONTHS = 24;

/** The month after `month` (`YYYY-MM`). */
export function nextMonth(month: string): string {
  const [year = 0, number = 1] = month.split('-').map(Number);
  return number === 12 ? `${year + 1}-01` : `${year}-${String(number + 1).padStart(2, '0')}`;
}

/** Every month from the first to the last of `timeline`, the quiet ones as zeros. */
export function fillMonths(timeline: readonly TimelineMonth[]): TimelineMonth[] {
  const sorted = [...timeline].sort((a, b) => a.month.localeCompare(b.month));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (first === undefined || last === undefined) return [];
  const byMonth = new Map(sorted.map((month) => [month.month, month]));
  const filled: TimelineMonth[] = [];
  for (let month = first.month; month <= last.month; month = nextMonth(month)) {
    filled.push(byMonth.get(month) ?? { month, sent: 0, received: 0, meetings: 0 });
  }
  return filled;
}

/** A month as words: `2024-11` → `November 2024` (in en-US). */
export function monthName(month: string, locale?: string): string {
  const [year = 0, number = 1] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, number - 1, 1)),
  );
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One month of the chart: its figures, each part's height as a share of the chart, in words. */
export interface MonthBar extends TimelineMonth {
  total: number;
  heights: { sent: number; received: number; meetings: number };
  /** "November 2024: 12 sent, 8 received, 1 meeting" — the bar's accessible name. */
  description: string;
}

export interface TimelineChart {
  bars: MonthBar[];
  /** The busiest month's total: the top of the chart. */
  max: number;
  /** Earlier months left out of the chart (they are in the table). */
  earlier: number;
  totals: { sent: number; received: number; meetings: number };
  /** The whole chart in a sentence, for screen readers. */
  summary: string;
}

/**
 * The timeline as stacked bars, oldest first: the last `months` months of the filled
 * timeline, each part's height its share of the busiest month's total.
 */
export function timelineChart(
  timeline: readonly TimelineMonth[],
  months = CHART_MONTHS,
  locale?: string,
): TimelineChart {
  const filled = fillMonths(timeline);
  const shown = filled.slice(Math.max(0, filled.length - months));
  const max = shown.reduce((most, month) => Math.max(most, month.sent + month.received + month.meetings), 0);
  const scale = (value: number) => (max > 0 ? value / max : 0);
  const bars = shown.map((month) => ({
    ...month,
    total: month.sent + month.received + month.meetings,
    heights: { sent: scale(month.sent), received: scale(month.received), meetings: scale(month.meetings) },
    description: `${monthName(month.month, locale)}: ${month.sent} sent, ${month.received} received, ${plural(month.meetings, 'meeting', 'meetings')}`,
  }));
  const totals = shown.reduce(
    (sum, month) => ({
      sent: sum.sent + month.sent,
      received: sum.received + month.received,
      meetings: sum.meetings + month.meetings,
    }),
    { sent: 0, received: 0, meetings: 0 },
  );
  const first = bars[0];
  const last = bars.at(-1);
  const summary =
    first === undefined || last === undefined
      ? 'No messages or meetings yet.'
      : `From ${monthName(first.month, locale)} to ${monthName(last.month, locale)}: ${totals.sent} sent, ${totals.received} received, ${plural(totals.meetings, 'meeting', 'meetings')}; the busiest month had ${max}.`;
  return { bars, max, earlier: filled.length - shown.length, totals, summary };
}

/** What a confirmation dialog says before the person's decision is recorded. */
export interface Confirmation {
  title: string;
  body: string;
  confirm: string;
}

function who(name: string | null, emails: readonly string[]): string {
  return displayName({ name, emails: [...emails] });
}

/** "Dana Smith (dana@a.com, d@b.com)". */
function withAddresses(name: string | null, emails: readonly string[]): string {
  const label = who(name, emails);
  const rest = emails.filter((email) => email !== label);
  return rest.length === 0 ? label : `${label} (${rest.join(', ')})`;
}

/** The merge of `detail`'s person with a proposed other person, in words. */
export function mergeConfirmation(detail: PersonDetail, proposal: MergeProposal): Confirmation {
  const emails = detail.addresses.map((address) => address.email);
  const mine = withAddresses(detail.person.name, emails);
  const theirs = withAddresses(proposal.name, proposal.emails);
  const total = new Set([...emails, ...proposal.emails]).size;
  return {
    title: `Merge ${who(detail.person.name, emails)} and ${who(proposal.name, proposal.emails)}?`,
    body:
      `${mine} and ${theirs} become one person with ${plural(total, 'address', 'addresses')}: ` +
      'their mail, meetings and score are counted together. Kindred keeps this choice when it ' +
      'recomputes; you can split an address off again later.',
    confirm: 'Merge',
  };
}

/** Splitting `email` off `detail`'s person, in words. */
export function splitConfirmation(detail: PersonDetail, email: string): Confirmation {
  const name = who(detail.person.name, detail.addresses.map((address) => address.email));
  const remaining = detail.addresses.filter((address) => address.email !== email).map((address) => address.email);
  return {
    title: `Split ${email} off ${name}?`,
    body:
      `${email} becomes a person of its own, with its own mail, meetings and score. ` +
      `${name} keeps ${remaining.join(', ')}. Kindred keeps this choice when it recomputes.`,
    confirm: 'Split',
  };
}

/** An address can be split off only when the person has another one left. */
export function canSplit(addresses: readonly PersonAddressDto[]): boolean {
  return addresses.length >= 2;
}

/** Someone the page links to: a person (with an id to open) or me. */
export interface Neighbour {
  label: string;
  personId: number | null;
  isMe: boolean;
}

/** The person's place in the relationship graph, in the terms the page words it. */
export interface Neighbourhood {
  /** Who first brought them into my threads, if someone other than them did. */
  introducer: Neighbour | null;
  /** How many people share their community (them included, me not). */
  communitySize: number;
  /** The strongest others of their community. */
  community: Neighbour[];
}

/**
 * Where the person `personId` sits in `graph`, or `null` when the graph (pruned for
 * display) does not show them.
 */
export function neighbourhood(graph: RelationshipGraph, personId: number, others = 3): Neighbourhood | null {
  const node = graph.nodes.find((each) => each.person_id === personId);
  if (node === undefined) return null;
  const neighbour = (each: (typeof graph.nodes)[number]): Neighbour => ({
    label: each.label,
    personId: each.person_id,
    isMe: each.is_me,
  });
  const introducerNode =
    node.introduced_by === null ? undefined : graph.nodes.find((each) => each.id === node.introduced_by);
  const members = graph.nodes.filter((each) => !each.is_me && each.community === node.community);
  return {
    introducer: introducerNode === undefined || introducerNode.id === node.id ? null : neighbour(introducerNode),
    communitySize: members.length,
    community: members
      .filter((each) => each.id !== node.id)
      .sort((a, b) => b.score - a.score)
      .slice(0, others)
      .map(neighbour),
  };
}
