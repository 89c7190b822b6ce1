import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { assistantScenario, PRIYA_STORY, type AssistantScenario } from './assistant-scenario';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS, type Scenario } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function openPriya(
  page: Page,
  openApp: (overrides?: Partial<Scenario>) => Promise<Page>,
  overrides: Partial<AssistantScenario> = {},
  app: Partial<Scenario> = {},
) {
  await page.addInitScript((s) => {
    window.__KINDRED_ASSISTANT__ = s;
  }, assistantScenario(overrides));
  await openApp({ stats: SAMPLE_STATS, ...app });
  await page.getByTestId('nav-people').click();
  await page.getByTestId('person-row').first().click();
  await expect(page.getByTestId('person-name')).toHaveText('Priya Raman');
}

test('the person page tells the story with its sources, how it was checked, and regenerates it', async ({
  page,
  openApp,
}) => {
  await openPriya(page, openApp, { stories: { '99': PRIYA_STORY } });
  const story = page.getByTestId('person-story');
  await expect(story.getByTestId('story-text')).toContainText('Priya introduced you to Larkspur in January');
  await expect(story.getByTestId('citation')).toHaveText(['1', '2']);
  await expect(story.getByTestId('story-meta')).toHaveText(
    'Written by your model · 2 of 3 claims checked against their sources',
  );
  await expect(story.getByTestId('story-stale')).toHaveCount(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}person-story.png` });

  await story.getByTestId('citation').first().click();
  const viewer = page.getByTestId('message-viewer');
  await expect(viewer.getByTestId('viewer-subject')).toHaveText('Budget');
  await page.keyboard.press('Escape');
  await expect(viewer).not.toBeVisible();

  await story.getByTestId('story-regenerate').click();
  await expect(story.getByTestId('story-text')).toContainText('Priya introduced you');
  const asked = (await calls(page)).filter((call) => call.cmd === 'get_story').map((call) => call.args);
  expect(asked).toEqual([{ person: '99' }, { person: '99' }]);
});

test('mail that arrives while the page is open marks the story stale until it is regenerated', async ({
  page,
  openApp,
}) => {
  await openPriya(page, openApp, { stories: { '99': PRIYA_STORY } }, {
    statsAfterImport: { ...SAMPLE_STATS, messages: SAMPLE_STATS.messages + 240 },
  });
  const story = page.getByTestId('person-story');
  await expect(story.getByTestId('story-text')).toContainText('Priya introduced you');
  // Background sync brings 240 new messages, as the scheduler would start it.
  await page.evaluate(() =>
    (window.__TAURI_INTERNALS__ as unknown as { invoke: (cmd: string) => Promise<unknown> }).invoke('sync_now'),
  );
  await expect(story.getByTestId('story-stale')).toContainText('New mail or meetings arrived');
  await story.getByTestId('story-regenerate').click();
  await expect(story.getByTestId('story-stale')).toHaveCount(0);
  await expect(story.getByTestId('story-text')).toContainText('Priya introduced you');
});

test('while the story is written a placeholder holds its place; a failure offers to try again', async ({
  page,
  openApp,
}) => {
  await openPriya(page, openApp, { holdLists: true });
  const story = page.getByTestId('person-story');
  await expect(story.getByTestId('story-loading')).toBeVisible();
  await expect(story).toHaveAttribute('aria-busy', 'true');
  await page.evaluate(() => window.__KINDRED_RELEASE_ANSWER__?.());
  await expect(story.getByTestId('story-text')).toContainText('You have exchanged mail since 2025');
  await expect(story.getByTestId('story-meta')).toContainText('Written from your data (offline)');
});

test('a story that cannot be written says why', async ({ page, openApp }) => {
  await openPriya(page, openApp, {
    storyError: { code: 'io', message: 'the LLM at http://localhost:11434/v1 refused the connection' },
  });
  const story = page.getByTestId('person-story');
  await expect(story.getByTestId('error-message')).toHaveText(
    'the LLM at http://localhost:11434/v1 refused the connection',
  );
  await expect(story.getByRole('button', { name: 'Try again' })).toBeVisible();
});
