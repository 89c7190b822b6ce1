/**
 * Pure helpers of the Rules screen: where in the editor a parse error points, and how a
 * dry run reads.
 */
import { formatCount, type FormatOptions } from '../format';

/** Where the engine says a rule's text went wrong, read from its error message. */
export interface RuleErrorPosition {
  /** 1-based, as the engine counts. */
  line: number;
  column: number;
  /** The message after the position: what was expected and a suggestion. */
  detail: string;
}

const POSITION = /line (\d+), column (\d+):\s*(.*)$/s;

/**
 * Reads `line L, column C: detail` out of the engine's message (`not a rule: line 1,
 * column 28: unknown action 'creat_task' — did you mean 'create_task'?`), or `null` when
 * the message names no position.
 */
export function rulePosition(message: string): RuleErrorPosition | null {
  const match = POSITION.exec(message);
  if (match === null) return null;
  return { line: Number(match[1]), column: Number(match[2]), detail: match[3] ?? '' };
}

/**
 * The offset in `text` of a 1-based line and column (the column counted in characters),
 * clamped to the text, so the editor can put the caret where the error is.
 */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  const lineIndex = Math.min(Math.max(line, 1), lines.length) - 1;
  let offset = 0;
  for (let index = 0; index < lineIndex; index += 1) offset += (lines[index]?.length ?? 0) + 1;
  const lineText = lines[lineIndex] ?? '';
  const characters = Array.from(lineText);
  const within = characters.slice(0, Math.min(Math.max(column, 1) - 1, characters.length)).join('');
  return offset + within.length;
}

/** “Would have fired 3 times”, “once”, “never”. */
export function firedSentence(count: number, options: FormatOptions = {}): string {
  if (count === 0) return 'Would never have fired';
  if (count === 1) return 'Would have fired once';
  return `Would have fired ${formatCount(count, options)} times`;
}

/** The person a dry-run example is about (`person 3` → 3), or `null` for mail and events. */
export function personOf(item: string): number | null {
  const match = /^person (\d+)$/.exec(item);
  return match === null ? null : Number(match[1]);
}
