/**
 * What the mocked engine's activity log holds in an end-to-end test. Specs put it on
 * `window.__KINDRED_ACTIVITY__` with an init script; without one, the log is empty.
 */
import type { ActivityEntry, ApiError } from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_ACTIVITY__?: ActivityScenario;
    /** With `hold`, lets the held `list_activity` answers go. */
    __KINDRED_RELEASE_ACTIVITY__?: () => void;
  }
}

export interface ActivityScenario {
  /** In any order: the engine answers newest first. */
  entries: ActivityEntry[];
  /** `list_activity` fails with this the first `errorTimes` times. */
  error: ApiError | null;
  errorTimes: number;
  /** `list_activity` answers only once the spec calls `__KINDRED_RELEASE_ACTIVITY__`. */
  hold: boolean;
}

export const ENTRIES: ActivityEntry[] = [
  { id: 1, at: '2026-11-20T08:00:00Z', actor: 'person', kind: 'import', subject: 'sample.mbox', outcome: 'ok', detail: '240 messages' },
  { id: 2, at: '2026-11-21T09:00:00Z', actor: 'sync', kind: 'sync', subject: 'account dana@example.com', outcome: 'ok', detail: '12 new messages' },
  { id: 3, at: '2026-11-21T10:00:00Z', actor: 'rule 2', kind: 'task.created', subject: 'message 42', outcome: 'ok', detail: 'Reply to Q4 contract' },
  { id: 4, at: '2026-11-21T11:00:00Z', actor: 'rule 2', kind: 'webhook', subject: 'message 43', outcome: 'failed', detail: 'POST https://hooks.example/x: 502' },
  { id: 6, at: '2026-11-19T12:00:00Z', actor: 'person', kind: 'person.merged', subject: 'person 99', outcome: 'ok', detail: 'priya@larkspur.example joined' },
  { id: 5, at: '2026-11-22T07:00:00Z', actor: 'assistant', kind: 'task.created', subject: 'task 7', outcome: 'ok', detail: 'Send the slides' },
];

export function activityScenario(overrides: Partial<ActivityScenario> = {}): ActivityScenario {
  return { entries: [], error: null, errorTimes: 0, hold: false, ...overrides };
}
