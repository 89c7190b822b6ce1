import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { calls, expect, seriousViolations, test } from './fixtures';
import { MARCUS_MERGED, SOFIA_SPLIT } from './person-data';
import { SAMPLE_STATS, type Scenario } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function openPeople(
  openApp: (overrides?: Partial<Scenario>) => Promise<Page>,
  overrides: Partial<Scenario> = {},
): Promise<Page> {
  const page = await openApp({ stats: SAMPLE_STATS, ...overrides });
  await page.getByTestId('nav-people').click();
  await expect(page.getByTestId('person-row')).toHaveCount(7);
  return page;
}

/** Opens the person of list row `index` (0 = strongest) with the keyboard: arrows, then Enter. */
async function openByKeyboard(page: Page, index: number) {
  const rows = page.getByTestId('person-row');
  await rows.first().focus();
  for (let step = 0; step < index; step += 1) await page.keyboard.press('ArrowDown');
  await expect(rows.nth(index)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('person-page')).toHaveAttribute('aria-busy', 'false');
}

async function decisions(page: Page) {
  return (await calls(page)).filter((call) => call.cmd === 'merge_people' || call.cmd === 'split_person');
}

test.describe('person page', () => {
  test('opens from People by keyboard with the addresses, timeline and why; Escape returns to the list as it was', async ({ openApp }) => {
    const page = await openPeople(openApp);
    await openByKeyboard(page, 0);

    const person = page.getByTestId('person-page');
    await expect(person.getByTestId('person-name')).toHaveText('Priya Raman');
    await expect(person.getByTestId('person-name'), 'focus moves to the page').toBeFocused();
    await expect(person).toContainText('larkspur.example');
    await expect(person).toContainText('strength · #1');
    await expect(person.getByTestId('person-page-score')).toHaveText('93');
    await expect(person.getByTestId('person-address')).toHaveText(['priya.raman@larkspur.example Priya Raman']);
    await expect(person.getByRole('button', { name: /^Split/ }), 'one address: nothing to split').toHaveCount(0);
    await expect(person.getByTestId('person-why')).toContainText('271 messages you sent');

    // Ten months of mail and a quiet March the engine leaves out, filled in: eleven bars, each named.
    const bars = person.getByTestId('timeline-bar');
    await expect(bars).toHaveCount(11);
    await expect(bars.nth(2)).toHaveAttribute('aria-label', 'March 2026: 0 sent, 0 received, 0 meetings');
    await expect(bars.nth(8)).toHaveAttribute('aria-label', 'September 2026: 31 sent, 22 received, 27 meetings');
    const filled = (bar: number) =>
      bars.nth(bar).evaluate((element) => Array.from(element.children).reduce((sum, part) => sum + part.getBoundingClientRect().height, 0));
    const full = await bars.nth(8).evaluate((element) => element.getBoundingClientRect().height);
    expect(Math.round(await filled(8)), 'the busiest month fills the chart').toBe(Math.round(full));
    expect(await filled(2), 'a quiet month has no bar').toBe(0);
    expect(Math.round(await filled(0)), 'January (50 of September’s 80) is scaled to it').toBe(Math.round((full * 50) / 80));
    await expect(person.getByTestId('timeline-chart')).toHaveAttribute('aria-label', /^From January 2026 to November 2026: 251 sent/);
    await person.getByText('Month by month').click();
    await expect(person.getByTestId('timeline-table').getByRole('row')).toHaveCount(12);
    await expect(person.getByTestId('timeline-table').getByRole('row').nth(1)).toContainText('November 2026');

    await expect(person.getByTestId('person-waiting-none')).toBeVisible();
    await expect(person.getByTestId('person-neighbourhood')).toContainText('Came into your threads directly.');
    await expect(person.getByTestId('person-neighbourhood')).toContainText(/One of \d+ people in their community, with/);
    await expect(page.getByTestId('person-row').first(), 'the list is hidden under the page').toBeHidden();
    await page.screenshot({ path: `${SCREENSHOTS}person-light.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: `${SCREENSHOTS}person-dark.png`, fullPage: true });
    expect(await seriousViolations(page), 'dark theme').toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await seriousViolations(page), 'light theme').toEqual([]);

    await page.keyboard.press('Escape');
    await expect(person).toHaveCount(0);
    const rows = page.getByTestId('person-row');
    await expect(rows.first(), 'focus returns to the row the page was opened from').toBeFocused();
    await expect(rows.first()).toHaveAttribute('aria-current', 'true');
    const asked = (await calls(page)).filter((call) => call.cmd === 'get_person').map((call) => call.args);
    expect(asked).toEqual([{ query: '99' }]);
  });

  test('Back keeps the list’s search, selection and scroll', async ({ openApp }) => {
    const page = await openPeople(openApp);
    await page.setViewportSize({ width: 1100, height: 420 });
    await page.getByTestId('people-search').fill('larkspur');
    await expect(page.getByTestId('person-row')).toHaveCount(3);
    const scrolled = await page.evaluate(() => {
      const main = document.querySelector('main');
      if (main) main.scrollTop = 120;
      return main?.scrollTop ?? 0;
    });
    expect(scrolled, 'the list is scrolled').toBeGreaterThan(0);
    await page.getByTestId('person-row').nth(2).click();
    await expect(page.getByTestId('person-name')).toHaveText('Léa Fontaine');
    expect(await page.evaluate(() => document.querySelector('main')?.scrollTop), 'the page opens at its top').toBe(0);
    await page.getByTestId('person-back').click();
    await expect(page.getByTestId('people-search')).toHaveValue('larkspur');
    await expect(page.getByTestId('person-row').nth(2)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('person-row').nth(2)).toBeFocused();
    expect(await page.evaluate(() => document.querySelector('main')?.scrollTop ?? -1)).toBe(scrolled);
  });

  test('a proposed merge goes through its confirmation and the page shows the merged person', async ({ openApp }) => {
    const page = await openPeople(openApp, { merged: MARCUS_MERGED });
    await openByKeyboard(page, 3);
    const person = page.getByTestId('person-page');
    await expect(person.getByTestId('person-name')).toHaveText('Marcus Webb');
    await expect(person.getByTestId('person-address')).toHaveCount(1);
    const proposal = person.getByTestId('merge-proposal');
    await expect(proposal).toHaveCount(1);
    await expect(proposal).toContainText('maybe the same person: M. Webb');
    await expect(proposal).toContainText('— same local part: marcus_webb');

    await proposal.getByRole('button', { name: 'Merge with M. Webb' }).click();
    const dialog = page.getByRole('dialog', { name: 'Merge Marcus Webb and M. Webb?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(
      'Marcus Webb (marcus_webb@northwind.example) and M. Webb (marcus_webb@northwind-energy.example) become one person with 2 addresses',
    );
    await expect(dialog.getByRole('button', { name: 'Cancel' }), 'the safe choice has the focus').toBeFocused();
    await page.screenshot({ path: `${SCREENSHOTS}person-merge-dialog-light.png` });
    expect(await seriousViolations(page)).toEqual([]);
    expect(await decisions(page), 'nothing is recorded before the confirmation').toEqual([]);

    const queried = (await calls(page)).filter((call) => call.cmd === 'query_people').length;
    await dialog.getByRole('button', { name: 'Merge' }).click();
    await expect(dialog).toBeHidden();
    expect(await decisions(page)).toEqual([{ cmd: 'merge_people', args: { a: '127', b: '412' } }]);
    await expect(person.getByTestId('person-address')).toHaveText([
      'marcus_webb@northwind.example Marcus Webb Split',
      'marcus_webb@northwind-energy.example M. Webb Split',
    ]);
    await expect(person.getByTestId('merge-proposal')).toHaveCount(0);
    await expect(person.getByTestId('person-page-score')).toHaveText('45');
    await expect(person.getByTestId('person-notice')).toHaveText('Merged: Marcus Webb now has 2 addresses.');
    await expect(person.getByRole('button', { name: /^Split/ })).toHaveCount(2);
    await page.getByTestId('person-back').click();
    await expect
      .poll(async () => (await calls(page)).filter((call) => call.cmd === 'query_people').length, {
        message: 'back on the list, the People list is asked for again',
      })
      .toBe(queried + 1);
  });

  test('cancelling a split records nothing; confirming splits the chosen address off', async ({ openApp }) => {
    const page = await openPeople(openApp, { split: SOFIA_SPLIT });
    await openByKeyboard(page, 1);
    const person = page.getByTestId('person-page');
    await expect(person.getByTestId('person-address')).toHaveCount(2);
    await expect(person.getByTestId('person-unanswered').getByRole('listitem')).toHaveText([
      /Studio lease — can you sign by Friday\?\s*Nov 18, 2026/,
      /Photos from Lisbon\s*Nov 12, 2026/,
    ]);
    await expect(person).toContainText('2 to answer');

    const split = person.getByRole('button', { name: 'Split sofia@moretti-studio.example off' });
    await split.click();
    const dialog = page.getByRole('dialog', { name: 'Split sofia@moretti-studio.example off Sofia Moretti?' });
    await expect(dialog).toContainText('sofia@moretti-studio.example becomes a person of its own');
    await expect(dialog).toContainText('Sofia Moretti keeps moretti.sofia21@gmail.com.');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(split, 'focus goes back to the button that asked').toBeFocused();

    await split.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog, 'Escape cancels the dialog').toBeHidden();
    await expect(person, 'and leaves the page open').toBeVisible();
    expect(await decisions(page), 'a cancelled split calls nothing').toEqual([]);
    await expect(person.getByTestId('person-address')).toHaveCount(2);

    await split.click();
    await dialog.getByRole('button', { name: 'Split' }).click();
    await expect(dialog).toBeHidden();
    expect(await decisions(page)).toEqual([
      { cmd: 'split_person', args: { person: '61', email: 'sofia@moretti-studio.example' } },
    ]);
    await expect(person.getByTestId('person-address')).toHaveText(['moretti.sofia21@gmail.com Sofia Moretti']);
    await expect(person.getByRole('button', { name: /^Split/ }), 'one address left: nothing more to split').toHaveCount(0);
    await expect(person.getByTestId('person-notice')).toHaveText(
      'sofia@moretti-studio.example is now a person of its own; Sofia Moretti keeps 1 address.',
    );
  });

  test('a merge the engine refuses is shown with its message, and the page stays as it was', async ({ openApp }) => {
    const page = await openPeople(openApp, {
      decisionError: { code: 'invalid_input', message: '127 and 412 are already one person' },
    });
    await openByKeyboard(page, 3);
    const person = page.getByTestId('person-page');
    await person.getByRole('button', { name: 'Merge with M. Webb' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Merge' }).click();
    await expect(page.getByRole('dialog')).toBeHidden();
    const alert = person.getByRole('alert');
    await expect(alert).toContainText('That change was not made');
    await expect(alert.getByTestId('error-message')).toHaveText('127 and 412 are already one person');
    await expect(person.getByTestId('person-name')).toHaveText('Marcus Webb');
    await expect(person.getByTestId('person-address')).toHaveText(['marcus_webb@northwind.example Marcus Webb']);
    await expect(person.getByTestId('merge-proposal'), 'the proposal is still there to retry').toHaveCount(1);
    await expect(person.getByTestId('timeline-bar').first()).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}person-merge-error-light.png` });
  });

  test('the graph opens a person’s page, which names who introduced them and opens the introducer', async ({ openApp }) => {
    const page = await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('nav-graph').click();
    await page.getByTestId('graph-search').fill('jonas');
    await page.getByTestId('graph-matches').getByRole('button', { name: 'Jonas Becker' }).click();
    const person = page.getByTestId('person-page');
    await expect(person.getByTestId('person-name')).toHaveText('Jonas Becker');
    await expect(person.getByTestId('person-neighbourhood')).toContainText('Introduced by Priya Raman.');
    await person.getByTestId('person-neighbourhood').getByRole('button', { name: 'Priya Raman' }).click();
    await expect(person.getByTestId('person-name')).toHaveText('Priya Raman');
    await expect(person.getByTestId('person-name'), 'the new person’s name has the focus').toBeFocused();
    await expect(person.getByTestId('timeline-bar')).toHaveCount(11);
    await person.getByTestId('person-back').click();
    await expect(page.getByTestId('person-detail').getByRole('heading', { level: 2 })).toHaveText('Priya Raman');
  });

  test('skeletons while the person loads, then the engine’s error with a retry', async ({ openApp }) => {
    const page = await openPeople(openApp, {
      insightsDelayMs: 1000,
      personError: { code: 'store_unavailable', message: 'the database is locked by another Kindred (pid 4242)' },
    });
    await page.getByTestId('person-row').first().click();
    const person = page.getByTestId('person-page');
    await expect(person, 'the header shows the list’s summary at once').toHaveAttribute('aria-busy', 'true');
    await expect(person.getByTestId('person-name')).toHaveText('Priya Raman');
    const alert = person.getByRole('alert');
    await expect(alert.getByTestId('error-message')).toHaveText('the database is locked by another Kindred (pid 4242)');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(async () => (await calls(page)).filter((call) => call.cmd === 'get_person').length).toBe(2);
  });
});
