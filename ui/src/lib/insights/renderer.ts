/** What the Graph screen asks of a renderer, WebGL (sigma.js) or 2D canvas alike. */
import type { GraphView } from './graph';
import type { Palette } from './png';

export interface RendererEvents {
  /** The pointer entered a node (its key) or left it (`null`). */
  hover(key: string | null): void;
  /** A node was clicked. */
  select(key: string): void;
}

export interface GraphRenderer {
  /** New positions for the view's nodes, x then y for each, in `view.nodes` order. */
  setPositions(positions: Float64Array): void;
  /** Draws these nodes (and their edges) emphasised and the rest faded; `null` for none. */
  setEmphasis(keys: ReadonlySet<string> | null): void;
  /** Repaints in another theme's colours, keeping positions and camera. */
  setPalette(palette: Palette): void;
  /** Centres the view on a node. */
  focus(key: string): void;
  destroy(): void;
}

export type CreateRenderer = (
  container: HTMLElement,
  view: GraphView,
  palette: Palette,
  events: RendererEvents,
) => GraphRenderer;
