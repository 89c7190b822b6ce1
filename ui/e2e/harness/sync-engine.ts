/**
 * The mocked engine's Google accounts and background sync: answers the sync commands
 * from `window.__KINDRED_SYNC__` and streams a pass as the real app does, as `sync`
 * events (status, then the engine's progress, then status again).
 */
import { emit } from '@tauri-apps/api/event';
import type { AccountDto, BackgroundEvent, SyncProgressEvent, SyncStatus } from '../../src/lib/backend/bindings';
import { syncScenario } from '../sync-scenario';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type SyncAnswer = { handled: true; value: unknown } | { handled: false };

/** Creates the sync part of the mocked engine; `synced` is called after a pass with mail. */
export function syncEngine(synced: () => void): (cmd: string, args: Record<string, unknown>) => Promise<SyncAnswer> {
  const scenario = window.__KINDRED_SYNC__ ?? syncScenario();
  let accounts: AccountDto[] = scenario.accounts;
  let status: SyncStatus = { ...scenario.status, connected_accounts: scenario.accounts.length };
  let autostart = false;

  const send = (event: BackgroundEvent) => emit('sync', event);
  const setStatus = async (next: Partial<SyncStatus>) => {
    status = { ...status, ...next };
    await send({ kind: 'status', status });
  };
  const progress = (event: SyncProgressEvent) => send({ kind: 'progress', event });

  const pass = async () => {
    const { steps, intervalMs, messages, calendars } = scenario.pass;
    const account = scenario.account.email;
    await setStatus({ state: 'syncing', percent: null });
    await progress({ kind: 'started', accounts: 1 });
    await progress({ kind: 'stage', account, stage: 'listing', done: messages, total: null, rate: 0, eta_seconds: null });
    for (const [stage, total] of [['fetching_mail', messages], ['fetching_calendar', calendars]] as const) {
      for (let step = 1; step <= steps; step += 1) {
        await sleep(intervalMs);
        const done = Math.round((total * step) / steps);
        const rate = total / ((steps * intervalMs) / 1000);
        await setStatus({ percent: Math.round((100 * step) / steps) });
        await progress({
          kind: 'stage', account, stage, done, total, rate,
          eta_seconds: Math.round((total - done) / rate),
        });
      }
    }
    await progress({ kind: 'stage', account: '', stage: 'computing', done: 0, total: null, rate: 0, eta_seconds: null });
    const failed = scenario.summary.accounts.find((item) => item.error !== null);
    const finishedAt = '2026-11-22T08:00:00Z';
    accounts = accounts.map((item) => ({
      ...item,
      status: failed?.email === item.email ? failed.status : item.status,
      last_sync: {
        started_at: '2026-11-22T07:59:00Z', finished_at: finishedAt,
        mail: scenario.summary.mail, calendar: scenario.summary.calendar,
        error_class: failed?.error_class ?? null, error: failed?.error ?? null,
      },
    }));
    if (scenario.summary.mail.added > 0) synced();
    await progress({ kind: 'finished', summary: scenario.summary });
    await setStatus({
      state: failed ? 'reconnect_needed' : status.paused ? 'paused' : 'idle',
      percent: null,
      last_sync_at: finishedAt,
      last_error: failed?.error ?? null,
    });
  };

  return async (cmd, args) => {
    switch (cmd) {
      case 'list_accounts':
        return { handled: true, value: accounts };
      case 'get_sync_status':
        return { handled: true, value: status };
      case 'connect_google':
        await sleep(scenario.connectDelayMs);
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (scenario.connectError !== null) throw scenario.connectError;
        accounts = [...accounts.filter((item) => item.email !== scenario.account.email), scenario.account];
        status = { ...status, connected_accounts: accounts.length };
        setTimeout(() => void pass(), 50);
        return { handled: true, value: scenario.account };
      case 'sync_now':
        setTimeout(() => void pass(), 50);
        return { handled: true, value: status };
      case 'set_sync_paused': {
        const paused = args.paused as boolean;
        await setStatus({ paused, state: paused ? 'paused' : 'idle' });
        return { handled: true, value: status };
      }
      case 'get_autostart':
        return { handled: true, value: autostart };
      case 'set_autostart':
        autostart = args.enabled as boolean;
        return { handled: true, value: autostart };
      case 'set_sync_interval':
        await setStatus({ interval_minutes: args.minutes as number });
        return { handled: true, value: status };
      case 'disconnect_google': {
        const email = args.email as string;
        accounts = accounts.map((item) => (item.email === email ? { ...item, status: 'signed_out' } : item));
        await setStatus({ connected_accounts: accounts.filter((item) => item.status === 'connected').length });
        return { handled: true, value: accounts.filter((item) => item.email === email) };
      }
      case 'snapshot_google': {
        const email = args.email as string;
        await pass();
        accounts = accounts.map((item) => (item.email === email ? { ...item, status: 'snapshot' } : item));
        return { handled: true, value: scenario.summary };
      }
      default:
        return { handled: false };
    }
  };
}
