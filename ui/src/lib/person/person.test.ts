import { describe, expect, it } from 'vitest';
import type { GraphNode, MergeProposal, PersonDetail, PersonSummary, RelationshipGraph } from '../backend';
import {
  canSplit,
  fillMonths,
  mergeConfirmation,
  monthName,
  neighbourhood,
  nextMonth,
  splitConfirmation,
  timelineChart,
} from './person';
import { personSummary } from '../insights/person-fixture';

function summary(person_id: number, name: string | null, emails: string[]): PersonSummary {
  return personSummary({ person_id, name, emails, score: 10 });
}

function detail(person_id: number, name: string | null, emails: string[]): PersonDetail {
  return {
    person: summary(person_id, name, emails),
    addresses: emails.map((email, index) => ({ address_id: person_id + index, email, display_name: name })),
    timeline: [],
    proposed_merges: [],
    unanswered: [],
  };
}

describe('months', () => {
  it('steps to the next month across a year end', () => {
    expect(nextMonth('2024-11')).toBe('2024-12');
    expect(nextMonth('2024-12')).toBe('2025-01');
    expect(nextMonth('2025-09')).toBe('2025-10');
  });

  it('fills the quiet months between the first and the last with zeros, in order', () => {
    const filled = fillMonths([
      { month: '2025-02', sent: 1, received: 0, meetings: 0 },
      { month: '2024-11', sent: 2, received: 3, meetings: 1 },
    ]);
    expect(filled.map((month) => month.month)).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
    expect(filled[1]).toEqual({ month: '2024-12', sent: 0, received: 0, meetings: 0 });
    expect(filled[0]?.sent, 'months with interactions keep their figures').toBe(2);
  });

  it('names a month in the reader’s language, whatever the time zone', () => {
    expect(monthName('2024-11', 'en-US')).toBe('November 2024');
    expect(monthName('2025-01', 'fr-FR')).toBe('janvier 2025');
  });
});

