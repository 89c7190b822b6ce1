import type { Page } from '@playwright/test';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';
import { SERVER_DOWN, SIGNATURE_REFUSED, UPDATE, updateScenario, type UpdateScenario } from './update-scenario';

async function withUpdates(page: Page, scenario: UpdateScenario): Promise<void> {
  await page.addInitScript((s) => {
    window.__KINDRED_UPDATE__ = s;
  }, scenario);
}

test.describe('Updates', () => {
  test('an update found on start shows what is new, downloads with progress once consented, then says Kindred restarts', async ({
    page,
    openApp,
  }) => {
    await withUpdates(page, updateScenario({ onStart: UPDATE }));
    await openApp({ stats: SAMPLE_STATS });

    const banner = page.getByTestId('update-banner');
    await expect(banner).toHaveAttribute('data-state', 'available');
    await expect(banner.getByRole('heading', { name: 'Kindred 0.2.0 is available' })).toBeVisible();
    await expect(page.getByTestId('update-versions')).toContainText('You have 0.1.0');
    await expect(page.getByTestId('update-versions')).toContainText('2026');
    await expect(page.getByTestId('update-notes')).toContainText('The graph remembers where you left it.');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await calls(page)).filter((call) => call.cmd === 'install_update'), 'nothing installs unasked').toEqual(
      [],
    );

    await page.getByTestId('update-install').click();
    await expect(banner).toHaveAttribute('data-state', 'installing');
    await expect(page.getByTestId('update-progress')).toHaveText('Downloading… 800 kB of 3.2 MB');
    await expect(banner.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');

    await page.evaluate(() => window.__KINDRED_RELEASE_UPDATE__?.());
    await expect(page.getByTestId('update-restarting')).toContainText('Kindred 0.2.0 is installed');
    await expect(page.getByTestId('update-restarting')).toContainText('will open again');
    const installs = (await calls(page)).filter((call) => call.cmd === 'install_update');
    expect(installs).toEqual([{ cmd: 'install_update', args: { version: '0.2.0', onProgress: '<channel>' } }]);
  });

  test('the look on start asks once as scheduled and shows nothing when there is no update', async ({
    page,
    openApp,
  }) => {
    await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await expect.poll(async () => (await calls(page)).filter((call) => call.cmd.includes('update'))).toEqual([
      { cmd: 'take_update_check_request', args: {} },
      { cmd: 'check_for_update', args: { scheduled: true } },
    ]);
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  });

  test('Later puts the offer away without installing', async ({ page, openApp }) => {
    await withUpdates(page, updateScenario({ onStart: UPDATE }));
    await openApp({ stats: SAMPLE_STATS });
    await page.getByRole('button', { name: 'Later' }).click();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
    expect((await calls(page)).some((call) => call.cmd === 'install_update')).toBe(false);
  });

  test('a refused signature is said plainly, nothing restarts, and the app keeps working', async ({
    page,
    openApp,
  }) => {
    await withUpdates(page, updateScenario({ onStart: UPDATE, installError: SIGNATURE_REFUSED }));
    await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('update-install').click();
    await expect(page.getByTestId('update-progress')).toBeVisible();
    await page.evaluate(() => window.__KINDRED_RELEASE_UPDATE__?.());

    const banner = page.getByTestId('update-banner');
    await expect(banner.getByRole('heading', { name: 'The update was not installed' })).toBeVisible();
    await expect(page.getByTestId('update-error')).toHaveText(SIGNATURE_REFUSED.message);
    await expect(page.getByTestId('update-restarting')).toHaveCount(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Close' }).click();
    await expect(banner).toHaveCount(0);
    await page.getByTestId('nav-people').click();
    await expect(page.getByTestId('person-row').first()).toBeVisible();
  });

  test('the tray’s Check for updates says when Kindred is up to date', async ({ page, openApp }) => {
    await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.evaluate(() => window.__KINDRED_REQUEST_UPDATE_CHECK__?.());

    await expect(page.getByRole('heading', { name: 'Kindred is up to date' })).toBeVisible();
    expect((await calls(page)).filter((call) => call.cmd.includes('update'))).toEqual([
      { cmd: 'take_update_check_request', args: {} },
      { cmd: 'check_for_update', args: { scheduled: true } },
      { cmd: 'take_update_check_request', args: {} },
      { cmd: 'check_for_update', args: { scheduled: false } },
    ]);
    await page.getByRole('button', { name: 'OK' }).click();
    await expect(page.getByTestId('update-banner')).toHaveCount(0);
  });

  test('a window the tray opened for Check for updates makes the person’s look on start, with no event', async ({
    page,
    openApp,
  }) => {
    await withUpdates(page, updateScenario({ requestedBeforeStart: true }));
    await openApp({ stats: SAMPLE_STATS });

    await expect(page.getByRole('heading', { name: 'Kindred is up to date' })).toBeVisible();
    const invoked = (await calls(page)).filter((call) => call.cmd.includes('update'));
    expect(invoked, 'the request is taken, then the person’s look made instead of the scheduled one').toEqual([
      { cmd: 'take_update_check_request', args: {} },
      { cmd: 'check_for_update', args: { scheduled: false } },
    ]);
  });

  test('a window the tray opened for Check for updates shows the update it finds', async ({ page, openApp }) => {
    await withUpdates(page, updateScenario({ requestedBeforeStart: true, onRequest: UPDATE }));
    await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByTestId('update-banner')).toHaveAttribute('data-state', 'available');
  });

  test('the tray’s Check for updates finds an update the look on start did not', async ({ page, openApp }) => {
    await withUpdates(page, updateScenario({ onRequest: UPDATE }));
    await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.evaluate(() => window.__KINDRED_REQUEST_UPDATE_CHECK__?.());
    await expect(page.getByTestId('update-banner')).toHaveAttribute('data-state', 'available');
  });

  test('a failed look the person asked for shows the server’s error and can be tried again', async ({
    page,
    openApp,
  }) => {
    await withUpdates(page, updateScenario({ checkError: SERVER_DOWN }));
    await openApp({ stats: SAMPLE_STATS });
    await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
    await page.evaluate(() => window.__KINDRED_REQUEST_UPDATE_CHECK__?.());

    await expect(page.getByRole('heading', { name: 'Could not look for updates' })).toBeVisible();
    await expect(page.getByTestId('update-error')).toHaveText(SERVER_DOWN.message);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect(page.getByTestId('update-error')).toHaveText(SERVER_DOWN.message);
    const asked = (await calls(page)).filter((call) => call.cmd === 'check_for_update' && call.args.scheduled === false);
    expect(asked).toHaveLength(2);
  });
});
