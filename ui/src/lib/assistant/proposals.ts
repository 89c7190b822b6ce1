/**
 * How a change the assistant proposes reads on its confirmation card: what it would do,
 * and the details it would be made with. Nothing here makes anything.
 */
import type { ProposedActionDto } from '../backend';

export interface ProposalView {
  /** What confirming does, e.g. "Create a task". */
  title: string;
  /** The main text: the task's title, the rule, the instruction. */
  subject: string;
  /** Further details, e.g. `Priority: high`. */
  details: string[];
}

const TITLES = {
  create_task: 'Create a task',
  create_rule: 'Add a rule',
  add_instruction: 'Add a standing instruction',
} as const;

/** The screen where what a confirmed action made can be seen, if there is one. */
export function screenOf(action: ProposedActionDto): { id: string; label: string } | null {
  if (action.status !== 'done') return null;
  if (action.tool === 'create_task') return { id: 'tasks', label: 'Open Tasks' };
  if (action.tool === 'create_rule') return { id: 'rules', label: 'Open Rules' };
  return null;
}

function text(arguments_: unknown, name: string): string | null {
  if (typeof arguments_ !== 'object' || arguments_ === null) return null;
  const value = (arguments_ as Record<string, unknown>)[name];
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

export function describeProposal(action: ProposedActionDto): ProposalView {
  const args = action.arguments;
  switch (action.tool) {
    case 'create_task': {
      const details = [
        ['Priority', text(args, 'priority')],
        ['Due', text(args, 'due')],
        ['Notes', text(args, 'notes')],
      ]
        .filter((pair): pair is [string, string] => pair[1] !== null)
        .map(([label, value]) => `${label}: ${value}`);
      return { title: TITLES.create_task, subject: text(args, 'title') ?? '(untitled task)', details };
    }
    case 'create_rule':
      return { title: TITLES.create_rule, subject: text(args, 'rule') ?? '', details: [] };
    case 'add_instruction':
      return { title: TITLES.add_instruction, subject: text(args, 'text') ?? '', details: [] };
    default:
      return { title: action.tool, subject: JSON.stringify(args), details: [] };
  }
}

/** The status of an action, as its card says it. */
export function statusLabel(action: ProposedActionDto): string {
  switch (action.status) {
    case 'proposed':
      return 'Waiting for your confirmation';
    case 'confirming':
      return 'Being made…';
    case 'done':
      return action.outcome === null ? 'Done' : `Done: ${action.outcome}`;
    case 'failed':
      return action.outcome === null ? 'Failed' : `Failed: ${action.outcome}`;
    default:
      return action.status;
  }
}
