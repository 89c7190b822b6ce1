/**
 * Pure helpers of the Tasks board: the columns in board order, tasks grouped into them,
 * where a card goes with the arrow keys, how its priority, due date and source read, and
 * what is announced when it moves.
 */
import type { TaskDto } from '../backend';

/** The statuses a task moves through, in board order (the engine's `TASK_STATUSES`). */
export const TASK_STATUSES = ['todo', 'doing', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const COLUMN_LABELS: Record<TaskStatus, string> = {
  todo: 'To do',
  doing: 'Doing',
  done: 'Done',
};

export const PRIORITIES = ['high', 'normal', 'low'] as const;
export type TaskPriority = (typeof PRIORITIES)[number];

export function isStatus(value: string): value is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(value);
}

/** The tasks of each column, in the engine's order (open ones by priority, then due date). */
export function byStatus(tasks: readonly TaskDto[]): Record<TaskStatus, TaskDto[]> {
  const columns: Record<TaskStatus, TaskDto[]> = { todo: [], doing: [], done: [] };
  for (const task of tasks) {
    if (isStatus(task.status)) columns[task.status].push(task);
  }
  return columns;
}

/** The column left (`-1`) or right (`1`) of `status`, or null at the board's edge. */
export function neighbour(status: TaskStatus, direction: -1 | 1): TaskStatus | null {
  return TASK_STATUSES[TASK_STATUSES.indexOf(status) + direction] ?? null;
}

/** The column a key sends a card to: arrows left and right, or Home and End. */
export function statusForKey(status: TaskStatus, key: string): TaskStatus | null {
  switch (key) {
    case 'ArrowLeft':
      return neighbour(status, -1);
    case 'ArrowRight':
      return neighbour(status, 1);
    case 'Home':
      return status === 'todo' ? null : 'todo';
    case 'End':
      return status === 'done' ? null : 'done';
    default:
      return null;
  }
}

/** “High priority”, or null for normal (the default needs no badge). */
export function priorityLabel(priority: string): string | null {
  if (priority === 'high') return 'High priority';
  if (priority === 'low') return 'Low priority';
  return null;
}

export interface DueText {
  text: string;
  /** Past its date and not done. */
  overdue: boolean;
}

/**
 * How a due date (YYYY-MM-DD) reads against `today` (YYYY-MM-DD, local): “Due today”,
 * “Due tomorrow”, “Overdue since 3 Nov” or “Due 3 Dec”.
 */
export function dueText(due: string | null, status: string, today: string, locale?: string): DueText | null {
  if (due === null) return null;
  const day = new Date(`${due}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) return { text: `Due ${due}`, overdue: false };
  const days = Math.round((day.getTime() - new Date(`${today}T00:00:00Z`).getTime()) / 86_400_000);
  const date = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(day);
  const open = status !== 'done';
  if (open && days < 0) return { text: `Overdue since ${date}`, overdue: true };
  if (days === 0) return { text: 'Due today', overdue: false };
  if (days === 1) return { text: 'Due tomorrow', overdue: false };
  return { text: `Due ${date}`, overdue: false };
}

/** Today's date in local time as YYYY-MM-DD. */
export function localDay(now: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Where a task came from: the person, a rule (which can be opened) or the assistant. */
export type TaskSource = { kind: 'person' } | { kind: 'assistant' } | { kind: 'rule'; rule: number };

export function sourceOf(createdBy: string): TaskSource {
  const rule = /^rule (\d+)$/.exec(createdBy);
  if (rule !== null) return { kind: 'rule', rule: Number(rule[1]) };
  return createdBy === 'assistant' ? { kind: 'assistant' } : { kind: 'person' };
}

/** “from 2 messages and 1 event”, or null when it came from none. */
export function evidenceText(task: Pick<TaskDto, 'messages' | 'events'>): string | null {
  const parts: string[] = [];
  const count = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (task.messages.length > 0) parts.push(count(task.messages.length, 'message'));
  if (task.events.length > 0) parts.push(count(task.events.length, 'event'));
  return parts.length === 0 ? null : `from ${parts.join(' and ')}`;
}

/** What a screen reader hears after a move. */
export function moveAnnouncement(title: string, status: TaskStatus): string {
  return `“${title}” moved to ${COLUMN_LABELS[status]}.`;
}

/** `tasks` with `task` in its new state, moved to the end of its new column. */
export function withTask(tasks: readonly TaskDto[], task: TaskDto): TaskDto[] {
  const others = tasks.filter((each) => each.id !== task.id);
  const at = tasks.findIndex((each) => each.id === task.id);
  if (at >= 0 && tasks[at]?.status === task.status) {
    return tasks.map((each) => (each.id === task.id ? task : each));
  }
  return [...others, task];
}
