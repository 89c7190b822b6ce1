import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { calls, expect, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function statValue(page: Page, name: string): Promise<string> {
  return (await page.getByTestId(`stat-${name}`).textContent())?.trim() ?? '';
}

test.describe('first run', () => {
  test('offers the three ways in and says where the data goes', async ({ openApp }) => {
    const page = await openApp();
    await expect(page.getByRole('heading', { name: 'Kindred', level: 1 })).toBeVisible();

    const explore = page.getByTestId('explore-sample');
    await expect(explore).toBeEnabled();
    await expect(explore).toContainText('Explore the sample mailbox');
    await expect(page.getByTestId('import-mailbox')).toContainText('Import a mailbox…');
    const google = page.getByTestId('connect-google');
    await expect(google).toContainText('Connect Google');
    await expect(google).toBeEnabled();

    await expect(page.getByText('Everything stays on this device')).toBeVisible();
    await expect(page.getByRole('navigation'), 'no rail before there is anything to navigate').toHaveCount(0);

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENSHOTS}first-run-${scheme}.png` });
    }
  });

  test('Explore streams progress, then shows the summary and the overview', async ({ openApp }) => {
    const page = await openApp({
      progress: { steps: 20, intervalMs: 250, bytesTotal: 48_000_000, messages: 12_482, events: 1_376 },
    });
    await page.getByTestId('explore-sample').click();

    const view = page.getByTestId('import-view');
    await expect(view).toHaveAttribute('data-status', 'running');

    // No layout jank: the panel keeps its exact size while figures stream in.
    const panel = view.locator('.panel');
    const sizes = new Set<string>();
    for (let sample = 0; sample < 6; sample += 1) {
      const box = await panel.boundingBox();
      if (box !== null) sizes.add(`${box.x},${box.y},${box.width},${box.height}`);
      await page.waitForTimeout(150);
    }
    await expect(view).toHaveAttribute('data-status', 'running');
    expect([...sizes], 'the progress panel does not move or resize while streaming').toHaveLength(1);
    await expect(page.getByRole('heading', { name: 'Importing the sample mailbox' })).toBeFocused();
    await expect(page.getByTestId('import-file')).toContainText('inbox.mbox');

    // Counts stream in: seen strictly between zero and the final total.
    const messages = page.getByTestId('import-messages');
    await expect
      .poll(async () => Number((await messages.textContent())?.replace(/\D/g, '')))
      .toBeGreaterThan(0);
    const midway = Number((await messages.textContent())?.replace(/\D/g, ''));
    expect(midway).toBeLessThan(12_482);
    await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', /^[1-9]\d?$/);
    await expect(page.getByTestId('import-bytes')).toContainText('MB of 48 MB');
    await expect(page.getByTestId('import-rate')).toHaveText(/^[\d,.]+$/);
    await expect(page.getByTestId('import-eta')).toContainText(/About .* left/);
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENSHOTS}import-progress-${scheme}.png` });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await expect(view).toHaveAttribute('data-status', 'finished', { timeout: 10_000 });
    const continueButton = page.getByRole('button', { name: 'Continue' });
    await expect(continueButton, 'focus follows the view to its next step').toBeFocused();
    await expect(page.getByTestId('summary-messages')).toHaveText('12,482');
    await expect(page.getByTestId('summary-events')).toHaveText('1,376');
    await expect(page.getByTestId('summary-duplicates')).toHaveText('37');

    const skipped = page.getByTestId('import-errors');
    await expect(skipped).toContainText('2 items could not be read');
    const reason = skipped.getByText('RRULE has an UNTIL before DTSTART');
    await expect(reason).toBeHidden();
    await skipped.locator('summary').click();
    await expect(reason).toBeVisible();
    await expect(skipped).toContainText('line 880');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENSHOTS}import-summary-${scheme}.png` });
    }

    await continueButton.click();

    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    expect(await statValue(page, 'messages')).toBe('12,482');
    expect(await statValue(page, 'events')).toBe('1,376');
    expect(await statValue(page, 'people')).toBe('843');
    expect(await statValue(page, 'organizations')).toBe('127');
    await expect(page.getByTestId('stat-messages')).toHaveAttribute('data-value', String(SAMPLE_STATS.messages));
    await expect(page.getByTestId('stat-range')).toHaveText('Mar 12, 2019 → Nov 4, 2024');

    // The sync status, accounts, start-at-login setting and the look for updates load beside this on start; they are not the import's.
    // Once the store has people, the People screen's first page is read ahead.
    const atStart = ['get_sync_status', 'list_accounts', 'get_autostart', 'take_update_check_request', 'check_for_update'];
    const invoked = async () => (await calls(page)).filter((call) => !atStart.includes(call.cmd));
    await expect
      .poll(async () => (await invoked()).map((call) => call.cmd))
      .toEqual(['get_stats', 'explore_sample', 'get_stats', 'query_people']);
    expect((await invoked())[1]?.args).toEqual({ onProgress: '<channel>' });
  });

  test('an import error is shown with its message and a way forward', async ({ openApp }) => {
    const message =
      'archive.mbox, line 1: this is not an mbox file (it starts with "PK", like a zip) — import it as a Google Takeout archive';
    const page = await openApp({ importError: { code: 'invalid_input', message } });
    await page.getByTestId('import-mailbox').click();

    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert.getByTestId('error-message')).toHaveText(message);
    await expect(alert).toHaveAttribute('data-code', 'invalid_input');
    await expect(alert).toContainText('Import of archive.mbox failed');
    await expect(alert.getByRole('button', { name: 'Try again' }), 'bad input is not retried').toHaveCount(0);
    await expect(alert.getByRole('button', { name: 'Choose other files…' })).toBeVisible();

    const importCall = (await calls(page)).find((call) => call.cmd === 'import_paths');
    expect(importCall?.args).toEqual({ paths: ['/home/dana/Mail/archive.mbox'], onProgress: '<channel>' });

    await alert.getByRole('button', { name: 'Back' }).click();
    await expect(page.getByTestId('explore-sample')).toBeVisible();
  });

  test('a transient import error can be retried', async ({ openApp }) => {
    const page = await openApp({
      importError: { code: 'store_unavailable', message: 'the database is locked by another Kindred (pid 4242)' },
      importErrorTimes: 1,
      progress: { steps: 2, intervalMs: 50, bytesTotal: 1000, messages: 10, events: 0 },
    });
    await page.getByTestId('import-mailbox').click();
    await expect(page.getByTestId('error-message')).toHaveText('the database is locked by another Kindred (pid 4242)');
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENSHOTS}import-error-${scheme}.png` });
    }
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('import-view')).toHaveAttribute('data-status', 'finished');
    const imports = (await calls(page)).filter((call) => call.cmd === 'import_paths');
    expect(imports).toHaveLength(2);
  });

  test('cancelling the picker changes nothing', async ({ openApp }) => {
    const page = await openApp({ pickedPaths: null });
    await page.getByTestId('import-mailbox').click();
    await expect.poll(async () => (await calls(page)).map((call) => call.cmd)).toContain('plugin:dialog|open');
    await expect(page.getByTestId('explore-sample')).toBeVisible();
    expect((await calls(page)).some((call) => call.cmd === 'import_paths')).toBe(false);
  });

  test('files dropped on the window are imported', async ({ openApp }) => {
    const page = await openApp({ progress: { steps: 2, intervalMs: 50, bytesTotal: 1000, messages: 10, events: 2 } });
    await expect(page.getByTestId('explore-sample')).toBeVisible();
    await page.evaluate(() => window.__KINDRED_DROP__(['/home/dana/Downloads/takeout.zip', '/home/dana/cal.ics']));
    await expect(page.getByTestId('import-view')).toBeVisible();
    await expect(page.getByRole('heading', { name: /Importing 2 items|Import complete/ })).toBeVisible();
    const importCall = (await calls(page)).find((call) => call.cmd === 'import_paths');
    expect(importCall?.args.paths).toEqual(['/home/dana/Downloads/takeout.zip', '/home/dana/cal.ics']);
  });

  test('keyboard: Tab reaches the explore card and Enter starts it', async ({ openApp }) => {
    const page = await openApp();
    const explore = page.getByTestId('explore-sample');
    await expect(explore).toBeVisible();
    let reached = false;
    for (let presses = 0; presses < 10 && !reached; presses += 1) {
      await page.keyboard.press('Tab');
      reached = await explore.evaluate((element) => element === document.activeElement);
    }
    expect(reached, 'the explore card is in the tab order').toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}first-run-focus-light.png` });
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('import-view')).toBeVisible();
    expect((await calls(page)).map((call) => call.cmd)).toContain('explore_sample');
  });

  test('keyboard: Space activates the import card', async ({ openApp }) => {
    const page = await openApp({ pickedPaths: null });
    await page.getByTestId('import-mailbox').focus();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await calls(page)).map((call) => call.cmd)).toContain('plugin:dialog|open');
  });
});

test.describe('overview', () => {
  test('shows the counts and the span of the mail', async ({ openApp }) => {
    const page = await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Kindred' })).toBeVisible();
    await expect(page.getByTestId('nav-overview')).toHaveAttribute('aria-current', 'page');
    expect(await statValue(page, 'messages')).toBe('12,482');
    expect(await statValue(page, 'events')).toBe('1,376');
    expect(await statValue(page, 'people')).toBe('843');
    expect(await statValue(page, 'organizations')).toBe('127');
    await expect(page.getByTestId('stat-range')).toHaveText('Mar 12, 2019 → Nov 4, 2024');
  });

  test('search highlights matches and never renders HTML from mail', async ({ openApp }) => {
    const page = await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();

    await page.keyboard.press('/');
    const input = page.getByTestId('search-input');
    await expect(input, '"/" focuses search').toBeFocused();
    await input.fill('acme');
    await input.press('Enter');

    const hits = page.getByTestId('search-hit');
    await expect(hits).toHaveCount(3);
    await expect(page.getByTestId('search-status')).toHaveText('3 messages match “acme”');
    await expect(hits.first()).toContainText('Acme launch plan for Q3');
    await expect(hits.first()).toContainText('Dana Whitfield <dana@acme.example>');
    await expect(hits.first().locator('time')).toHaveText('Oct 28, 2024');
    await expect(hits.first().locator('mark')).toHaveText(['Acme', 'Acme']);
    await expect(hits.first().getByTestId('search-snippet')).not.toContainText('[');

    const hostile = hits.nth(2);
    await expect(hostile.locator('img, script, b')).toHaveCount(0);
    await expect(hostile.getByTestId('search-snippet')).toContainText('<img src=x onerror="window.__pwned=1">');
    await expect(hostile.locator('mark')).toHaveText('<b>Acme</b>');
    await expect(hostile).toContainText('[JIRA] ACME-42 <b>markup</b> in subject');
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();

    const search = (await calls(page)).find((call) => call.cmd === 'search_messages');
    expect(search?.args).toEqual({ query: 'acme', limit: 50 });

    await page.getByTestId('search-input').blur();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.screenshot({ path: `${SCREENSHOTS}overview-${scheme}.png` });
    }
    await page.setViewportSize({ width: 720, height: 760 });
    await page.screenshot({ path: `${SCREENSHOTS}overview-narrow-dark.png` });

    await input.focus();
    await input.press('Escape');
    await expect(input).toHaveValue('');
    await expect(hits).toHaveCount(0);
  });

  test('a search with no results says so', async ({ openApp }) => {
    const page = await openApp({ stats: SAMPLE_STATS, searchHits: [] });
    const input = page.getByTestId('search-input');
    await input.fill('zebra');
    await input.press('Enter');
    await expect(page.getByTestId('search-status')).toHaveText('No messages match “zebra”.');
  });

  test('a failed search shows the engine’s message', async ({ openApp }) => {
    const page = await openApp({
      stats: SAMPLE_STATS,
      searchError: { code: 'invalid_input', message: 'search "acme AND": AND needs a term after it' },
    });
    const input = page.getByTestId('search-input');
    await input.fill('acme AND');
    await input.press('Enter');
    await expect(page.getByTestId('error-message')).toHaveText('search "acme AND": AND needs a term after it');
  });

  test('Import more… runs an import and refreshes the counts', async ({ openApp }) => {
    const page = await openApp({
      stats: { ...SAMPLE_STATS, messages: 10 },
      progress: { steps: 2, intervalMs: 50, bytesTotal: 1000, messages: 10, events: 0 },
    });
    expect(await statValue(page, 'messages')).toBe('10');
    await page.getByTestId('import-more').click();
    await expect(page.getByTestId('import-view')).toHaveAttribute('data-status', 'finished');
    await expect(page.getByRole('navigation'), 'the rail stays during later imports').toBeVisible();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByTestId('stat-messages')).toHaveText('12,482');
  });

  test('a failure to load the counts is shown, and Try again recovers', async ({ openApp }) => {
    const page = await openApp({
      stats: SAMPLE_STATS,
      statsError: { code: 'wrong_key', message: 'the key in the keyring does not open kindred.db' },
    });
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('Kindred could not open your data');
    await expect(alert.getByTestId('error-message')).toHaveText('the key in the keyring does not open kindred.db');
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('stat-messages')).toHaveText('12,482');
  });
});

test('the window’s address keeps the screen, so a window made anew opens where the person left', async ({ openApp }) => {
  const page = await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-tasks').click();
  await expect(page).toHaveURL(/#tasks$/);

  await page.reload();
  await expect(page.getByTestId('nav-tasks')).toHaveAttribute('aria-current', 'page');

  await page.getByTestId('nav-overview').click();
  await expect(page).toHaveURL(/#overview$/);
  await page.reload();
  await expect(page.getByTestId('nav-overview')).toHaveAttribute('aria-current', 'page');
});

test('the shipped bundle does not contain the IPC mocks', () => {
  const dist = fileURLToPath(new URL('../dist/', import.meta.url));
  const assets = readdirSync(`${dist}assets`);
  expect(assets.some((name) => name.endsWith('.js'))).toBe(true);
  for (const name of [...assets.map((asset) => `assets/${asset}`), 'index.html']) {
    const text = readFileSync(`${dist}${name}`, 'utf8');
    expect(text, name).not.toContain('__KINDRED_SCENARIO__');
    // A message only @tauri-apps/api/mocks contains.
    expect(text, name).not.toContain("Couldn't find callback id");
    expect(text, name).not.toContain('mocked engine');
  }
});
