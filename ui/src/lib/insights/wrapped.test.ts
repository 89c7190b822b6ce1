import { describe, expect, it } from 'vitest';
import type { WrappedReport } from '../backend';
import {
  bucketHeatmap,
  buildCards,
  compareCounts,
  compareShares,
  defaultWindow,
  formatMinutes,
  parseWindowKey,
  versus,
  windowKey,
  windowOptions,
} from './wrapped';

const en = { locale: 'en-US', timeZone: 'UTC' };
const days90 = { kind: 'last_days', days: 90 } as const;

function grid(fill: (weekday: number, hour: number) => number): number[][] {
  return Array.from({ length: 7 }, (_, weekday) => Array.from({ length: 24 }, (_, hour) => fill(weekday, hour)));
}

const previous: WrappedReport = {
  from: '2024-05-26T00:00:00Z',
  to: '2024-08-24T00:00:00Z',
  sent: 100,
  received: 100,
  people: 40,
  new_people: 4,
  top_people: [{ person_id: 2, name: 'Jonas', email: 'jonas@x.example', count: 9 }],
  top_organizations: [],
  busiest_weekday: 'Tuesday',
  busiest_hour: 9,
  heatmap: grid(() => 0),
  median_reply_minutes: { mine: 120, theirs: null },
  threads_started: 10,
  meetings: { count: 0, hours: 0 },
  top_meeting_partners: [],
  longest_streak_days: 4,
  after_hours_share: 0.3,
  weekend_share: 0.1,
  newsletters_share: 0.2,
  previous: null,
};

const report: WrappedReport = {
  ...previous,
  from: '2024-08-24T00:00:00Z',
  to: '2024-11-22T00:00:00Z',
  sent: 150,
  received: 90,
  people: 40,
  top_people: [{ person_id: 1, name: 'Priya', email: 'priya@x.example', count: 30 }],
  top_organizations: [{ name: 'larkspur.example', count: 12, domain: 'larkspur.example', display_name: 'Larkspur' }],
  busiest_weekday: 'Monday',
  busiest_hour: 7,
  heatmap: grid((weekday, hour) => (weekday === 0 && hour === 7 ? 8 : weekday < 5 ? 1 : 0)),
  median_reply_minutes: { mine: 60, theirs: 30 },
  meetings: { count: 3, hours: 2.5 },
  after_hours_share: 0.25,
  newsletters_share: 0.2,
  previous,
};

describe('windows', () => {
  const now = new Date('2026-11-22T12:00:00Z');

  it('offers the last 90 days, then each year with mail, newest first', () => {
    expect(windowOptions('2024-03-01T00:00:00Z', '2026-11-01T00:00:00Z', now).map(windowKey)).toEqual([
      'days-90',
      'year-2026',
      'year-2025',
      'year-2024',
    ]);
    expect(windowOptions(null, null, now).map(windowKey)).toEqual(['days-90', 'year-2026']);
  });

  it('opens on the last 90 days when they hold the newest mail, else on its year', () => {
    expect(defaultWindow('2026-11-20T00:00:00Z', now)).toEqual(days90);
    expect(defaultWindow('2024-11-04T17:05:00Z', now)).toEqual({ kind: 'year', year: 2024 });
    expect(defaultWindow(null, now)).toEqual(days90);
  });

  it('round-trips through its key', () => {
    expect(parseWindowKey(windowKey({ kind: 'year', year: 2025 }))).toEqual({ kind: 'year', year: 2025 });
    expect(parseWindowKey('days-90')).toEqual(days90);
    expect(parseWindowKey('week-3')).toBeNull();
  });
});

