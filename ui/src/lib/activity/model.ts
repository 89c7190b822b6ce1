/**
 * Pure helpers of the Activity screen: which actors the filter offers, and the engine's
 * filter for a choice of actor and outcome.
 */
import type { ActivityFilter } from '../backend';

/** The actors every store can have; rules add `rule N` of their own. */
export const KNOWN_ACTORS = ['person', 'sync', 'assistant'] as const;

/** How many entries the screen shows at most. */
export const ACTIVITY_LIMIT = 200;

/** What the person chose to see. `actor` is null for everyone. */
export interface ActivityChoice {
  actor: string | null;
  failedOnly: boolean;
}

/**
 * The actors to offer: the known ones, then every `rule N` seen so far in rule order,
 * then any other actor seen, alphabetically.
 */
export function actorOptions(seen: Iterable<string>): string[] {
  const known: readonly string[] = KNOWN_ACTORS;
  const others = new Set<string>();
  for (const actor of seen) if (!known.includes(actor)) others.add(actor);
  const ruleNumber = (actor: string) => /^rule (\d+)$/.exec(actor)?.[1];
  const rules = [...others].filter((actor) => ruleNumber(actor) !== undefined);
  const rest = [...others].filter((actor) => ruleNumber(actor) === undefined).sort();
  rules.sort((a, b) => Number(ruleNumber(a)) - Number(ruleNumber(b)));
  return [...known, ...rules, ...rest];
}

/** The engine's filter for `choice`. */
export function activityFilter(choice: ActivityChoice): ActivityFilter {
  return { since: null, actor: choice.actor, kind: null, failed_only: choice.failedOnly, limit: ACTIVITY_LIMIT };
}
