/**
 * The mocked engine's tasks: answers the tasks commands from `window.__KINDRED_TASKS__`,
 * keeping the tasks it adds and moves, and refusing what the real engine refuses.
 */
import type { ApiError, NewTaskRequest, TaskDto } from '../../src/lib/backend/bindings';
import { tasksScenario } from '../tasks-scenario';

export type TasksAnswer = { handled: true; value: unknown } | { handled: false };

const COMMANDS = ['list_tasks', 'add_task', 'move_task'];

/** Creates the tasks part of the mocked engine. */
export function tasksEngine(): (cmd: string, args: Record<string, unknown>) => Promise<TasksAnswer> {
  const scenario = window.__KINDRED_TASKS__ ?? tasksScenario();
  let tasks: TaskDto[] = scenario.tasks;
  let nextId = Math.max(0, ...tasks.map((each) => each.id)) + 1;
  const released = new Promise<void>((resolve) => {
    window.__KINDRED_RELEASE_TASKS__ = resolve;
  });

  const fail = (error: ApiError): never => {
    // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw error;
  };

  const answer = (cmd: string, args: Record<string, unknown>): unknown => {
    const now = '2026-11-22T09:00:00Z';
    switch (cmd) {
      case 'list_tasks':
        if (scenario.listError !== null) fail(scenario.listError);
        return tasks;
      case 'add_task': {
        const request = args.request as NewTaskRequest;
        if (request.title.trim() === '') fail({ code: 'invalid_input', message: 'a task needs a title' });
        const added: TaskDto = {
          id: nextId,
          title: request.title.trim(),
          notes: request.notes,
          status: 'todo',
          priority: request.priority ?? 'normal',
          due: request.due,
          created_by: 'person',
          created_at: now,
          updated_at: now,
          completed_at: null,
          messages: request.messages,
          events: request.events,
        };
        nextId += 1;
        tasks = [...tasks, added];
        return added;
      }
      case 'move_task': {
        if (scenario.moveError !== null) fail(scenario.moveError);
        const found =
          tasks.find((each) => each.id === args.id) ?? fail({ code: 'not_found', message: `no task has id ${String(args.id)}` });
        const status = args.status as string;
        const moved = { ...found, status, updated_at: now, completed_at: status === 'done' ? now : null };
        tasks = tasks.map((each) => (each.id === moved.id ? moved : each));
        return moved;
      }
      default:
        return undefined;
    }
  };

  return async (cmd, args) => {
    if (!COMMANDS.includes(cmd)) return { handled: false };
    if (scenario.hold) await released;
    return { handled: true, value: answer(cmd, args) };
  };
}
