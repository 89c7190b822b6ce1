import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatCount,
  formatDate,
  formatDateRange,
  formatDateSpan,
  formatDuration,
  formatMessageDate,
  formatPercent,
  formatRate,
  splitPath,
} from './format';

const en = { locale: 'en-US', timeZone: 'UTC' };

describe('numbers', () => {
  it('groups digits by locale', () => {
    expect(formatCount(1234567, en)).toBe('1,234,567');
    expect(formatCount(1234567, { locale: 'de-DE' })).toBe('1.234.567');
    expect(formatCount(0, en)).toBe('0');
  });

  it('shows rates with a decimal only when small', () => {
    expect(formatRate(4.26, en)).toBe('4.3');
    expect(formatRate(1234.6, en)).toBe('1,235');
  });

  it('formats percentages, clamped', () => {
    expect(formatPercent(0.237, en)).toBe('24%');
    expect(formatPercent(1.4, en)).toBe('100%');
  });

  it('formats sizes in decimal units', () => {
    expect(formatBytes(512, en)).toBe('512 bytes');
    expect(formatBytes(1_536_000, en)).toBe('1.5 MB');
    expect(formatBytes(250_000_000, en)).toBe('250 MB');
    expect(formatBytes(3_200_000_000, en)).toBe('3.2 GB');
  });
});

describe('dates', () => {
  it('formats an ISO timestamp as a medium date', () => {
    expect(formatDate('2019-03-12T08:30:00Z', en)).toBe('Mar 12, 2019');
    expect(formatDate('2019-03-12T08:30:00Z', { locale: 'en-GB', timeZone: 'UTC' })).toBe(
      '12 Mar 2019',
    );
    expect(formatDate('not a date', en)).toBeNull();
  });

  it('formats the range of the mail', () => {
    expect(formatDateRange('2019-03-12T08:30:00Z', '2024-11-04T17:00:00Z', en)).toBe(
      'Mar 12, 2019 → Nov 4, 2024',
    );
    expect(formatDateRange('2024-11-04T08:00:00Z', '2024-11-04T17:00:00Z', en)).toBe(
      'Nov 4, 2024',
    );
    expect(formatDateRange(null, '2024-11-04T17:00:00Z', en)).toBeNull();
    expect(formatDateSpan('2019-03-12T08:30:00Z', '2024-11-04T17:00:00Z', en)).toEqual({
      from: 'Mar 12, 2019',
      to: 'Nov 4, 2024',
    });
    expect(formatDateSpan('2024-11-04T08:00:00Z', 'bad', en)).toBeNull();
  });

  it('formats message dates relative to now', () => {
    const now = new Date('2024-11-04T18:00:00Z');
    expect(formatMessageDate('2024-11-04T09:05:00Z', now, en)).toBe('9:05 AM');
    expect(formatMessageDate('2024-02-29T09:05:00Z', now, en)).toBe('Feb 29');
    expect(formatMessageDate('2021-02-28T09:05:00Z', now, en)).toBe('Feb 28, 2021');
    expect(formatMessageDate('garbage', now, en)).toBe('');
  });

  it('uses the time zone to decide what is today', () => {
    const now = new Date('2024-11-04T23:30:00Z');
    const tokyo = { locale: 'en-US', timeZone: 'Asia/Tokyo' };
    // 23:30 UTC is already the 5th in Tokyo; 10:00 UTC on the 4th is a different day there.
    expect(formatMessageDate('2024-11-04T10:00:00Z', now, tokyo)).toBe('Nov 4');
  });
});

describe('formatDuration', () => {
  it('rounds so the countdown does not flicker', () => {
    expect(formatDuration(0.2, en)).toBe('1 second');
    expect(formatDuration(8.1, en)).toBe('9 seconds');
    expect(formatDuration(41, en)).toBe('45 seconds');
    expect(formatDuration(59.5, en)).toBe('55 seconds');
    expect(formatDuration(150, en)).toBe('3 minutes');
    expect(formatDuration(3600, en)).toBe('1 hour');
    expect(formatDuration(4800, en)).toBe('1 hour 20 minutes');
    expect(formatDuration(7170, en)).toBe('2 hours');
  });
});

describe('splitPath', () => {
  it('splits POSIX and Windows paths', () => {
    expect(splitPath('/home/dana/Mail/inbox.mbox')).toEqual({
      folder: '/home/dana/Mail/',
      name: 'inbox.mbox',
    });
    expect(splitPath('C:\\Users\\dana\\takeout.zip')).toEqual({
      folder: 'C:\\Users\\dana\\',
      name: 'takeout.zip',
    });
    expect(splitPath('/home/dana/Maildir/')).toEqual({ folder: '/home/dana/', name: 'Maildir' });
    expect(splitPath('sample')).toEqual({ folder: '', name: 'sample' });
  });
});
