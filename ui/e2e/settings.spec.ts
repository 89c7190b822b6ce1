import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';
import { ERASURE, settingsScenario, type SettingsScenario } from './settings-scenario';
import { DANA, syncScenario } from './sync-scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function openSettings(page: Page, openApp: () => Promise<Page>, overrides: Partial<SettingsScenario> = {}) {
  await page.addInitScript((s) => {
    window.__KINDRED_SETTINGS__ = s;
  }, settingsScenario(overrides));
  await openApp();
  await page.getByTestId('nav-settings').click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
}

async function commands(page: Page, cmd: string) {
  return (await calls(page)).filter((call) => call.cmd === cmd);
}

const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);
const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

test('the theme follows the system until one is chosen, and the choice survives a restart', async ({
  page,
  openApp,
}) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openSettings(page, () => openApp({ stats: SAMPLE_STATS }));
  await expect(page.getByTestId('theme-system')).toBeChecked();
  expect(await theme(page)).toBe('dark');
  const dark = await background(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await expect.poll(() => theme(page), 'a change of the system’s preference is followed').toBe('light');
  const light = await background(page);
  expect(light).not.toBe(dark);

  await page.getByTestId('theme-dark').check();
  expect(await theme(page)).toBe('dark');
  expect(await background(page)).toBe(dark);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await theme(page), 'a chosen theme ignores the system').toBe('dark');
  expect(await seriousViolations(page), 'dark').toEqual([]);

  await page.reload();
  await expect(page.getByTestId('nav-overview')).toBeVisible();
  expect(await theme(page), 'the choice is kept').toBe('dark');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('theme-dark')).toBeChecked();

  await page.getByTestId('theme-light').press('ArrowUp');
  await expect(page.getByTestId('theme-system')).toBeChecked();
  expect(await theme(page)).toBe('light');
  expect(await seriousViolations(page), 'light').toEqual([]);
});

test('nothing below moves while the parts of Settings arrive one by one', async ({ page, openApp }) => {
  await page.addInitScript((sync) => {
    window.__KINDRED_SYNC__ = sync;
  }, syncScenario({ accounts: [DANA] }));
  await page.addInitScript(() => {
    // Every frame from the first paint: where the "Delete all my data" button stands.
    const tops = new Set<number>();
    Reflect.set(window, '__deleteAllTops', tops);
    const watch = () => {
      const button = document.querySelector('[data-testid="delete-all"]');
      if (button !== null) tops.add(Math.round(button.getBoundingClientRect().top));
      requestAnimationFrame(watch);
    };
    requestAnimationFrame(watch);
  });
  await openApp({
    stats: SAMPLE_STATS,
    slowCommands: {
      get_sync_status: 300,
      list_accounts: 300,
      get_autostart: 500,
      get_retention_days: 700,
      get_extraction_label: 800,
      get_llm_settings: 900,
    },
  });
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('delete-all')).toBeVisible();
  await expect(page.getByTestId('llm-base-url'), 'the last part arrived').toBeVisible();
  await expect(page.getByTestId('retention')).toBeVisible();
  await expect(page.getByTestId('extraction-label')).toBeVisible();
  await expect(page.getByTestId('sync-state')).toBeVisible();
  await expect(page.getByTestId('autostart')).toBeVisible();
  await expect(page.getByTestId('account')).toHaveCount(1);
  const tops = await page.evaluate(
    () =>
      new Promise<number[]>((resolve) =>
        requestAnimationFrame(() =>
          requestAnimationFrame(() => resolve([...(Reflect.get(window, '__deleteAllTops') as Set<number>)])),
        ),
      ),
  );
  expect(tops, 'the button stays where it was first painted').toHaveLength(1);
});

test('a retention that deletes more is confirmed first; a longer one or off is applied at once', async ({
  page,
  openApp,
}) => {
  await openSettings(page, () => openApp({ stats: SAMPLE_STATS }));
  const select = page.getByTestId('retention');
  await expect(select).toHaveValue('off');
  await expect(page.getByTestId('retention-hint')).toHaveText('Kindred keeps all your mail and events.');

  await select.selectOption('90');
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Delete mail and events older than 90 days?');
  await expect(select, 'nothing changes until confirmed').toHaveValue('off');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await commands(page, 'set_retention_days')).toEqual([]);

  await select.selectOption('90');
  await dialog.getByTestId('confirm-action').click();
  await expect(select).toHaveValue('90');
  await expect(page.getByTestId('retention-hint')).toContainText('older than 90 days');
  await page.screenshot({ path: `${SCREENSHOTS}settings-retention.png`, fullPage: true });

  await select.selectOption('365');
  await expect(select).toHaveValue('365');
  await expect(dialog, 'keeping more is not asked').toBeHidden();
  await select.selectOption('off');
  await expect(select).toHaveValue('off');
  expect((await commands(page, 'set_retention_days')).map((call) => call.args)).toEqual([
    { days: 90 },
    { days: 365 },
    { days: null },
  ]);
});

