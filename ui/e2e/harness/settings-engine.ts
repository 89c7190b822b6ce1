/**
 * The mocked engine's settings: the retention window, the extraction label and "Delete all
 * my data", answered from `window.__KINDRED_SETTINGS__`. After a deletion every other
 * settings command fails as the real engine's would, its store being gone.
 */
import type { ApiError } from '../../src/lib/backend/bindings';
import { settingsScenario } from '../settings-scenario';

export type SettingsAnswer = { handled: true; value: unknown } | { handled: false };

const COMMANDS = [
  'get_retention_days',
  'set_retention_days',
  'get_extraction_label',
  'set_extraction_label',
  'delete_all_data',
  'quit_app',
];

/** Creates the settings part of the mocked engine. */
export function settingsEngine(): (cmd: string, args: Record<string, unknown>) => Promise<SettingsAnswer> {
  const scenario = window.__KINDRED_SETTINGS__ ?? settingsScenario();
  let days = scenario.retentionDays;
  let label = scenario.extractionLabel;
  let deleteFailed = false;
  let deleted = false;
  const released = new Promise<void>((resolve) => {
    window.__KINDRED_RELEASE_DELETE__ = resolve;
  });

  const fail = (error: ApiError): never => {
    // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw error;
  };
  const gone: ApiError = { code: 'store_unavailable', message: 'the store is closed' };

  const answer = async (cmd: string, args: Record<string, unknown>): Promise<unknown> => {
    switch (cmd) {
      case 'get_retention_days':
        if (deleted) fail(gone);
        return days;
      case 'set_retention_days':
        if (deleted) fail(gone);
        if (scenario.retentionError !== null) fail(scenario.retentionError);
        days = args.days as number | null;
        return null;
      case 'get_extraction_label':
        if (deleted) fail(gone);
        return label;
      case 'set_extraction_label':
        if (deleted) fail(gone);
        if (scenario.extractionLabelError !== null) fail(scenario.extractionLabelError);
        // As the engine: trimmed; null clears.
        label = (args.label as string | null)?.trim() ?? null;
        return label;
      case 'delete_all_data':
        if (scenario.holdDelete) await released;
        if (scenario.deleteError !== null && !deleteFailed) {
          deleteFailed = true;
          fail(scenario.deleteError);
        }
        deleted = true;
        return scenario.erasure;
      default:
        return null;
    }
  };

  return async (cmd, args) => {
    if (!COMMANDS.includes(cmd)) return { handled: false };
    return { handled: true, value: await answer(cmd, args) };
  };
}
