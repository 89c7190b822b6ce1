/**
 * What the mocked engine's tasks do in an end-to-end test: the stored tasks, and failures.
 * Specs put it on `window.__KINDRED_TASKS__` with an init script; without one, there are
 * no tasks.
 */
import type { ApiError, TaskDto } from '../src/lib/backend/bindings';

declare global {
  interface Window {
    __KINDRED_TASKS__?: TasksScenario;
    /** With `hold`, lets the held tasks answers go. */
    __KINDRED_RELEASE_TASKS__?: () => void;
  }
}

export interface TasksScenario {
  tasks: TaskDto[];
  /** `list_tasks` fails with this. */
  listError: ApiError | null;
  /** `move_task` fails with this. */
  moveError: ApiError | null;
  /** The tasks commands answer only once the spec calls `__KINDRED_RELEASE_TASKS__`. */
  hold: boolean;
}

function task(id: number, title: string, overrides: Partial<TaskDto>): TaskDto {
  return {
    id,
    title,
    notes: '',
    status: 'todo',
    priority: 'normal',
    due: null,
    created_by: 'person',
    created_at: '2026-11-20T09:00:00Z',
    updated_at: '2026-11-20T09:00:00Z',
    completed_at: null,
    messages: [],
    events: [],
    ...overrides,
  };
}

export const CONTRACT = task(1, 'Reply to Priya about the Q4 contract', {
  priority: 'high',
  due: '2020-01-15',
  created_by: 'rule 1',
  messages: [42],
});
export const AGENDA = task(2, 'Send the agenda for Thursday', { due: '2099-03-02', created_by: 'assistant' });
export const SLIDES = task(3, 'Draft the kick-off slides', { status: 'doing', priority: 'low' });
export const INVOICE = task(4, 'Pay the design invoice', { status: 'done', completed_at: '2026-11-21T10:00:00Z' });

export function tasksScenario(overrides: Partial<TasksScenario> = {}): TasksScenario {
  return { tasks: [], listError: null, moveError: null, hold: false, ...overrides };
}
