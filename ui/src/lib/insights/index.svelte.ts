/**
 * The insights the screens show, loaded once and shared: people, organisations, the graph
 * and a Wrapped report per window asked for, and the pages of people the People screen
 * has searched for.
 */
import {
  getGraph,
  getWrapped,
  listOrganizations,
  type OrganizationSummary,
  type RelationshipGraph,
  type WrappedReport,
  type WrappedWindow,
} from '../backend';
import { EVERYONE } from './people';
import { PeoplePages } from './people-pages.svelte';
import { Resource } from './resource.svelte';
import { windowKey } from './wrapped';

/** How many organisations the list loads: the whole of any real mailbox's head. */
export const ORGANIZATIONS_LIMIT = 500;
/** People the graph shows at most: what the renderers keep smooth (about ten edges each). */
export const GRAPH_NODES = 2000;

export class Insights {
  readonly organizations = new Resource<OrganizationSummary[]>(() =>
    listOrganizations(ORGANIZATIONS_LIMIT),
  );
  readonly graph = new Resource<RelationshipGraph>(() => getGraph(GRAPH_NODES));
  readonly peoplePages = new PeoplePages();
  // A plain cache: each Resource in it is reactive itself, and looking one up must not be
  // a state change (it happens inside `$derived`).
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #wrapped = new Map<string, Resource<WrappedReport>>();

  /** The Wrapped report of `window` (not loaded until `ensure`). */
  wrapped(window: WrappedWindow): Resource<WrappedReport> {
    const key = windowKey(window);
    let report = this.#wrapped.get(key);
    if (report === undefined) {
      report = new Resource(() => getWrapped(window));
      this.#wrapped.set(key, report);
    }
    return report;
  }

  /**
   * Asks ahead for what the People screen shows first (everyone, strongest first), so its
   * first visit renders at once instead of waiting on the engine as it mounts.
   */
  readAhead(): void {
    void this.peoplePages.show(EVERYONE);
  }

  /** New evidence: everything derived from it is loaded afresh when next shown. */
  invalidate(): void {
    this.organizations.invalidate();
    this.graph.invalidate();
    this.peoplePages.invalidate();
    for (const report of this.#wrapped.values()) report.invalidate();
  }
}
