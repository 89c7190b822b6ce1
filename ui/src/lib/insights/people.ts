/**
 * Pure logic of the People and Organisations screens: what to ask the engine for a page of
 * people, how a page is described, and how much each term contributes to a score.
 */
import type { OrganizationSummary, PeopleFilter as Flag, PeopleQuery, PersonSummary, ScoreTermDto } from '../backend';
import { formatCount, numberFormat } from '../format';

/** Which people the screen shows; the engine searches and filters the whole ranking. */
export interface PeopleCriteria {
  /** Words matched against the name, every address and the organisation, case- and accent-insensitively. */
  search: string;
  /** A registrable domain, or `null` for everyone. */
  organization: string | null;
  /** Fading, new this period, owed a reply; `all` for everyone. */
  flag: Flag;
}

/** Everyone, strongest first. */
export const EVERYONE: PeopleCriteria = { search: '', organization: null, flag: 'all' };

/** The engine's flags, in the order the filter offers them. */
export const FLAGS: readonly { flag: Flag; label: string }[] = [
  { flag: 'all', label: 'Everyone' },
  { flag: 'fading', label: 'Fading' },
  { flag: 'new', label: 'New' },
  { flag: 'owe_reply', label: 'Owe a reply' },
];

/** Whether two criteria select the same people (a search differing only in spaces does). */
export function sameCriteria(a: PeopleCriteria, b: PeopleCriteria): boolean {
  return words(a.search) === words(b.search) && a.organization === b.organization && a.flag === b.flag;
}

function words(search: string): string {
  return search.trim().split(/\s+/).join(' ');
}

/** The engine's query for `limit` people of `criteria` from `offset`. */
export function peopleQuery(criteria: PeopleCriteria, offset: number, limit: number): PeopleQuery {
  return { search: words(criteria.search), filter: criteria.flag, organization: criteria.organization, offset, limit };
}

/**
 * `loaded` followed by the next page: anyone already loaded is left out (the ranking may
 * have moved between the pages, when new mail arrived), so every row is one person.
 */
export function appendPage(loaded: readonly PersonSummary[], next: readonly PersonSummary[]): PersonSummary[] {
  const ids = new Set(loaded.map((person) => person.person_id));
  return [...loaded, ...next.filter((person) => !ids.has(person.person_id))];
}

/** "12 people", or "3 of 12 people" when the criteria select some of them. */
export function peopleCount(total: number, ranked: number, criteria: PeopleCriteria, locale?: string): string {
  if (sameCriteria(criteria, EVERYONE)) return `${formatCount(ranked, { locale })} people`;
  return `${formatCount(total, { locale })} of ${formatCount(ranked, { locale })} people`;
}

/** Why nothing is listed: "Nobody matches “zebra” at acme.example among “Fading”." */
export function noMatch(criteria: PeopleCriteria): string {
  const search = words(criteria.search);
  const who = search === '' ? 'Nobody here' : `Nobody matches “${search}”`;
  const where = criteria.organization === null ? '' : ` at ${criteria.organization}`;
  const flag = FLAGS.find((each) => each.flag === criteria.flag);
  const among = criteria.flag === 'all' || flag === undefined ? '' : ` among “${flag.label}”`;
  return `${who}${where}${among}.`;
}

export interface OrganizationOption {
  domain: string;
  /** How many people it has; `null` for a domain chosen before the list arrived. */
  people: number | null;
}

/** The organisations to filter by, strongest first, with `chosen` among them whatever the list. */
export function organizationOptions(
  organizations: readonly Pick<OrganizationSummary, 'domain' | 'people'>[],
  chosen: string | null,
): OrganizationOption[] {
  const options: OrganizationOption[] = organizations.map(({ domain, people }) => ({ domain, people }));
  if (chosen !== null && !options.some((option) => option.domain === chosen)) {
    options.unshift({ domain: chosen, people: null });
  }
  return options;
}

/** Lower case without diacritics, so "lea" finds "Léa". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** How a person is shown: the name, else the first address. */
export function displayName(person: Pick<PersonSummary, 'name' | 'emails'>): string {
  const name = person.name?.trim();
  if (name) return name;
  return person.emails[0] ?? 'Unknown';
}

/** A term that adds to the score, or one that multiplies it (reciprocity, the two-way factor). */
export type TermRole = 'adds' | 'multiplies';

export interface TermView {
  text: string;
  role: TermRole;
  /** For adding terms: their share of all the adding terms, in [0, 1]. */
  share: number;
  value: number;
}

/**
 * The terms of a score, ready to show. The engine words a factor as "×1.2" in its text; the
 * additive terms are sized by their share of the sum.
 */
export function explainTerms(terms: readonly ScoreTermDto[]): TermView[] {
  const role = (term: ScoreTermDto): TermRole => (/×\s?\d/.test(term.text) ? 'multiplies' : 'adds');
  const total = terms
    .filter((term) => role(term) === 'adds')
    .reduce((sum, term) => sum + Math.max(0, term.value), 0);
  return terms.map((term) => {
    const termRole = role(term);
    const share = termRole === 'adds' && total > 0 ? Math.max(0, term.value) / total : 0;
    return { text: term.text, role: termRole, share, value: term.value };
  });
}

/** A score for display: one decimal below 10, whole numbers above. */
export function formatScore(score: number, locale?: string): string {
  return numberFormat(locale, { maximumFractionDigits: score < 10 ? 1 : 0 }).format(score);
}
