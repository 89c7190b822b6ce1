import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeoplePage, PeopleQuery, PersonSummary } from '../backend';
import { EVERYONE } from './people';
import { PEOPLE_PAGE, PeoplePages } from './people-pages.svelte';
import { personSummary } from './person-fixture';

interface Asked {
  query: PeopleQuery;
  answer: (page: PeoplePage) => void;
  fail: (error: unknown) => void;
}

// The engine's answers are held until a test gives them, in whatever order it chooses.
const asked: Asked[] = [];

vi.mock('../backend', () => ({
  queryPeople: (query: PeopleQuery) =>
    new Promise<PeoplePage>((answer, fail) => {
      asked.push({ query, answer, fail });
    }),
  toApiError: (error: unknown) => error,
}));

function person(id: number): PersonSummary {
  return personSummary({
    rank: id,
    person_id: id,
    name: `Person ${id}`,
    emails: [`person${id}@acme.example`],
    organization: 'acme.example',
    score: 1000 - id,
    sent: 1,
    received: 1,
  });
}

/** The page of `query` over a ranking of `ranked` people, of whom `total` match. */
function page(query: PeopleQuery, total: number, ranked = 1000): PeoplePage {
  const ids = Array.from({ length: Math.max(0, Math.min(query.limit, total - query.offset)) }, (_, i) => query.offset + i + 1);
  return { people: ids.map(person), total, counts: { all: total, fading: 0, new: 0, owe_reply: 0 }, ranked, top_score: 999 };
}

function next(): Asked {
  const call = asked.shift();
  if (call === undefined) throw new Error('the engine was not asked');
  return call;
}

beforeEach(() => {
  asked.length = 0;
});

describe('PeoplePages', () => {
  it('asks for the first page, and lets only the answer to the latest criteria land', async () => {
    const pages = new PeoplePages();
    const first = pages.show({ ...EVERYONE, search: 'l' });
    const latest = pages.show({ ...EVERYONE, search: 'lea' });
    const [slow, fast] = [next(), next()];
    expect(slow.query).toEqual({ search: 'l', filter: 'all', organization: null, offset: 0, limit: PEOPLE_PAGE });
    expect(fast.query.search).toBe('lea');

    fast.answer(page(fast.query, 3));
    await latest;
    slow.answer(page(slow.query, 500));
    await first;
    expect(pages.criteria.search, 'the older answer, arriving last, is dropped').toBe('lea');
    expect(pages.total).toBe(3);
    expect(pages.people?.map((each) => each.person_id)).toEqual([1, 2, 3]);
    expect(pages.status).toBe('ready');
  });

  it('shows what is loaded at once for the same criteria, and asks again after new evidence', async () => {
    const pages = new PeoplePages();
    const shown = pages.show(EVERYONE);
    const call = next();
    call.answer(page(call.query, 250));
    await shown;
    await pages.show({ ...EVERYONE, search: '  ' });
    expect(asked, 'a blank search is everyone, already loaded').toHaveLength(0);

    // A search still on its way when the person clears it again is dropped.
    void pages.show({ ...EVERYONE, search: 'x' });
    const dropped = next();
    await pages.show(EVERYONE);
    dropped.answer(page(dropped.query, 0));
    await Promise.resolve();
    expect(pages.total).toBe(250);

    pages.invalidate();
    const again = pages.show(EVERYONE);
    const reload = next();
    reload.answer(page(reload.query, 251));
    await again;
    expect(pages.total).toBe(251);
  });

  it('appends the next pages until everyone matching is loaded', async () => {
    const pages = new PeoplePages();
    const shown = pages.show(EVERYONE);
    const call = next();
    call.answer(page(call.query, 250));
    await shown;
    for (const offset of [100, 200]) {
      const more = pages.more();
      void pages.more();
      const nextPage = next();
      expect(asked, 'one page at a time').toHaveLength(0);
      expect(nextPage.query.offset).toBe(offset);
      nextPage.answer(page(nextPage.query, 250));
      await more;
    }
    expect(pages.people).toHaveLength(250);
    expect(pages.hasMore).toBe(false);
    await pages.more();
    expect(asked, 'nothing more to ask for').toHaveLength(0);
  });

  it('keeps a failure, and a retry asks again', async () => {
    const pages = new PeoplePages();
    const shown = pages.show(EVERYONE);
    next().fail({ code: 'store_unavailable', message: 'locked' });
    await shown;
    expect(pages.status).toBe('failed');
    expect(pages.error?.message).toBe('locked');
    const retried = pages.reload();
    const call = next();
    call.answer(page(call.query, 5));
    await retried;
    expect(pages.status).toBe('ready');
    expect(pages.error).toBeNull();
  });
});
