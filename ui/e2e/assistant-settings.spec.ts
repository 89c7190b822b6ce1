import type { Page } from '@playwright/test';
import { assistantScenario, OLLAMA, type AssistantScenario } from './assistant-scenario';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS, type Scenario } from './scenario';

async function openModelSettings(
  page: Page,
  openApp: (overrides?: Partial<Scenario>) => Promise<Page>,
  overrides: Partial<AssistantScenario> = {},
) {
  await page.addInitScript((s) => {
    window.__KINDRED_ASSISTANT__ = s;
  }, assistantScenario(overrides));
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('llm-settings');
  await expect(section.getByTestId('llm-mode')).toBeVisible();
  return section;
}

async function setCalls(page: Page) {
  return (await calls(page)).filter((call) => call.cmd === 'set_llm_settings').map((call) => call.args);
}

test('offline, a provider is set up; the key goes to the keyring and is never shown again', async ({
  page,
  openApp,
}) => {
  const section = await openModelSettings(page, openApp);
  await expect(section.getByTestId('llm-mode')).toHaveText('Offline mode');
  await expect(section.getByTestId('llm-test'), 'nothing to test offline').toBeDisabled();
  await expect(section.getByTestId('llm-key-state')).toHaveText('No key stored');

  await section.getByTestId('llm-base-url').fill('http://localhost:11434/v1');
  await section.getByTestId('llm-model').fill('llama3.1');
  await section.getByTestId('llm-api-key').fill('sk-secret-123');
  await section.getByTestId('llm-api-key').press('Enter');

  await expect(section.getByTestId('llm-saved')).toHaveText('Saved.');
  await expect(section.getByTestId('llm-mode')).toHaveText('Using a model');
  await expect(section.getByTestId('llm-api-key'), 'the key is not echoed back').toHaveValue('');
  await expect(section.getByTestId('llm-key-state')).toHaveText('A key is stored in the system keyring');
  expect(await setCalls(page)).toEqual([
    { baseUrl: 'http://localhost:11434/v1', model: 'llama3.1', embeddingsModel: '', apiKey: 'sk-secret-123' },
  ]);
  await expect(page.getByText('sk-secret-123')).toHaveCount(0);

  await section.getByTestId('llm-model').fill('llama3.2');
  await section.getByTestId('llm-save').click();
  await expect(section.getByTestId('llm-saved')).toBeVisible();
  expect((await setCalls(page))[1], 'saving without typing a key leaves the stored one').toEqual({
    baseUrl: 'http://localhost:11434/v1',
    model: 'llama3.2',
    embeddingsModel: '',
    apiKey: null,
  });
  expect(await seriousViolations(page)).toEqual([]);
});

test('Test connection shows what the endpoint answered, or why it failed', async ({ page, openApp }) => {
  const section = await openModelSettings(page, openApp, {
    settings: OLLAMA,
    connection: {
      base_url: 'http://localhost:11434/v1',
      model: 'llama3.1',
      models: ['mistral'],
      model_listed: false,
      reply_milliseconds: 230,
    },
  });
  await expect(section.getByTestId('llm-base-url')).toHaveValue('http://localhost:11434/v1');
  await section.getByTestId('llm-test').click();
  await expect(section.getByTestId('llm-test-ok')).toHaveText('llama3.1 at http://localhost:11434/v1 answered in 230 ms.');
  await expect(section).toContainText('does not list llama3.1 among its models (mistral)');
});

test('a failed test and a refused URL are explained where they happened', async ({ page, openApp }) => {
  const section = await openModelSettings(page, openApp, {
    settings: OLLAMA,
    connection: { code: 'invalid_input', message: 'the endpoint refused the API key (401 Unauthorized)' },
  });
  await section.getByTestId('llm-test').click();
  await expect(section.getByTestId('error-message')).toHaveText('the endpoint refused the API key (401 Unauthorized)');

  await section.getByTestId('llm-base-url').fill('localhost:11434');
  await section.getByTestId('llm-save').click();
  await expect(section.getByTestId('error-message')).toContainText('must start with http:// or https://');
  await expect(section.getByTestId('llm-base-url'), 'the text typed is kept').toHaveValue('localhost:11434');

  await section.getByTestId('llm-forget-key').click();
  await expect(section.getByTestId('llm-key-state')).toHaveText('No key stored');
  expect((await setCalls(page)).at(-1)).toEqual({ baseUrl: null, model: null, embeddingsModel: null, apiKey: '' });
});
