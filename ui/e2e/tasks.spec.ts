import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';
import { AGENDA, CONTRACT, INVOICE, SLIDES, tasksScenario, type TasksScenario } from './tasks-scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));
const ALL = [CONTRACT, AGENDA, SLIDES, INVOICE];

async function openTasks(page: Page, openApp: () => Promise<Page>, overrides: Partial<TasksScenario> = {}) {
  await page.addInitScript((s) => {
    window.__KINDRED_TASKS__ = s;
  }, tasksScenario(overrides));
  await openApp();
  await page.getByTestId('nav-tasks').click();
  await expect(page.getByRole('heading', { name: 'Tasks', level: 1 })).toBeVisible();
}

async function commands(page: Page, cmd: string) {
  return (await calls(page)).filter((call) => call.cmd === cmd);
}

function column(page: Page, status: string): Locator {
  return page.locator(`[data-column="${status}"]`);
}

function card(page: Page, id: number): Locator {
  return page.locator(`[data-task-id="${id}"]`);
}

test('the board shows each task in its column with its priority, due date and source', async ({ page, openApp }) => {
  await openTasks(page, () => openApp({ stats: SAMPLE_STATS }), { tasks: ALL });
  await expect(column(page, 'todo').getByTestId('task-card')).toHaveCount(2);
  await expect(column(page, 'doing').getByTestId('task-card')).toHaveCount(1);
  await expect(column(page, 'done').getByTestId('task-card')).toHaveCount(1);
  await expect(column(page, 'todo').getByTestId('task-count')).toHaveText('2');

  const contract = card(page, CONTRACT.id);
  await expect(contract.getByTestId('task-priority-badge')).toHaveText('High priority');
  await expect(contract.getByTestId('task-due-text')).toHaveText('Overdue since Jan 15');
  await expect(contract.getByTestId('task-source')).toHaveText('From rule 1');
  await expect(contract).toContainText('from 1 message');
  await expect(card(page, AGENDA.id).getByTestId('task-source')).toHaveText('From the assistant');
  await expect(card(page, AGENDA.id).getByTestId('task-priority-badge')).toHaveCount(0);
  await expect(card(page, SLIDES.id).getByTestId('task-priority-badge')).toHaveText('Low priority');

  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page), scheme).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: `${SCREENSHOTS}tasks-board.png` });

  await contract.getByTestId('task-source').click();
  await expect(page.getByTestId('nav-rules'), 'the rule that made the task opens').toHaveAttribute(
    'aria-current',
    'page',
  );
});

test('a card dragged to another column moves there and the engine is told', async ({ page, openApp }) => {
  await openTasks(page, () => openApp({ stats: SAMPLE_STATS }), { tasks: ALL });
  const contract = card(page, CONTRACT.id);
  const from = await contract.boundingBox();
  const to = await column(page, 'doing').boundingBox();
  if (from === null || to === null) throw new Error('the card and the column are on screen');

  await page.mouse.move(from.x + 30, from.y + 12);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 8 });
  await expect(column(page, 'doing'), 'the column under the card is highlighted').toHaveClass(/over/);
  await page.mouse.up();

  await expect(column(page, 'doing').locator(`[data-task-id="${CONTRACT.id}"]`)).toBeVisible();
  await expect(column(page, 'todo').getByTestId('task-card')).toHaveCount(1);
  await expect(page.getByTestId('tasks-announcement')).toHaveText(
    '“Reply to Priya about the Q4 contract” moved to Doing.',
  );
  expect((await commands(page, 'move_task')).map((call) => call.args)).toEqual([
    { id: CONTRACT.id, status: 'doing' },
  ]);

  // Dropped back on its own column, or a click without a drag, moves nothing.
  const box = await card(page, SLIDES.id).boundingBox();
  if (box === null) throw new Error('the card is on screen');
  await page.mouse.click(box.x + 30, box.y + 12);
  expect(await commands(page, 'move_task')).toHaveLength(1);
});

