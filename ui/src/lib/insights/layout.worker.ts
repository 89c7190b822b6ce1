/**
 * The force layout, off the main thread: ForceAtlas2 from the community layout's
 * positions (nodes marked `fixed` stay put), in batches, posting the positions after each batch so the picture settles
 * smoothly while the window stays responsive.
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { LayoutRequest, LayoutUpdate } from './layout';

self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  const { nodes, edges, batches, iterationsPerBatch } = event.data;
  const graph = new Graph({ type: 'undirected' });
  for (const node of nodes) {
    graph.addNode(node.key, { x: node.x, y: node.y, size: node.size, fixed: node.fixed });
  }
  for (const edge of edges) graph.mergeEdge(edge.source, edge.target, { weight: edge.weight });
  const settings = { ...forceAtlas2.inferSettings(graph), adjustSizes: false };
  for (let batch = 1; batch <= batches; batch += 1) {
    forceAtlas2.assign(graph, { iterations: iterationsPerBatch, settings, getEdgeWeight: 'weight' });
    const positions = new Float64Array(nodes.length * 2);
    for (const [index, node] of nodes.entries()) {
      positions[2 * index] = graph.getNodeAttribute(node.key, 'x') as number;
      positions[2 * index + 1] = graph.getNodeAttribute(node.key, 'y') as number;
    }
    const update: LayoutUpdate = { positions, done: batch === batches };
    self.postMessage(update, { transfer: [positions.buffer] });
  }
};
