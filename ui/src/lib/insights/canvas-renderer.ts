/**
 * The 2D canvas renderer, for webviews without WebGL (WebKitGTK under software rendering):
 * the same nodes, edges, colours and highlighting as the WebGL one, with hover, click,
 * drag to pan and wheel to zoom. Draws at most once per frame.
 */
import type { GraphView } from './graph';
import type { Palette } from './png';
import type { CreateRenderer, GraphRenderer, RendererEvents } from './renderer';

export const createCanvasRenderer: CreateRenderer = (container, view, palette, events) =>
  new CanvasRenderer(container, view, palette, events);

class CanvasRenderer implements GraphRenderer {
  readonly #canvas: HTMLCanvasElement;
  readonly #context: CanvasRenderingContext2D;
  readonly #view: GraphView;
  #palette: Palette;
  readonly #events: RendererEvents;
  readonly #index = new Map<string, number>();
  readonly #resize: ResizeObserver;
  #x: Float64Array;
  #y: Float64Array;
  #emphasis: ReadonlySet<string> | null = null;
  #hovered: string | null = null;
  #zoom = 1;
  #panX = 0;
  #panY = 0;
  #drag: { x: number; y: number; moved: boolean } | null = null;
  #frame: number | null = null;

  constructor(container: HTMLElement, view: GraphView, palette: Palette, events: RendererEvents) {
    this.#view = view;
    this.#palette = palette;
    this.#events = events;
    this.#x = Float64Array.from(view.nodes, (node) => node.x);
    this.#y = Float64Array.from(view.nodes, (node) => node.y);
    for (const [index, node] of view.nodes.entries()) this.#index.set(node.key, index);
    this.#canvas = document.createElement('canvas');
    this.#canvas.className = 'graph-canvas';
    this.#canvas.style.cssText = 'display:block;width:100%;height:100%;touch-action:none;cursor:grab';
    const context = this.#canvas.getContext('2d');
    if (context === null) throw new Error('this webview can draw neither WebGL nor a 2D canvas');
    this.#context = context;
    container.append(this.#canvas);
    this.#canvas.addEventListener('pointerdown', this.#onDown);
    this.#canvas.addEventListener('pointermove', this.#onMove);
    this.#canvas.addEventListener('pointerup', this.#onUp);
    this.#canvas.addEventListener('pointerleave', this.#onLeave);
    this.#canvas.addEventListener('wheel', this.#onWheel, { passive: false });
    this.#resize = new ResizeObserver(() => this.#schedule());
    this.#resize.observe(container);
    this.#schedule();
  }

  setPositions(positions: Float64Array): void {
    for (let index = 0; index < this.#x.length; index += 1) {
      this.#x[index] = positions[2 * index] ?? this.#x[index] ?? 0;
      this.#y[index] = positions[2 * index + 1] ?? this.#y[index] ?? 0;
    }
    this.#schedule();
  }

  setEmphasis(keys: ReadonlySet<string> | null): void {
    this.#emphasis = keys;
    this.#schedule();
  }

  setPalette(palette: Palette): void {
    this.#palette = palette;
    this.#schedule();
  }

  focus(key: string): void {
    const index = this.#index.get(key);
    if (index === undefined) return;
    const fit = this.#fit();
    this.#zoom = Math.max(this.#zoom, 2);
    this.#panX = -((this.#x[index] ?? 0) - fit.cx) * fit.scale * this.#zoom;
    // Screen y runs opposite to graph y (see `#project`).
    this.#panY = ((this.#y[index] ?? 0) - fit.cy) * fit.scale * this.#zoom;
    this.#schedule();
  }

  destroy(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#resize.disconnect();
    this.#canvas.remove();
  }

  /** Graph bounds → the canvas, before zoom and pan. */
  #fit(): { cx: number; cy: number; scale: number } {
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let index = 0; index < this.#x.length; index += 1) {
      const x = this.#x[index] ?? 0;
      const y = this.#y[index] ?? 0;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
    if (!Number.isFinite(minX)) return { cx: 0, cy: 0, scale: 1 };
    const width = this.#canvas.clientWidth || 1;
    const height = this.#canvas.clientHeight || 1;
    const scale = 0.88 * Math.min(width / Math.max(1e-9, maxX - minX), height / Math.max(1e-9, maxY - minY));
    return { cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, scale: Number.isFinite(scale) ? scale : 1 };
  }

