/**
 * What the mocked engine answers on the Person page: the full detail of a few of the
 * sample people (addresses, timeline, proposed merges, mail waiting for a reply), and what
 * a merge and a split return.
 */
import type { PersonDetail, PersonSummary, TimelineMonth } from '../src/lib/backend/bindings';
import { SAMPLE_PEOPLE } from './insight-data';

function ranked(personId: number): PersonSummary {
  const person = SAMPLE_PEOPLE.find((each) => each.person_id === personId);
  if (person === undefined) throw new Error(`no sample person ${personId}`);
  return person;
}

/** Months from `first` on, with figures from `rows` ([sent, received, meetings]); `null` months are left out as the engine does. */
function months(first: string, rows: ([number, number, number] | null)[]): TimelineMonth[] {
  const [year = 0, month = 1] = first.split('-').map(Number);
  return rows.flatMap((row, index) => {
    if (row === null) return [];
    const at = new Date(Date.UTC(year, month - 1 + index, 1));
    const label = `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
    return [{ month: label, sent: row[0], received: row[1], meetings: row[2] }];
  });
}

export const PRIYA: PersonDetail = {
  person: ranked(99),
  addresses: [{ address_id: 99, email: 'priya.raman@larkspur.example', display_name: 'Priya Raman' }],
  timeline: months('2026-01', [
    [18, 12, 20], [22, 15, 24], null, [25, 19, 22], [30, 21, 25], [20, 14, 18],
    [28, 20, 26], [24, 18, 21], [31, 22, 27], [27, 19, 20], [26, 20, 19],
  ]),
  proposed_merges: [],
  unanswered: [],
};

const MARCUS_ADDRESS = { address_id: 127, email: 'marcus_webb@northwind.example', display_name: 'Marcus Webb' };
const MARCUS_OTHER = { address_id: 412, email: 'marcus_webb@northwind-energy.example', display_name: 'M. Webb' };
const MARCUS_TIMELINE = months('2025-09', [[12, 10, 6], [15, 9, 8], [9, 8, 7], [10, 9, 8], [8, 6, 5], [7, 5, 6], [6, 4, 4], [3, 2, 3], [1, 1, 1], null, [1, 0, 0]]);

/** Marcus, with a second address the engine only proposes: the same local part at another Northwind domain. */
export const MARCUS: PersonDetail = {
  person: ranked(127),
  addresses: [MARCUS_ADDRESS],
  timeline: MARCUS_TIMELINE,
  proposed_merges: [
    { person_id: 412, name: 'M. Webb', emails: [MARCUS_OTHER.email], reason: 'same local part: marcus_webb' },
  ],
  unanswered: [],
};

/** What `merge_people(127, 412)` returns: one Marcus with both addresses, nothing left to propose. */
export const MARCUS_MERGED: PersonDetail = {
  ...MARCUS,
  person: { ...ranked(127), emails: [MARCUS_ADDRESS.email, MARCUS_OTHER.email], score: 44.9, sent: 95, received: 74 },
  addresses: [MARCUS_ADDRESS, MARCUS_OTHER],
  proposed_merges: [],
};

const SOFIA_GMAIL = { address_id: 61, email: 'moretti.sofia21@gmail.com', display_name: 'Sofia Moretti' };
const SOFIA_STUDIO = { address_id: 233, email: 'sofia@moretti-studio.example', display_name: 'Sofia Moretti' };

/** Sofia, with two addresses (one may not be hers) and two messages waiting for my reply. */
export const SOFIA: PersonDetail = {
  person: { ...ranked(61), emails: [SOFIA_GMAIL.email, SOFIA_STUDIO.email] },
  addresses: [SOFIA_GMAIL, SOFIA_STUDIO],
  timeline: months('2026-06', [[12, 14, 2], [18, 16, 3], [20, 22, 4], [25, 24, 5], [30, 28, 4], [22, 19, 3]]),
  proposed_merges: [],
  unanswered: [
    { message_id: 9001, subject: 'Studio lease — can you sign by Friday?', at: '2026-11-18T16:20:00Z' },
    { message_id: 9002, subject: 'Photos from Lisbon', at: '2026-11-12T09:05:00Z' },
  ],
};

/** What `split_person(61, sofia@moretti-studio.example)` returns: Sofia with her Gmail address alone. */
export const SOFIA_SPLIT: PersonDetail = {
  ...SOFIA,
  person: { ...ranked(61), emails: [SOFIA_GMAIL.email] },
  addresses: [SOFIA_GMAIL],
};

export const SAMPLE_PERSON_DETAILS: PersonDetail[] = [PRIYA, MARCUS, SOFIA];
