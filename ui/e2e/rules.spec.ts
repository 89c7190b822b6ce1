import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { calls, expect, seriousViolations, test } from './fixtures';
import {
  ACME_RULE,
  DRY_RUN,
  INVITE_RULE,
  rulesScenario,
  TYPO,
  type RulesScenario,
} from './rules-scenario';
import { SAMPLE_STATS } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

async function openRules(page: Page, openApp: () => Promise<Page>, overrides: Partial<RulesScenario> = {}) {
  await page.addInitScript((s) => {
    window.__KINDRED_RULES__ = s;
  }, rulesScenario(overrides));
  await openApp();
  await page.getByTestId('nav-rules').click();
  await expect(page.getByRole('heading', { name: 'Rules', level: 1 })).toBeVisible();
}

async function commands(page: Page, cmd: string) {
  return (await calls(page)).filter((call) => call.cmd === cmd);
}

test('with no rules the screen says how to start; a dry run tells how often the rule would have fired', async ({
  page,
  openApp,
}) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }));
  await expect(page.getByTestId('rules-empty')).toContainText('No rules yet');
  await expect(page.getByTestId('rule-dry-run')).toBeDisabled();

  const text = 'when message.received if domain:acme.com then log';
  await page.getByTestId('rule-text').fill(text);
  await page.getByTestId('rule-dry-run').click();

  await expect(page.getByTestId('dry-run-count')).toHaveText('Would have fired 12 times');
  const examples = page.getByTestId('dry-run-example');
  await expect(examples).toHaveCount(DRY_RUN.examples.length);
  await expect(examples.first()).toContainText('Q4 contract');
  await expect(examples.first()).toContainText('message 42');
  await expect(examples.first()).toContainText('log "Q4 contract"');
  expect((await commands(page, 'dry_run_rule')).map((call) => call.args)).toEqual([{ text }]);
  expect(await commands(page, 'add_rule'), 'a dry run stores nothing').toEqual([]);
  await expect(page.getByTestId('rule-text'), 'the text stays for adding').toHaveValue(text);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}rules-dry-run.png` });

  await page.getByTestId('rule-text').press('End');
  await page.getByTestId('rule-text').pressSequentially(' ');
  await expect(page.getByTestId('dry-run-count'), 'an edit clears the stale report').toHaveCount(0);
  await page.getByTestId('rule-text').press('Control+Enter');
  await expect(page.getByTestId('dry-run-count')).toHaveText('Would have fired 12 times');
  expect(await commands(page, 'dry_run_rule')).toHaveLength(2);
});

test('a rule the engine cannot parse is shown with its line and column, and the text is kept', async ({
  page,
  openApp,
}) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }));
  const editor = page.getByTestId('rule-text');
  await editor.fill(TYPO);
  await page.getByTestId('rule-add').click();

  const error = page.getByTestId('rule-error');
  await expect(page.getByTestId('rule-error-position')).toHaveText('Line 1, column 28');
  await expect(page.getByTestId('rule-error-detail')).toHaveText(
    "unknown action 'creat_task' — did you mean 'create_task'?",
  );
  await expect(editor).toHaveValue(TYPO);
  await expect(editor).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('rules-empty'), 'nothing was added').toBeVisible();
  expect((await commands(page, 'add_rule')).map((call) => call.args)).toEqual([{ text: TYPO }]);

  await error.getByTestId('rule-error-show').click();
  await expect(editor).toBeFocused();
  expect(await editor.evaluate((node: HTMLTextAreaElement) => node.selectionStart)).toBe(TYPO.indexOf('creat_task'));

  await editor.fill('when message.received then create_task title="Reply"');
  await expect(error, 'editing clears the old error').toHaveCount(0);
  await expect(editor).toHaveAttribute('aria-invalid', 'false');
  await page.getByTestId('rule-add').click();
  await expect(page.getByTestId('rule-added')).toBeVisible();
  await expect(editor).toHaveValue('');
  const rows = page.getByTestId('rule-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('when message.received then create_task title="Reply"');
  await expect(rows.first().getByRole('switch')).toHaveAttribute('aria-checked', 'true');
});

test('a rule is switched off and on with the keyboard, each change sent to the engine', async ({ page, openApp }) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }), { rules: [ACME_RULE, INVITE_RULE] });
  const rows = page.getByTestId('rule-row');
  await expect(rows).toHaveCount(2);
  const acme = rows.filter({ hasText: 'from:*@acme.com' }).getByRole('switch', { name: 'Rule 1 enabled' });
  const invite = rows.filter({ hasText: 'has:invite' }).getByRole('switch', { name: 'Rule 2 enabled' });
  await expect(acme).toHaveAttribute('aria-checked', 'true');
  await expect(invite).toHaveAttribute('aria-checked', 'false');
  await expect(rows.nth(1)).toContainText('Off');

  await acme.focus();
  await page.keyboard.press('Space');
  await expect(acme).toHaveAttribute('aria-checked', 'false');
  await expect(rows.first()).toContainText('Off');
  await page.keyboard.press('Enter');
  await expect(acme).toHaveAttribute('aria-checked', 'true');
  expect((await commands(page, 'set_rule_enabled')).map((call) => call.args)).toEqual([
    { id: 1, enabled: false },
    { id: 1, enabled: true },
  ]);
  await expect(acme).toBeFocused();

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), scheme).toEqual([]);
  }
});

test('a failed switch says why and leaves the rule as it was', async ({ page, openApp }) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }), {
    rules: [ACME_RULE],
    toggleError: { code: 'store_unavailable', message: 'the database is locked by another process' },
  });
  const toggle = page.getByRole('switch', { name: 'Rule 1 enabled' });
  await toggle.click();
  const error = page.getByTestId('error');
  await expect(error).toContainText('Disabling rule 1 failed');
  await expect(error).toContainText('the database is locked by another process');
  await expect(toggle).toHaveAttribute('aria-checked', 'true');
  await expect(toggle).toBeEnabled();
});

test('removing asks first; Cancel keeps the rule, Remove deletes it', async ({ page, openApp }) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }), { rules: [ACME_RULE, INVITE_RULE] });
  const rows = page.getByTestId('rule-row');
  const remove = rows.filter({ hasText: 'has:invite' }).getByTestId('rule-remove');

  await remove.click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Remove this rule?');
  await expect(dialog).toContainText(INVITE_RULE.text);
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(2);
  expect(await commands(page, 'remove_rule')).toEqual([]);

  await remove.click();
  await dialog.getByTestId('confirm-action').click();
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('from:*@acme.com');
  expect((await commands(page, 'remove_rule')).map((call) => call.args)).toEqual([{ id: 2 }]);
});

test('the list shows a placeholder while loading and a retry when loading fails', async ({ page, openApp }) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }), {
    hold: true,
    listError: { code: 'store_unavailable', message: 'the database is locked by another process' },
  });
  await expect(page.getByTestId('rules-loading')).toBeVisible();
  await page.evaluate(() => window.__KINDRED_RELEASE_RULES__?.());
  const error = page.getByTestId('error');
  await expect(error).toContainText('Rules could not be loaded');
  await expect(error).toContainText('the database is locked by another process');
  await expect(error.getByRole('button', { name: 'Try again' })).toBeVisible();
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect.poll(async () => (await commands(page, 'list_rules')).length).toBe(2);
});

test('a dry-run example about a person opens their page', async ({ page, openApp }) => {
  await openRules(page, () => openApp({ stats: SAMPLE_STATS }));
  await page.getByTestId('rule-text').fill('when person.fading then log');
  await page.getByTestId('rule-dry-run').click();
  await page.getByTestId('dry-run-example').getByRole('button', { name: 'Priya Raman' }).click();
  await expect(page.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page');
  await expect.poll(async () => (await commands(page, 'get_person')).map((call) => call.args)).toContainEqual({
    query: '99',
  });
});
