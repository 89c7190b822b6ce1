/**
 * Benchmark: the graph screen at 2,000 nodes and ~20,000 edges in Chromium, frames per
 * second while the person pans it by dragging for a few seconds, once the force layout
 * has settled, and for comparison while it sits still. Prints one JSON line with the
 * renderer, the counts, the frame rates (all frames, and those that showed the picture
 * moved) and the slowest frames; fails only if the drag did not move the picture once the
 * button was released and the graph redrawn where it was left (a figure about a graph
 * that was not moved would mean nothing).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { makeGraph } from './insight-data';
import { SAMPLE_STATS } from './scenario';

const GRAPH = makeGraph(1999, 10, 12);
const PAN_MS = 4000;

declare global {
  interface Window {
    __frameTimes?: number[];
    __moves?: number;
    __counting?: boolean;
  }
}

test('the graph pans at 2,000 nodes: frames per second', async ({ page, openApp }) => {
  await openApp({ stats: { ...SAMPLE_STATS, last_message_at: new Date().toISOString() }, graph: GRAPH });
  await page.getByTestId('nav-graph').click();
  const stage = page.getByTestId('graph-stage');
  await expect(stage).toHaveAttribute('data-nodes', String(GRAPH.nodes.length), { timeout: 60_000 });
  await expect(stage).toHaveAttribute('data-layout', 'settled', { timeout: 150_000 });
  const renderer = await stage.getAttribute('data-renderer');
  const box = await stage.boundingBox();
  if (box === null) throw new Error('the graph stage is laid out');
  const before = await stage.screenshot();
  const still = summary(await frames(page, () => page.waitForTimeout(PAN_MS)));

  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  // The pointer moves once a frame, as a real mouse's events reach the page (Chromium
  // delivers them aligned to frames); Playwright's own moves arrive only ~25 times a
  // second, each waiting for a round trip to the browser.
  const panning = summary(
    await frames(page, () =>
      page.evaluate(
        ({ x, y, ms }) =>
          new Promise<void>((resolve) => {
            const started = performance.now();
            const move = (now: number) => {
              const step = (now - started) / 200;
              const point = { clientX: x + 160 * Math.sin(step), clientY: y + 90 * Math.cos(step) - 90 };
              document.dispatchEvent(new MouseEvent('mousemove', { ...point, bubbles: true, buttons: 1 }));
              if (now - started < ms) requestAnimationFrame(move);
              else resolve();
            };
            requestAnimationFrame(move);
          }),
        { x, y, ms: PAN_MS },
      ),
    ),
  );
  await page.mouse.up();
  // The slid layers go back in place once the graph is redrawn from the camera's new place.
  await expect
    .poll(() => stage.locator('.sigma-nodes').evaluate((layer: HTMLElement) => layer.style.transform))
    .toBe('');
  const after = await stage.screenshot();
  expect(Buffer.compare(before, after), 'the drag moved the picture').not.toBe(0);

  console.log(
    JSON.stringify({
      renderer,
      nodes: GRAPH.nodes.length,
      edges: GRAPH.edges.length,
      panning,
      still,
    }),
  );
});

interface Frames {
  /** When each frame began (ms). */
  times: number[];
  /** Frames that showed the drawn layers slid to a new place by a drag. */
  moves: number;
}

/** The frames drawn while `during` runs. */
async function frames(page: Page, during: () => Promise<void>): Promise<Frames> {
  await page.evaluate(() => {
    window.__frameTimes = [];
    window.__moves = 0;
    window.__counting = true;
    const layer = document.querySelector<HTMLElement>('[data-testid="graph-stage"] .sigma-nodes');
    let shown = layer?.style.transform;
    const tick = (time: number) => {
      window.__frameTimes?.push(time);
      if (layer && layer.style.transform !== shown) {
        shown = layer.style.transform;
        window.__moves = (window.__moves ?? 0) + 1;
      }
      if (window.__counting === true) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await during();
  return page.evaluate(() => {
    window.__counting = false;
    return { times: window.__frameTimes ?? [], moves: window.__moves ?? 0 };
  });
}

/**
 * Frames per second, the frames per second that showed the picture moved (by a slide of
 * the layers; sigma's own redraws of a moved camera are not counted there), and the
 * median, 95th-percentile and longest frame in ms.
 */
function summary({ times, moves }: Frames) {
  const gaps = times.slice(1).map((time, index) => time - (times[index] ?? time));
  const sorted = [...gaps].sort((a, b) => a - b);
  const elapsed = (times.at(-1) ?? 0) - (times[0] ?? 0);
  const round = (value: number) => Math.round(value * 10) / 10;
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return {
    fps: round((gaps.length / elapsed) * 1000),
    moved_fps: round((moves / elapsed) * 1000),
    frame_ms_p50: round(percentile(0.5)),
    frame_ms_p95: round(percentile(0.95)),
    frame_ms_max: round(sorted.at(-1) ?? 0),
  };
}
