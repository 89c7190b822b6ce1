/**
 * What the mocked engine's Google sync does in an end-to-end test: the accounts, what
 * connecting returns (or the error it fails with), and how a sync pass streams. Specs put
 * it on `window.__KINDRED_SYNC__` with an init script; without one, nothing is connected.
 */
import type { AccountDto, ApiError, SyncStatus, SyncSummary } from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_SYNC__?: SyncScenario;
  }
}

export interface SyncScenario {
  accounts: AccountDto[];
  /** The account `connect_google` signs in, after `connectDelayMs` (the browser). */
  account: AccountDto;
  connectDelayMs: number;
  connectError: ApiError | null;
  /** A pass: `steps` progress events per fetching stage, `intervalMs` apart. */
  pass: { steps: number; intervalMs: number; messages: number; calendars: number };
  summary: SyncSummary;
  status: SyncStatus;
}

const none = { added: 0, updated: 0, deleted: 0 };

export const DANA: AccountDto = {
  provider: 'google',
  email: 'dana@example.com',
  status: 'connected',
  window: '365d',
  created_at: '2026-11-22T07:00:00Z',
  last_sync: null,
};

export const SYNC_SUMMARY: SyncSummary = {
  mail: { added: 240, updated: 0, deleted: 0 },
  calendar: { added: 36, updated: 0, deleted: 0 },
  accounts: [
    {
      email: DANA.email,
      mail: { added: 240, updated: 0, deleted: 0 },
      calendar: { added: 36, updated: 0, deleted: 0 },
      status: 'connected',
      error_class: null,
      error: null,
      skipped: [],
    },
  ],
  errors: [],
};

/** A pass in which one account's sign-in was refused. */
export const FAILED_SUMMARY: SyncSummary = {
  mail: none,
  calendar: none,
  accounts: [
    {
      email: DANA.email,
      mail: none,
      calendar: none,
      status: 'reconnect_needed',
      error_class: 'reconnect_needed',
      error: 'Google no longer accepts the sign-in of dana@example.com (invalid_grant); reconnect the account',
      skipped: [],
    },
  ],
  errors: ['dana@example.com: Google no longer accepts the sign-in (invalid_grant)'],
};

export const IDLE: SyncStatus = {
  state: 'idle',
  percent: null,
  paused: false,
  interval_minutes: 10,
  last_sync_at: null,
  last_error: null,
  connected_accounts: 0,
};

export function syncScenario(overrides: Partial<SyncScenario> = {}): SyncScenario {
  return {
    accounts: [],
    account: DANA,
    connectDelayMs: 300,
    connectError: null,
    pass: { steps: 6, intervalMs: 120, messages: 240, calendars: 2 },
    summary: SYNC_SUMMARY,
    status: IDLE,
    ...overrides,
  };
}
