import { describe, expect, it } from 'vitest';
import type { PersonSummary } from '../backend';
import {
  appendPage,
  displayName,
  EVERYONE,
  explainTerms,
  fold,
  noMatch,
  organizationOptions,
  peopleCount,
  peopleQuery,
  sameCriteria,
} from './people';
import { personSummary } from './person-fixture';

function person(
  person_id: number,
  name: string | null,
  emails: string[],
  organization: string | null,
  flags: Partial<Pick<PersonSummary, 'fading' | 'new_this_period' | 'owe_reply'>> = {},
): PersonSummary {
  return personSummary({
    rank: person_id,
    person_id,
    name,
    emails,
    organization,
    score: 10 - person_id,
    sent: 1,
    received: 1,
    unanswered: flags.owe_reply ? 2 : 0,
    ...flags,
  });
}

const people = [
  person(1, 'Léa Fontaine', ['lea.fontaine@larkspur.example'], 'larkspur.example', { owe_reply: true }),
  person(2, 'Sofia Moretti', ['moretti.sofia21@gmail.com', 'sofia@moretti.example'], 'moretti.example', { fading: true }),
  person(3, 'Jonas Becker', ['jonas.becker@larkspur.example'], 'larkspur.example', { fading: true, new_this_period: false }),
  person(4, null, ['ops@brightwave.example'], 'brightwave.example'),
  person(5, 'Dana Okafor', ['dana@gmail.com'], null, { new_this_period: true }),
];

describe('the engine’s query', () => {
  it('asks for a page of the criteria, the search’s words separated by single spaces', () => {
    expect(peopleQuery({ search: '  léa   acme ', organization: 'acme.example', flag: 'fading' }, 100, 50)).toEqual({
      search: 'léa acme',
      filter: 'fading',
      organization: 'acme.example',
      offset: 100,
      limit: 50,
    });
  });

  it('treats searches that differ only in spaces as the same, and nothing else', () => {
    expect(sameCriteria({ ...EVERYONE, search: ' lea  park' }, { ...EVERYONE, search: 'lea park ' })).toBe(true);
    expect(sameCriteria({ ...EVERYONE, search: '   ' }, EVERYONE)).toBe(true);
    expect(sameCriteria({ ...EVERYONE, search: 'lea' }, EVERYONE)).toBe(false);
    expect(sameCriteria({ ...EVERYONE, flag: 'new' }, EVERYONE)).toBe(false);
    expect(sameCriteria({ ...EVERYONE, organization: 'acme.example' }, EVERYONE)).toBe(false);
  });
});

describe('describing a page', () => {
  it('counts everyone, or the matches among everyone', () => {
    expect(peopleCount(12_345, 12_345, EVERYONE, 'en-US')).toBe('12,345 people');
    expect(peopleCount(3, 12_345, { ...EVERYONE, search: 'lea' }, 'en-US')).toBe('3 of 12,345 people');
    expect(peopleCount(0, 7, { ...EVERYONE, flag: 'fading' }, 'en-US')).toBe('0 of 7 people');
  });

  it('says why nobody is listed', () => {
    expect(noMatch({ search: ' zebra ', organization: 'northwind.example', flag: 'all' })).toBe(
      'Nobody matches “zebra” at northwind.example.',
    );
    expect(noMatch({ search: '', organization: 'larkspur.example', flag: 'fading' })).toBe(
      'Nobody here at larkspur.example among “Fading”.',
    );
  });

  it('appends a page without repeating anyone already loaded', () => {
    const [first, second, third] = people;
    if (!first || !second || !third) throw new Error('the fixture has people');
    expect(appendPage([first, second], [second, third]).map((p) => p.person_id)).toEqual([1, 2, 3]);
    expect(appendPage([], [first])).toEqual([first]);
  });
});

describe('organisations', () => {
  it('offers the engine’s organisations in its order, and a chosen one whatever the list', () => {
    const organizations = [
      { domain: 'larkspur.example', people: 2 },
      { domain: 'moretti.example', people: 1 },
    ];
    expect(organizationOptions(organizations, 'moretti.example')).toEqual(organizations);
    expect(organizationOptions([], 'acme.example')).toEqual([{ domain: 'acme.example', people: null }]);
    expect(organizationOptions(organizations, null)).toEqual(organizations);
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
