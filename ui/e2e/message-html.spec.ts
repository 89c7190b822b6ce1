/**
 * The message viewer's HTML: shown in a sandboxed frame with its own policy, light in
 * either theme, with a keyboard toggle to the text that is remembered; even markup the
 * engine's sanitiser had missed cannot run, load anything remote or navigate the app.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { MessageView } from '../src/lib/backend/bindings';
import { assistantScenario, BUDGET_MESSAGE, DANA_CONVERSATION, DANA_THREAD } from './assistant-scenario';
import { expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/** An address nothing listens on: any request to it would be remote content loading. */
const REMOTE = 'http://127.0.0.1:9';

/**
 * The engine's sanitised HTML of a newsletter — plus, as if the sanitiser had missed
 * them, a script, an image from elsewhere and a link, which only the frame stops.
 */
const NEWSLETTER: MessageView = {
  ...BUDGET_MESSAGE,
  subject: 'Quarterly figures',
  text: 'Plain quarterly figures: revenue up 12%.',
  html: [
    '<h1 style="color: #123a6b">Quarterly figures</h1>',
    '<p>Revenue is <b>up 12%</b> on last quarter.</p>',
    '<p><a href="https://acme.example/report" target="_blank" rel="noopener noreferrer">Read the report</a></p>',
    '<img alt="A small red square" src="data:image/gif;base64,R0lGODlhAQABAIAAAP8AAAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw==" width="20" height="20">',
    `<img alt="" src="${REMOTE}/leak.png">`,
    "<script>document.body.append('SCRIPT RAN')</script>",
  ].join('\n'),
  remote_blocked: 2,
};

async function openNewsletter(page: Page, openApp: (overrides?: { stats: typeof SAMPLE_STATS }) => Promise<Page>, message = NEWSLETTER) {
  await page.addInitScript((s) => {
    window.__KINDRED_ASSISTANT__ = s;
  }, assistantScenario({ conversations: [DANA_CONVERSATION], threads: { 3: DANA_THREAD }, messages: { 42: message } }));
  await openApp({ stats: SAMPLE_STATS });
  await page.getByTestId('nav-assistant').click();
  await page.getByTestId('conversation').click();
  await page.getByTestId('citation').first().click();
  const viewer = page.getByTestId('message-viewer');
  await expect(viewer.getByTestId('viewer-subject')).toHaveText(message.subject);
  return viewer;
}

/** Takes the console errors matching `pattern` out of the page's errors, and returns them. */
function expected(errors: string[], pattern: RegExp): string[] {
  const matching = errors.filter((error) => pattern.test(error));
  const rest = errors.filter((error) => !pattern.test(error));
  errors.splice(0, errors.length, ...rest);
  return matching;
}

/**
 * Chromium refuses every script in the frame, including the ones Playwright itself sends
 * to read it, and says so on the console: expected wherever a test looks inside.
 */
const SANDBOX_REFUSED_SCRIPT = /^Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed and the 'allow-scripts' permission is not set\.$/;

const FRAME = '[data-testid="viewer-html"]';

