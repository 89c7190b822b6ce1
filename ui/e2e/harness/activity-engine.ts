/**
 * The mocked engine's activity log: answers `list_activity` from
 * `window.__KINDRED_ACTIVITY__`, filtering and ordering as the store does (every given
 * condition holds, newest first, at most `limit`).
 */
import type { ActivityEntry, ActivityFilter } from '../../src/lib/backend/bindings';
import { activityScenario } from '../activity-scenario';

export type ActivityAnswer = { handled: true; value: unknown } | { handled: false };

function matches(entry: ActivityEntry, filter: ActivityFilter): boolean {
  if (filter.since !== null && entry.at < filter.since) return false;
  if (filter.actor !== null && entry.actor !== filter.actor) return false;
  if (filter.kind !== null) {
    const kind = filter.kind;
    if (kind.endsWith('.') ? !entry.kind.startsWith(kind) : entry.kind !== kind) return false;
  }
  return !filter.failed_only || entry.outcome === 'failed';
}

/** Creates the activity part of the mocked engine. */
export function activityEngine(): (cmd: string, args: Record<string, unknown>) => Promise<ActivityAnswer> {
  const scenario = window.__KINDRED_ACTIVITY__ ?? activityScenario();
  let failures = 0;
  const released = new Promise<void>((resolve) => {
    window.__KINDRED_RELEASE_ACTIVITY__ = resolve;
  });

  return async (cmd, args) => {
    if (cmd !== 'list_activity') return { handled: false };
    if (scenario.hold) await released;
    if (scenario.error !== null && failures < scenario.errorTimes) {
      failures += 1;
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw scenario.error;
    }
    const filter = args.filter as ActivityFilter;
    const value = scenario.entries
      .filter((entry) => matches(entry, filter))
      .sort((a, b) => b.at.localeCompare(a.at) || b.id - a.id)
      .slice(0, filter.limit ?? 200);
    return { handled: true, value };
  };
}
