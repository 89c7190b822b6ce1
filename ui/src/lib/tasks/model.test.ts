import { describe, expect, it } from 'vitest';
import type { TaskDto } from '../backend';
import {
  byStatus,
  dueText,
  evidenceText,
  localDay,
  moveAnnouncement,
  neighbour,
  priorityLabel,
  sourceOf,
  statusForKey,
  withTask,
} from './model';

function task(id: number, status: string, overrides: Partial<TaskDto> = {}): TaskDto {
  return {
    id,
    title: `Task ${id}`,
    notes: '',
    status,
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

describe('byStatus', () => {
  it('puts each task in its column, keeping the engine’s order', () => {
    const columns = byStatus([task(1, 'doing'), task(2, 'todo'), task(3, 'todo'), task(4, 'done')]);
    expect(columns.todo.map((each) => each.id)).toEqual([2, 3]);
    expect(columns.doing.map((each) => each.id)).toEqual([1]);
    expect(columns.done.map((each) => each.id)).toEqual([4]);
  });

  it('leaves out a status the board does not know', () => {
    const columns = byStatus([task(1, 'archived')]);
    expect([...columns.todo, ...columns.doing, ...columns.done]).toEqual([]);
  });
});

describe('keys', () => {
  it('moves one column left or right, and stops at the edges', () => {
    expect(neighbour('todo', 1)).toBe('doing');
    expect(neighbour('doing', -1)).toBe('todo');
    expect(neighbour('todo', -1)).toBeNull();
    expect(neighbour('done', 1)).toBeNull();
  });

  it('maps arrows, Home and End to a column, and other keys to none', () => {
    expect(statusForKey('todo', 'ArrowRight')).toBe('doing');
    expect(statusForKey('done', 'ArrowLeft')).toBe('doing');
    expect(statusForKey('doing', 'Home')).toBe('todo');
    expect(statusForKey('todo', 'End')).toBe('done');
    expect(statusForKey('done', 'End')).toBeNull();
    expect(statusForKey('todo', 'Enter')).toBeNull();
  });
});

describe('reading a card', () => {
  it('badges high and low priority only', () => {
    expect(priorityLabel('high')).toBe('High priority');
    expect(priorityLabel('low')).toBe('Low priority');
    expect(priorityLabel('normal')).toBeNull();
  });

  it('says when a task is due, and overdue only while it is open', () => {
    expect(dueText(null, 'todo', '2026-11-22')).toBeNull();
    expect(dueText('2026-11-22', 'todo', '2026-11-22', 'en-GB')).toEqual({ text: 'Due today', overdue: false });
    expect(dueText('2026-11-23', 'todo', '2026-11-22', 'en-GB')).toEqual({ text: 'Due tomorrow', overdue: false });
    expect(dueText('2026-12-03', 'doing', '2026-11-22', 'en-GB')).toEqual({ text: 'Due 3 Dec', overdue: false });
    expect(dueText('2026-11-03', 'todo', '2026-11-22', 'en-GB')).toEqual({
      text: 'Overdue since 3 Nov',
      overdue: true,
    });
    expect(dueText('2026-11-03', 'done', '2026-11-22', 'en-GB')).toEqual({ text: 'Due 3 Nov', overdue: false });
  });

  it('formats the local day', () => {
    expect(localDay(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05');
  });

  it('tells where a task came from', () => {
    expect(sourceOf('rule 3')).toEqual({ kind: 'rule', rule: 3 });
    expect(sourceOf('assistant')).toEqual({ kind: 'assistant' });
    expect(sourceOf('person')).toEqual({ kind: 'person' });
    expect(evidenceText({ messages: [4, 5], events: [9] })).toBe('from 2 messages and 1 event');
    expect(evidenceText({ messages: [4], events: [] })).toBe('from 1 message');
    expect(evidenceText({ messages: [], events: [] })).toBeNull();
  });
});

describe('moving', () => {
  it('announces the move with the column’s name', () => {
    expect(moveAnnouncement('Reply to Dana', 'doing')).toBe('“Reply to Dana” moved to Doing.');
  });

  it('updates a task in place within its column, and puts a moved one last', () => {
    const tasks = [task(1, 'todo'), task(2, 'todo'), task(3, 'doing')];
    expect(withTask(tasks, { ...task(1, 'todo'), title: 'Renamed' }).map((each) => each.title)).toEqual([
      'Renamed',
      'Task 2',
      'Task 3',
    ]);
    const moved = withTask(tasks, task(1, 'doing'));
    expect(moved.map((each) => [each.id, each.status])).toEqual([
      [2, 'todo'],
      [3, 'doing'],
      [1, 'doing'],
    ]);
    expect(withTask(tasks, task(9, 'todo')).map((each) => each.id)).toEqual([1, 2, 3, 9]);
  });
});
