/**
 * Runs the force layout in a worker (`layout.worker.ts`): the main thread only receives
 * positions. Stopping terminates the worker, so a filter change never waits for a stale
 * layout to finish.
 */
import type { PlacedEdge, PlacedNode } from './graph';

export interface LayoutRequest {
  /** `fixed` nodes stay where they are (me, in the middle). */
  nodes: { key: string; x: number; y: number; size: number; fixed: boolean }[];
  edges: PlacedEdge[];
  batches: number;
  iterationsPerBatch: number;
}

export interface LayoutUpdate {
  /** x, y of each requested node, in request order. */
  positions: Float64Array;
  done: boolean;
}

/** Iterations of ForceAtlas2: fewer on large graphs, where each costs more and moves less. */
export function layoutPlan(nodes: number): { batches: number; iterationsPerBatch: number } {
  if (nodes <= 1) return { batches: 0, iterationsPerBatch: 0 };
  if (nodes <= 500) return { batches: 10, iterationsPerBatch: 30 };
  return { batches: 8, iterationsPerBatch: 15 };
}

/**
 * Lays `nodes` out from their current positions; `onUpdate` receives each batch's
 * positions. Returns a function that stops the layout, or `null` when there is nothing
 * to lay out (no update will come).
 */
export function runLayout(
  nodes: readonly PlacedNode[],
  edges: readonly PlacedEdge[],
  onUpdate: (update: LayoutUpdate) => void,
): (() => void) | null {
  const plan = layoutPlan(nodes.length);
  if (plan.batches === 0 || typeof Worker === 'undefined') return null;
  const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<LayoutUpdate>) => {
    onUpdate(event.data);
    if (event.data.done) worker.terminate();
  };
  const request: LayoutRequest = {
    nodes: nodes.map(({ key, x, y, size, node }) => ({ key, x, y, size, fixed: node.is_me })),
    edges: [...edges],
    ...plan,
  };
  worker.postMessage(request);
  return () => worker.terminate();
}
