import { describe, expect, it } from 'vitest';
import type { ErasureSummary } from '../backend';
import { confirmsDeletion, erasureLines, formatRetention, retentionChoices, retentionDeletesMore } from './model';

describe('retention', () => {
  it('offers the usual windows, and keeps a custom one in force', () => {
    expect(retentionChoices(null)).toEqual([30, 90, 180, 365, 730, 1825]);
    expect(retentionChoices(90)).toEqual([30, 90, 180, 365, 730, 1825]);
    expect(retentionChoices(45)).toEqual([30, 45, 90, 180, 365, 730, 1825]);
  });

  it('reads in days or years', () => {
    expect(formatRetention(null)).toBe('Keep everything');
    expect(formatRetention(1)).toBe('1 day');
    expect(formatRetention(90)).toBe('90 days');
    expect(formatRetention(365)).toBe('1 year');
    expect(formatRetention(1825)).toBe('5 years');
  });

  it('asks first when a change deletes more than before', () => {
    expect(retentionDeletesMore(null, 365)).toBe(true);
    expect(retentionDeletesMore(365, 90)).toBe(true);
    expect(retentionDeletesMore(90, 365)).toBe(false);
    expect(retentionDeletesMore(90, null)).toBe(false);
  });
});

describe('deleting everything', () => {
  it('is confirmed only by typing the word', () => {
    expect(confirmsDeletion('delete')).toBe(true);
    expect(confirmsDeletion('  Delete ')).toBe(true);
    expect(confirmsDeletion('delet')).toBe(false);
    expect(confirmsDeletion('')).toBe(false);
  });

  it('tells what was deleted and what is left to do', () => {
    const summary: ErasureSummary = {
      revoked: ['ada@example.com'],
      not_confirmed: ['bob@example.com'],
      secrets_deleted: 6,
      removed: ['/data/kindred.db', '/data/logs'],
      left_alone: [],
      accounts_unknown: false,
    };
    expect(erasureLines(summary)).toEqual([
      '2 files and folders and 6 keyring entries deleted.',
      'Google confirmed access revoked for ada@example.com.',
      'Google did not confirm revoking access for bob@example.com: remove Kindred at myaccount.google.com/permissions.',
    ]);
  });
});
