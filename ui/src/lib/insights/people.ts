/**
 * Pure logic of the People and Organisations screens: filtering the ranked list, the
 * organisations to filter by, and how much each term contributes to a score.
 */
import type { PeopleFilter as Flag, PersonSummary, ScoreTermDto } from '../backend';
import { numberFormat } from '../format';

export interface PeopleFilter {
  /** Words matched against the name and every address, case- and accent-insensitively. */
  query: string;
  /** A registrable domain, or `null` for everyone. */
  organization: string | null;
  /** Fading, new this period, owed a reply; `all` (the default) for everyone. */
  flag?: Flag;
}

/** The engine's flags, in the order the filter offers them. */
export const FLAGS: readonly { flag: Flag; label: string }[] = [
  { flag: 'all', label: 'Everyone' },
  { flag: 'fading', label: 'Fading' },
  { flag: 'new', label: 'New' },
  { flag: 'owe_reply', label: 'Owe a reply' },
];

/** Whether `person` carries `flag`, as the engine set it. */
export function hasFlag(person: PersonSummary, flag: Flag): boolean {
  switch (flag) {
    case 'all':
      return true;
    case 'fading':
      return person.fading;
    case 'new':
      return person.new_this_period;
    case 'owe_reply':
      return person.owe_reply;
  }
}

/** How many people carry each flag. */
export function flagCounts(people: readonly PersonSummary[]): Record<Flag, number> {
  const counts: Record<Flag, number> = { all: people.length, fading: 0, new: 0, owe_reply: 0 };
  for (const person of people) {
    if (person.fading) counts.fading += 1;
    if (person.new_this_period) counts.new += 1;
    if (person.owe_reply) counts.owe_reply += 1;
  }
  return counts;
}

/** Lower case without diacritics, so "lea" finds "Léa". */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/**
 * The people matching `filter`, in their ranked order. Every word of the query must occur
 * in the name or in one of the addresses.
 */
export function filterPeople(
  people: readonly PersonSummary[],
  filter: PeopleFilter,
): PersonSummary[] {
  const words = fold(filter.query).split(/\s+/).filter((word) => word.length > 0);
  return people.filter((person) => {
    if (filter.organization !== null && person.organization !== filter.organization) return false;
    if (filter.flag !== undefined && !hasFlag(person, filter.flag)) return false;
    if (words.length === 0) return true;
    const haystack = searchText(person);
    return words.every((word) => haystack.includes(word));
  });
}

// Folded once per person (the list is filtered again on every keystroke).
const searchTexts = new WeakMap<PersonSummary, string>();

/** The name and addresses of `person`, folded for matching. */
function searchText(person: PersonSummary): string {
  let text = searchTexts.get(person);
  if (text === undefined) {
    text = fold([person.name ?? '', ...person.emails].join(' '));
    searchTexts.set(person, text);
  }
  return text;
}

export interface OrganizationOption {
  domain: string;
  people: number;
}

/** The organisations among `people`, strongest first (the order their best person ranks). */
export function organizationOptions(people: readonly PersonSummary[]): OrganizationOption[] {
  const counts = new Map<string, number>();
  for (const person of people) {
    if (person.organization === null) continue;
    counts.set(person.organization, (counts.get(person.organization) ?? 0) + 1);
  }
  return [...counts].map(([domain, count]) => ({ domain, people: count }));
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

/** The people of each organisation, in rank order, keyed by domain. */
export function peopleByOrganization(
  people: readonly PersonSummary[],
): Map<string, PersonSummary[]> {
  const byDomain = new Map<string, PersonSummary[]>();
  for (const person of people) {
    if (person.organization === null) continue;
    const list = byDomain.get(person.organization);
    if (list) list.push(person);
    else byDomain.set(person.organization, [person]);
  }
  return byDomain;
}
