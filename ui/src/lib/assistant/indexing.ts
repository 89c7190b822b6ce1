/**
 * What the search index's background work says while it runs: messages and events cut
 * into chunks, then chunks embedded (by the local embedder or the endpoint's model), as
 * the engine reports them after each batch. `done` ends it.
 */
import type { IndexProgress } from '../backend';

/** The line shown while indexing runs, or null once it is done. */
export function describeIndexing(progress: IndexProgress | null): string | null {
  if (progress === null || progress.stage === 'done') return null;
  const count = `${progress.indexed.toLocaleString('en')} of ${progress.total.toLocaleString('en')}`;
  if (progress.stage === 'chunking') return `Indexing for search: ${count} messages and events read`;
  const model = progress.model === 'local' ? 'the local embedder' : progress.model;
  return `Indexing for search: ${count} passages embedded by ${model}`;
}
