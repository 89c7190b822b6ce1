import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Download, Page } from '@playwright/test';
import { calls, expect, test } from './fixtures';
import { makeGraph, SAMPLE_GRAPH, SAMPLE_PEOPLE, SAMPLE_WRAPPED } from './insight-data';
import { SAMPLE_STATS, type Scenario } from './scenario';

const SCREENSHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/** Mail up to today, so Wrapped opens on the last 90 days. */
const RECENT_STATS = { ...SAMPLE_STATS, first_message_at: '2024-11-22T08:17:19Z', last_message_at: new Date().toISOString() };

async function openScreen(
  openApp: (overrides?: Partial<Scenario>) => Promise<Page>,
  screen: string,
  overrides: Partial<Scenario> = {},
): Promise<Page> {
  const page = await openApp({ stats: RECENT_STATS, ...overrides });
  await page.getByTestId(`nav-${screen}`).click();
  return page;
}

async function screenshots(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: `${SCREENSHOTS}${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Width and height from a PNG's IHDR chunk, after checking the signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)], 'the file is a PNG').toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Makes the page's webview one without WebGL: every request for a WebGL context fails. */
async function refuseWebgl(page: Page) {
  await page.addInitScript(() => {
    type GetContext = (this: HTMLCanvasElement, ...args: unknown[]) => RenderingContext | null;
    const original = Reflect.get(HTMLCanvasElement.prototype, 'getContext') as GetContext;
    Reflect.set(HTMLCanvasElement.prototype, 'getContext', function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      return kind.includes('webgl') ? null : original.call(this, kind, ...rest);
    });
  });
}

async function downloaded(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path);
}

test.describe('people', () => {
  test('ranks people, searches by name and address, filters by organisation and explains a score', async ({ openApp }) => {
    const page = await openScreen(openApp, 'people');
    await expect(page.getByRole('heading', { name: 'People', level: 1 })).toBeVisible();
    const rows = page.getByTestId('person-row');
    await expect(rows).toHaveCount(7);
    await expect(rows.first()).toContainText('Priya Raman');
    await expect(rows.first()).toContainText('93');
    await expect(rows.nth(6), 'a person without a name shows their address').toContainText('ops@brightwave.example');
    await expect(page.getByTestId('people-count')).toHaveText('7 people');

    const detail = page.getByTestId('person-detail');
    await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Priya Raman');
    await expect(detail.getByTestId('why-term')).toHaveCount(4);
    await expect(detail.getByTestId('person-why')).toContainText('271 messages you sent');
    await expect(detail.getByTestId('person-why')).toContainText('two-way factor ×0.96');
    await screenshots(page, 'people');

    const search = page.getByTestId('people-search');
    await search.fill('lea');
    await expect(rows, 'search ignores accents').toHaveCount(1);
    await expect(rows.first()).toContainText('Léa Fontaine');
    await expect(page.getByTestId('people-count')).toHaveText('1 of 7 people');
    await search.fill('northwind');
    await expect(rows, 'search matches addresses').toHaveCount(2);
    await search.fill('');

    await page.getByTestId('people-organization').selectOption('northwind.example');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('Marcus Webb');
    await expect(rows.nth(1)).toContainText('Ingrid van Dijk');
    // Arrows select (a click would open the person's page).
    await rows.nth(0).focus();
    await page.keyboard.press('ArrowDown');
    await expect(detail.getByRole('heading', { level: 2 })).toHaveText('Ingrid van Dijk');
    await expect(detail.getByTestId('person-why')).toContainText('40 messages you sent');
    await expect(detail.getByTestId('person-score')).toHaveText('22');

    await search.fill('zebra');
    await expect(page.getByTestId('people-no-match')).toHaveText('Nobody matches “zebra” at northwind.example.');

    const first = (await calls(page)).find((call) => call.cmd === 'query_people');
    expect(first, 'the engine is asked for the first page').toEqual({
      cmd: 'query_people',
      args: { query: { search: '', filter: 'all', organization: null, offset: 0, limit: 100 } },
    });
  });

  test('fading, new and owe-a-reply filters use the engine’s flags', async ({ openApp }) => {
    const page = await openScreen(openApp, 'people');
    const rows = page.getByTestId('person-row');
    await expect(rows).toHaveCount(7);
    const flags = page.getByTestId('people-flags');
    await expect(flags.getByRole('radio', { name: /Owe a reply/ })).toContainText('1');
    await flags.getByRole('radio', { name: /Owe a reply/ }).click();
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Sofia Moretti');
    await expect(rows.first().getByTestId('badge-owe')).toHaveText('2 to answer');
    await expect(page.getByTestId('person-detail').getByRole('heading', { level: 2 })).toHaveText('Sofia Moretti');

    // Arrow keys move between the filters, as in any radio group.
    await flags.getByRole('radio', { name: /Owe a reply/ }).press('ArrowLeft');
    await expect(flags.getByRole('radio', { name: /^New/ })).toBeFocused();
    await expect(flags.getByRole('radio', { name: /^New/ })).toHaveAttribute('aria-checked', 'true');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('ops@brightwave.example');
    await page.keyboard.press('ArrowLeft');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Marcus Webb');
    await screenshots(page, 'people-fading');

    await page.getByTestId('people-organization').selectOption('larkspur.example');
    await expect(page.getByTestId('people-no-match')).toHaveText('Nobody here at larkspur.example among “Fading”.');
  });

  test('arrow keys move through the list and the why follows', async ({ openApp }) => {
    const page = await openScreen(openApp, 'people');
    const rows = page.getByTestId('person-row');
    await expect(rows).toHaveCount(7);
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
    await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('person-detail').getByRole('heading', { level: 2 })).toHaveText('Sofia Moretti');
    await page.keyboard.press('End');
    await expect(rows.nth(6)).toBeFocused();
    await page.keyboard.press('Home');
    await expect(rows.first()).toBeFocused();
    await page.screenshot({ path: `${SCREENSHOTS}people-focus-light.png` });

    await page.keyboard.press('/');
    await expect(page.getByTestId('people-search'), '"/" focuses the search').toBeFocused();
  });

  test('skeletons while loading, then the engine’s error with a retry', async ({ openApp }) => {
    const page = await openScreen(openApp, 'people', {
      insightsDelayMs: 400,
      peopleError: { code: 'store_unavailable', message: 'the database is locked by another Kindred (pid 4242)' },
    });
    await expect(page.getByTestId('people-loading')).toBeVisible();
    const alert = page.getByRole('alert');
    await expect(alert.getByTestId('error-message')).toHaveText('the database is locked by another Kindred (pid 4242)');
    await expect(alert).toContainText('Your people could not be loaded');
    const asked = async () => (await calls(page)).filter((call) => call.cmd === 'query_people').length;
    const before = await asked();
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(asked).toBe(before + 1);
  });

  test('the filter chips stay where they are while the ranking loads', async ({ openApp, page }) => {
    await page.addInitScript(() => {
      // Every frame from the first paint: where the last chip ends.
      const ends = new Set<number>();
      Reflect.set(window, '__chipEnds', ends);
      const watch = () => {
        const chip = document.querySelector('[data-testid="people-flags"] .flag:last-child');
        if (chip !== null) ends.add(Math.round(chip.getBoundingClientRect().right));
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    });
    await openScreen(openApp, 'people', { insightsDelayMs: 400 });
    await expect(page.getByTestId('people-loading')).toBeVisible();
    await expect(page.getByTestId('person-row')).toHaveCount(SAMPLE_PEOPLE.length);
    const ends = await page.evaluate(
      () => new Promise<number[]>((resolve) => requestAnimationFrame(() => resolve([...(Reflect.get(window, '__chipEnds') as Set<number>)]))),
    );
    expect(ends, 'the counts arrive in room kept for them').toHaveLength(1);
  });

  test('nobody yet says so', async ({ openApp }) => {
    const page = await openScreen(openApp, 'people', { people: [] });
    await expect(page.getByTestId('people-empty')).toBeVisible();
  });
});

test.describe('organisations', () => {
  test('ranked, each with its people, who open in People', async ({ openApp }) => {
    const page = await openScreen(openApp, 'organizations');
    const rows = page.getByTestId('organization-row');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('Larkspur');
    await expect(rows.first()).toContainText('You');
    await expect(rows.first()).toContainText('3 people');
    await expect(rows.nth(1)).toContainText('Northwind');

    const larkspur = rows.first().getByRole('button', { expanded: false });
    await larkspur.focus();
    await page.keyboard.press('Enter');
    const members = rows.first().getByTestId('organization-people');
    await expect(members.getByRole('button')).toHaveText([/Priya Raman/, /Jonas Becker/, /Léa Fontaine/, 'Show in People']);
    await screenshots(page, 'organizations');

    await members.getByRole('button', { name: /Jonas Becker/ }).click();
    await expect(page.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('person-detail').getByRole('heading', { level: 2 })).toHaveText('Jonas Becker');

    await page.getByTestId('nav-organizations').click();
    await rows.nth(1).getByRole('button').first().click();
    await rows.nth(1).getByRole('button', { name: 'Show in People' }).click();
    await expect(page.getByTestId('people-organization')).toHaveValue('northwind.example');
    await expect(page.getByTestId('person-row')).toHaveCount(2);
  });

  test('a failure is shown with the engine’s message', async ({ openApp }) => {
    const page = await openScreen(openApp, 'organizations', {
      organizationsError: { code: 'internal', message: 'the public suffix list could not be read' },
    });
    await expect(page.getByTestId('error-message')).toHaveText('the public suffix list could not be read');
  });
});

test.describe('wrapped', () => {
  test('cards move with the arrow keys, the buttons and a swipe; each compares and cites', async ({ openApp }) => {
    const page = await openScreen(openApp, 'wrapped');
    const card = page.getByTestId('wrapped-card');
    await expect(card).toHaveAttribute('data-card', 'messages');
    await expect(card.getByTestId('card-value')).toHaveText('733');
    await expect(card).toContainText('274 sent · 459 received');
    await expect(card.getByTestId('card-comparison')).toHaveText('+19% on the 90 days before (614)');
    await expect(card.getByTestId('card-evidence')).toContainText('274 from you, 459 to you');
    await expect(card.getByTestId('card-bars')).toHaveText(/^Last 90 days\s*733\s*The 90 days before\s*614$/);
    await screenshots(page, 'wrapped');

    await page.keyboard.press('ArrowRight');
    await expect(card).toHaveAttribute('data-card', 'people');
    await expect(card.getByTestId('card-value')).toHaveText('102');
    await expect(card.getByTestId('card-comparison')).toHaveText('+15% on the 90 days before (89)');
    await expect(page.getByTestId('card-position')).toHaveText('Card 2 of 11: People');
    await page.keyboard.press('ArrowLeft');
    await expect(card).toHaveAttribute('data-card', 'messages');
    await page.keyboard.press('ArrowLeft');
    await expect(card, 'no card before the first').toHaveAttribute('data-card', 'messages');

    await page.getByTestId('card-next').click();
    await page.getByTestId('card-next').click();
    await expect(card).toHaveAttribute('data-card', 'top-people');
    await expect(card.getByTestId('card-value')).toHaveText('Priya Raman');
    await expect(card.getByTestId('card-comparison')).toHaveText('Jonas Becker was first in the 90 days before');

    const box = await page.getByTestId('wrapped-deck').boundingBox();
    if (box === null) throw new Error('the deck is not laid out');
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    await expect(card, 'a swipe to the left shows the next card').toHaveAttribute('data-card', 'top-organizations');

    await page.keyboard.press('ArrowRight');
    await expect(card).toHaveAttribute('data-card', 'rhythm');
    const heatmap = card.getByTestId('heatmap');
    await expect(heatmap.locator('[data-count]')).toHaveCount(7 * 24);
    await expect(heatmap.locator('[data-count]').nth(7), 'Monday 07:00 is the peak').toHaveAttribute('data-count', '25');
    await expect(heatmap.locator('.level-4').first()).toHaveAttribute('title', 'Monday 07:00 — 25 messages');
    await screenshots(page, 'wrapped-heatmap');

    await page.keyboard.press('End');
    await expect(card).toHaveAttribute('data-card', 'newsletters');
    await expect(card.getByTestId('card-value')).toHaveText('22%');
    await expect(card.getByTestId('card-comparison')).toHaveText('−3 points on the 90 days before (25%)');
    await expect(page.getByTestId('card-next')).toBeDisabled();
  });

  test('a person on a top list opens in People', async ({ openApp }) => {
    const page = await openScreen(openApp, 'wrapped');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const card = page.getByTestId('wrapped-card');
    await expect(card).toHaveAttribute('data-card', 'top-people');
    await card.getByRole('button', { name: 'Sofia Moretti' }).click();
    await expect(page.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('person-name'), 'the person’s page opens').toHaveText('Sofia Moretti');
  });

  test('the window picker asks for the chosen window', async ({ openApp }) => {
    const page = await openScreen(openApp, 'wrapped');
    await expect(page.getByTestId('wrapped-card')).toBeVisible();
    const picker = page.getByTestId('wrapped-window');
    await expect(picker).toHaveValue('days-90');
    await expect(picker.locator('option')).toHaveText(['Last 90 days', String(new Date().getFullYear()), '2025', '2024'].filter((v, i, a) => a.indexOf(v) === i));
    await page.keyboard.press('ArrowRight');
    await picker.selectOption('year-2025');
    await expect(page.getByTestId('wrapped-card'), 'a new window starts at the first card').toHaveAttribute('data-card', 'messages');
    await expect(page.getByTestId('wrapped-card').getByTestId('card-comparison')).toHaveText('+19% on 2024 (614)');
    const wrapped = (await calls(page)).filter((call) => call.cmd === 'get_wrapped').map((call) => call.args);
    expect(wrapped).toEqual([{ window: { kind: 'last_days', days: 90 } }, { window: { kind: 'year', year: 2025 } }]);
  });

  test('an archive of old mail opens on the year of its newest message', async ({ openApp }) => {
    const page = await openScreen(openApp, 'wrapped', { stats: SAMPLE_STATS });
    await expect(page.getByTestId('wrapped-window')).toHaveValue('year-2024');
    await expect.poll(async () => (await calls(page)).find((call) => call.cmd === 'get_wrapped')?.args).toEqual({
      window: { kind: 'year', year: 2024 },
    });
  });

  test('a card, and the whole set, are saved as PNG images', async ({ openApp }) => {
    const page = await openScreen(openApp, 'wrapped');
    await expect(page.getByTestId('wrapped-card')).toHaveAttribute('data-card', 'messages');

    const [one] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-card').click()]);
    expect(one.suggestedFilename()).toBe('kindred-wrapped-days-90-01-messages.png');
    expect(pngSize(await downloaded(one)), '4:5 at twice the drawing size').toEqual({ width: 1080, height: 1350 });

    const all: Download[] = [];
    page.on('download', (download) => all.push(download));
    await page.getByTestId('export-all').click();
    await expect.poll(() => all.length).toBe(11);
    expect(all.map((download) => download.suggestedFilename())).toContain('kindred-wrapped-days-90-05-rhythm.png');
    const sizes = await Promise.all(all.map(async (download) => pngSize(await downloaded(download))));
    expect(new Set(sizes.map((size) => `${size.width}x${size.height}`))).toEqual(new Set(['1080x1350']));
    // Different cards make different pictures.
    const first = await downloaded(all[0]);
    const fifth = await downloaded(all[4]);
    expect(first.equals(fifth)).toBe(false);
  });

  test('a window without mail or meetings says so instead of showing zeros', async ({ openApp }) => {
    const quiet = {
      ...SAMPLE_WRAPPED,
      sent: 0,
      received: 0,
      people: 0,
      new_people: 0,
      meetings: { count: 0, hours: 0 },
      previous: null,
    };
    const page = await openScreen(openApp, 'wrapped', { wrapped: quiet });
    await expect(page.getByTestId('wrapped-empty')).toContainText('No mail or meetings fall in Aug 24 – Nov 22, 2026');
    await expect(page.getByTestId('wrapped-card')).toHaveCount(0);
    await expect(page.getByTestId('export-all')).toBeDisabled();
  });

  test('a skeleton holds the card’s place while it loads; a failure says why', async ({ openApp }) => {
    const page = await openScreen(openApp, 'wrapped', {
      insightsDelayMs: 400,
      wrappedError: { code: 'invalid_input', message: 'year 20250 is not a window of dates' },
    });
    await expect(page.getByTestId('wrapped-loading')).toBeVisible();
    await expect(page.getByTestId('error-message')).toHaveText('year 20250 is not a window of dates');
  });
});

test.describe('graph', () => {
  test('draws with WebGL; search highlights; a click opens the person in People', async ({ openApp }) => {
    const page = await openScreen(openApp, 'graph');
    const stage = page.getByTestId('graph-stage');
    await expect(stage).toHaveAttribute('data-renderer', 'webgl');
    await expect(stage).toHaveAttribute('data-nodes', String(SAMPLE_GRAPH.nodes.length));
    await expect(stage.locator('canvas').first()).toBeVisible();
    await expect(page.getByTestId('graph-count')).toContainText('61 people');
    await expect(stage).toHaveAttribute('data-highlighted', '0');

    await page.getByTestId('graph-search').fill('priya');
    await expect(stage).toHaveAttribute('data-highlighted', '1');
    await expect(page.getByTestId('graph-matches').getByRole('button')).toHaveText(['Priya Raman']);
    await screenshots(page, 'graph');

    await page.getByTestId('graph-search').fill('larkspur');
    await expect(page.getByTestId('graph-match-count'), 'search matches addresses too').toHaveText('3 matches');
    await expect(stage).toHaveAttribute('data-highlighted', '3');
    await page.getByTestId('graph-search').fill('priya');
    await page.getByTestId('graph-matches').getByRole('button', { name: 'Priya Raman' }).click();
    await expect(page.getByTestId('nav-people')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('person-name'), 'the person’s page opens').toHaveText('Priya Raman');
    const asked = (await calls(page)).filter((call) => call.cmd === 'get_graph').map((call) => call.args);
    expect(asked, 'the graph is asked for once, pruned to what draws smoothly').toEqual([{ maxNodes: 2000 }]);
  });

  test('the strength filter hides weaker people and their ties', async ({ openApp }) => {
    const page = await openScreen(openApp, 'graph');
    const stage = page.getByTestId('graph-stage');
    await expect(stage).toHaveAttribute('data-nodes', '61');
    await page.getByTestId('graph-strength').fill('30');
    // Scores are 100/√id: 30 and over leaves ids 1–11, plus me.
    await expect(stage).toHaveAttribute('data-nodes', '12');
    await expect(page.getByTestId('graph-count')).toContainText('12 people');
  });

  test('without WebGL a 2D canvas draws the nodes and edges, and search still highlights', async ({ openApp, page }) => {
    await refuseWebgl(page);
    await openScreen(openApp, 'graph');
    const stage = page.getByTestId('graph-stage');
    await expect(stage).toHaveAttribute('data-renderer', 'canvas');
    const canvas = stage.locator('canvas.graph-canvas');
    await expect(canvas).toHaveCount(1);

    const inked = () =>
      canvas.evaluate((element: HTMLCanvasElement) => {
        const context = element.getContext('2d');
        if (context === null) return 0;
        const { data } = context.getImageData(0, 0, element.width, element.height);
        let count = 0;
        for (let index = 3; index < data.length; index += 4) if ((data[index] ?? 0) > 0) count += 1;
        return count;
      });
    await expect.poll(inked, { message: 'nodes and edges are drawn, not a blank panel' }).toBeGreaterThan(2000);

    const before = await canvas.evaluate((element: HTMLCanvasElement) => element.toDataURL());
    await page.getByTestId('graph-search').fill('jonas');
    await expect(stage).toHaveAttribute('data-highlighted', '1');
    await expect
      .poll(() => canvas.evaluate((element: HTMLCanvasElement) => element.toDataURL()), {
        message: 'the highlight changes the picture',
      })
      .not.toBe(before);
    await screenshots(page, 'graph-canvas');
  });

  test('2,000 people and 20,000 ties render, and the page stays responsive while the layout runs', async ({ openApp }) => {
    const big = makeGraph(2000, 9, 12);
    expect(big.edges.length).toBeGreaterThan(19_000);
    const page = await openScreen(openApp, 'graph', { graph: big });
    const stage = page.getByTestId('graph-stage');
    await expect(stage).toHaveAttribute('data-nodes', '2001', { timeout: 15_000 });
    // Frames keep coming while ForceAtlas2 runs in its worker: the main thread is free.
    const frames = await page.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const gaps: number[] = [];
          let last = performance.now();
          const tick = (now: number) => {
            gaps.push(now - last);
            last = now;
            if (gaps.length < 60) requestAnimationFrame(tick);
            else resolve(gaps);
          };
          requestAnimationFrame(tick);
        }),
    );
    const sorted = [...frames].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? Infinity;
    expect(median, 'median frame time while the layout runs').toBeLessThan(100);
    await page.getByTestId('graph-search').fill('person 1999');
    await expect(stage).toHaveAttribute('data-highlighted', '1');
    await page.screenshot({ path: `${SCREENSHOTS}graph-2000-light.png` });
  });

  for (const renderer of ['webgl', 'canvas'] as const) {
    test(`hovering a person highlights them and their neighbours (${renderer})`, async ({ openApp, page }) => {
      if (renderer === 'canvas') await refuseWebgl(page);
      await openScreen(openApp, 'graph');
      const stage = page.getByTestId('graph-stage');
      await expect(stage).toHaveAttribute('data-renderer', renderer);
      await expect(stage).toHaveAttribute('data-layout', 'settled');
      await page.getByTestId('graph-search').fill('jonas');
      // Focusing a match centres the view on that person.
      await page.getByTestId('graph-matches').getByRole('button', { name: 'Jonas Becker' }).focus();

      const neighbours = new Set<number>();
      for (const edge of SAMPLE_GRAPH.edges) {
        if (edge.source === 3 && edge.target !== 3) neighbours.add(edge.target);
        if (edge.target === 3 && edge.source !== 3) neighbours.add(edge.source);
      }
      const box = await stage.boundingBox();
      if (box === null) throw new Error('the stage is not laid out');
      const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      await expect(async () => {
        await page.mouse.move(centre.x + 2, centre.y);
        await page.mouse.move(centre.x, centre.y);
        await expect(page.getByTestId('graph-hovered')).toContainText('Jonas Becker', { timeout: 500 });
      }).toPass();
      await expect(stage).toHaveAttribute('data-highlighted', String(neighbours.size + 1));
      await expect(page.getByTestId('graph-hovered')).toContainText(`${neighbours.size} ties`);
      await expect(page.getByTestId('graph-introducer')).toHaveText('Introduced by Priya Raman');

      await page.mouse.click(centre.x, centre.y);
      await expect(page.getByTestId('person-name'), 'the person’s page opens').toHaveText('Jonas Becker');
    });
  }

  test('dragging slides the picture and redraws it where it was left, without opening anyone', async ({ openApp }) => {
    const page = await openScreen(openApp, 'graph');
    const stage = page.getByTestId('graph-stage');
    await expect(stage).toHaveAttribute('data-layout', 'settled');
    const box = await stage.boundingBox();
    if (box === null) throw new Error('the stage is not laid out');
    const before = await stage.screenshot();
    const layers = stage.locator('[class^="sigma-"]');
    const transforms = () => layers.evaluateAll((all: HTMLElement[]) => [...new Set(all.map((layer) => layer.style.transform))]);

    // Press on Jonas Becker (centred first), so a click at the end would open him.
    await page.getByTestId('graph-search').fill('jonas');
    await page.getByTestId('graph-matches').getByRole('button', { name: 'Jonas Becker' }).focus();
    const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await expect(async () => {
      await page.mouse.move(centre.x + 2, centre.y);
      await page.mouse.move(centre.x, centre.y);
      await expect(page.getByTestId('graph-hovered')).toContainText('Jonas Becker', { timeout: 500 });
    }).toPass();
    await page.mouse.down();
    await page.mouse.move(centre.x + 60, centre.y + 40, { steps: 4 });
    expect(await transforms(), 'every layer slides together while the button is held').toEqual(['translate(60px, 40px)']);
    await page.mouse.up();
    await expect.poll(transforms, { message: 'the layers are back in place once redrawn' }).toEqual(['']);
    expect(Buffer.compare(before, await stage.screenshot()), 'the graph moved').not.toBe(0);
    await expect(page.getByTestId('graph-hovered'), 'the dragged person is still under the pointer').toContainText('Jonas Becker');
    await expect(page.getByTestId('person-name'), 'the drag opened nobody').toHaveCount(0);
  });

  test('the graph is drawn in the theme in force, and repainted in place when it changes', async ({ openApp }) => {
    const page = await openScreen(openApp, 'graph');
    const stage = page.getByTestId('graph-stage');
    await expect(stage).toHaveAttribute('data-layout', 'settled');
    /** How light the labels are (0 black to 1 white), read from sigma's label layer. */
    const labelLightness = () =>
      stage.locator('canvas.sigma-labels').evaluate((canvas: HTMLCanvasElement) => {
        const context = canvas.getContext('2d');
        if (context === null) return -1;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let sum = 0;
        let inked = 0;
        for (let index = 0; index < data.length; index += 4) {
          if ((data[index + 3] ?? 0) < 200) continue;
          sum += ((data[index] ?? 0) + (data[index + 1] ?? 0) + (data[index + 2] ?? 0)) / 765;
          inked += 1;
        }
        return inked === 0 ? -1 : sum / inked;
      });
    await expect.poll(labelLightness, { message: 'dark labels in the light theme' }).toBeGreaterThanOrEqual(0);
    expect(await labelLightness()).toBeLessThan(0.3);

    await stage.evaluate((element: HTMLElement) => {
      new MutationObserver(() => {
        if (element.dataset.layout === 'running') element.dataset.relaidOut = 'yes';
      }).observe(element, { attributes: true, attributeFilter: ['data-layout'] });
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(labelLightness, { message: 'light labels in the dark theme' }).toBeGreaterThan(0.7);
    await expect(stage, 'the same picture, not a new layout').not.toHaveAttribute('data-relaid-out');

    // A theme chosen in Settings wins over the system's.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('theme-light').check();
    await page.getByTestId('nav-graph').click();
    await expect(page.getByTestId('graph-stage')).toHaveAttribute('data-layout', 'settled');
    await expect.poll(labelLightness, { message: 'dark labels in the chosen light theme' }).toBeGreaterThanOrEqual(0);
    expect(await labelLightness()).toBeLessThan(0.3);
  });

  test('a failure is shown with the engine’s message', async ({ openApp }) => {
    const page = await openScreen(openApp, 'graph', {
      graphError: { code: 'store_unavailable', message: 'kindred.db is busy: another import is writing' },
    });
    await expect(page.getByTestId('error-message')).toHaveText('kindred.db is busy: another import is writing');
  });
});