  /** Screen position (CSS pixels in the canvas) of every node. */
  #project(): { sx: Float64Array; sy: Float64Array } {
    const { cx, cy, scale } = this.#fit();
    const width = this.#canvas.clientWidth;
    const height = this.#canvas.clientHeight;
    const sx = new Float64Array(this.#x.length);
    const sy = new Float64Array(this.#y.length);
    for (let index = 0; index < this.#x.length; index += 1) {
      sx[index] = width / 2 + this.#panX + ((this.#x[index] ?? 0) - cx) * scale * this.#zoom;
      // Graph y grows upwards, as in sigma.js.
      sy[index] = height / 2 + this.#panY - ((this.#y[index] ?? 0) - cy) * scale * this.#zoom;
    }
    return { sx, sy };
  }

  #schedule(): void {
    this.#frame ??= requestAnimationFrame(() => {
      this.#frame = null;
      this.#draw();
    });
  }

  #draw(): void {
    const ratio = window.devicePixelRatio || 1;
    const width = this.#canvas.clientWidth;
    const height = this.#canvas.clientHeight;
    if (this.#canvas.width !== Math.round(width * ratio) || this.#canvas.height !== Math.round(height * ratio)) {
      this.#canvas.width = Math.round(width * ratio);
      this.#canvas.height = Math.round(height * ratio);
    }
    const context = this.#context;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    const { sx, sy } = this.#project();
    const emphasis = this.#emphasis;
    const at = (key: string) => this.#index.get(key) ?? 0;

    context.lineWidth = 1;
    context.strokeStyle = this.#palette.border;
    context.globalAlpha = emphasis === null ? 0.6 : 0.15;
    context.beginPath();
    for (const edge of this.#view.edges) {
      const from = at(edge.source);
      const to = at(edge.target);
      context.moveTo(sx[from] ?? 0, sy[from] ?? 0);
      context.lineTo(sx[to] ?? 0, sy[to] ?? 0);
    }
    context.stroke();
    if (emphasis !== null) {
      context.globalAlpha = 0.9;
      context.strokeStyle = this.#palette.text2;
      context.beginPath();
      for (const edge of this.#view.edges) {
        if (!emphasis.has(edge.source) || !emphasis.has(edge.target)) continue;
        const from = at(edge.source);
        const to = at(edge.target);
        context.moveTo(sx[from] ?? 0, sy[from] ?? 0);
        context.lineTo(sx[to] ?? 0, sy[to] ?? 0);
      }
      context.stroke();
    }

    for (const [index, node] of this.#view.nodes.entries()) {
      const lit = emphasis === null || emphasis.has(node.key);
      context.globalAlpha = lit ? 1 : 0.25;
      context.fillStyle = lit ? node.colour : this.#palette.border;
      context.beginPath();
      context.arc(sx[index] ?? 0, sy[index] ?? 0, node.size, 0, 2 * Math.PI);
      context.fill();
    }

    context.globalAlpha = 1;
    context.fillStyle = this.#palette.text;
    context.font = `500 12px ${this.#palette.font}`;
    context.textBaseline = 'middle';
    for (const [index, node] of this.#view.nodes.entries()) {
      const labelled = emphasis === null ? node.size >= 9 : emphasis.has(node.key);
      if (labelled || node.key === this.#hovered) {
        context.fillText(node.node.label, (sx[index] ?? 0) + node.size + 4, sy[index] ?? 0);
      }
    }
  }

  #nodeAt(event: PointerEvent): string | null {
    const rect = this.#canvas.getBoundingClientRect();
    const x = event.clientX - rect.left;
    const y = event.clientY - rect.top;
    const { sx, sy } = this.#project();
    let best: string | null = null;
    let bestDistance = Infinity;
    for (const [index, node] of this.#view.nodes.entries()) {
      const distance = Math.hypot((sx[index] ?? 0) - x, (sy[index] ?? 0) - y);
      if (distance <= node.size + 3 && distance < bestDistance) {
        best = node.key;
        bestDistance = distance;
      }
    }
    return best;
  }

  readonly #onDown = (event: PointerEvent) => {
    this.#drag = { x: event.clientX, y: event.clientY, moved: false };
    this.#canvas.setPointerCapture(event.pointerId);
  };

  readonly #onMove = (event: PointerEvent) => {
    if (this.#drag !== null) {
      const dx = event.clientX - this.#drag.x;
      const dy = event.clientY - this.#drag.y;
      if (this.#drag.moved || Math.hypot(dx, dy) > 3) {
        this.#drag = { x: event.clientX, y: event.clientY, moved: true };
        this.#panX += dx;
        this.#panY += dy;
        this.#schedule();
      }
      return;
    }
    const key = this.#nodeAt(event);
    if (key !== this.#hovered) {
      this.#hovered = key;
      this.#canvas.style.cursor = key === null ? 'grab' : 'pointer';
      this.#events.hover(key);
    }
  };

  readonly #onUp = (event: PointerEvent) => {
    const drag = this.#drag;
    this.#drag = null;
    if (drag !== null && !drag.moved) {
      const key = this.#nodeAt(event);
      if (key !== null) this.#events.select(key);
    }
  };

  readonly #onLeave = () => {
    if (this.#hovered !== null) {
      this.#hovered = null;
      this.#events.hover(null);
    }
  };

  readonly #onWheel = (event: WheelEvent) => {
    event.preventDefault();
    const factor = Math.exp(-event.deltaY * 0.0015);
    const zoom = Math.min(20, Math.max(0.2, this.#zoom * factor));
    const rect = this.#canvas.getBoundingClientRect();
    const x = event.clientX - rect.left - rect.width / 2;
    const y = event.clientY - rect.top - rect.height / 2;
    // Keep the point under the pointer where it is.
    this.#panX = x - ((x - this.#panX) * zoom) / this.#zoom;
    this.#panY = y - ((y - this.#panY) * zoom) / this.#zoom;
    this.#zoom = zoom;
    this.#schedule();
  };
}
