/**
 * What the mocked engine's updater does in an end-to-end test: the update a look finds,
 * a look that fails, and an install that is refused. Specs put it on
 * `window.__KINDRED_UPDATE__` with an init script; without one, there is no update.
 */
import type { ApiError, UpdateInfo } from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_UPDATE__?: UpdateScenario;
    /** Lets a held install go on past its first download progress. */
    __KINDRED_RELEASE_UPDATE__?: () => void;
    /** Emits the tray's "Check for updates…" to the window. */
    __KINDRED_REQUEST_UPDATE_CHECK__?: () => Promise<void>;
  }
}

export interface UpdateScenario {
  /** What the look on start finds (a scheduled check). */
  onStart: UpdateInfo | null;
  /** What the person's own look finds. */
  onRequest: UpdateInfo | null;
  /** The person's own look fails with this. */
  checkError: ApiError | null;
  /** The download's size in bytes, streamed in four steps. */
  bytes: number;
  /** After the download the install is refused with this (a bad signature). */
  installError: ApiError | null;
  /** The tray's "Check for updates…" asked before the window was there (the tray opened it for that). */
  requestedBeforeStart: boolean;
}

export const UPDATE: UpdateInfo = {
  version: '0.2.0',
  current_version: '0.1.0',
  notes: 'Faster sync.\nThe graph remembers where you left it.',
  date: '2026-11-20T09:30:00Z',
};

export const SIGNATURE_REFUSED: ApiError = {
  code: 'invalid_input',
  message:
    "the update to version 0.2.0 was refused: its signature does not match Kindred's update key " +
    '(The signature verification failed). It may have been damaged or tampered with. ' +
    'Nothing was installed; this version keeps working.',
};

export const SERVER_DOWN: ApiError = {
  code: 'io',
  message:
    'could not look for updates: https://example.invalid/kindred/releases/latest.json did not answer ' +
    'with a release (Could not fetch a valid release JSON from the remote). Kindred will look again ' +
    'later. Nothing was installed; this version keeps working.',
};

export function updateScenario(overrides: Partial<UpdateScenario> = {}): UpdateScenario {
  return {
    onStart: null,
    onRequest: null,
    checkError: null,
    bytes: 3_200_000,
    installError: null,
    requestedBeforeStart: false,
    ...overrides,
  };
}