describe('timelineChart', () => {
  it('scales every part to the busiest month, which reaches the top', () => {
    const chart = timelineChart(
      [
        { month: '2024-01', sent: 2, received: 1, meetings: 1 },
        { month: '2024-03', sent: 4, received: 3, meetings: 1 },
      ],
      24,
      'en-US',
    );
    expect(chart.max).toBe(8);
    expect(chart.bars.map((bar) => bar.total)).toEqual([4, 0, 8]);
    const busiest = chart.bars[2];
    expect(busiest?.heights).toEqual({ sent: 0.5, received: 0.375, meetings: 0.125 });
    expect((busiest?.heights.sent ?? 0) + (busiest?.heights.received ?? 0) + (busiest?.heights.meetings ?? 0)).toBe(1);
    expect(chart.bars[1]?.heights, 'a quiet month has no height').toEqual({ sent: 0, received: 0, meetings: 0 });
    expect(chart.bars[0]?.description).toBe('January 2024: 2 sent, 1 received, 1 meeting');
    expect(chart.totals).toEqual({ sent: 6, received: 4, meetings: 2 });
    expect(chart.summary).toBe('From January 2024 to March 2024: 6 sent, 4 received, 2 meetings; the busiest month had 8.');
  });

  it('shows only the last months, and says how many earlier ones the table holds', () => {
    const timeline = Array.from({ length: 30 }, (_, index) => ({
      month: `${2020 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
      sent: index,
      received: 0,
      meetings: 0,
    }));
    const chart = timelineChart(timeline, 24, 'en-US');
    expect(chart.bars).toHaveLength(24);
    expect(chart.earlier).toBe(6);
    expect(chart.bars[0]?.month).toBe('2020-07');
    expect(chart.max, 'the scale is that of the months shown').toBe(29);
  });

  it('an empty timeline has no bars and says so', () => {
    const chart = timelineChart([], 24, 'en-US');
    expect(chart.bars).toEqual([]);
    expect(chart.max).toBe(0);
    expect(chart.summary).toBe('No messages or meetings yet.');
  });
});

describe('confirmations', () => {
  const dana = detail(7, 'Dana Gagliardi', ['dgagliardi@reliant.com']);
  const proposal: MergeProposal = {
    person_id: 12,
    name: 'D. Gagliardi',
    emails: ['dgagliardi@reliantenergy.com'],
    reason: 'same local part: dgagliardi',
  };

  it('a merge names both people, their addresses and what follows', () => {
    const confirmation = mergeConfirmation(dana, proposal);
    expect(confirmation.title).toBe('Merge Dana Gagliardi and D. Gagliardi?');
    expect(confirmation.body).toContain('Dana Gagliardi (dgagliardi@reliant.com) and D. Gagliardi (dgagliardi@reliantenergy.com) become one person with 2 addresses');
    expect(confirmation.body).toContain('keeps this choice when it recomputes');
    expect(confirmation.confirm).toBe('Merge');
  });

  it('a person without a name is named by their address, not twice', () => {
    const confirmation = mergeConfirmation(dana, { ...proposal, name: null });
    expect(confirmation.title).toBe('Merge Dana Gagliardi and dgagliardi@reliantenergy.com?');
    expect(confirmation.body).toContain('and dgagliardi@reliantenergy.com become one person');
  });

  it('a split says which address leaves and which stay', () => {
    const both = detail(7, 'Dana Gagliardi', ['dgagliardi@reliant.com', 'dgagliardi@reliantenergy.com', 'dana@home.example']);
    const confirmation = splitConfirmation(both, 'dgagliardi@reliantenergy.com');
    expect(confirmation.title).toBe('Split dgagliardi@reliantenergy.com off Dana Gagliardi?');
    expect(confirmation.body).toBe(
      'dgagliardi@reliantenergy.com becomes a person of its own, with its own mail, meetings and score. ' +
        'Dana Gagliardi keeps dgagliardi@reliant.com, dana@home.example. Kindred keeps this choice when it recomputes.',
    );
    expect(confirmation.confirm).toBe('Split');
  });

  it('only a person with two addresses or more can be split', () => {
    expect(canSplit(dana.addresses)).toBe(false);
    expect(canSplit(detail(7, null, ['a@x.example', 'b@x.example']).addresses)).toBe(true);
  });
});

describe('neighbourhood', () => {
  function node(id: number, person_id: number | null, label: string, community: number, score: number, introduced_by: number | null = null): GraphNode {
    return { id, person_id, label, email: null, is_me: person_id === null, score, community, pagerank: 0, betweenness: 0, introduced_by };
  }
  const graph: RelationshipGraph = {
    nodes: [
      node(0, null, 'Me', 1, 0),
      node(1, 99, 'Priya', 1, 90),
      node(2, 158, 'Jonas', 1, 60, 1),
      node(3, 18, 'Léa', 1, 30),
      node(4, 5, 'Ana', 1, 70),
      node(5, 6, 'Bo', 1, 10),
      node(6, 127, 'Marcus', 2, 40, 0),
    ],
    edges: [],
  };

  it('names the introducer and the strongest others of the community, me not counted', () => {
    expect(neighbourhood(graph, 158)).toEqual({
      introducer: { label: 'Priya', personId: 99, isMe: false },
      communitySize: 5,
      community: [
        { label: 'Priya', personId: 99, isMe: false },
        { label: 'Ana', personId: 5, isMe: false },
        { label: 'Léa', personId: 18, isMe: false },
      ],
    });
  });

  it('an introduction through me is mine; someone alone in a community has no others', () => {
    const marcus = neighbourhood(graph, 127);
    expect(marcus?.introducer).toEqual({ label: 'Me', personId: null, isMe: true });
    expect(marcus?.communitySize).toBe(1);
    expect(marcus?.community).toEqual([]);
  });

  it('someone the pruned graph does not show has no neighbourhood', () => {
    expect(neighbourhood(graph, 4242)).toBeNull();
    expect(neighbourhood(graph, 99)?.introducer, 'no introducer recorded').toBeNull();
  });
});
