import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import {
  assistantScenario,
  BUDGET_MESSAGE,
  DANA_CONVERSATION,
  DANA_THREAD,
  OLLAMA,
  TASK_ANSWER,
  TASK_PROPOSAL,
  type AssistantScenario,
} from './assistant-scenario';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function openAssistant(
  page: Page,
  openApp: (overrides?: { stats: typeof SAMPLE_STATS }) => Promise<Page>,
  overrides: Partial<AssistantScenario> = {},
) {
  await page.addInitScript((s) => {
    window.__KINDRED_ASSISTANT__ = s;
  }, assistantScenario(overrides));
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-assistant').click();
  await expect(page.getByRole('heading', { name: 'Assistant', level: 1 })).toBeVisible();
}

async function commands(page: Page, cmd: string) {
  return (await calls(page)).filter((call) => call.cmd === cmd);
}

test('offline, a first question is answered with its source, kept as a conversation, by keyboard alone', async ({
  page,
  openApp,
}) => {
  await openAssistant(page, openApp);
  await expect(page.getByTestId('provider-status')).toContainText('Offline mode');
  await expect(page.getByTestId('conversations-empty')).toBeVisible();
  await expect(page.getByTestId('assistant-empty')).toBeVisible();
  const question = page.getByTestId('question');
  await expect(question, 'the question box has the focus').toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);

  await page.keyboard.type('When did I last talk with Dana?');
  await page.keyboard.press('Enter');

  const answer = page.getByTestId('message-assistant');
  await expect(answer).toContainText('Your last exchange with Dana Reyes was on 2025-06-10');
  await expect(answer.getByTestId('citation')).toHaveAttribute('data-source', 'message:42');
  await expect(answer.getByTestId('source')).toContainText('Budget');
  await expect(page.getByTestId('conversation')).toHaveText(/When did I last talk with Dana\?/);
  await expect(page.getByTestId('conversation')).toHaveAttribute('aria-current', 'page');
  await expect(question, 'the question is cleared').toHaveValue('');
  await expect(question, 'and the focus is back for the next one').toBeFocused();
  expect((await commands(page, 'ask')).map((call) => call.args)).toEqual([
    { question: 'When did I last talk with Dana?', conversation: null, onToken: '<channel>' },
  ]);

  await page.keyboard.type('And before that?');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('message-assistant')).toHaveCount(2);
  const asks = await commands(page, 'ask');
  expect(asks[1].args.conversation, 'a follow-up stays in the conversation').toBe(1000);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}assistant-offline.png` });
});

test('Shift+Enter starts a new line and sends nothing', async ({ page, openApp }) => {
  await openAssistant(page, openApp);
  const question = page.getByTestId('question');
  await question.pressSequentially('First line');
  await question.press('Shift+Enter');
  await question.pressSequentially('second line');
  await expect(question).toHaveValue('First line\nsecond line');
  expect(await commands(page, 'ask')).toEqual([]);
  await expect(page.getByTestId('send')).toBeEnabled();
});

test('an answer streams in, and the task it proposes is made only once the person confirms it', async ({
  page,
  openApp,
}) => {
  await openAssistant(page, openApp, { settings: OLLAMA, answers: [TASK_ANSWER], holdAnswer: true });
  await expect(page.getByTestId('provider-status')).toContainText('llama3.1');
  await expect(page.getByTestId('provider-status')).toContainText('http://localhost:11434/v1');

  await page.getByTestId('question').fill('Remind me to send Dana the budget');
  await page.getByTestId('send').click();
  await expect(page.getByTestId('streaming-text'), 'the first words show while the rest is written').toHaveText(
    'I propose ',
  );
  await expect(page.getByTestId('send')).toHaveText('Answering…');
  await expect(page.getByTestId('send')).toBeDisabled();
  await expect(page.getByTestId('thread')).toHaveAttribute('aria-busy', 'true');
  await page.evaluate(() => window.__KINDRED_RELEASE_ANSWER__?.());

  const proposal = page.getByTestId('proposal');
  await expect(proposal).toContainText('Create a task');
  await expect(proposal.getByTestId('proposal-subject')).toHaveText('Send Dana the budget');
  await expect(proposal.getByTestId('proposal-status')).toHaveText('Waiting for your confirmation');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}assistant-proposal.png` });

  await proposal.getByTestId('proposal-confirm').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Send Dana the budget');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  expect(await commands(page, 'confirm_proposed_action'), 'cancelled: nothing made').toEqual([]);

  await proposal.getByTestId('proposal-confirm').click();
  await dialog.getByTestId('confirm-action').click();
  await expect(proposal.getByTestId('proposal-status')).toHaveText('Done: task 5');
  await expect(proposal.getByTestId('proposal-confirm')).toHaveCount(0);
  await expect(proposal.getByTestId('proposal-show'), 'the focus moves on to what was made').toBeFocused();
  // The mocked engine numbers the new conversation 1000, the question 1001, the answer 1002.
  expect((await commands(page, 'confirm_proposed_action')).map((call) => call.args)).toEqual([
    { messageId: 1002, index: 0 },
  ]);
});