test('with the keyboard a focused card moves with the arrows, Home and End, and keeps focus', async ({
  page,
  openApp,
}) => {
  await openTasks(page, () => openApp({ stats: SAMPLE_STATS }), { tasks: ALL });
  const agenda = card(page, AGENDA.id);
  await agenda.focus();
  await page.keyboard.press('ArrowRight');
  await expect(column(page, 'doing').locator(`[data-task-id="${AGENDA.id}"]`)).toBeVisible();
  await expect(card(page, AGENDA.id)).toBeFocused();
  await expect(page.getByTestId('tasks-announcement')).toHaveText('“Send the agenda for Thursday” moved to Doing.');

  await page.keyboard.press('End');
  await expect(column(page, 'done').locator(`[data-task-id="${AGENDA.id}"]`)).toBeVisible();
  await expect(card(page, AGENDA.id)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Home');
  await expect(column(page, 'todo').locator(`[data-task-id="${AGENDA.id}"]`)).toBeVisible();
  await expect(page.getByTestId('tasks-announcement')).toHaveText('“Send the agenda for Thursday” moved to To do.');

  // The move buttons are in the tab order too.
  await page.keyboard.press('Tab');
  await expect(card(page, AGENDA.id).getByTestId('task-move-right')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(column(page, 'doing').locator(`[data-task-id="${AGENDA.id}"]`)).toBeVisible();

  expect((await commands(page, 'move_task')).map((call) => call.args)).toEqual([
    { id: AGENDA.id, status: 'doing' },
    { id: AGENDA.id, status: 'done' },
    { id: AGENDA.id, status: 'todo' },
    { id: AGENDA.id, status: 'doing' },
  ]);
});

test('a task is added with its priority and due date; a refused move puts the card back', async ({
  page,
  openApp,
}) => {
  await openTasks(page, () => openApp({ stats: SAMPLE_STATS }), {
    moveError: { code: 'store_unavailable', message: 'the database is locked by another process' },
  });
  await expect(page.getByTestId('tasks-empty')).toContainText('No tasks yet');
  await expect(page.getByTestId('task-add')).toBeDisabled();
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByTestId('task-title').fill('  Book the venue  ');
  await page.getByTestId('task-priority').selectOption('high');
  await page.getByTestId('task-due').fill('2099-05-01');
  await page.getByTestId('task-title').press('Enter');

  const added = column(page, 'todo').getByTestId('task-card');
  await expect(added).toHaveCount(1);
  await expect(added).toContainText('Book the venue');
  await expect(added.getByTestId('task-priority-badge')).toHaveText('High priority');
  await expect(added.getByTestId('task-due-text')).toHaveText('Due May 1');
  await expect(added.getByTestId('task-source')).toHaveText('Added by you');
  await expect(page.getByTestId('task-title'), 'the form is cleared').toHaveValue('');
  expect((await commands(page, 'add_task')).map((call) => call.args)).toEqual([
    {
      request: { title: 'Book the venue', notes: '', priority: 'high', due: '2099-05-01', messages: [], events: [] },
    },
  ]);

  await added.focus();
  await page.keyboard.press('ArrowRight');
  const error = page.getByTestId('error');
  await expect(error).toContainText('Moving “Book the venue” failed');
  await expect(error).toContainText('the database is locked by another process');
  await expect(column(page, 'todo').getByTestId('task-card'), 'the card is back in To do').toHaveCount(1);
  await expect(page.getByTestId('tasks-announcement')).toHaveText(
    '“Book the venue” could not be moved; it stays in its column.',
  );
});

test('the board shows a placeholder while loading and a retry when loading fails', async ({ page, openApp }) => {
  await openTasks(page, () => openApp({ stats: SAMPLE_STATS }), {
    hold: true,
    listError: { code: 'store_unavailable', message: 'the database is locked by another process' },
  });
  await expect(page.getByTestId('tasks-loading')).toBeVisible();
  await page.evaluate(() => window.__KINDRED_RELEASE_TASKS__?.());
  const error = page.getByTestId('error');
  await expect(error).toContainText('Tasks could not be loaded');
  await expect(error).toContainText('the database is locked by another process');
  await error.getByRole('button', { name: 'Try again' }).click();
  await expect.poll(async () => (await commands(page, 'list_tasks')).length).toBe(2);
});
