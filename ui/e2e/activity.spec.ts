import type { Page } from '@playwright/test';
import { activityScenario, ENTRIES, type ActivityScenario } from './activity-scenario';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';

async function openActivity(page: Page, openApp: () => Promise<Page>, overrides: Partial<ActivityScenario> = {}) {
  await page.addInitScript((s) => {
    window.__KINDRED_ACTIVITY__ = s;
  }, activityScenario(overrides));
  await openApp();
  await page.getByTestId('nav-activity').click();
  await expect(page.getByRole('heading', { name: 'Activity', level: 1 })).toBeVisible();
}

async function filters(page: Page) {
  return (await calls(page)).filter((call) => call.cmd === 'list_activity').map((call) => call.args.filter);
}

const everything = { since: null, actor: null, kind: null, failed_only: false, limit: 200 };

test('the log lists time, actor, action, subject and outcome, newest first', async ({ page, openApp }) => {
  await openActivity(page, () => openApp({ stats: SAMPLE_STATS }), { entries: ENTRIES });
  const rows = page.getByTestId('activity-row');
  await expect(rows).toHaveCount(ENTRIES.length);
  await expect(rows.first()).toContainText('assistant');
  await expect(rows.first()).toContainText('task.created');
  await expect(rows.first()).toContainText('task 7');
  await expect(rows.first().getByTestId('activity-outcome-cell')).toHaveText('Done');
  await expect(rows.first().locator('time')).toHaveAttribute('datetime', '2026-11-22T07:00:00Z');
  await expect(rows.last()).toContainText('person.merged');
  const failed = rows.filter({ hasText: 'webhook' });
  await expect(failed.getByTestId('activity-outcome-cell')).toHaveText('Failed');
  await expect(failed).toContainText('POST https://hooks.example/x: 502');
  expect(await filters(page)).toEqual([everything]);

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), scheme).toEqual([]);
  }
});

test('filtering by actor and outcome asks the engine and keeps every actor on offer', async ({ page, openApp }) => {
  await openActivity(page, () => openApp({ stats: SAMPLE_STATS }), { entries: ENTRIES });
  const rows = page.getByTestId('activity-row');
  await expect(rows).toHaveCount(ENTRIES.length);

  const actor = page.getByRole('combobox', { name: 'Actor' });
  await actor.focus();
  await actor.selectOption('rule 2');
  await expect(rows).toHaveCount(2);
  for (const cell of await page.getByTestId('activity-actor-cell').all()) await expect(cell).toHaveText('rule 2');

  await page.getByRole('combobox', { name: 'Outcome' }).selectOption('failed');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('webhook');
  await expect(actor.locator('option')).toHaveText(['Everyone', 'person', 'sync', 'assistant', 'rule 2']);

  await actor.selectOption('sync');
  await expect(page.getByTestId('activity-empty')).toContainText('Nothing matches these filters');
  await page.getByRole('button', { name: 'Show everything' }).click();
  await expect(rows).toHaveCount(ENTRIES.length);
  await expect(actor).toHaveValue('');
  await expect(page.getByRole('combobox', { name: 'Outcome' })).toHaveValue('all');

  expect(await filters(page)).toEqual([
    everything,
    { ...everything, actor: 'rule 2' },
    { ...everything, actor: 'rule 2', failed_only: true },
    { ...everything, actor: 'sync', failed_only: true },
    everything,
  ]);
});

test('an empty log says what will appear there', async ({ page, openApp }) => {
  await openActivity(page, () => openApp({ stats: SAMPLE_STATS }));
  await expect(page.getByTestId('activity-empty')).toContainText('Nothing recorded yet');
  expect(await seriousViolations(page)).toEqual([]);
});

test('a placeholder while loading, the reason when loading fails, and a retry', async ({ page, openApp }) => {
  await openActivity(page, () => openApp({ stats: SAMPLE_STATS }), {
    entries: ENTRIES,
    hold: true,
    error: { code: 'store_unavailable', message: 'the database is locked by another process' },
    errorTimes: 1,
  });
  await expect(page.getByTestId('activity-loading')).toBeVisible();
  await page.evaluate(() => window.__KINDRED_RELEASE_ACTIVITY__?.());
  const error = page.getByTestId('error');
  await expect(error).toContainText('The activity could not be loaded');
  await expect(error).toContainText('the database is locked by another process');
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByTestId('activity-row')).toHaveCount(ENTRIES.length);
  await expect(error).toBeHidden();
});

test('an entry about a person opens their page', async ({ page, openApp }) => {
  await openActivity(page, () => openApp({ stats: SAMPLE_STATS }), { entries: ENTRIES });
  await page.getByRole('button', { name: 'person 99' }).click();
  await expect(page.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page');
  await expect
    .poll(async () => (await calls(page)).filter((call) => call.cmd === 'get_person').map((call) => call.args))
    .toContainEqual({ query: '99' });
});