test('HTML mail shows in a sandboxed frame that runs nothing, loads nothing remote and says so', async ({
  page,
  openApp,
  pageErrors,
}) => {
  const remote: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(REMOTE)) remote.push(request.url());
  });
  const refused: string[] = [];
  page.on('requestfailed', (request) => {
    // Chromium names the reason `csp`: the policy refused it before any connection.
    if (request.failure()?.errorText === 'csp') refused.push(request.url());
  });
  const viewer = await openNewsletter(page, openApp);

  await expect(viewer.getByRole('radio', { name: 'HTML' }), 'HTML is shown first').toHaveAttribute('aria-checked', 'true');
  const frame = viewer.getByTestId('viewer-html');
  await expect(frame).toHaveAttribute('sandbox', '');
  await expect(frame).toHaveAttribute('title', 'Message (HTML)');
  await expect(frame).toHaveAttribute('srcdoc', /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/);
  const body = page.frameLocator(FRAME).locator('body');
  await expect(body.getByRole('heading', { name: 'Quarterly figures' })).toBeVisible();
  await expect(body.getByRole('img', { name: 'A small red square' }), 'an inline image shows').toBeVisible();
  await expect(body).not.toContainText('SCRIPT RAN');
  await expect(viewer.getByTestId('viewer-text'), 'the text is not shown beside the HTML').toHaveCount(0);
  await expect(viewer.getByTestId('viewer-remote-blocked')).toHaveText('Remote images blocked (2)');
  await expect(viewer.getByTestId('viewer-links-note')).toHaveText('Links are disabled');
  expect(
    await body.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
    'mail is shown on white',
  ).toBe('rgb(255, 255, 255)');

  const address = page.url();
  await body.getByRole('link', { name: 'Read the report' }).click();
  await expect(body.getByRole('heading', { name: 'Quarterly figures' }), 'the frame stays on the message').toBeVisible();
  expect(page.url(), 'the app did not navigate').toBe(address);
  expect(page.context().pages(), 'no window was opened').toHaveLength(1);

  await page.screenshot({ path: `${SCREENSHOTS}message-html.png` });
  // Keys pressed in the frame stay in the frame's document: Shift+Tab leads back out of
  // it to the toggle, and Escape then closes the viewer.
  await body.getByRole('heading', { name: 'Quarterly figures' }).click();
  await page.keyboard.press('Shift+Tab');
  await expect(viewer.getByRole('radio', { name: 'HTML' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(viewer, 'Escape closes the viewer once the focus is out of the frame').not.toBeVisible();
  expect(refused, 'a remote image asked for was refused before any connection').toEqual(remote);
  expect(
    expected(pageErrors, /leak\.png' violates the following Content Security Policy directive: "img-src data:"/),
    "the frame's own policy refused the remote image",
  ).toHaveLength(1);
  // The app's policy, which the frame inherits, refuses it too.
  expected(pageErrors, /leak\.png' violates the following Content Security Policy directive/);
  expect(expected(pageErrors, /sandboxed.*allow-popups/), 'the sandbox refused to open the link').toHaveLength(1);
  expect(expected(pageErrors, SANDBOX_REFUSED_SCRIPT), 'the sandbox refused scripts').not.toEqual([]);
});

test('the HTML / Text toggle works by keyboard and is remembered', async ({ page, openApp, pageErrors }) => {
  const viewer = await openNewsletter(page, openApp, { ...NEWSLETTER, html: '<p>Revenue is <b>up 12%</b>.</p>', remote_blocked: 0 });
  const html = viewer.getByRole('radio', { name: 'HTML' });
  const text = viewer.getByRole('radio', { name: 'Text' });
  await expect(viewer.getByTestId('viewer-remote-blocked'), 'nothing blocked, nothing said').toHaveCount(0);

  for (let presses = 0; presses < 6 && !(await html.evaluate((element) => element === document.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(html, 'the toggle is reached with Tab').toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(text).toHaveAttribute('aria-checked', 'true');
  await expect(text).toBeFocused();
  await expect(viewer.getByTestId('viewer-text')).toHaveText('Plain quarterly figures: revenue up 12%.');
  await expect(viewer.getByTestId('viewer-html')).toHaveCount(0);
  await expect(viewer.getByTestId('viewer-links-note')).toHaveCount(0);

  await page.keyboard.press('Escape');
  await expect(viewer).not.toBeVisible();
  await page.getByTestId('citation').first().click();
  await expect(viewer.getByTestId('viewer-text'), 'the choice holds for the next message').toBeVisible();
  await expect(text).toHaveAttribute('aria-checked', 'true');

  await text.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(html).toHaveAttribute('aria-checked', 'true');
  await expect(html).toBeFocused();
  await expect(page.frameLocator(FRAME).locator('b')).toHaveText('up 12%');
  await page.keyboard.press('Space');
  await expect(html, 'Space keeps the checked choice').toHaveAttribute('aria-checked', 'true');
  expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
});

test('text-only mail shows its text with no toggle', async ({ page, openApp }) => {
  const viewer = await openNewsletter(page, openApp, { ...NEWSLETTER, html: null, remote_blocked: 0 });
  await expect(viewer.getByTestId('viewer-text')).toHaveText('Plain quarterly figures: revenue up 12%.');
  await expect(viewer.getByTestId('viewer-format')).toHaveCount(0);
  await expect(viewer.getByTestId('viewer-html')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the HTML viewer is accessible and light (${scheme})`, async ({ page, openApp, pageErrors }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const viewer = await openNewsletter(page, openApp, { ...NEWSLETTER, html: NEWSLETTER.html?.split('\n').slice(0, 4).join('\n') ?? null });
    const body = page.frameLocator(FRAME).locator('body');
    await expect(body.getByRole('heading', { name: 'Quarterly figures' })).toBeVisible();
    expect(await body.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(255, 255, 255)');
    await expect(viewer.getByTestId('viewer-remote-blocked')).toBeVisible();
    expect(await seriousViolations(page, FRAME)).toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}message-html-${scheme}.png` });
    expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
  });
}
