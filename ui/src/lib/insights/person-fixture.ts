/**
 * A ranked person for unit tests: every field at its plainest (no name, no addresses, no
 * interactions, no flags), with what a test cares about given in `fields`.
 */
import type { PersonSummary } from '../backend';

export function personSummary(fields: Partial<PersonSummary> & Pick<PersonSummary, 'person_id'>): PersonSummary {
  return {
    rank: 1,
    name: null,
    emails: [],
    organization: null,
    score: 0,
    sent: 0,
    received: 0,
    meetings: 0,
    first_contact_at: null,
    last_contact_at: null,
    explanation: [],
    fading: false,
    new_this_period: false,
    unanswered: 0,
    owe_reply: false,
    ...fields,
  };
}