describe('comparisons', () => {
  it('says how a count changed, in percent', () => {
    expect(compareCounts(733, 614, 'the 90 days before', en)).toEqual({ trend: 'up', text: '+19% on the 90 days before (614)' });
    expect(compareCounts(50, 100, '2023', en)).toEqual({ trend: 'down', text: '-50% on 2023 (100)' });
    expect(compareCounts(100, 100, '2023', en)).toEqual({ trend: 'same', text: 'Same as 2023' });
  });

  it('handles nothing before or nothing now', () => {
    expect(compareCounts(5, 0, '2023', en)).toEqual({ trend: 'new', text: 'None in 2023' });
    expect(compareCounts(0, 7, '2023', en)).toEqual({ trend: 'gone', text: '7 in 2023' });
    expect(compareCounts(0, 0, '2023', en).trend).toBe('same');
  });

  it('compares shares in percentage points', () => {
    expect(compareShares(0.222, 0.25, '2023', en)).toEqual({ trend: 'down', text: '−3 points on 2023 (25%)' });
    expect(compareShares(0.31, 0.3, '2023', en)).toEqual({ trend: 'up', text: '+1 point on 2023 (30%)' });
  });

  it('pairs bars against the larger of the two', () => {
    const pair = versus(days90, 50, 100, String);
    expect(pair.bars?.map((bar) => [bar.label, bar.fraction])).toEqual([
      ['Last 90 days', 0.5],
      ['The 90 days before', 1],
    ]);
    expect(versus(days90, 50, undefined, String)).toEqual({});
  });

  it('formats reply times in the unit that reads best', () => {
    expect(formatMinutes(45, en)).toBe('45 min');
    expect(formatMinutes(394.3, en)).toBe('6.6 h');
    expect(formatMinutes(4320, en)).toBe('3 days');
  });
});

describe('bucketHeatmap', () => {
  it('gives 7 × 24 cells with the busiest at level 4 and quiet hours at 0', () => {
    const heatmap = bucketHeatmap(report.heatmap);
    expect(heatmap?.cells).toHaveLength(168);
    expect(heatmap?.max).toBe(8);
    expect(heatmap?.total).toBe(8 + 5 * 24 - 1);
    expect(heatmap?.cells[7]).toEqual({ weekday: 0, hour: 7, count: 8, level: 4 });
    expect(heatmap?.cells[8]?.level, '1 of 8 is in the lowest band').toBe(1);
    expect(heatmap?.cells[5 * 24]?.level, 'an empty Saturday hour').toBe(0);
  });

  it('has nothing to show for missing, misshapen or empty data', () => {
    expect(bucketHeatmap(undefined)).toBeNull();
    expect(bucketHeatmap([[1, 2, 3]])).toBeNull();
    expect(bucketHeatmap(grid(() => 0))).toBeNull();
    expect(bucketHeatmap(grid((weekday, hour) => (hour === 0 ? Number.NaN : 0)))).toBeNull();
  });
});

describe('buildCards', () => {
  it('makes a card per figure, each compared with the window before', () => {
    const cards = buildCards(report, days90, en);
    expect(cards.map((card) => card.id)).toEqual([
      'messages',
      'people',
      'top-people',
      'top-organizations',
      'rhythm',
      'replies',
      'threads',
      'meetings',
      'streak',
      'after-hours',
      'newsletters',
    ]);
    const byId = new Map(cards.map((card) => [card.id, card]));
    expect(byId.get('messages')).toMatchObject({ value: '240', caption: '150 sent · 90 received' });
    expect(byId.get('messages')?.comparison?.text).toBe('+20% on the 90 days before (200)');
    expect(byId.get('people')?.comparison).toEqual({ trend: 'same', text: 'Same as the 90 days before' });
    expect(byId.get('top-people')?.comparison).toEqual({ trend: 'changed', text: 'Jonas was first in the 90 days before' });
    expect(byId.get('rhythm')?.comparison).toEqual({ trend: 'changed', text: 'Tuesdays in the 90 days before' });
    expect(byId.get('rhythm')).toMatchObject({ value: 'Mondays', caption: 'busiest hour 07:00–08:00' });
    expect(byId.get('rhythm')?.heatmap?.max).toBe(8);
    expect(byId.get('replies')).toMatchObject({ value: '1 h', caption: 'your median reply · theirs 30 min' });
    expect(byId.get('replies')?.comparison?.text).toBe('Faster than the 90 days before (2 h)');
    expect(byId.get('meetings')?.comparison).toEqual({ trend: 'new', text: 'None in the 90 days before' });
    for (const card of cards) expect(card.evidence.length, `${card.id} cites its evidence`).toBeGreaterThan(20);
  });

  it('leaves out what the report lacks, and comparisons without a window before', () => {
    const bare: WrappedReport = {
      ...report,
      previous: null,
      top_people: [],
      top_organizations: [],
      busiest_weekday: null,
      busiest_hour: null,
      median_reply_minutes: { mine: null, theirs: null },
    };
    const cards = buildCards(bare, { kind: 'year', year: 2024 }, en);
    expect(cards.map((card) => card.id)).not.toContain('rhythm');
    expect(cards.map((card) => card.id)).not.toContain('top-people');
    expect(cards.map((card) => card.id)).not.toContain('replies');
    expect(cards.every((card) => card.comparison === null && card.bars === undefined)).toBe(true);
  });
});
