/**
 * My people as the People screen shows them: the engine searches, filters and pages the
 * whole ranking; this keeps the pages loaded so far for the criteria last answered, loads
 * the next page on request, and lets only the answer to the latest criteria land (an
 * older answer arriving late is dropped). The list and its criteria outlive the screen, so
 * coming back to People shows it at once without asking again.
 */
import {
  queryPeople,
  toApiError,
  type ApiError,
  type PeopleCounts,
  type PeoplePage,
  type PersonSummary,
} from '../backend';
import { appendPage, EVERYONE, peopleQuery, sameCriteria, type PeopleCriteria } from './people';

/** People asked for at a time: a screenful and a margin, so the first paint is cheap. */
export const PEOPLE_PAGE = 100;

export class PeoplePages {
  /** The criteria the loaded people answer. */
  criteria = $state.raw<PeopleCriteria>(EVERYONE);
  /** The people loaded so far, strongest first; `null` before the first answer. */
  people = $state.raw<PersonSummary[] | null>(null);
  /** How many people the criteria select in all. */
  total = $state(0);
  /** How many each flag selects with the same search and organisation. */
  counts = $state.raw<PeopleCounts | null>(null);
  /** How many people are ranked, whatever the criteria. */
  ranked = $state(0);
  /** The strongest score of all, that score bars are drawn against. */
  topScore = $state(0);
  status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  error = $state.raw<ApiError | null>(null);
  /** The next page is on its way. */
  loadingMore = $state(false);
  /** Why the last next page failed, if it did. */
  moreError = $state.raw<ApiError | null>(null);

  /** New evidence arrived since the people loaded: they are to be asked for again. */
  stale = $state(false);

  #wanted: PeopleCriteria = EVERYONE;
  #ticket = 0;

  /** Whether more people match than are loaded. */
  get hasMore(): boolean {
    return this.people !== null && this.people.length < this.total;
  }

  /**
   * Shows the people `criteria` select, from the strongest: at once when they are the ones
   * loaded and current, else after asking the engine. Never rejects: failures land in
   * `error`.
   */
  show(criteria: PeopleCriteria): Promise<void> {
    if (this.people !== null && !this.stale && sameCriteria(criteria, this.criteria)) {
      // What is loaded answers them: an answer still on its way for others is dropped.
      this.#wanted = criteria;
      this.#ticket += 1;
      this.loadingMore = false;
      this.status = 'ready';
      return Promise.resolve();
    }
    return this.#first(criteria);
  }

  /** Loads the same criteria afresh (a retry, or new evidence). */
  reload(): Promise<void> {
    return this.#first(this.#wanted);
  }

  /** Appends the next page, unless everything is loaded or a page is on its way. */
  async more(): Promise<void> {
    const people = this.people;
    if (people === null || this.status !== 'ready' || this.loadingMore || !this.hasMore) return;
    const ticket = this.#ticket;
    this.loadingMore = true;
    this.moreError = null;
    try {
      const page = await queryPeople(peopleQuery(this.criteria, people.length, PEOPLE_PAGE));
      if (ticket !== this.#ticket) return;
      this.#take(page, appendPage(people, page.people));
    } catch (error) {
      if (ticket === this.#ticket) this.moreError = toApiError(error);
    } finally {
      if (ticket === this.#ticket) this.loadingMore = false;
    }
  }

  /** New evidence: the next `show` asks the engine again. */
  invalidate(): void {
    this.stale = true;
  }

  async #first(criteria: PeopleCriteria): Promise<void> {
    this.#wanted = criteria;
    const ticket = ++this.#ticket;
    this.status = 'loading';
    this.loadingMore = false;
    this.moreError = null;
    try {
      const page = await queryPeople(peopleQuery(criteria, 0, PEOPLE_PAGE));
      if (ticket !== this.#ticket) return;
      this.criteria = criteria;
      this.#take(page, page.people);
      this.error = null;
      this.stale = false;
      this.status = 'ready';
    } catch (error) {
      if (ticket !== this.#ticket) return;
      this.error = toApiError(error);
      this.status = 'failed';
    }
  }

  #take(page: PeoplePage, people: PersonSummary[]): void {
    this.people = people;
    this.total = page.total;
    this.counts = page.counts;
    this.ranked = page.ranked;
    this.topScore = page.top_score;
  }
}