test('a retention the engine refuses says why and stays as it was', async ({ page, openApp }) => {
  await openSettings(page, () => openApp({ stats: SAMPLE_STATS }), {
    retentionDays: 365,
    retentionError: { code: 'store_unavailable', message: 'the database is locked by another process' },
  });
  const select = page.getByTestId('retention');
  await expect(select).toHaveValue('365');
  await select.selectOption('1825');
  const error = page.getByTestId('error');
  await expect(error).toContainText('Changing the retention failed');
  await expect(error).toContainText('the database is locked by another process');
  await expect(select).toHaveValue('365');
});

test('the extraction label is chosen, shown trimmed as the engine keeps it, and cleared', async ({
  page,
  openApp,
}) => {
  await openSettings(page, () => openApp({ stats: SAMPLE_STATS }));
  const field = page.getByTestId('extraction-label');
  const hint = page.getByTestId('extraction-label-hint');
  await expect(field).toHaveValue('');
  await expect(hint).toContainText('No label chosen');
  await expect(page.getByTestId('extraction-label-clear')).toHaveCount(0);

  await field.fill('  Events ');
  await field.press('Enter');
  await expect(field).toHaveValue('Events');
  await expect(hint).toContainText('New mail labelled Events is read for an event once');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByTestId('extraction-label-clear').click();
  await expect(field).toHaveValue('');
  await expect(hint).toContainText('No label chosen');
  expect((await commands(page, 'set_extraction_label')).map((call) => call.args)).toEqual([
    { label: '  Events ' },
    { label: null },
  ]);
});

test('an extraction label the engine refuses says why and keeps what was typed', async ({ page, openApp }) => {
  await openSettings(page, () => openApp({ stats: SAMPLE_STATS }), {
    extractionLabel: 'Events',
    extractionLabelError: { code: 'invalid_input', message: 'the extraction label holds control characters' },
  });
  const field = page.getByTestId('extraction-label');
  await expect(field).toHaveValue('Events');
  await field.fill('Talks');
  await page.getByTestId('extraction-label-save').click();
  const error = page.getByTestId('error');
  await expect(error).toContainText('Changing the extraction label failed');
  await expect(error).toContainText('control characters');
  await expect(field, 'the typed label stays to be corrected').toHaveValue('Talks');
  await expect(page.getByTestId('extraction-label-hint')).toContainText('New mail labelled Events');
});

test('delete all my data asks for the word, deletes, and leaves only the way out', async ({ page, openApp }) => {
  await openSettings(page, () => openApp({ stats: SAMPLE_STATS }), {
    holdDelete: true,
    deleteError: { code: 'io', message: 'cannot delete /data/kindred.db: permission denied' },
  });
  await page.getByTestId('delete-all').click();
  const dialog = page.getByTestId('delete-all-dialog');
  const word = dialog.getByTestId('delete-all-word');
  const confirm = dialog.getByTestId('delete-all-confirm');
  await expect(word).toBeFocused();
  await expect(confirm).toBeDisabled();
  await word.fill('delet');
  await expect(confirm).toBeDisabled();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(await commands(page, 'delete_all_data'), 'cancelled: nothing deleted').toEqual([]);

  await page.getByTestId('delete-all').click();
  await expect(word, 'the word is asked afresh').toHaveValue('');
  await word.fill('delete');
  await confirm.click();
  await expect(confirm).toHaveText('Deleting…');
  await page.keyboard.press('Escape');
  await expect(dialog, 'the deletion cannot be walked away from').toBeVisible();
  await page.evaluate(() => window.__KINDRED_RELEASE_DELETE__?.());
  await expect(dialog.getByTestId('error')).toContainText('permission denied');

  await confirm.click();
  await expect(dialog.getByRole('heading', { name: 'Everything is deleted' })).toBeVisible();
  const summary = dialog.getByTestId('delete-all-summary');
  await expect(summary).toContainText('2 files and folders and 4 keyring entries deleted.');
  await expect(summary).toContainText(`Google confirmed access revoked for ${ERASURE.revoked[0] ?? ''}.`);
  await expect(dialog.getByTestId('delete-all-quit')).toBeFocused();
  await page.screenshot({ path: `${SCREENSHOTS}settings-deleted.png` });

  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  const rail = await page.getByTestId('nav-people').boundingBox();
  if (rail === null) throw new Error('the rail is laid out');
  const hit = await page.evaluate(
    ([x, y]) => document.elementFromPoint(x ?? 0, y ?? 0)?.closest('[data-testid="delete-all-dialog"]') !== null,
    [rail.x + rail.width / 2, rail.y + rail.height / 2],
  );
  expect(hit, 'nothing behind the dialog can be reached').toBe(true);

  await dialog.getByTestId('delete-all-quit').click();
  await expect.poll(async () => (await commands(page, 'quit_app')).length).toBe(1);
  expect(await commands(page, 'delete_all_data')).toHaveLength(2);
});