test('a stored conversation opens; its citations open the message as text, with nothing remote loaded', async ({
  page,
  openApp,
}) => {
  const remote: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('127.0.0.1:9')) remote.push(request.url());
  });
  await openAssistant(page, openApp, { conversations: [DANA_CONVERSATION], threads: { 3: DANA_THREAD } });
  await page.getByTestId('conversation').click();
  const answer = page.getByTestId('message-assistant');
  await expect(answer).toContainText('Your last exchange with Dana Reyes');
  const citations = answer.getByTestId('citation');
  await expect(citations).toHaveText(['1', '2']);

  await citations.first().click();
  const viewer = page.getByTestId('message-viewer');
  await expect(viewer.getByTestId('viewer-subject')).toHaveText('Budget');
  await expect(viewer.getByTestId('viewer-from')).toHaveText(BUDGET_MESSAGE.from);
  await expect(viewer.getByTestId('viewer-to')).toHaveText('Robin Vale <robin@vale.example>');
  await expect(viewer.getByTestId('viewer-cc')).toHaveText('sam@acme.example');
  const text = viewer.getByTestId('viewer-text');
  await expect(text).toContainText('The Acme budget is 40k.');
  await expect(text, 'markup in a message is shown as text').toContainText('<img src="http://127.0.0.1:9/track.png">');
  await expect(viewer.locator('img, script, iframe')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __PWNED__?: boolean }).__PWNED__)).toBeUndefined();
  expect(remote, 'no remote content was requested').toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}message-viewer.png` });

  await page.keyboard.press('Escape');
  await expect(viewer).not.toBeVisible();
  await expect(citations.first(), 'the focus returns to the citation').toBeFocused();

  await citations.nth(1).click();
  await expect(viewer.getByTestId('viewer-subject')).toHaveText('Acme kickoff');
  await expect(viewer).toContainText('Meeting');
  await viewer.getByTestId('viewer-close').click();
  await expect(viewer).not.toBeVisible();
  expect((await commands(page, 'open_message')).map((call) => call.args)).toEqual([{ id: 42 }]);
});

test('a message that is gone says so in the viewer', async ({ page, openApp }) => {
  await openAssistant(page, openApp, {
    conversations: [DANA_CONVERSATION],
    threads: { 3: DANA_THREAD },
    messages: {},
  });
  await page.getByTestId('conversation').click();
  await page.getByTestId('citation').first().click();
  const viewer = page.getByTestId('message-viewer');
  await expect(viewer.getByTestId('error')).toHaveAttribute('data-code', 'not_found');
  await expect(viewer.getByTestId('error-message')).toHaveText('there is no message 42');
});

test('while the conversations load, placeholders hold their place', async ({ page, openApp }) => {
  await openAssistant(page, openApp, { conversations: [DANA_CONVERSATION], holdLists: true });
  await expect(page.getByTestId('conversations-loading')).toBeVisible();
  await page.evaluate(() => window.__KINDRED_RELEASE_ANSWER__?.());
  await expect(page.getByTestId('conversation')).toHaveText(/When did I last talk with Dana\?/);
  await expect(page.getByTestId('conversations-loading')).toHaveCount(0);
});

test('failures are shown where they happened, and the question is kept', async ({ page, openApp }) => {
  await openAssistant(page, openApp, {
    listError: { code: 'store_unavailable', message: 'the store is locked by another Kindred' },
    askError: { code: 'io', message: 'the LLM at http://localhost:11434/v1 did not answer within 60 s' },
  });
  await expect(page.getByTestId('conversations-empty')).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: 'Conversations' }).getByTestId('error-message')).toHaveText(
    'the store is locked by another Kindred',
  );
  await page.getByTestId('question').fill('Who introduced me to Acme?');
  await page.getByTestId('question').press('Enter');
  const thread = page.getByTestId('thread');
  await expect(thread.getByTestId('error-message')).toHaveText(
    'the LLM at http://localhost:11434/v1 did not answer within 60 s',
  );
  await expect(page.getByTestId('question'), 'nothing typed is lost').toHaveValue('Who introduced me to Acme?');
  expect(await seriousViolations(page)).toEqual([]);
});

test('a confirmation the engine refuses says why, and the proposal waits as it was', async ({ page, openApp }) => {
  await openAssistant(page, openApp, {
    answers: [TASK_ANSWER],
    confirmError: { code: 'invalid_input', message: 'action 0 of answer 1002 was already confirmed (done); it is made only once' },
  });
  await page.getByTestId('question').fill('Remind me to send Dana the budget');
  await page.getByTestId('question').press('Enter');
  const proposal = page.getByTestId('proposal');
  await proposal.getByTestId('proposal-confirm').click();
  await page.getByTestId('confirm-dialog').getByTestId('confirm-action').click();
  await expect(page.getByTestId('thread').getByTestId('error-message')).toHaveText(
    'action 0 of answer 1002 was already confirmed (done); it is made only once',
  );
  await expect(proposal.getByTestId('proposal-status')).toHaveText('Waiting for your confirmation');
  await expect(proposal, 'the focus stays on the card').toBeFocused();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a conversation with sources, a proposal and a made change is accessible (${scheme})`, async ({
    page,
    openApp,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const answer = DANA_THREAD[1];
    if (answer === undefined) throw new Error('the Dana thread has its answer');
    const proposals = { ...answer, proposed_actions: [TASK_PROPOSAL, { ...TASK_PROPOSAL, status: 'done', outcome: 'task 5' }] };
    await openAssistant(page, openApp, {
      settings: OLLAMA,
      conversations: [DANA_CONVERSATION],
      threads: { 3: [DANA_THREAD[0], proposals].filter((message) => message !== undefined) },
    });
    await page.getByTestId('conversation').click();
    await expect(page.getByTestId('proposal')).toHaveCount(2);
    await expect(page.getByTestId('proposal-show')).toHaveText('Open Tasks');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}assistant-${scheme}.png` });
    await page.getByTestId('proposal-show').click();
    await expect(page.getByRole('heading', { name: 'Tasks', level: 1 }), 'the made task is a click away').toBeVisible();
  });
}

test('the search index says how far it has come while it runs, then nothing', async ({ page, openApp }) => {
  await openAssistant(page, openApp);
  const status = page.getByTestId('indexing-status');
  await expect(status).toBeEmpty();
  await page.evaluate(() =>
    window.__KINDRED_INDEXING__?.({ stage: 'chunking', indexed: 256, total: 1200, model: 'nomic-embed-text' }),
  );
  await expect(status).toHaveText('Indexing for search: 256 of 1,200 messages and events read');
  await expect(status).toHaveAttribute('role', 'status');
  await page.evaluate(() =>
    window.__KINDRED_INDEXING__?.({ stage: 'embedding', indexed: 64, total: 2048, model: 'nomic-embed-text' }),
  );
  await expect(status).toHaveText('Indexing for search: 64 of 2,048 passages embedded by nomic-embed-text');
  expect(await seriousViolations(page)).toEqual([]);
  await page.evaluate(() =>
    window.__KINDRED_INDEXING__?.({ stage: 'done', indexed: 2048, total: 2048, model: 'nomic-embed-text' }),
  );
  await expect(status).toBeEmpty();
});
