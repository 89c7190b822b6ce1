/**
 * Pure logic of the Graph screen: which renderer the webview can run, the nodes and edges
 * left by the strength filter, their colours, sizes and first positions (communities in
 * their own circles, so the picture is readable before the force layout refines it), and
 * search and neighbourhood for highlighting.
 */
import type { GraphEdge, GraphNode, RelationshipGraph } from '../backend';
import { fold } from './people';

export type Renderer = 'webgl' | 'canvas';

/** WebGL (sigma.js) where the webview offers it, else the 2D canvas renderer. */
export function chooseRenderer(probe: { webgl2: boolean; webgl: boolean }): Renderer {
  return probe.webgl2 || probe.webgl ? 'webgl' : 'canvas';
}

/** Asks a throwaway canvas which WebGL versions this webview provides. */
export function probeWebgl(): { webgl2: boolean; webgl: boolean } {
  const context = (kind: 'webgl2' | 'webgl') => {
    try {
      return document.createElement('canvas').getContext(kind) !== null;
    } catch {
      return false;
    }
  };
  return { webgl2: context('webgl2'), webgl: context('webgl') };
}

/** Community colours, distinct in light and dark themes (Tableau 10, slightly deepened). */
export const COMMUNITY_COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#59a14f',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#8cd17d',
] as const;
export const ME_COLOUR = '#6366f1';

export function communityColour(community: number): string {
  const index = ((community % COMMUNITY_COLOURS.length) + COMMUNITY_COLOURS.length) % COMMUNITY_COLOURS.length;
  return COMMUNITY_COLOURS[index] ?? COMMUNITY_COLOURS[0];
}

/** Node radius by strength: the square root of the share of the strongest, 3 to 15 px. */
export function nodeSize(score: number, maxScore: number): number {
  if (maxScore <= 0 || score <= 0) return 3;
  return 3 + 12 * Math.sqrt(Math.min(1, score / maxScore));
}

export interface PlacedNode {
  key: string;
  node: GraphNode;
  x: number;
  y: number;
  size: number;
  colour: string;
}

export interface PlacedEdge {
  source: string;
  target: string;
  weight: number;
}

export interface GraphView {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  /** The strongest score in the whole graph: the slider's top. */
  maxScore: number;
}

/** Communities this small are not given a circle of their own: they ring the rest. */
const LONER_SIZE = 2;

/**
 * The graph left by the strength filter, laid out: me in the middle, each community on
 * its own circle placed around me (larger communities get more of the ring), each person
 * at a golden-angle spiral within it, strongest nearest its centre; people in tiny
 * communities spread evenly on an outer ring, so they do not pile up on one side.
 */
export function buildView(graph: RelationshipGraph, minStrength: number): GraphView {
  const maxScore = graph.nodes.reduce((max, node) => Math.max(max, node.score), 0);
  const kept = graph.nodes.filter((node) => node.is_me || node.score >= minStrength);
  const byCommunity = new Map<number, GraphNode[]>();
  for (const node of kept) {
    if (node.is_me) continue;
    const members = byCommunity.get(node.community);
    if (members) members.push(node);
    else byCommunity.set(node.community, [node]);
  }
  const groups = [...byCommunity.entries()].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]);
  const communities = groups.filter(([, members]) => members.length > LONER_SIZE);
  const loners = groups.filter(([, members]) => members.length <= LONER_SIZE).flatMap(([, members]) => members);
  const grouped = Math.max(1, communities.reduce((sum, [, members]) => sum + members.length, 0));
  const ring = 10 * Math.sqrt(Math.max(1, kept.length));
  const nodes: PlacedNode[] = [];
  const place = (node: GraphNode, x: number, y: number) =>
    nodes.push({
      key: String(node.id),
      node,
      x,
      y,
      size: nodeSize(node.score, maxScore),
      colour: communityColour(node.community),
    });
  let angle = 0;
  for (const [, members] of communities) {
    const span = (2 * Math.PI * members.length) / grouped;
    const centre = angle + span / 2;
    angle += span;
    const radius = 4 * Math.sqrt(members.length);
    const cx = Math.cos(centre) * ring;
    const cy = Math.sin(centre) * ring;
    members.sort((a, b) => b.score - a.score || a.id - b.id);
    for (const [index, node] of members.entries()) {
      const r = radius * Math.sqrt((index + 0.5) / members.length);
      const theta = index * 2.399963229728653;
      place(node, cx + Math.cos(theta) * r, cy + Math.sin(theta) * r);
    }
  }
  for (const [index, node] of loners.entries()) {
    const theta = (2 * Math.PI * index) / loners.length;
    place(node, Math.cos(theta) * ring * 1.6, Math.sin(theta) * ring * 1.6);
  }
  for (const node of kept) {
    if (node.is_me) nodes.unshift({ key: String(node.id), node, x: 0, y: 0, size: 14, colour: ME_COLOUR });
  }
  const keys = new Set(nodes.map((node) => node.key));
  const edges = graph.edges
    .filter((edge) => keys.has(String(edge.source)) && keys.has(String(edge.target)) && edge.source !== edge.target)
    .map((edge: GraphEdge) => ({ source: String(edge.source), target: String(edge.target), weight: edge.weight }));
  return { nodes, edges, maxScore };
}

/** Keys of the nodes whose label or address contains every word of `query`. */
export function searchNodes(nodes: readonly PlacedNode[], query: string): Set<string> {
  const words = fold(query).split(/\s+/).filter((word) => word.length > 0);
  if (words.length === 0) return new Set();
  return new Set(
    nodes
      .filter((placed) => {
        const haystack = fold(`${placed.node.label} ${placed.node.email ?? ''}`);
        return words.every((word) => haystack.includes(word));
      })
      .map((placed) => placed.key),
  );
}

/** Each node's neighbours, by key. */
export function adjacency(edges: readonly PlacedEdge[]): Map<string, Set<string>> {
  const neighbours = new Map<string, Set<string>>();
  const link = (from: string, to: string) => {
    const set = neighbours.get(from);
    if (set) set.add(to);
    else neighbours.set(from, new Set([to]));
  };
  for (const edge of edges) {
    link(edge.source, edge.target);
    link(edge.target, edge.source);
  }
  return neighbours;
}

/**
 * The nodes to emphasise: the hovered node and its neighbours, else the search matches;
 * `null` when nothing is emphasised (everything drawn normally).
 */
export function emphasised(
  hovered: string | null,
  matches: ReadonlySet<string>,
  neighbours: ReadonlyMap<string, ReadonlySet<string>>,
): Set<string> | null {
  if (hovered !== null) return new Set([hovered, ...(neighbours.get(hovered) ?? [])]);
  if (matches.size > 0) return new Set(matches);
  return null;
}
