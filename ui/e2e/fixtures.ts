/**
 * Shared Playwright fixtures: `openApp` loads the harness with a scenario, and every test
 * fails if the page logged an error (a CSP violation, an exception, a missing mock); the
 * accessibility check the screens' specs share.
 */
import AxeBuilder from '@axe-core/playwright';
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

/**
 * The serious and critical accessibility violations on the page, with where they are.
 * `excluded` are selectors axe leaves out: a frame sandboxed without scripts, which axe
 * cannot run in.
 */
export async function seriousViolations(page: Page, ...excluded: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  for (const selector of excluded) builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

export { expect };
