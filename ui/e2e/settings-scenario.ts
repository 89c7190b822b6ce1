/**
 * What the mocked engine's settings do in an end-to-end test: the retention in force, the
 * extraction label, what deleting everything reports, and failures. Specs put it on
 * `window.__KINDRED_SETTINGS__` with an init script; without one, retention is off and
 * deleting succeeds.
 */
import type { ApiError, ErasureSummary } from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_SETTINGS__?: SettingsScenario;
    /** With `holdDelete`, lets `delete_all_data` answer. */
    __KINDRED_RELEASE_DELETE__?: () => void;
  }
}

export interface SettingsScenario {
  retentionDays: number | null;
  /** `set_retention_days` fails with this. */
  retentionError: ApiError | null;
  extractionLabel: string | null;
  /** `set_extraction_label` fails with this. */
  extractionLabelError: ApiError | null;
  /** `delete_all_data` fails with this the first time. */
  deleteError: ApiError | null;
  /** `delete_all_data` answers only once the spec calls `__KINDRED_RELEASE_DELETE__`. */
  holdDelete: boolean;
  erasure: ErasureSummary;
}

export const ERASURE: ErasureSummary = {
  revoked: ['ada@example.com'],
  not_confirmed: [],
  secrets_deleted: 4,
  removed: ['/home/ada/.local/share/app.kindred/kindred.db', '/home/ada/.local/share/app.kindred/logs'],
  left_alone: [],
  accounts_unknown: false,
};

export function settingsScenario(overrides: Partial<SettingsScenario> = {}): SettingsScenario {
  return {
    retentionDays: null,
    retentionError: null,
    extractionLabel: null,
    extractionLabelError: null,
    deleteError: null,
    holdDelete: false,
    erasure: ERASURE,
    ...overrides,
  };
}
