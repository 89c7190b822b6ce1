/**
 * The WebGL renderer: sigma.js over a graphology graph. Loaded on demand (its own chunk),
 * so screens that show no graph never pay for it.
 *
 * Redrawing ~20,000 edges on every frame is what made moving the graph slow in software
 * WebGL, so a drag does not redraw at all: it slides the drawn layers with a CSS
 * transform (the compositor moves them every frame) and moves sigma's camera once, when
 * the button is released. Camera animations (wheel zoom, centring on a person) draw only
 * the nodes while they run; edges and labels come back when they stop.
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import type { MouseCoords, NodeDisplayData, PartialButFor } from 'sigma/types';
import type { Palette } from './png';
import type { CreateRenderer, GraphRenderer } from './renderer';

interface NodeAttributes {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
}

interface EdgeAttributes {
  size: number;
}

/** The hovered node's label on a plate in the theme's surface colour (sigma's is always white). */
function hoverDrawer(theme: { palette: Palette }) {
  return (
    context: CanvasRenderingContext2D,
    data: PartialButFor<NodeDisplayData, 'x' | 'y' | 'size' | 'label' | 'color'>,
  ) => {
    const { palette } = theme;
    const size = 13;
    context.font = `600 ${size}px ${palette.font}`;
    const label = data.label ?? '';
    const width = context.measureText(label).width + 10;
    context.fillStyle = palette.surface;
    context.shadowColor = 'rgb(0 0 0 / 25%)';
    context.shadowBlur = 8;
    context.beginPath();
    context.roundRect(data.x + data.size + 2, data.y - size / 2 - 5, width, size + 10, 6);
    context.fill();
    context.shadowBlur = 0;
    context.fillStyle = palette.text;
    context.fillText(label, data.x + data.size + 7, data.y + size / 3);
  };
}

/** The settings that carry the theme's colours. */
function themed(palette: Palette) {
  return {
    labelFont: palette.font,
    labelColor: { color: palette.text },
    defaultEdgeColor: palette.border,
  };
}

/** A press that moves less than this (CSS pixels) is a click, not a drag. */
const DRAG_THRESHOLD = 3;

/**
 * Pans by sliding sigma's layers under the pointer while the button is held, then moves
 * the camera by the same distance on release (one redraw). `dragged` says whether the
 * last press was a drag, so the click that ends it does not open a person.
 */
function slideOnDrag(sigma: Sigma<NodeAttributes, EdgeAttributes>, container: HTMLElement) {
  const captor = sigma.getMouseCaptor();
  /** Where the press began: in the viewport (sigma's coordinates) and on the screen. */
  let start: { x: number; y: number; clientX: number; clientY: number } | null = null;
  let offset = { x: 0, y: 0 };
  let moved = false;
  const slide = (x: number, y: number) => {
    const transform = x === 0 && y === 0 ? '' : `translate(${x}px, ${y}px)`;
    for (const layer of container.querySelectorAll<HTMLElement>('[class^="sigma-"]')) layer.style.transform = transform;
  };
  const onDown = (event: MouseCoords) => {
    if (!(event.original instanceof MouseEvent) || event.original.button !== 0) return;
    start = { x: event.x, y: event.y, clientX: event.original.clientX, clientY: event.original.clientY };
    offset = { x: 0, y: 0 };
    moved = false;
  };
  // Sigma measures the pointer against its own (slid) mouse layer, so hovering still
  // finds the node drawn under the pointer; the slide is measured on the screen.
  const onMove = (event: MouseCoords) => {
    if (start === null || !captor.isMouseDown || !(event.original instanceof MouseEvent)) return;
    // Sigma's own drag would redraw every frame: the layers slide instead.
    event.preventSigmaDefault();
    offset = { x: event.original.clientX - start.clientX, y: event.original.clientY - start.clientY };
    moved ||= Math.hypot(offset.x, offset.y) >= DRAG_THRESHOLD;
    if (moved) slide(offset.x, offset.y);
  };
  const onUp = () => {
    if (start === null) return;
    if (moved) {
      const from = sigma.viewportToFramedGraph(start);
      const to = sigma.viewportToFramedGraph({ x: start.x + offset.x, y: start.y + offset.y });
      const camera = sigma.getCamera();
      const state = camera.getState();
      // The layers go back in place in the same frame as the picture drawn from there.
      sigma.once('afterRender', () => slide(0, 0));
      camera.setState({ x: state.x + from.x - to.x, y: state.y + from.y - to.y });
    }
    start = null;
  };
  captor.on('mousedown', onDown);
  captor.on('mousemovebody', onMove);
  captor.on('mouseup', onUp);
  return {
    dragged: () => moved,
    stop() {
      captor.off('mousedown', onDown);
      captor.off('mousemovebody', onMove);
      captor.off('mouseup', onUp);
    },
  };
}

