import { describe, expect, it } from 'vitest';
import type { PersonSummary } from '../backend';
import { displayName, explainTerms, filterPeople, flagCounts, fold, organizationOptions, peopleByOrganization } from './people';

function person(
  person_id: number,
  name: string | null,
  emails: string[],
  organization: string | null,
  flags: Partial<Pick<PersonSummary, 'fading' | 'new_this_period' | 'owe_reply'>> = {},
): PersonSummary {
  return {
    rank: person_id,
    person_id,
    name,
    emails,
    organization,
    score: 10 - person_id,
    sent: 1,
    received: 1,
    meetings: 0,
    first_contact_at: null,
    last_contact_at: null,
    explanation: [],
    fading: false,
    new_this_period: false,
    unanswered: flags.owe_reply ? 2 : 0,
    owe_reply: false,
    ...flags,
  };
}

const people = [
  person(1, 'Léa Fontaine', ['lea.fontaine@larkspur.example'], 'larkspur.example', { owe_reply: true }),
  person(2, 'Sofia Moretti', ['moretti.sofia21@gmail.com', 'sofia@moretti.example'], 'moretti.example', { fading: true }),
  person(3, 'Jonas Becker', ['jonas.becker@larkspur.example'], 'larkspur.example', { fading: true, new_this_period: false }),
  person(4, null, ['ops@brightwave.example'], 'brightwave.example'),
  person(5, 'Dana Okafor', ['dana@gmail.com'], null, { new_this_period: true }),
];

describe('filterPeople', () => {
  it('keeps everyone, in rank order, without a query or organisation', () => {
    expect(filterPeople(people, { query: '  ', organization: null }).map((p) => p.person_id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('matches names without regard to case or accents', () => {
    expect(filterPeople(people, { query: 'LEA', organization: null }).map((p) => p.person_id)).toEqual([1]);
    expect(filterPeople(people, { query: 'léa', organization: null }).map((p) => p.person_id)).toEqual([1]);
  });

  it('matches any of the addresses, and every word must match', () => {
    expect(filterPeople(people, { query: 'moretti.example', organization: null }).map((p) => p.person_id)).toEqual([2]);
    expect(filterPeople(people, { query: 'larkspur jonas', organization: null }).map((p) => p.person_id)).toEqual([3]);
    expect(filterPeople(people, { query: 'larkspur sofia', organization: null })).toEqual([]);
  });

  it('filters by organisation, together with the query', () => {
    expect(filterPeople(people, { query: '', organization: 'larkspur.example' }).map((p) => p.person_id)).toEqual([1, 3]);
    expect(filterPeople(people, { query: 'becker', organization: 'larkspur.example' }).map((p) => p.person_id)).toEqual([3]);
    expect(filterPeople(people, { query: 'sofia', organization: 'larkspur.example' })).toEqual([]);
  });
});

describe('flags', () => {
  it('filters by the engine’s flags, with the other filters', () => {
    expect(filterPeople(people, { query: '', organization: null, flag: 'fading' }).map((p) => p.person_id)).toEqual([2, 3]);
    expect(filterPeople(people, { query: '', organization: null, flag: 'new' }).map((p) => p.person_id)).toEqual([5]);
    expect(filterPeople(people, { query: '', organization: null, flag: 'owe_reply' }).map((p) => p.person_id)).toEqual([1]);
    expect(filterPeople(people, { query: '', organization: 'larkspur.example', flag: 'fading' }).map((p) => p.person_id)).toEqual([3]);
    expect(filterPeople(people, { query: '', organization: null, flag: 'all' })).toHaveLength(5);
  });

  it('counts each flag', () => {
    expect(flagCounts(people)).toEqual({ all: 5, fading: 2, new: 1, owe_reply: 1 });
  });
});

describe('organisations of the list', () => {
  it('lists each organisation once, strongest first, with its count; freemail has none', () => {
    expect(organizationOptions(people)).toEqual([
      { domain: 'larkspur.example', people: 2 },
      { domain: 'moretti.example', people: 1 },
      { domain: 'brightwave.example', people: 1 },
    ]);
  });

  it('groups people by organisation in rank order', () => {
    const groups = peopleByOrganization(people);
    expect(groups.get('larkspur.example')?.map((p) => p.person_id)).toEqual([1, 3]);
    expect(groups.has('gmail.com')).toBe(false);
  });
});

describe('explainTerms', () => {
  it('sizes adding terms by their share and marks factors', () => {
    const terms = explainTerms([
      { count: 271, value: 30, text: '271 messages you sent (diluted by recipients, decayed): 30.0' },
      { count: 180, value: 10, text: '180 messages from them (diluted by recipients, decayed): 10.0' },
      { count: 451, value: 0.96, text: 'two-way factor ×0.96 (×1.00 when you write to each other equally)' },
      { count: 159, value: 1.2, text: 'both of you start threads (88 by you, 71 by them): ×1.2' },
    ]);
    expect(terms.map((term) => term.role)).toEqual(['adds', 'adds', 'multiplies', 'multiplies']);
    expect(terms.map((term) => term.share)).toEqual([0.75, 0.25, 0, 0]);
  });

  it('never divides by zero', () => {
    expect(explainTerms([{ count: 0, value: 0, text: '0 messages: 0.0' }])[0]?.share).toBe(0);
  });
});

describe('names', () => {
  it('falls back to the first address', () => {
    expect(displayName({ name: '  ', emails: ['ops@brightwave.example'] })).toBe('ops@brightwave.example');
    expect(displayName({ name: 'Jonas', emails: [] })).toBe('Jonas');
  });

  it('folds accents away', () => {
    expect(fold('Jürgen Ørsted Éa')).toBe('jurgen ørsted ea');
  });
});
