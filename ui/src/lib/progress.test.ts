import { describe, expect, it } from 'vitest';
import type { ImportProgress, ImportSummary } from './backend';
import {
  MIN_RATE_SPAN_MS,
  RATE_WINDOW_MS,
  applyProgress,
  averageRate,
  finishImport,
  measure,
  startImport,
  type ImportState,
} from './progress';

const summary: ImportSummary = {
  imported: { messages: 1200, events: 30 },
  duplicates: 4,
  already_imported: 0,
  events_updated: 0,
  dropped_addresses: 0,
  errors: [],
};

function progress(
  path: string,
  bytesDone: number,
  bytesTotal: number,
  messages: number,
  events = 0,
): ImportProgress {
  return { kind: 'progress', path, bytes_done: bytesDone, bytes_total: bytesTotal, messages, events };
}

function run(events: Array<[number, ImportProgress]>, state: ImportState = startImport(0)) {
  return events.reduce((current, [at, event]) => applyProgress(current, event, at), state);
}

describe('applyProgress', () => {
  it('tracks sources, the current file and running totals', () => {
    const state = run([
      [0, { kind: 'started', sources: 2 }],
      [10, { kind: 'source', path: '/mail/a.mbox', bytes_total: 1000 }],
      [20, progress('/mail/a.mbox', 500, 1000, 40, 1)],
      [30, { kind: 'source', path: '/mail/b.ics', bytes_total: 200 }],
    ]);
    expect(state.sources).toBe(2);
    expect(state.sourceIndex).toBe(2);
    expect(state.path).toBe('/mail/b.ics');
    expect(state.bytesDone, 'a new source starts its bar at zero').toBe(0);
    expect(state.bytesTotal).toBe(200);
    expect(state.messages, 'totals carry across sources').toBe(40);
    expect(state.events).toBe(1);
  });

  it('treats a progress event for an unannounced path as a new source', () => {
    const state = run([[5, progress('/x.mbox', 10, 100, 1)]]);
    expect(state.sourceIndex).toBe(1);
    expect(state.path).toBe('/x.mbox');
  });

  it('never shows totals going backwards', () => {
    const state = run([
      [0, progress('/a', 10, 100, 50, 5)],
      [10, progress('/a', 20, 100, 40, 2)],
    ]);
    expect(state.messages).toBe(50);
    expect(state.events).toBe(5);
  });

  it('keeps the first summary, whether from the event or the result', () => {
    const finished = run([[100, { kind: 'finished', summary }]]);
    expect(finished.summary).toBe(summary);
    expect(finished.finishedAt).toBe(100);
    const again = finishImport(finished, { ...summary, duplicates: 99 }, 200);
    expect(again).toBe(finished);
  });

  it('does not mutate the previous state', () => {
    const before = startImport(0);
    applyProgress(before, progress('/a', 1, 2, 3), 1);
    expect(before).toEqual(startImport(0));
  });
});

describe('measure', () => {
  it('has no fraction while the size is unknown', () => {
    expect(measure(startImport(0)).fraction).toBeNull();
    const state = run([[0, progress('/a', 250, 1000, 1)]]);
    expect(measure(state).fraction).toBe(0.25);
  });

  it('clamps the fraction to [0, 1]', () => {
    const state = run([[0, progress('/a', 1500, 1000, 1)]]);
    expect(measure(state).fraction).toBe(1);
  });

  it('shows no rate or ETA until samples span enough time', () => {
    const state = run([
      [0, progress('/a', 0, 1000, 0)],
      [MIN_RATE_SPAN_MS - 1, progress('/a', 100, 1000, 10)],
    ]);
    expect(measure(state)).toMatchObject({ messagesPerSecond: null, etaSeconds: null });
  });

  it('computes messages per second and the ETA from the byte rate', () => {
    const state = run([
      [0, progress('/a', 0, 10_000, 0)],
      [1000, progress('/a', 1000, 10_000, 200)],
      [2000, progress('/a', 2000, 10_000, 400)],
    ]);
    const { messagesPerSecond, etaSeconds } = measure(state);
    expect(messagesPerSecond).toBe(200);
    // 8000 bytes left at 1000 bytes/s.
    expect(etaSeconds).toBe(8);
  });

  it('follows the recent rate, forgetting samples older than the window', () => {
    const slow: Array<[number, ImportProgress]> = [
      [0, progress('/a', 0, 100_000, 0)],
      [1000, progress('/a', 100, 100_000, 10)],
    ];
    const fastStart = 1000 + RATE_WINDOW_MS + 1000;
    const state = run([
      ...slow,
      [fastStart, progress('/a', 1100, 100_000, 20)],
      [fastStart + 1000, progress('/a', 11_100, 100_000, 1020)],
    ]);
    expect(measure(state).messagesPerSecond).toBe(1000);
    expect(measure(state).etaSeconds).toBeCloseTo((100_000 - 11_100) / 10_000);
  });

  it('keeps two samples when events are sparser than the window', () => {
    const state = run([
      [0, progress('/a', 0, 1000, 0)],
      [RATE_WINDOW_MS * 3, progress('/a', 500, 1000, 30)],
    ]);
    expect(measure(state).messagesPerSecond).toBeCloseTo(2);
  });

  it('measures the ETA on the current file only', () => {
    const state = run([
      [0, progress('/a', 0, 1000, 0)],
      [1000, progress('/a', 1000, 1000, 100)],
      [1100, progress('/b', 10, 5000, 101)],
    ]);
    expect(measure(state).etaSeconds, 'one sample of /b is not a rate').toBeNull();
    expect(measure(state).messagesPerSecond).toBeCloseTo(101 / 1.1);
  });

  it('has no ETA when bytes are not moving', () => {
    const state = run([
      [0, progress('/a', 100, 1000, 0)],
      [2000, progress('/a', 100, 1000, 10)],
    ]);
    expect(measure(state).etaSeconds).toBeNull();
  });
});

describe('averageRate', () => {
  it('divides imported messages by the run time', () => {
    const state = finishImport(startImport(1000), summary, 4000);
    expect(averageRate(state)).toBe(400);
  });

  it('is null for an unfinished or instant import', () => {
    expect(averageRate(startImport(0))).toBeNull();
    expect(averageRate(finishImport(startImport(0), summary, 10))).toBeNull();
  });
});