export const createSigmaRenderer: CreateRenderer = (container, view, initialPalette, events) => {
  const theme = { palette: initialPalette };
  const graph = new Graph<NodeAttributes, EdgeAttributes>({ type: 'undirected' });
  let maxWeight = 0;
  for (const edge of view.edges) maxWeight = Math.max(maxWeight, edge.weight);
  for (const placed of view.nodes) {
    graph.addNode(placed.key, {
      x: placed.x,
      y: placed.y,
      size: placed.size,
      color: placed.colour,
      label: placed.node.label,
    });
  }
  for (const edge of view.edges) {
    const size = 0.4 + 2.2 * Math.sqrt(maxWeight > 0 ? edge.weight / maxWeight : 0);
    graph.mergeEdge(edge.source, edge.target, { size });
  }

  let emphasis: ReadonlySet<string> | null = null;
  const sigma = new Sigma(graph, container, {
    allowInvalidContainer: true,
    zIndex: true,
    ...themed(initialPalette),
    labelRenderedSizeThreshold: 9,
    hideEdgesOnMove: true,
    hideLabelsOnMove: true,
    defaultDrawNodeHover: hoverDrawer(theme),
    nodeReducer: (node, data) => {
      if (emphasis === null) return data;
      if (emphasis.has(node)) return { ...data, zIndex: 1, forceLabel: true };
      return { ...data, color: theme.palette.border, label: '', zIndex: 0 };
    },
    edgeReducer: (edge, data) => {
      if (emphasis === null) return data;
      const [source, target] = graph.extremities(edge);
      if (emphasis.has(source) && emphasis.has(target)) return { ...data, color: theme.palette.text2 };
      return { ...data, hidden: true };
    },
  });
  const drag = slideOnDrag(sigma, container);
  sigma.on('enterNode', ({ node }) => events.hover(node));
  sigma.on('leaveNode', () => events.hover(null));
  sigma.on('clickNode', ({ node }) => {
    if (!drag.dragged()) events.select(node);
  });

  const renderer: GraphRenderer = {
    setPositions(positions) {
      const index = new Map(view.nodes.map((placed, at) => [placed.key, at]));
      graph.updateEachNodeAttributes((key, attributes) => {
        const at = index.get(key) ?? 0;
        return { ...attributes, x: positions[2 * at] ?? attributes.x, y: positions[2 * at + 1] ?? attributes.y };
      });
    },
    setEmphasis(keys) {
      emphasis = keys;
      sigma.refresh({ skipIndexation: true });
    },
    setPalette(palette) {
      theme.palette = palette;
      sigma.setSettings(themed(palette));
    },
    focus(key) {
      const data = sigma.getNodeDisplayData(key);
      if (data) void sigma.getCamera().animate({ x: data.x, y: data.y, ratio: 0.4 }, { duration: 400 });
    },
    destroy() {
      drag.stop();
      sigma.kill();
    },
  };
  return renderer;
};
