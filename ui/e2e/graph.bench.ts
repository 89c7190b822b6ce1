/**
 * Benchmark: the graph screen at 2,000 nodes and ~20,000 edges in Chromium, frames per
 * second while the person pans it by dragging for a few seconds, once the force layout
 * has settled, and for comparison while it sits still. Prints one JSON line with the
 * renderer, the counts, the frame rates and the slowest frames; fails only if the drag did not move the picture (a figure about a graph
 * that was not redrawn would mean nothing).
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
  const panning = summary(
    await frames(page, async () => {
      const started = Date.now();
      for (let step = 0; Date.now() - started < PAN_MS; step += 1) {
        await page.mouse.move(x + 160 * Math.sin(step / 12), y + 90 * Math.cos(step / 12) - 90);
      }
    }),
  );
  await page.mouse.up();
  const after = await stage.screenshot();
  expect(Buffer.compare(before, after), 'the drag moved the picture').not.toBe(0);

  console.log(
    JSON.stringify({ renderer, nodes: GRAPH.nodes.length, edges: GRAPH.edges.length, panning, still }),
  );
});

/** The times of the frames drawn while `during` runs. */
async function frames(page: Page, during: () => Promise<void>): Promise<number[]> {
  await page.evaluate(() => {
    window.__frameTimes = [];
    window.__counting = true;
    const tick = (time: number) => {
      window.__frameTimes?.push(time);
      if (window.__counting === true) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await during();
  return page.evaluate(() => {
    window.__counting = false;
    return window.__frameTimes ?? [];
  });
}

/** Frames per second, and the median, 95th-percentile and longest frame in ms. */
function summary(times: number[]) {
  const gaps = times.slice(1).map((time, index) => time - (times[index] ?? time));
  const sorted = [...gaps].sort((a, b) => a - b);
  const elapsed = (times.at(-1) ?? 0) - (times[0] ?? 0);
  const round = (value: number) => Math.round(value * 10) / 10;
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
  return {
    fps: round((gaps.length / elapsed) * 1000),
    frame_ms_p50: round(percentile(0.5)),
    frame_ms_p95: round(percentile(0.95)),
    frame_ms_max: round(sorted.at(-1) ?? 0),
  };
}
