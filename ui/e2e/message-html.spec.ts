/**
 * The message viewer's HTML: shown in a sandboxed frame with its own policy and the
 * message's style sheets, light in either theme, with a keyboard toggle to the text that
 * is remembered; even markup the engine's sanitiser had missed cannot run, load anything
 * remote or navigate the app. A link asks first, on a card that shows where it really goes.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import type { MessageView } from '../src/lib/backend/bindings';
import { assistantScenario, BUDGET_MESSAGE, DANA_CONVERSATION, DANA_THREAD } from './assistant-scenario';
import { calls, expect, seriousViolations, test } from './fixtures';
import { SAMPLE_STATS } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/** An address nothing listens on: any request to it would be remote content loading. */
const REMOTE = 'http://127.0.0.1:9';

/**
 * The engine's sanitised HTML of a newsletter and its style sheet — plus, as if the
 * sanitiser had missed them, a script, an image and a background from elsewhere, which
 * only the frame stops. Its links are numbered and listed as the engine does; the first
 * says one site and goes to another.
 */
const NEWSLETTER: MessageView = {
  ...BUDGET_MESSAGE,
  subject: 'Quarterly figures',
  text: 'Plain quarterly figures: revenue up 12%.',
  html: [
    '<h1 style="color: #123a6b">Quarterly figures</h1>',
    '<p class="lead">Revenue is <b>up 12%</b> on last quarter.</p>',
    '<p><a href="https://evil.example/login?from=acme" target="_blank" rel="noopener noreferrer" data-link="0">acme.example/report</a></p>',
    '<p><a href="mailto:dana@acme.example?subject=Figures" target="_blank" rel="noopener noreferrer" data-link="1">Write to Dana</a></p>',
    '<img alt="A small red square" src="data:image/gif;base64,R0lGODlhAQABAIAAAP8AAAAAACH5BAAAAAAALAAAAAABAAEAAAICRAEAOw==" width="20" height="20">',
    `<img alt="" src="${REMOTE}/leak.png">`,
    "<script>document.body.append('SCRIPT RAN')</script>",
  ].join('\n'),
  style_sheets: ['.lead { color: rgb(0, 110, 60); font-weight: 700 }', `.lead { background-image: url(${REMOTE}/bg.png) }`],
  remote_blocked: 3,
  links: [
    {
      url: 'https://evil.example/login?from=acme',
      text: 'acme.example/report',
      kind: 'web',
      before: 'https://',
      emphasis: 'evil.example',
      after: '/login?from=acme',
    },
    {
      url: 'mailto:dana@acme.example?subject=Figures',
      text: 'Write to Dana',
      kind: 'mail',
      before: 'mailto:',
      emphasis: 'dana@acme.example',
      after: '?subject=Figures',
    },
  ],
};

