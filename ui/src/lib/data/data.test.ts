import { describe, expect, it } from 'vitest';
import { nextExportStep } from './data.svelte';

describe('nextExportStep', () => {
  it('follows the part being written and fills the bar when the export finishes', () => {
    let step = nextExportStep({ part: null, done: 0, total: 0 }, { kind: 'started', directory: '/x', messages: 3, events: 1 });
    expect(step).toEqual({ part: null, done: 0, total: 0 });
    step = nextExportStep(step, { kind: 'progress', part: 'messages', done: 2, total: 3 });
    expect(step).toEqual({ part: 'messages', done: 2, total: 3 });
    step = nextExportStep(step, {
      kind: 'finished',
      summary: {
        directory: '/x', messages: 3, events: 1, people: 0, organizations: 0, accounts: 0, rules: 0, tasks: 0,
        stories: 0, activity: 0, files: ['messages.mbox'],
      },
    });
    expect(step).toEqual({ part: 'messages', done: 3, total: 3 });
  });
});
