/**
 * The WebGL renderer: sigma.js over a graphology graph. Loaded on demand (its own chunk),
 * so screens that show no graph never pay for it.
 */
import Graph from 'graphology';
import Sigma from 'sigma';
import type { NodeDisplayData, PartialButFor } from 'sigma/types';
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
function hoverDrawer(palette: Palette) {
  return (
    context: CanvasRenderingContext2D,
    data: PartialButFor<NodeDisplayData, 'x' | 'y' | 'size' | 'label' | 'color'>,
  ) => {
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

export const createSigmaRenderer: CreateRenderer = (container, view, palette, events) => {
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
    labelFont: palette.font,
    labelColor: { color: palette.text },
    labelRenderedSizeThreshold: 9,
    defaultEdgeColor: palette.border,
    defaultDrawNodeHover: hoverDrawer(palette),
    nodeReducer: (node, data) => {
      if (emphasis === null) return data;
      if (emphasis.has(node)) return { ...data, zIndex: 1, forceLabel: true };
      return { ...data, color: palette.border, label: '', zIndex: 0 };
    },
    edgeReducer: (edge, data) => {
      if (emphasis === null) return data;
      const [source, target] = graph.extremities(edge);
      if (emphasis.has(source) && emphasis.has(target)) return { ...data, color: palette.text2 };
      return { ...data, hidden: true };
    },
  });
  sigma.on('enterNode', ({ node }) => events.hover(node));
  sigma.on('leaveNode', () => events.hover(null));
  sigma.on('clickNode', ({ node }) => events.select(node));

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
    focus(key) {
      const data = sigma.getNodeDisplayData(key);
      if (data) void sigma.getCamera().animate({ x: data.x, y: data.y, ratio: 0.4 }, { duration: 400 });
    },
    destroy() {
      sigma.kill();
    },
  };
  return renderer;
};
