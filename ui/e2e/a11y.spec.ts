import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';

const RECENT_STATS = { ...SAMPLE_STATS, last_message_at: new Date().toISOString() };

for (const screen of ['overview', 'wrapped', 'people', 'organizations', 'graph']) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`${screen} (${scheme}) has no serious or critical accessibility violations`, async ({ openApp }) => {
      const page = await openApp({ stats: RECENT_STATS });
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId(`nav-${screen}`).click();
      await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page');
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      const results = await new AxeBuilder({ page }).analyze();
      const serious = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);
    });
  }
}
