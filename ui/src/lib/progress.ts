/**
 * The import progress view's model: a pure reducer over the engine's `ImportProgress`
 * events, plus the rate and ETA derived from recent samples. Time is a parameter
 * (milliseconds from any monotonic clock), never read here.
 *
 * Contract with the engine: `bytes_done` / `bytes_total` are for the file named in
 * `path`; `messages` / `events` are running totals for the whole import.
 */
import type { ImportProgress, ImportSummary } from './backend';

/** Rate and ETA look at the samples of the last few seconds, so they follow changes. */
export const RATE_WINDOW_MS = 5_000;
/** Below this span of samples a rate is noise and is not shown. */
export const MIN_RATE_SPAN_MS = 750;

interface Sample {
  at: number;
  path: string;
  bytes: number;
  messages: number;
}

export interface ImportState {
  startedAt: number;
  /** Number of sources announced by `started`, if it came. */
  sources: number | null;
  /** 1-based position of the current source; 0 before the first. */
  sourceIndex: number;
  path: string | null;
  bytesDone: number;
  bytesTotal: number;
  messages: number;
  events: number;
  summary: ImportSummary | null;
  finishedAt: number | null;
  samples: readonly Sample[];
}

export function startImport(now: number): ImportState {
  return {
    startedAt: now,
    sources: null,
    sourceIndex: 0,
    path: null,
    bytesDone: 0,
    bytesTotal: 0,
    messages: 0,
    events: 0,
    summary: null,
    finishedAt: null,
    samples: [],
  };
}

function keepRecent(samples: readonly Sample[], now: number): Sample[] {
  const recent = samples.filter((sample) => sample.at >= now - RATE_WINDOW_MS);
  // A slow stream may send less than one event per window: keep two to measure between.
  return recent.length >= 2 ? recent : samples.slice(-2);
}

function enterSource(state: ImportState, path: string, bytesTotal: number): ImportState {
  return { ...state, sourceIndex: state.sourceIndex + 1, path, bytesDone: 0, bytesTotal };
}

/** Applies one progress event received at `now`. Returns a new state. */
export function applyProgress(state: ImportState, event: ImportProgress, now: number): ImportState {
  switch (event.kind) {
    case 'started':
      return { ...state, sources: event.sources };
    case 'source':
      return enterSource(state, event.path, event.bytes_total);
    case 'progress': {
      // Tolerate a missing `source` event: a new path starts a new source all the same.
      const current = event.path === state.path ? state : enterSource(state, event.path, 0);
      const sample: Sample = {
        at: now,
        path: event.path,
        bytes: event.bytes_done,
        messages: event.messages,
      };
      return {
        ...current,
        bytesDone: event.bytes_done,
        bytesTotal: event.bytes_total,
        // Totals never go backwards on screen, even if events arrive oddly.
        messages: Math.max(current.messages, event.messages),
        events: Math.max(current.events, event.events),
        samples: keepRecent([...current.samples, sample], now),
      };
    }
    case 'finished':
      return finishImport(state, event.summary, now);
  }
}

/** Records the final summary (from the `finished` event or the command's result). */
export function finishImport(state: ImportState, summary: ImportSummary, now: number): ImportState {
  if (state.summary !== null) return state;
  return { ...state, summary, finishedAt: now };
}

export interface ImportMeasures {
  /** Share of the current file read, in [0, 1]; `null` while its size is unknown. */
  fraction: number | null;
  /** Messages per second over the last few seconds; `null` until measurable. */
  messagesPerSecond: number | null;
  /** Seconds left on the current file at the recent byte rate; `null` until measurable. */
  etaSeconds: number | null;
}

export function measure(state: ImportState): ImportMeasures {
  const fraction =
    state.bytesTotal > 0 ? Math.min(1, Math.max(0, state.bytesDone / state.bytesTotal)) : null;

  const samples = state.samples;
  const last = samples.at(-1);
  const first = samples[0];
  let messagesPerSecond: number | null = null;
  if (first !== undefined && last !== undefined && last.at - first.at >= MIN_RATE_SPAN_MS) {
    messagesPerSecond = Math.max(0, (last.messages - first.messages) / ((last.at - first.at) / 1000));
  }

  let etaSeconds: number | null = null;
  const sameFile = samples.filter((sample) => sample.path === state.path);
  const from = sameFile[0];
  const to = sameFile.at(-1);
  if (
    fraction !== null &&
    from !== undefined &&
    to !== undefined &&
    to.at - from.at >= MIN_RATE_SPAN_MS &&
    to.bytes > from.bytes
  ) {
    const bytesPerSecond = (to.bytes - from.bytes) / ((to.at - from.at) / 1000);
    etaSeconds = Math.max(0, state.bytesTotal - state.bytesDone) / bytesPerSecond;
  }

  return { fraction, messagesPerSecond, etaSeconds };
}

/** Messages per second over the whole finished import; `null` if it was too quick to say. */
export function averageRate(state: ImportState): number | null {
  if (state.summary === null || state.finishedAt === null) return null;
  const seconds = (state.finishedAt - state.startedAt) / 1000;
  if (seconds * 1000 < MIN_RATE_SPAN_MS) return null;
  return state.summary.imported.messages / seconds;
}
