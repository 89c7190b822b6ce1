/**
 * Pure helpers of Settings: the retention windows offered and how they read, when a
 * change of retention needs confirming, the typed confirmation of "Delete all my data",
 * and how the engine's summary of the deletion reads.
 */
import type { ErasureSummary } from '../backend';

/** The windows offered, in days. */
const RETENTION_DAYS = [30, 90, 180, 365, 730, 1825];

/** The windows offered, with the one in force if it is none of them; `null` is off. */
export function retentionChoices(current: number | null): number[] {
  if (current === null || RETENTION_DAYS.includes(current)) return RETENTION_DAYS;
  return [...RETENTION_DAYS, current].sort((a, b) => a - b);
}

/** “Keep everything”, “90 days”, “1 year”, “5 years”. */
export function formatRetention(days: number | null): string {
  if (days === null) return 'Keep everything';
  if (days % 365 === 0) return days === 365 ? '1 year' : `${days / 365} years`;
  return days === 1 ? '1 day' : `${days} days`;
}

/** Whether going from `from` to `to` deletes more than before, so it is asked first. */
export function retentionDeletesMore(from: number | null, to: number | null): boolean {
  return to !== null && (from === null || to < from);
}

/** The word the person types to confirm deleting everything. */
export const DELETE_WORD = 'delete';

export function confirmsDeletion(typed: string): boolean {
  return typed.trim().toLowerCase() === DELETE_WORD;
}

/** What the deletion did, one sentence a line, including what the person still has to do. */
export function erasureLines(summary: ErasureSummary): string[] {
  const lines = [
    `${summary.removed.length} ${summary.removed.length === 1 ? 'file or folder' : 'files and folders'} and ${summary.secrets_deleted} keyring ${summary.secrets_deleted === 1 ? 'entry' : 'entries'} deleted.`,
  ];
  if (summary.revoked.length > 0) lines.push(`Google confirmed access revoked for ${summary.revoked.join(', ')}.`);
  if (summary.not_confirmed.length > 0) {
    lines.push(
      `Google did not confirm revoking access for ${summary.not_confirmed.join(', ')}: remove Kindred at myaccount.google.com/permissions.`,
    );
  }
  if (summary.accounts_unknown) {
    lines.push('The accounts could not be read: remove Kindred at myaccount.google.com/permissions if you had connected one.');
  }
  if (summary.left_alone.length > 0) {
    lines.push(`Left alone, as they are not Kindred's: ${summary.left_alone.join(', ')}.`);
  }
  return lines;
}
