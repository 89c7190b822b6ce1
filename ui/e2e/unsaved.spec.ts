import type { Page } from '@playwright/test';
import { assistantScenario } from './assistant-scenario';
import { calls, expect, test } from './fixtures';
import { rulesScenario } from './rules-scenario';
import { SAMPLE_STATS } from './scenario';
import { settingsScenario } from './settings-scenario';

/** What the window told the shell about unsaved work, in order. */
async function told(page: Page): Promise<unknown[]> {
  return (await calls(page)).filter((call) => call.cmd === 'set_unsaved_work').map((call) => call.args.unsaved);
}

test('a rule being written is unsaved work until it is added or cleared, also while another screen shows', async ({
  page,
  openApp,
}) => {
  await page.addInitScript((s) => {
    window.__KINDRED_RULES__ = s;
  }, rulesScenario());
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-rules').click();
  const editor = page.getByTestId('rule-text');
  await expect(page.getByTestId('rules-empty')).toBeVisible();
  expect(await told(page), 'an empty editor holds nothing').toEqual([]);

  await editor.pressSequentially('when message.received then log');
  await expect.poll(() => told(page)).toEqual([true]);

  await page.getByTestId('nav-people').click();
  await expect(page.getByTestId('person-row').first()).toBeVisible();
  await page.getByTestId('nav-rules').click();
  await expect(editor, 'the text outlived the screen').toHaveValue('when message.received then log');
  expect(await told(page), 'so it stayed unsaved work while the screen was away').toEqual([true]);

  await editor.fill('');
  await expect.poll(() => told(page), 'a cleared editor holds nothing').toEqual([true, false]);

  await editor.fill('when message.received then log');
  await page.getByTestId('rule-add').click();
  await expect(page.getByTestId('rule-added')).toBeVisible();
  await expect(editor).toHaveValue('');
  await expect.poll(() => told(page), 'an added rule is saved').toEqual([true, false, true, false]);
});

test('a question being written is unsaved work until it is asked', async ({ page, openApp }) => {
  await page.addInitScript((s) => {
    window.__KINDRED_ASSISTANT__ = s;
  }, assistantScenario());
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-assistant').click();
  const question = page.getByTestId('question');
  await expect(question).toBeFocused();

  await page.keyboard.type('When did I last talk with Dana?');
  await expect.poll(() => told(page)).toEqual([true]);

  await page.keyboard.press('Enter');
  await expect(page.getByTestId('message-assistant')).toContainText('Your last exchange with Dana Reyes');
  await expect(question).toHaveValue('');
  await expect.poll(() => told(page), 'an asked question is no longer unsaved').toEqual([true, false]);
});

test('a new task’s title is unsaved work while the Tasks screen shows it, and not once the screen is gone', async ({
  page,
  openApp,
}) => {
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-tasks').click();
  await page.getByTestId('task-title').fill('Book the venue');
  await expect.poll(() => told(page)).toEqual([true]);

  await page.getByTestId('nav-overview').click();
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect.poll(() => told(page), 'the screen that held it went away').toEqual([true, false]);
});

test('settings typed but not saved are unsaved work: the extraction label and the model', async ({
  page,
  openApp,
}) => {
  await page.addInitScript((s) => {
    window.__KINDRED_SETTINGS__ = s;
  }, settingsScenario({ extractionLabel: 'Events' }));
  await page.addInitScript((s) => {
    window.__KINDRED_ASSISTANT__ = s;
  }, assistantScenario());
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-settings').click();
  const label = page.getByTestId('extraction-label');
  await expect(label).toHaveValue('Events');
  const model = page.getByTestId('llm-model');
  await expect(model).toBeVisible();
  expect(await told(page), 'settings as loaded are not unsaved work').toEqual([]);

  await label.fill('Talks');
  await expect.poll(() => told(page)).toEqual([true]);
  await model.fill('llama3.1');
  await label.fill('Events');
  await expect(label).toHaveValue('Events');
  expect(await told(page), 'the model is still unsaved').toEqual([true]);

  await model.fill('');
  await expect.poll(() => told(page), 'both are back to what is saved').toEqual([true, false]);

  await label.fill('Talks');
  await page.getByTestId('extraction-label-save').click();
  await expect(page.getByTestId('extraction-label-hint')).toContainText('New mail labelled Talks');
  await expect.poll(() => told(page), 'a saved label is no longer unsaved').toEqual([true, false, true, false]);
});
