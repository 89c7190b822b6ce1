import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';
import { DANA, FAILED_SUMMARY, syncScenario, type SyncScenario } from './sync-scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function withSync(page: Page, overrides: Partial<SyncScenario> = {}) {
  await page.addInitScript((s) => {
    window.__KINDRED_SYNC__ = s;
  }, syncScenario(overrides));
}

test('Connect Google signs in, streams the sync stages and ends on the overview', async ({ page, openApp }) => {
  await withSync(page);
  await openApp();
  await page.getByTestId('connect-google').click();

  const view = page.getByTestId('sync-view');
  await expect(view).toHaveAttribute('data-phase', 'connecting');
  await expect(page.getByRole('heading', { name: 'Sign in to Google in your browser' })).toBeFocused();

  await expect(view).toHaveAttribute('data-phase', 'running');
  await expect(page.getByTestId('sync-account')).toHaveText(DANA.email);
  await expect(page.getByTestId('stage-fetching_mail')).toHaveAttribute('data-state', 'active');
  await expect(page.getByTestId('stage-listing')).toHaveAttribute('data-state', 'done');
  await expect(page.getByTestId('stage-fetching_mail-count')).toContainText(/of 240 messages/);
  await expect(page.getByTestId('sync-rate')).toContainText('messages/s');
  await expect(page.getByTestId('sync-eta')).toContainText(/left|Almost done/);
  await expect(page.getByText('You can close this window — sync continues in the tray')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await expect(view).toHaveAttribute('data-phase', 'finished', { timeout: 10_000 });
  await expect(page.getByRole('heading', { name: 'Sync complete' })).toBeVisible();
  await expect(page.getByTestId('sync-mail-added')).toHaveText('240');
  await expect(page.getByTestId('sync-events-added')).toHaveText('36');
  for (const stage of ['listing', 'fetching_mail', 'fetching_calendar', 'computing']) {
    await expect(page.getByTestId(`stage-${stage}`)).toHaveAttribute('data-state', 'done');
  }
  await page.screenshot({ path: `${SCREENSHOTS}sync-complete.png` });

  await page.getByTestId('sync-continue').click();
  await expect(page.getByTestId('nav-overview')).toHaveAttribute('aria-current', 'page');
  expect((await calls(page)).map((call) => call.cmd)).toContain('connect_google');
});

test('a failed sign-in says why and offers to try again', async ({ page, openApp }) => {
  await withSync(page, {
    connectError: { code: 'invalid_input', message: 'the sign-in timed out after 5 minutes; try again' },
  });
  await openApp();
  await page.getByTestId('connect-google').click();
  const error = page.getByTestId('error');
  await expect(error).toContainText('Connecting Google failed');
  await expect(error).toContainText('the sign-in timed out after 5 minutes');
});

test('a pass whose account was refused lists it with the reason and marks it for reconnecting', async ({
  page,
  openApp,
}) => {
  await withSync(page, { summary: FAILED_SUMMARY, pass: { steps: 2, intervalMs: 50, messages: 0, calendars: 1 } });
  await openApp();
  await page.getByTestId('connect-google').click();
  const errors = page.getByTestId('sync-errors');
  await expect(errors).toContainText(DANA.email);
  await expect(errors).toContainText('invalid_grant');
  await expect(page.getByRole('heading', { name: 'Sync finished with problems' })).toBeVisible();

  await errors.getByRole('button', { name: 'Open account settings' }).click();
  const account = page.getByTestId('account');
  await expect(account.getByTestId('account-status')).toHaveText('Reconnect needed');
  await expect(account.getByTestId('account-error')).toContainText('reconnect the account');
  await expect(account.getByRole('button', { name: 'Reconnect' })).toBeVisible();
  await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'reconnect_needed');
});

test.describe('Settings › Accounts', () => {
  const connected = { ...DANA, last_sync: null };

  test('disconnecting asks first; Cancel keeps the account, Disconnect signs it out', async ({ page, openApp }) => {
    await withSync(page, { accounts: [connected] });
    await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('nav-settings').click();
    const account = page.getByTestId('account');
    await expect(account.getByTestId('account-status')).toHaveText('Connected');

    await account.getByTestId('disconnect').click();
    const dialog = page.getByTestId('confirm-dialog');
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`Disconnect ${DANA.email}?`);
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect((await calls(page)).map((call) => call.cmd)).not.toContain('disconnect_google');

    await account.getByTestId('disconnect').click();
    await dialog.getByTestId('confirm-action').click();
    await expect(account.getByTestId('account-status')).toHaveText('Signed out');
    await expect(account.getByRole('button', { name: 'Reconnect' })).toBeVisible();
    const disconnect = (await calls(page)).find((call) => call.cmd === 'disconnect_google');
    expect(disconnect?.args).toEqual({ email: DANA.email });
  });

  test('pause and resume toggle the schedule; the interval is a choice', async ({ page, openApp }) => {
    await withSync(page, { accounts: [connected] });
    await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('nav-settings').click();
    const pause = page.getByTestId('sync-pause');
    await expect(pause).toHaveText('Pause sync');
    await expect(pause).toHaveAttribute('aria-checked', 'true');

    await pause.focus();
    await page.keyboard.press('Enter');
    await expect(pause).toHaveText('Resume sync');
    await expect(pause).toHaveAttribute('aria-checked', 'false');
    await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'paused');

    await pause.click();
    await expect(pause).toHaveText('Pause sync');
    await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'idle');

    await page.getByTestId('sync-interval').selectOption('30');
    await expect(page.getByTestId('sync-interval')).toHaveValue('30');
    const commands = (await calls(page)).filter((call) => call.cmd.startsWith('set_sync'));
    expect(commands).toEqual([
      { cmd: 'set_sync_paused', args: { paused: true } },
      { cmd: 'set_sync_paused', args: { paused: false } },
      { cmd: 'set_sync_interval', args: { minutes: 30 } },
    ]);
  });

  test('start at login is a checkbox that asks the engine and shows what it answered', async ({ page, openApp }) => {
    await withSync(page, { accounts: [connected] });
    await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('nav-settings').click();
    const autostart = page.getByTestId('autostart');
    await expect(autostart).not.toBeChecked();

    await autostart.focus();
    await page.keyboard.press('Space');
    await expect(autostart).toBeChecked();
    await autostart.click();
    await expect(autostart).not.toBeChecked();
    const commands = (await calls(page)).filter((call) => call.cmd === 'set_autostart');
    expect(commands).toEqual([
      { cmd: 'set_autostart', args: { enabled: true } },
      { cmd: 'set_autostart', args: { enabled: false } },
    ]);
  });

  test('Sync now from settings shows the pass in the status line and the account', async ({ page, openApp }) => {
    await withSync(page, { accounts: [connected], pass: { steps: 2, intervalMs: 50, messages: 240, calendars: 2 } });
    await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('account-last-sync')).toHaveText('Not synced yet');
    await page.getByTestId('settings-sync-now').click();
    await expect(page.getByTestId('account-last-sync')).toContainText('Last sync');
    await expect(page.getByTestId('account-last-sync')).toContainText('276 new items');
    await expect(page.getByTestId('sync-state')).toHaveAttribute('data-state', 'idle');
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`has no serious or critical accessibility violations (${scheme})`, async ({ page, openApp }) => {
      await withSync(page, { accounts: [connected] });
      await openApp({ stats: SAMPLE_STATS });
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId('nav-settings').click();
      await expect(page.getByTestId('account')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: `${SCREENSHOTS}settings-accounts-${scheme}.png`, fullPage: true });
    });
  }
});
