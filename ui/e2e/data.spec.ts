import { calls, expect, seriousViolations, test } from './fixtures';
import { DIAGNOSTICS, REPORT } from './harness/data-engine';
import { SAMPLE_STATS } from './scenario';

const FOLDER = '/home/dana/Kindred export';

test.describe('Settings › Your data', () => {
  test('exports everything into the chosen folder with progress, then says what it wrote', async ({
    page,
    openApp,
  }) => {
    await openApp({ stats: SAMPLE_STATS, pickedPaths: [FOLDER] });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('export-data').click();

    await expect(page.getByTestId('export-progress')).toBeVisible();
    await expect(page.getByTestId('export-done')).toContainText('5,120 messages');
    await expect(page.getByTestId('export-done')).toContainText(FOLDER);
    await expect(page.getByTestId('export-progress')).toHaveCount(0);
    const exported = (await calls(page)).filter((call) => call.cmd === 'export_data');
    expect(exported).toEqual([{ cmd: 'export_data', args: { directory: FOLDER, onProgress: '<channel>' } }]);
  });

  test('cancelling the folder dialog exports nothing', async ({ page, openApp }) => {
    await openApp({ stats: SAMPLE_STATS, pickedPaths: null });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('export-data').click();
    await expect(page.getByTestId('export-data')).toBeEnabled();
    expect((await calls(page)).some((call) => call.cmd === 'export_data')).toBe(false);
  });

  test('diagnostics list each check with its hint and copy a redacted report', async ({ page, context, openApp }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await openApp({ stats: SAMPLE_STATS });
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('run-diagnostics').click();

    const checks = page.getByTestId('diagnostic');
    await expect(checks).toHaveCount(DIAGNOSTICS.checks.length);
    await expect(page.locator('[data-testid=diagnostic][data-name=llm]')).toHaveAttribute('data-status', 'skipped');
    await expect(page.locator('[data-testid=diagnostic][data-name=llm]')).toContainText('OpenAI-compatible');
    await expect(page.getByTestId('diagnostics-summary')).toHaveAttribute('data-healthy', 'true');

    await page.getByTestId('copy-report').click();
    await expect(page.getByTestId('copy-report')).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(REPORT);

    expect(await seriousViolations(page)).toEqual([]);
  });
});
