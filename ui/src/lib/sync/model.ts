/**
 * The sync view's model: a pure reducer over the engine's `SyncProgressEvent`s, and the
 * wording of stages, rates, ETAs, account and sync states. Time never enters here: the
 * engine measures rate and ETA, this only says them.
 */
import type {
  AccountDto,
  SyncProgressEvent,
  SyncStageDto,
  SyncState,
  SyncStatus,
  SyncSummary,
} from '../backend';
import { formatCount, formatDuration, formatRate } from '../format';

/** The stages of a sync pass, in the order they run. */
export const STAGES: readonly SyncStageDto[] = [
  'listing',
  'fetching_mail',
  'fetching_calendar',
  'computing',
];

const STAGE_LABELS: Record<SyncStageDto, string> = {
  listing: 'Listing new mail',
  fetching_mail: 'Fetching mail',
  fetching_calendar: 'Fetching calendar',
  computing: 'Computing insights',
};

/** What a stage is called on screen. */
export function stageLabel(stage: SyncStageDto): string {
  return STAGE_LABELS[stage];
}

/** What a stage counts, for "12 of 40 messages" and "5.2 messages/s". */
function stageUnit(stage: SyncStageDto, count: number): string {
  switch (stage) {
    case 'listing':
    case 'fetching_mail':
      return count === 1 ? 'message' : 'messages';
    // The engine counts calendars here: each is fetched whole.
    case 'fetching_calendar':
      return count === 1 ? 'calendar' : 'calendars';
    case 'computing':
      return count === 1 ? 'step' : 'steps';
  }
}

export interface StageProgress {
  done: number;
  total: number | null;
  /** Items per second, as the engine measured it. */
  rate: number;
  etaSeconds: number | null;
}

export interface SyncView {
  phase: 'waiting' | 'running' | 'finished';
  /** Accounts the pass covers, once it said. */
  accounts: number | null;
  /** The account being synced (empty while computing). */
  account: string | null;
  stage: SyncStageDto | null;
  stages: Partial<Record<SyncStageDto, StageProgress>>;
  summary: SyncSummary | null;
}

export function initialView(): SyncView {
  return { phase: 'waiting', accounts: null, account: null, stage: null, stages: {}, summary: null };
}

/** Applies one progress event. Returns a new view. */
export function applySyncEvent(view: SyncView, event: SyncProgressEvent): SyncView {
  switch (event.kind) {
    case 'started':
      // A new pass: forget the previous one's figures.
      return { ...initialView(), phase: 'running', accounts: event.accounts };
    case 'stage': {
      const previous = view.stages[event.stage];
      const progress: StageProgress = {
        // Counts never go backwards on screen within a pass.
        done: Math.max(previous?.done ?? 0, event.done),
        total: event.total,
        rate: event.rate,
        etaSeconds: event.eta_seconds,
      };
      return {
        ...view,
        phase: 'running',
        account: event.account === '' ? view.account : event.account,
        stage: event.stage,
        stages: { ...view.stages, [event.stage]: progress },
      };
    }
    case 'finished':
      return { ...view, phase: 'finished', stage: null, summary: event.summary };
  }
}

/** Whether `stage` is still to come, running, or over, in `view`. */
export function stageState(view: SyncView, stage: SyncStageDto): 'pending' | 'active' | 'done' {
  if (view.phase === 'finished') return 'done';
  if (view.stage === null) return 'pending';
  const current = STAGES.indexOf(view.stage);
  const index = STAGES.indexOf(stage);
  if (index < current) return 'done';
  return index === current ? 'active' : 'pending';
}

/** The share of a stage done, in [0, 1], or `null` while its size is unknown. */
export function stageFraction(progress: StageProgress | undefined): number | null {
  if (progress === undefined || progress.total === null || progress.total <= 0) return null;
  return Math.min(1, Math.max(0, progress.done / progress.total));
}

/**
 * "120 of 2,400 messages", or "120 messages" while the total is unknown; nothing for a
 * stage that has not counted anything yet.
 */
export function formatStageCount(stage: SyncStageDto, progress: StageProgress): string {
  if (progress.total === null && progress.done === 0) return '';
  if (progress.total === null) return `${formatCount(progress.done)} ${stageUnit(stage, progress.done)}`;
  return `${formatCount(progress.done)} of ${formatCount(progress.total)} ${stageUnit(stage, progress.total)}`;
}

/** "45 messages/s"; empty when nothing is moving (a rate of 0 says nothing useful). */
export function formatStageRate(stage: SyncStageDto, rate: number): string {
  if (!(rate > 0)) return '';
  return `${formatRate(rate)} ${stageUnit(stage, 2)}/s`;
}

/** "About 3 minutes left", "Almost done", or "Estimating time left…" while unknown. */
export function formatEta(seconds: number | null): string {
  if (seconds === null) return 'Estimating time left…';
  if (seconds < 1) return 'Almost done';
  return `About ${formatDuration(seconds)} left`;
}

const ACCOUNT_STATUS_LABELS: Record<string, string> = {
  connected: 'Connected',
  reconnect_needed: 'Reconnect needed',
  snapshot: 'Snapshot',
  signed_out: 'Signed out',
};

/** An account's status on screen; an unknown status is shown as the engine named it. */
export function accountStatusLabel(status: string): string {
  return ACCOUNT_STATUS_LABELS[status] ?? status;
}

/** Whether an account can sync, be paused, snapshotted or disconnected. */
export function isConnected(account: AccountDto): boolean {
  return account.status === 'connected';
}

const STATE_LABELS: Record<SyncState, string> = {
  idle: 'Up to date',
  syncing: 'Syncing',
  paused: 'Paused',
  error: 'Last sync failed',
  reconnect_needed: 'Reconnect needed',
};

/** "Syncing 42 %", "Paused", "Up to date"… */
export function syncStateLabel(status: SyncStatus): string {
  if (status.state === 'syncing' && status.percent !== null) return `Syncing ${status.percent} %`;
  return STATE_LABELS[status.state];
}

/** The failures of a finished pass: one per account that stopped early. */
export function summaryErrors(summary: SyncSummary): { account: string; reason: string }[] {
  return summary.accounts
    .filter((account) => account.error !== null)
    .map((account) => ({ account: account.email, reason: account.error ?? '' }));
}

/** Whether a pass added, changed or removed anything. */
export function changedAnything(summary: SyncSummary): boolean {
  return [summary.mail, summary.calendar].some(
    (counts) => counts.added + counts.updated + counts.deleted > 0,
  );
}

/** When something happened, in local time: "Nov 22, 2026, 8:12 AM"; `null` if unreadable. */
export function formatWhen(iso: string, { locale, timeZone }: { locale?: string; timeZone?: string } = {}): string | null {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return null;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
}

/** Interval choices offered, with the current one kept if it is not among them. */
export function intervalChoices(current: number): number[] {
  const choices = [5, 10, 15, 30, 60, 120, 360, 1440];
  return choices.includes(current) ? choices : [...choices, current].sort((a, b) => a - b);
}

/** "10 minutes", "1 hour", "6 hours", "1 day". */
export function formatInterval(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
