/**
 * The Tasks board's state: the tasks as the engine lists them, adding one, and moving one
 * between columns. A move shows at once and is undone if the engine refuses it; what was
 * being done and why it failed is kept for the screen, and each move is announced.
 */
import { SvelteSet } from 'svelte/reactivity';
import { addTask, listTasks, moveTask, toApiError, type ApiError, type NewTaskRequest, type TaskDto } from '../backend';
import { moveAnnouncement, withTask, type TaskStatus } from './model';

export class TasksState {
  /** Every task, in the engine's order; null until loaded. */
  tasks = $state.raw<TaskDto[] | null>(null);
  loadError = $state.raw<ApiError | null>(null);
  /** The last add or move that failed, with what was being done. */
  failure = $state.raw<{ action: string; error: ApiError } | null>(null);
  /** Said by the screen's live region: the last move, or why it failed. */
  announcement = $state('');
  /** An add is waiting for the engine. */
  adding = $state(false);
  /** The tasks a move is running for. */
  readonly moving = new SvelteSet<number>();

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.tasks = await listTasks();
    } catch (error) {
      this.loadError = toApiError(error);
    }
  }

  /** Resolves with whether the task was added (a refused one leaves the form as it is). */
  async add(request: NewTaskRequest): Promise<boolean> {
    if (this.adding) return false;
    this.adding = true;
    this.failure = null;
    try {
      const task = await addTask(request);
      this.tasks = withTask(this.tasks ?? [], task);
      this.announcement = `“${task.title}” added to To do.`;
      return true;
    } catch (error) {
      this.failure = { action: 'Adding the task', error: toApiError(error) };
      return false;
    } finally {
      this.adding = false;
    }
  }

  async move(task: TaskDto, status: TaskStatus): Promise<void> {
    if (task.status === status || this.moving.has(task.id) || this.tasks === null) return;
    const before = this.tasks;
    this.moving.add(task.id);
    this.failure = null;
    this.tasks = withTask(before, { ...task, status });
    this.announcement = moveAnnouncement(task.title, status);
    try {
      const moved = await moveTask(task.id, status);
      this.tasks = withTask(this.tasks, moved);
    } catch (error) {
      const current = this.tasks.find((each) => each.id === task.id);
      if (current !== undefined) this.tasks = withTask(this.tasks, { ...current, status: task.status });
      else this.tasks = before;
      this.failure = { action: `Moving “${task.title}”`, error: toApiError(error) };
      this.announcement = `“${task.title}” could not be moved; it stays in its column.`;
    } finally {
      this.moving.delete(task.id);
    }
  }
}
