/**
 * The app's state across screens: what the store holds (`Stats`), the import, if one
 * is running or awaiting "Continue", the screen shown (and what it should open), and the
 * insights loaded so far. Screens read it and call its methods; only it talks to the
 * backend about imports.
 */
import {
  exploreSample,
  getStats,
  importPaths,
  pickImportPaths,
  toApiError,
  type ApiError,
  type ImportProgress,
  type ImportSummary,
  type PickKind,
  type Stats,
} from './backend';
import { Insights } from './insights/index.svelte';
import { changedAnything } from './sync/model';
import { SyncSession } from './sync/session.svelte';
import {
  applyProgress,
  finishImport,
  measure,
  startImport,
  type ImportMeasures,
  type ImportState,
} from './progress';

/** Rate and ETA change at most this often on screen, so they can be read. */
const MEASURE_INTERVAL_MS = 1000;

export type ImportSource = { kind: 'sample' } | { kind: 'paths'; paths: string[] };

const now = () => performance.now();

/** One import, from the first progress event to the person pressing "Continue". */
export class ImportRun {
  readonly source: ImportSource;
  status = $state<'running' | 'finished' | 'failed'>('running');
  progress = $state.raw<ImportState>(startImport(now()));
  measures = $state.raw<ImportMeasures>({ fraction: null, messagesPerSecond: null, etaSeconds: null });
  error = $state.raw<ApiError | null>(null);

  #pending: ImportProgress | null = null;
  #frame: number | null = null;
  #measuredAt = Number.NEGATIVE_INFINITY;

  constructor(source: ImportSource) {
    this.source = source;
  }

  /** Runs the import; never rejects (failures land in `error`). */
  async run(): Promise<void> {
    const onProgress = (event: ImportProgress) => this.#receive(event);
    try {
      const summary: ImportSummary =
        this.source.kind === 'sample'
          ? await exploreSample(onProgress)
          : await importPaths(this.source.paths, onProgress);
      this.#flush();
      this.progress = finishImport(this.progress, summary, now());
      this.measures = { ...measure(this.progress), fraction: 1 };
      this.status = 'finished';
    } catch (error) {
      this.#flush();
      this.error = toApiError(error);
      this.status = 'failed';
    }
  }

  // Progress can stream far faster than the screen refreshes: keep only the latest
  // `progress` event and apply it once per frame. Other events apply at once, in order.
  #receive(event: ImportProgress) {
    if (event.kind === 'progress') {
      this.#pending = event;
      this.#frame ??= requestAnimationFrame(() => {
        this.#frame = null;
        this.#flush();
      });
      return;
    }
    this.#flush();
    this.#apply(event);
  }

  #flush() {
    if (this.#frame !== null) {
      cancelAnimationFrame(this.#frame);
      this.#frame = null;
    }
    const pending = this.#pending;
    this.#pending = null;
    if (pending !== null) this.#apply(pending);
  }

  #apply(event: ImportProgress) {
    const at = now();
    this.progress = applyProgress(this.progress, event, at);
    const fresh = measure(this.progress);
    if (at - this.#measuredAt >= MEASURE_INTERVAL_MS || this.measures.messagesPerSecond === null) {
      this.measures = fresh;
      if (fresh.messagesPerSecond !== null) this.#measuredAt = at;
    } else {
      this.measures = { ...this.measures, fraction: fresh.fraction };
    }
  }
}

/**
 * What a screen should open when another sends the person there: a person selected in
 * People (with `open`, their page), or an organisation.
 */
export type Intent = { person: number; open?: boolean } | { organization: string };

/**
 * The screen the window's address names (`#people`), or the overview. The shell makes a
 * window it let go anew at the address it had, so the person comes back where they left.
 */
export function screenInAddress(hash: string): string {
  try {
    return decodeURIComponent(hash.replace(/^#/, '')) || 'overview';
  } catch {
    return 'overview';
  }
}

export class Session {
  status = $state<'loading' | 'ready' | 'failed'>('loading');
  /** The id of the screen shown (see `screens/registry.ts`), kept in the window's address. */
  screen = $state(screenInAddress(globalThis.location?.hash ?? ''));
  /** Set by `navigate`; the target screen takes it with `takeIntent`. */
  intent = $state.raw<Intent | null>(null);
  readonly insights = new Insights();
  stats = $state.raw<Stats | null>(null);
  loadError = $state.raw<ApiError | null>(null);
  run = $state<ImportRun | null>(null);
  /** A failure of the native file picker itself. */
  pickError = $state.raw<ApiError | null>(null);
  /** Google accounts and background sync. */
  readonly sync = new SyncSession();

  constructor() {
    // A sync that brought changes changes the counts and every insight.
    this.sync.onfinished = (summary) => {
      if (!changedAnything(summary)) return;
      this.insights.invalidate();
      void this.load();
    };
  }

  /** Connect Google: the sync view follows the browser sign-in and the first sync. */
  connectGoogle(): void {
    this.navigate('sync');
    void this.sync.connect();
  }

  /** Nothing imported yet: show the first-run screen. */
  readonly isEmpty = $derived(
    this.stats !== null && this.stats.messages === 0 && this.stats.events === 0,
  );

  async load(): Promise<void> {
    if (this.stats === null) this.status = 'loading';
    try {
      this.stats = await getStats();
      this.loadError = null;
      this.status = 'ready';
      if (this.stats.people > 0) this.insights.readAhead();
    } catch (error) {
      this.loadError = toApiError(error);
      this.status = 'failed';
    }
  }

  /** Shows screen `id`, optionally opening something there (a person, an organisation). */
  navigate(id: string, intent: Intent | null = null): void {
    this.intent = intent;
    this.screen = id;
    globalThis.history?.replaceState(globalThis.history.state, '', `#${encodeURIComponent(id)}`);
  }

  /** The pending intent, if any, cleared so that it applies once. */
  takeIntent(): Intent | null {
    const intent = this.intent;
    this.intent = null;
    return intent;
  }

  get importing(): boolean {
    return this.run?.status === 'running';
  }

  /** Starts an import unless one is running. */
  start(source: ImportSource): void {
    if (this.importing) return;
    this.pickError = null;
    const run = new ImportRun(source);
    this.run = run;
    void run.run();
  }

  /** Runs the same import again after a failure. */
  retry(): void {
    const source = this.run?.source;
    if (source !== undefined) {
      this.run = null;
      this.start(source);
    }
  }

  /** Opens the native picker and imports what the person chose. */
  async pickAndImport(kind: PickKind): Promise<void> {
    if (this.importing) return;
    try {
      const paths = await pickImportPaths(kind);
      if (paths.length > 0) this.start({ kind: 'paths', paths });
    } catch (error) {
      this.pickError = toApiError(error);
    }
  }

  /**
   * Leaves the finished (or failed) import view. The counts are refreshed first, so the
   * first-run screen does not flash up between the summary and the overview.
   */
  async dismissRun(): Promise<void> {
    if (this.run?.status === 'finished') this.insights.invalidate();
    await this.load();
    this.run = null;
  }
}
