import { describe, expect, it } from 'vitest';
import type { ProposedActionDto } from '../backend';
import { describeProposal, screenOf, statusLabel } from './proposals';

const task: ProposedActionDto = {
  tool: 'create_task',
  arguments: { title: 'Send Dana the budget', priority: 'high', due: null },
  status: 'proposed',
  outcome: null,
};

describe('describeProposal', () => {
  it('names a task by its title with the details that are set', () => {
    expect(describeProposal(task)).toEqual({
      title: 'Create a task',
      subject: 'Send Dana the budget',
      details: ['Priority: high'],
    });
  });

  it('shows a rule and an instruction by their text', () => {
    expect(describeProposal({ ...task, tool: 'create_rule', arguments: { rule: 'when x then log' } })).toEqual({
      title: 'Add a rule',
      subject: 'when x then log',
      details: [],
    });
    expect(describeProposal({ ...task, tool: 'add_instruction', arguments: { text: 'Answer in French.' } }).subject).toBe(
      'Answer in French.',
    );
  });

  it('shows an unknown tool with its raw arguments', () => {
    expect(describeProposal({ ...task, tool: 'webhook', arguments: { url: 'x' } })).toEqual({
      title: 'webhook',
      subject: '{"url":"x"}',
      details: [],
    });
  });
});

describe('statusLabel', () => {
  it('says what happened, with the outcome', () => {
    expect(statusLabel(task)).toBe('Waiting for your confirmation');
    expect(statusLabel({ ...task, status: 'done', outcome: 'task 3' })).toBe('Done: task 3');
    expect(statusLabel({ ...task, status: 'failed', outcome: 'rule 1, column 6: unknown action' })).toBe(
      'Failed: rule 1, column 6: unknown action',
    );
  });
});

describe('screenOf', () => {
  it('leads from a made task or rule to its screen, and from nothing else', () => {
    expect(screenOf({ ...task, status: 'done', outcome: 'task 3' })).toEqual({ id: 'tasks', label: 'Open Tasks' });
    expect(screenOf({ ...task, tool: 'create_rule', status: 'done', outcome: 'rule 1' })?.id).toBe('rules');
    expect(screenOf(task), 'nothing is made before confirmation').toBeNull();
    expect(screenOf({ ...task, tool: 'add_instruction', status: 'done', outcome: 'instruction 1' })).toBeNull();
  });
});
