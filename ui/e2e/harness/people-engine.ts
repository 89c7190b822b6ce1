/**
 * The engine's people query (`query_people`) over a scenario's ranking, as kindred-api's
 * `people_page` answers it: every word of the search must occur in the name, an address
 * or the organisation (case and accents aside); the organisation and the flag narrow it;
 * the page is `limit` people from `offset`, with the total, each flag's count for the same
 * search and organisation, how many are ranked and the strongest score.
 */
import type { PeoplePage, PeopleQuery, PersonSummary } from '../../src/lib/backend/bindings';
import { fold } from '../../src/lib/insights/people';

// Folded once per person, as a search runs on every keystroke over tens of thousands.
const folded = new WeakMap<PersonSummary, string>();

function searchText(person: PersonSummary): string {
  let text = folded.get(person);
  if (text === undefined) {
    text = fold([person.name ?? '', ...person.emails, person.organization ?? ''].join('\n'));
    folded.set(person, text);
  }
  return text;
}

function selects(filter: PeopleQuery['filter'], person: PersonSummary): boolean {
  switch (filter) {
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

export function peoplePage(people: readonly PersonSummary[], query: PeopleQuery): PeoplePage {
  const words = fold(query.search).split(/\s+/).filter((word) => word.length > 0);
  const organization = query.organization?.trim().toLowerCase() || null;
  const counts = { all: 0, fading: 0, new: 0, owe_reply: 0 };
  const selected: PersonSummary[] = [];
  for (const person of people) {
    if (organization !== null && person.organization !== organization) continue;
    if (words.length > 0) {
      const text = searchText(person);
      if (!words.every((word) => text.includes(word))) continue;
    }
    counts.all += 1;
    if (person.fading) counts.fading += 1;
    if (person.new_this_period) counts.new += 1;
    if (person.owe_reply) counts.owe_reply += 1;
    if (selects(query.filter, person)) selected.push(person);
  }
  return {
    people: selected.slice(query.offset, query.offset + query.limit),
    total: selected.length,
    counts,
    ranked: people.length,
    top_score: people[0]?.score ?? 0,
  };
}
