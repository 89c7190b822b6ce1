/**
 * People over a ranking longer than a page: the screen asks the engine for one page first,
 * loads more as the list scrolls or the keyboard goes past its end, and a search, a flag or
 * an organisation is answered by the engine over everyone — so anyone can be found.
 */
import type { Page } from '@playwright/test';
import type { OrganizationSummary } from '../src/lib/backend/bindings';
import { calls, expect, test } from './fixtures';
import { makePeople } from './insight-data';
import { MARCUS_MERGED } from './person-data';
import { SAMPLE_STATS, type Scenario } from './scenario';

/** One of the fixture's organisations: every 40th person from the 11th, 25 of 1,000. */
const ORG11: OrganizationSummary = {
  rank: 1,
  domain: 'org11.example',
  name: 'Org11',
  is_mine: false,
  score: 120,
  people: 25,
  sent: 300,
  received: 320,
  meetings: 40,
};

async function openPeople(openApp: (overrides?: Partial<Scenario>) => Promise<Page>, people: number): Promise<Page> {
  const page = await openApp({ stats: SAMPLE_STATS, people: makePeople(people), organizations: [ORG11] });
  await page.getByTestId('nav-people').click();
  return page;
}

/** The queries the screen sent the engine, in order. */
async function queries(page: Page): Promise<Record<string, unknown>[]> {
  return (await calls(page)).filter((call) => call.cmd === 'query_people').map((call) => call.args.query as Record<string, unknown>);
}

test('the first page is asked for as the app opens, and the first visit shows it without asking again', async ({ openApp }) => {
  const page = await openApp({ stats: SAMPLE_STATS, people: makePeople(1000), organizations: [ORG11] });
  const everyone = { search: '', filter: 'all', organization: null, offset: 0, limit: 100 };
  await expect.poll(() => queries(page)).toEqual([everyone]);
  await page.getByTestId('nav-people').click();
  await expect(page.getByTestId('person-row')).toHaveCount(100);
  expect(await queries(page)).toEqual([everyone]);
});

test('the first visit asks for one page; a search finds a person ranked far beyond it', async ({ openApp }) => {
  const page = await openPeople(openApp, 1000);
  const rows = page.getByTestId('person-row');
  await expect(rows).toHaveCount(100);
  await expect(page.getByTestId('people-count')).toHaveText('1,000 people');
  expect(await queries(page)).toEqual([{ search: '', filter: 'all', organization: null, offset: 0, limit: 100 }]);
  await expect(page.getByTestId('people-list').getByText('Person 950', { exact: true })).toHaveCount(0);

  const typed = 'PERSON.950@';
  await page.getByTestId('people-search').pressSequentially(typed);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Person 950');
  await expect(rows.first().locator('.rank')).toHaveText('950');
  await expect(page.getByTestId('people-count')).toHaveText('1 of 1,000 people');
  await expect(page.getByTestId('person-detail').getByRole('heading', { level: 2 })).toHaveText('Person 950');
  const searches = (await queries(page)).slice(1).map((query) => query.search);
  expect(searches.at(-1), 'the last query has every keystroke').toBe(typed);
  expect(searches.length, 'typing is answered once it pauses, not on every key').toBeLessThan(typed.length);

  // An organisation's people, over everyone too: the weakest at org11 ranks 971.
  await page.getByTestId('people-search').fill('');
  await page.getByTestId('people-organization').selectOption('org11.example');
  await expect(page.getByTestId('people-count')).toHaveText('25 of 1,000 people');
  await expect(rows).toHaveCount(25);
  await expect(rows.last().locator('.rank')).toHaveText('971');
});

test('more people load as the list scrolls, and the keyboard goes on past the loaded end', async ({ openApp }) => {
  const page = await openPeople(openApp, 250);
  const rows = page.getByTestId('person-row');
  await expect(rows).toHaveCount(100);
  await expect(page.getByRole('button', { name: 'Show 100 more' })).toBeVisible();

  await rows.last().scrollIntoViewIfNeeded();
  await expect(rows).toHaveCount(200);
  await expect(page.getByTestId('people-count'), 'the count is the engine’s total, not what is loaded').toHaveText('250 people');

  await rows.first().focus();
  await page.keyboard.press('End');
  await expect(rows.nth(199)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rows).toHaveCount(250);
  await expect(rows.nth(200)).toBeFocused();
  await expect(page.getByTestId('person-detail').getByRole('heading', { level: 2 })).toHaveText('Person 201');
  await expect(page.getByRole('button', { name: /more$/ }), 'everyone is loaded').toHaveCount(0);
  expect((await queries(page)).map((query) => query.offset)).toEqual([0, 100, 200]);
});

test('a flag is answered by the engine over everyone, with its count', async ({ openApp }) => {
  const page = await openPeople(openApp, 1000);
  const flags = page.getByTestId('people-flags');
  // In the fixture Sofia (2nd) and every 31st person from the 31st are owed a reply: 33.
  await expect(flags.getByRole('radio', { name: /Owe a reply/ })).toContainText('33');
  await flags.getByRole('radio', { name: /Owe a reply/ }).click();
  await expect(page.getByTestId('person-row')).toHaveCount(33);
  await expect(page.getByTestId('people-count')).toHaveText('33 of 1,000 people');
  await expect(page.getByTestId('person-row').last().locator('.rank')).toHaveText('992');
});

test('an organisation opened in Organisations lists its people from the engine’s query', async ({ openApp }) => {
  const page = await openApp({ stats: SAMPLE_STATS, people: makePeople(1000), organizations: [ORG11] });
  await page.getByTestId('nav-organizations').click();
  await page.getByTestId('organization-row').first().getByRole('button', { expanded: false }).click();
  const members = page.getByTestId('organization-people');
  await expect(members.getByRole('button')).toHaveCount(26);
  await expect(members.getByRole('button').nth(24), 'its weakest, ranked 971').toContainText('Person 971');
  expect((await queries(page)).filter((query) => query.organization !== null)).toEqual([
    { search: '', filter: 'all', organization: 'org11.example', offset: 0, limit: 50 },
  ]);

  await members.getByRole('button', { name: 'Show in People' }).click();
  await expect(page.getByTestId('people-count')).toHaveText('25 of 1,000 people');
});

test('after a merge on a person’s page, Back finds the list asked for again', async ({ openApp }) => {
  const page = await openApp({ stats: SAMPLE_STATS, merged: MARCUS_MERGED });
  await page.getByTestId('nav-people').click();
  await page.getByTestId('person-row').filter({ hasText: 'Marcus Webb' }).click();
  const person = page.getByTestId('person-page');
  await person.getByRole('button', { name: 'Merge with M. Webb' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Merge' }).click();
  await expect(person.getByTestId('person-notice')).toHaveText('Merged: Marcus Webb now has 2 addresses.');
  expect(await queries(page), 'not while the list is out of sight').toHaveLength(1);

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('person-row')).toHaveCount(7);
  await expect.poll(async () => (await queries(page)).length, { message: 'the list is asked for again' }).toBe(2);
});