/** The real target of the newsletter's first link. */
const LINK_TARGET = 'https://evil.example/login?from=acme';

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
  await expect(frame, 'same origin, for the viewer to see link clicks; never scripts').toHaveAttribute('sandbox', 'allow-same-origin');
  await expect(frame).toHaveAttribute('title', 'Message (HTML)');
  await expect(frame).toHaveAttribute('srcdoc', /Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"/);
  const body = page.frameLocator(FRAME).locator('body');
  await expect(body.getByRole('heading', { name: 'Quarterly figures' })).toBeVisible();
  await expect(body.getByRole('img', { name: 'A small red square' }), 'an inline image shows').toBeVisible();
  await expect(body).not.toContainText('SCRIPT RAN');
  await expect(viewer.getByTestId('viewer-text'), 'the text is not shown beside the HTML').toHaveCount(0);
  await expect(viewer.getByTestId('viewer-remote-blocked')).toHaveText('Remote content blocked (3)');
  await expect(viewer.getByTestId('viewer-links-note')).toHaveText('Links open in your browser once you confirm');
  expect(
    await body.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
    'mail is shown on white',
  ).toBe('rgb(255, 255, 255)');
  expect(
    await body.locator('.lead').evaluate((lead) => [getComputedStyle(lead).color, getComputedStyle(lead).fontWeight]),
    "the message's style sheet lays it out",
  ).toEqual(['rgb(0, 110, 60)', '700']);

  const address = page.url();
  await body.getByRole('link', { name: 'acme.example/report' }).click();
  await expect(viewer.getByTestId('link-card'), 'a link asks first').toBeVisible();
  await expect(body.getByRole('heading', { name: 'Quarterly figures' }), 'the frame stays on the message').toBeVisible();
  expect(page.url(), 'the app did not navigate').toBe(address);
  expect(page.context().pages(), 'no window was opened').toHaveLength(1);
  await page.screenshot({ path: `${SCREENSHOTS}message-html.png` });
  await viewer.getByTestId('link-cancel').click();
  await expect(viewer.getByTestId('link-card')).toHaveCount(0);

  // Keys pressed in the frame stay in the frame's document: Shift+Tab leads back out of
  // it to the toggle, and Escape then closes the viewer.
  await body.getByRole('heading', { name: 'Quarterly figures' }).click();
  await page.keyboard.press('Shift+Tab');
  await expect(viewer.getByRole('radio', { name: 'HTML' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(viewer, 'Escape closes the viewer once the focus is out of the frame').not.toBeVisible();
  expect(remote.sort(), 'the remote image and background were asked for').toEqual([`${REMOTE}/bg.png`, `${REMOTE}/leak.png`]);
  expect(refused.sort(), 'each was refused before any connection').toEqual(remote);
  expect(
    expected(pageErrors, /(leak|bg)\.png' violates the following Content Security Policy directive: "img-src data:"/),
    "the frame's own policy refused the remote image and background",
  ).toHaveLength(2);
  // The app's policy, which the frame inherits, refuses them too.
  expected(pageErrors, /(leak|bg)\.png' violates the following Content Security Policy directive/);
  expect(expected(pageErrors, SANDBOX_REFUSED_SCRIPT), 'the sandbox refused scripts').not.toEqual([]);
  expect((await calls(page)).filter((call) => call.cmd === 'open_link'), 'nothing was opened').toEqual([]);
});

test('a link shows where it really goes, and opens in the browser only when asked', async ({ page, openApp, pageErrors }) => {
  const viewer = await openNewsletter(page, openApp);
  const body = page.frameLocator(FRAME).locator('body');
  const link = body.getByRole('link', { name: 'acme.example/report' });
  await link.click();

  const card = viewer.getByTestId('link-card');
  await expect(card.getByTestId('link-url'), 'the full, real address').toHaveText(LINK_TARGET);
  await expect(card.getByTestId('link-host'), 'its host stands out').toHaveText('evil.example');
  await expect(card, 'beside what the message claims').toContainText('The message shows it as “acme.example/report”');
  const open = card.getByRole('button', { name: 'Open in browser' });
  await expect(open, 'opening is the default').toBeFocused();

  await page.keyboard.press('Escape');
  await expect(card, 'Escape cancels the card').toHaveCount(0);
  await expect(viewer, '… and only the card').toBeVisible();
  await expect(link, 'the focus is back on the link').toBeFocused();
  expect((await calls(page)).filter((call) => call.cmd === 'open_link'), 'cancelling opens nothing').toEqual([]);

  await link.click();
  await card.getByRole('button', { name: 'Open in browser' }).click();
  await expect(card, 'the card closes once the link is opened').toHaveCount(0);
  expect((await calls(page)).filter((call) => call.cmd === 'open_link')).toEqual([{ cmd: 'open_link', args: { url: LINK_TARGET } }]);
  expect(page.context().pages(), 'the app opened no window of its own').toHaveLength(1);
  expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
  expected(pageErrors, /(leak|bg)\.png' violates the following Content Security Policy directive/);
});

test('the list of the message links opens the same card, and shows where each goes', async ({ page, openApp, pageErrors }) => {
  const viewer = await openNewsletter(page, openApp);
  const list = viewer.getByTestId('viewer-links');
  await list.getByText('Links in this message (2)').click();
  const entries = list.getByTestId('viewer-link');
  await expect(entries).toHaveText(['acme.example/report evil.example', 'Write to Dana dana@acme.example']);

  await entries.first().click();
  const card = viewer.getByTestId('link-card');
  await expect(card.getByTestId('link-url')).toHaveText(LINK_TARGET);
  await expect(card.getByRole('button', { name: 'Open in browser' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await expect(entries.first(), 'the focus is back on the entry').toBeFocused();

  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(card).toHaveCount(0);
  expect((await calls(page)).filter((call) => call.cmd === 'open_link')).toEqual([{ cmd: 'open_link', args: { url: LINK_TARGET } }]);
  expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
  expected(pageErrors, /(leak|bg)\.png' violates the following Content Security Policy directive/);
});

test('by keyboard: Tab to a link, Enter shows the card, Enter opens it', async ({ page, openApp, pageErrors }) => {
  const viewer = await openNewsletter(page, openApp);
  const link = page.frameLocator(FRAME).getByRole('link', { name: 'Write to Dana' });
  await viewer.getByRole('radio', { name: 'HTML' }).focus();
  for (let presses = 0; presses < 6 && !(await link.evaluate((element) => element === element.ownerDocument.activeElement)); presses += 1) {
    await page.keyboard.press('Tab');
  }
  await expect(link, 'the links are reached with Tab').toBeFocused();
  await page.keyboard.press('Enter');

  const card = viewer.getByTestId('link-card');
  await expect(card.getByTestId('link-url')).toHaveText('mailto:dana@acme.example?subject=Figures');
  await expect(card.getByTestId('link-host'), 'a mail link shows its address').toHaveText('dana@acme.example');
  const open = card.getByRole('button', { name: 'Open in mail app' });
  await expect(open).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(card).toHaveCount(0);
  expect((await calls(page)).filter((call) => call.cmd === 'open_link')).toEqual([
    { cmd: 'open_link', args: { url: 'mailto:dana@acme.example?subject=Figures' } },
  ]);
  await expect(link, 'the focus is back on the link').toBeFocused();
  expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
  expected(pageErrors, /(leak|bg)\.png' violates the following Content Security Policy directive/);
});

test('an anchor the engine did not number opens nothing, whatever its href', async ({ page, openApp, pageErrors }) => {
  const acme = { url: 'https://acme.example/', text: 'Acme', kind: 'web', before: 'https://', emphasis: 'acme.example', after: '/' } as const;
  const viewer = await openNewsletter(page, openApp, {
    ...NEWSLETTER,
    // As if the sanitiser had let them through, unnumbered: the engine lists only its own links.
    html: [
      `<p><a href="javascript:document.body.append('LINK RAN')">Claim your prize</a> <a href="/inbox">Inbox</a>`,
      '<a href="https://evil.example/" data-link="7">Out of range</a> <a href="https://acme.example/" data-link="0">Acme</a></p>',
    ].join(''),
    style_sheets: [],
    remote_blocked: 0,
    links: [acme],
  });
  const body = page.frameLocator(FRAME).locator('body');
  const card = viewer.getByTestId('link-card');
  for (const name of ['Claim your prize', 'Inbox', 'Out of range']) {
    await body.getByRole('link', { name }).click();
  }
  await expect(card, 'no card for an anchor the engine did not list').toHaveCount(0);
  // The viewer hears the frame's clicks: a numbered link's card does show.
  await body.getByRole('link', { name: 'Acme' }).click();
  await expect(card.getByTestId('link-url')).toHaveText('https://acme.example/');
  await expect(card).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
  await viewer.getByTestId('viewer-links').getByText('Links in this message (1)').click();
  await expect(viewer.getByTestId('viewer-link'), 'only the listed link').toHaveText(['Acme acme.example']);
  expect((await calls(page)).filter((call) => call.cmd === 'open_link'), 'nothing was opened').toEqual([]);
  await expect(body, 'the javascript: link did not run').not.toContainText('LINK RAN');
  await expect(body.getByRole('link', { name: 'Inbox' }), 'the frame stayed on the message').toBeVisible();
  expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
});

test('Copy link puts the real address on the clipboard', async ({ page, openApp, pageErrors, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const viewer = await openNewsletter(page, openApp);
  await page.frameLocator(FRAME).getByRole('link', { name: 'acme.example/report' }).click();
  const card = viewer.getByTestId('link-card');
  await card.getByRole('button', { name: 'Copy link' }).click();
  await expect(card.getByTestId('link-note')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(LINK_TARGET);
  expect((await calls(page)).filter((call) => call.cmd === 'open_link'), 'copying opens nothing').toEqual([]);
  expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
  expected(pageErrors, /(leak|bg)\.png' violates the following Content Security Policy directive/);
});

test('the HTML / Text toggle works by keyboard and is remembered', async ({ page, openApp, pageErrors }) => {
  const viewer = await openNewsletter(page, openApp, { ...NEWSLETTER, html: '<p>Revenue is <b>up 12%</b>.</p>', remote_blocked: 0, links: [] });
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
  const viewer = await openNewsletter(page, openApp, { ...NEWSLETTER, html: null, remote_blocked: 0, links: [] });
  await expect(viewer.getByTestId('viewer-text')).toHaveText('Plain quarterly figures: revenue up 12%.');
  await expect(viewer.getByTestId('viewer-format')).toHaveCount(0);
  await expect(viewer.getByTestId('viewer-html')).toHaveCount(0);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the HTML viewer is accessible and light (${scheme})`, async ({ page, openApp, pageErrors }) => {
    await page.emulateMedia({ colorScheme: scheme });
    const viewer = await openNewsletter(page, openApp, {
      ...NEWSLETTER,
      html: NEWSLETTER.html?.split('\n').slice(0, 5).join('\n') ?? null,
      style_sheets: NEWSLETTER.style_sheets.slice(0, 1),
    });
    const body = page.frameLocator(FRAME).locator('body');
    await expect(body.getByRole('heading', { name: 'Quarterly figures' })).toBeVisible();
    expect(await body.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).toBe('rgb(255, 255, 255)');
    await expect(viewer.getByTestId('viewer-remote-blocked')).toBeVisible();
    await viewer.getByTestId('viewer-links').getByText('Links in this message').click();
    await expect(viewer.getByTestId('viewer-link').first()).toBeVisible();
    expect(await seriousViolations(page, FRAME)).toEqual([]);
    await body.getByRole('link', { name: 'acme.example/report' }).click();
    await expect(viewer.getByTestId('link-card')).toBeVisible();
    expect(await seriousViolations(page, FRAME), 'with the link card shown').toEqual([]);
    await page.screenshot({ path: `${SCREENSHOTS}message-html-${scheme}.png` });
    expected(pageErrors, SANDBOX_REFUSED_SCRIPT);
  });
}
