/**
 * Shared Playwright fixtures: `openApp` loads the harness with a scenario, and every test
 * fails if the page logged an error (a CSP violation, an exception, a missing mock).
 */
import { test as base, expect, type Page } from '@playwright/test';
import { scenario, type Call, type Scenario } from './scenario';

export const HARNESS = '/e2e/harness/';

export const test = base.extend<{
  openApp: (overrides?: Partial<Scenario>) => Promise<Page>;
  pageErrors: string[];
}>({
  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await use(errors);
    expect(errors, 'the page logged no errors').toEqual([]);
  },
  openApp: async ({ page, pageErrors }, use) => {
    void pageErrors;
    await use(async (overrides = {}) => {
      await page.addInitScript((s) => {
        window.__KINDRED_SCENARIO__ = s;
      }, scenario(overrides));
      await page.goto(HARNESS);
      return page;
    });
  },
});

export async function calls(page: Page): Promise<Call[]> {
  return page.evaluate(() => window.__KINDRED_CALLS__);
}

export { expect };
