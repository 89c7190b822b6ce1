/**
 * What the mocked engine answers for the insights: a handful of ranked people with the
 * terms of their scores, their organisations, a Wrapped report with its previous window,
 * and relationship graphs of any size (deterministic, for the 2,000-node check).
 */
import type {
  GraphEdge,
  GraphNode,
  OrganizationSummary,
  PersonSummary,
  RelationshipGraph,
  WrappedReport,
} from '../src/lib/backend/bindings';

function person(
  rank: number,
  person_id: number,
  name: string | null,
  email: string,
  organization: string | null,
  score: number,
  sent: number,
  received: number,
  meetings: number,
  flags: Partial<Pick<PersonSummary, 'fading' | 'new_this_period' | 'unanswered' | 'owe_reply'>> = {},
): PersonSummary {
  return {
    rank,
    person_id,
    name,
    emails: [email],
    organization,
    score,
    sent,
    received,
    meetings,
    first_contact_at: '2024-11-23T09:29:48Z',
    last_contact_at: `2026-11-${String(20 - rank).padStart(2, '0')}T13:29:45Z`,
    explanation: [
      { count: sent, value: score * 0.45, text: `${sent} messages you sent (diluted by recipients, decayed): ${(score * 0.45).toFixed(1)}` },
      { count: received, value: score * 0.4, text: `${received} messages from them (diluted by recipients, decayed): ${(score * 0.4).toFixed(1)}` },
      { count: sent + received, value: 0.96, text: 'two-way factor ×0.96 (×1.00 when you write to each other equally)' },
      { count: meetings, value: score * 0.15, text: `${meetings} meetings, ${(meetings / 2).toFixed(1)} h (diluted by attendees, decayed): ${(score * 0.15).toFixed(1)}` },
    ],
    fading: false,
    new_this_period: false,
    unanswered: 0,
    owe_reply: false,
    ...flags,
  };
}

export const SAMPLE_PEOPLE: PersonSummary[] = [
  person(1, 99, 'Priya Raman', 'priya.raman@larkspur.example', 'larkspur.example', 92.7, 271, 180, 238),
  person(2, 61, 'Sofia Moretti', 'moretti.sofia21@gmail.com', null, 72.2, 156, 153, 24, { unanswered: 2, owe_reply: true }),
  person(3, 158, 'Jonas Becker', 'jonas.becker@larkspur.example', 'larkspur.example', 64.9, 140, 122, 180),
  person(4, 127, 'Marcus Webb', 'marcus_webb@northwind.example', 'northwind.example', 41.3, 88, 70, 60, { fading: true }),
  person(5, 18, 'Léa Fontaine', 'lea.fontaine@larkspur.example', 'larkspur.example', 30.1, 60, 52, 40),
  person(6, 112, 'Ingrid van Dijk', 'ingrid_vandijk@eu.northwind.example', 'northwind.example', 22.4, 40, 38, 30),
  person(7, 201, null, 'ops@brightwave.example', 'brightwave.example', 3.2, 4, 9, 0, { new_this_period: true }),
];

/**
 * A ranking of `count` people as the engine lists them, strongest first: the sample's
 * people at the top, then made-up ones in 40 organisations (every fifth at a personal
 * address), some of them with flags. Deterministic.
 */
export function makePeople(count: number): PersonSummary[] {
  const people = SAMPLE_PEOPLE.slice(0, Math.min(count, SAMPLE_PEOPLE.length));
  for (let rank = people.length + 1; rank <= count; rank += 1) {
    const organization = rank % 5 === 0 ? null : `org${rank % 40}.example`;
    const email = `person.${rank}@${organization ?? 'mail.example'}`;
    const score = Math.round((3000 / (rank + 30)) * 10) / 10;
    const sent = Math.max(1, Math.round(score * 2));
    people.push(
      person(rank, 1000 + rank, `Person ${rank}`, email, organization, score, sent, sent + (rank % 7), rank % 11, {
        fading: rank % 17 === 0,
        new_this_period: rank % 23 === 0,
        owe_reply: rank % 31 === 0,
        unanswered: rank % 31 === 0 ? 1 : 0,
      }),
    );
  }
  return people;
}

export const SAMPLE_ORGANIZATIONS: OrganizationSummary[] = [
  { rank: 1, domain: 'larkspur.example', name: 'Larkspur', is_mine: true, score: 187.7, people: 3, sent: 471, received: 354, meetings: 458 },
  { rank: 2, domain: 'northwind.example', name: 'Northwind', is_mine: false, score: 63.7, people: 2, sent: 128, received: 108, meetings: 90 },
  { rank: 3, domain: 'brightwave.example', name: 'Brightwave', is_mine: false, score: 3.2, people: 1, sent: 4, received: 9, meetings: 0 },
];

/** Weekdays busier than weekends, mornings busiest; Monday 07:00 the peak (25). */
function heatmap(scale: number): number[][] {
  const day = [1, 2, 1, 0, 0, 4, 16, 25, 18, 14, 7, 5, 6, 6, 5, 12, 9, 5, 5, 4, 5, 1, 1, 0];
  return Array.from({ length: 7 }, (_, weekday) =>
    day.map((count) => Math.round(count * scale * (weekday < 5 ? 1 - weekday * 0.1 : 0.15))),
  );
}

