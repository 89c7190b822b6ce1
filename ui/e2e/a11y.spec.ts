import type { Page } from '@playwright/test';
import { expect, seriousViolations, test } from './fixtures';
import { EMPTY_STATS, SAMPLE_STATS } from './scenario';
import { AGENDA, CONTRACT, INVOICE, SLIDES } from './tasks-scenario';

const RECENT_STATS = { ...SAMPLE_STATS, last_message_at: new Date().toISOString() };

/** Every screen of the rail, in rail order. */
const SCREENS = ['overview', 'wrapped', 'people', 'organizations', 'graph', 'tasks', 'rules', 'activity', 'settings'];
const SCHEMES = ['light', 'dark'] as const;

async function settled(page: Page) {
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
}

for (const screen of SCREENS) {
  for (const scheme of SCHEMES) {
    test(`${screen} (${scheme}) has no serious or critical accessibility violations`, async ({ page, openApp }) => {
      // The board with a card in every column, so the cards are checked, not only the empty state.
      await page.addInitScript((tasks) => {
        window.__KINDRED_TASKS__ = { tasks, listError: null, moveError: null, hold: false };
      }, [CONTRACT, AGENDA, SLIDES, INVOICE]);
      await openApp({ stats: RECENT_STATS });
      await page.emulateMedia({ colorScheme: scheme });
      await page.getByTestId(`nav-${screen}`).click();
      await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page');
      await settled(page);
      expect(await seriousViolations(page)).toEqual([]);
    });
  }
}

for (const scheme of SCHEMES) {
  test(`the first-run screen (${scheme}) has no serious or critical accessibility violations`, async ({
    page,
    openApp,
  }) => {
    await openApp({ stats: EMPTY_STATS });
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.getByTestId('explore-sample')).toBeVisible();
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test(`a person's page (${scheme}) has no serious or critical accessibility violations`, async ({
    page,
    openApp,
  }) => {
    await openApp({ stats: RECENT_STATS });
    await page.emulateMedia({ colorScheme: scheme });
    await page.getByTestId('nav-people').click();
    await page.getByTestId('person-open').click();
    await expect(page.getByTestId('person-page')).toHaveAttribute('aria-busy', 'false');
    await settled(page);
    expect(await seriousViolations(page)).toEqual([]);
  });
}