const PREVIOUS: WrappedReport = {
  from: '2026-05-26T06:18:05Z',
  to: '2026-08-24T06:18:05Z',
  sent: 234,
  received: 380,
  people: 89,
  new_people: 24,
  top_people: [
    { person_id: 158, name: 'Jonas Becker', email: 'jonas.becker@larkspur.example', count: 111 },
    { person_id: 99, name: 'Priya Raman', email: 'priya.raman@larkspur.example', count: 85 },
  ],
  top_organizations: [{ name: 'larkspur.example', count: 384, domain: 'larkspur.example', display_name: 'Larkspur' }],
  busiest_weekday: 'Tuesday',
  busiest_hour: 7,
  heatmap: heatmap(0.8),
  median_reply_minutes: { mine: 266.75, theirs: 220.3 },
  threads_started: 73,
  meetings: { count: 54, hours: 43 },
  top_meeting_partners: [],
  longest_streak_days: 9,
  after_hours_share: 0.48,
  weekend_share: 0.05,
  newsletters_share: 0.25,
  previous: null,
};

export const SAMPLE_WRAPPED: WrappedReport = {
  from: '2026-08-24T06:18:05Z',
  to: '2026-11-22T06:18:05Z',
  sent: 274,
  received: 459,
  people: 102,
  new_people: 29,
  top_people: [
    { person_id: 99, name: 'Priya Raman', email: 'priya.raman@larkspur.example', count: 104 },
    { person_id: 158, name: 'Jonas Becker', email: 'jonas.becker@larkspur.example', count: 77 },
    { person_id: 61, name: 'Sofia Moretti', email: 'moretti.sofia21@gmail.com', count: 67 },
    { person_id: 127, name: 'Marcus Webb', email: 'marcus_webb@northwind.example', count: 45 },
    { person_id: 18, name: 'Léa Fontaine', email: 'lea.fontaine@larkspur.example', count: 35 },
  ],
  top_organizations: [
    { name: 'larkspur.example', count: 336, domain: 'larkspur.example', display_name: 'Larkspur' },
    { name: 'northwind.example', count: 116, domain: 'northwind.example', display_name: 'Northwind' },
    { name: 'brightwave.example', count: 37, domain: 'brightwave.example', display_name: 'Brightwave' },
  ],
  busiest_weekday: 'Monday',
  busiest_hour: 7,
  heatmap: heatmap(1),
  median_reply_minutes: { mine: 394.3, theirs: 202.1 },
  threads_started: 67,
  meetings: { count: 67, hours: 46.75 },
  top_meeting_partners: [
    { person_id: 99, name: 'Priya Raman', email: 'priya.raman@larkspur.example', count: 38 },
    { person_id: 158, name: 'Jonas Becker', email: 'jonas.becker@larkspur.example', count: 34 },
  ],
  longest_streak_days: 13,
  after_hours_share: 0.518,
  weekend_share: 0.058,
  newsletters_share: 0.222,
  previous: PREVIOUS,
};

/** The graph's first people are `SAMPLE_PEOPLE`, so a click in the graph finds them in People. */
const KNOWN = SAMPLE_PEOPLE.slice(0, 6);

/**
 * A graph of me and `people` people in `communities` communities: my tie to each, and
 * `perPerson` co-participation edges from each person, mostly within their community.
 * Deterministic (a fixed linear congruential sequence), so screenshots are stable.
 */
export function makeGraph(people: number, perPerson: number, communities: number): RelationshipGraph {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const nodes: GraphNode[] = [
    { id: 0, person_id: null, label: 'Me', email: null, is_me: true, score: 0, community: 0, pagerank: 0.18, betweenness: 0.4, introduced_by: null },
  ];
  for (let id = 1; id <= people; id += 1) {
    const known = KNOWN[id - 1];
    const label = known?.name ?? `Person ${id}`;
    nodes.push({
      id,
      person_id: known?.person_id ?? 1000 + id,
      label,
      email: known?.emails[0] ?? `person.${id}@example.org`,
      is_me: false,
      score: Math.round((100 / Math.sqrt(id)) * 10) / 10,
      community: 1 + (id % communities),
      pagerank: 1 / (id + 5),
      betweenness: 1 / (id + 10),
      // Priya (1) brought Jonas (3) into my threads; the rest came straight to me.
      introduced_by: id === 3 ? 1 : null,
    });
  }
  const edges: GraphEdge[] = [];
  for (let id = 1; id <= people; id += 1) {
    edges.push({ source: 0, target: id, weight: nodes[id]?.score ?? 1 });
    for (let edge = 0; edge < perPerson; edge += 1) {
      // Mostly a member of the same community (ids congruent modulo `communities`).
      const target =
        random() < 0.85
          ? Math.floor(random() * Math.floor(people / communities)) * communities + (id % communities)
          : 1 + Math.floor(random() * people);
      if (target !== id && target > 0) edges.push({ source: id, target, weight: 1 + Math.round(random() * 20) / 10 });
    }
  }
  return { nodes, edges };
}

export const SAMPLE_GRAPH = makeGraph(60, 3, 4);
