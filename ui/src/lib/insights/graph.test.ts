import { describe, expect, it } from 'vitest';
import type { RelationshipGraph } from '../backend';
import {
  adjacency,
  buildView,
  chooseRenderer,
  communityColour,
  COMMUNITY_COLOURS,
  emphasised,
  ME_COLOUR,
  nodeSize,
  searchNodes,
} from './graph';
import { layoutPlan } from './layout';

const graph: RelationshipGraph = {
  nodes: [
    { id: 0, person_id: null, label: 'Me', email: null, is_me: true, score: 0, community: 0, pagerank: 0.2, betweenness: 0, introduced_by: null },
    { id: 1, person_id: 11, label: 'Priya Raman', email: 'priya@larkspur.example', is_me: false, score: 90, community: 1, pagerank: 0.1, betweenness: 0, introduced_by: null },
    { id: 2, person_id: 12, label: 'Jonas Becker', email: 'jonas@larkspur.example', is_me: false, score: 40, community: 1, pagerank: 0.1, betweenness: 0, introduced_by: null },
    { id: 3, person_id: 13, label: 'Léa Fontaine', email: 'lea@cedar.example', is_me: false, score: 5, community: 2, pagerank: 0.1, betweenness: 0, introduced_by: null },
  ],
  edges: [
    { source: 0, target: 1, weight: 90 },
    { source: 0, target: 2, weight: 40 },
    { source: 0, target: 3, weight: 5 },
    { source: 1, target: 2, weight: 3 },
    { source: 2, target: 3, weight: 1 },
  ],
};

describe('renderer choice', () => {
  it('uses WebGL when either version is offered, the canvas otherwise', () => {
    expect(chooseRenderer({ webgl2: true, webgl: true })).toBe('webgl');
    expect(chooseRenderer({ webgl2: false, webgl: true })).toBe('webgl');
    expect(chooseRenderer({ webgl2: false, webgl: false })).toBe('canvas');
  });
});

describe('buildView', () => {
  it('keeps me and everyone at or above the minimum strength, and only their edges', () => {
    const view = buildView(graph, 40);
    expect(view.nodes.map((node) => node.key).sort()).toEqual(['0', '1', '2']);
    expect(view.edges).toEqual([
      { source: '0', target: '1', weight: 90 },
      { source: '0', target: '2', weight: 40 },
      { source: '1', target: '2', weight: 3 },
    ]);
    expect(view.maxScore, 'the slider spans the whole graph').toBe(90);
  });

  it('puts me in the middle in my colour, communities in theirs', () => {
    const view = buildView(graph, 0);
    const me = view.nodes.find((node) => node.key === '0');
    expect(me).toMatchObject({ x: 0, y: 0, colour: ME_COLOUR });
    const [priya, jonas, lea] = ['1', '2', '3'].map((key) => view.nodes.find((node) => node.key === key));
    expect(priya?.colour).toBe(jonas?.colour);
    expect(priya?.colour).not.toBe(lea?.colour);
    for (const node of view.nodes) {
      expect(Number.isFinite(node.x) && Number.isFinite(node.y), `node ${node.key} has a position`).toBe(true);
    }
  });

  it('places a community’s members nearer each other than the other community', () => {
    const view = buildView(graph, 0);
    const at = (key: string) => view.nodes.find((node) => node.key === key) ?? { x: 0, y: 0 };
    const distance = (a: string, b: string) => Math.hypot(at(a).x - at(b).x, at(a).y - at(b).y);
    expect(distance('1', '2')).toBeLessThan(distance('1', '3'));
  });
});

describe('sizes and colours', () => {
  it('grows with the square root of strength, 3 to 15', () => {
    expect(nodeSize(0, 100)).toBe(3);
    expect(nodeSize(100, 100)).toBe(15);
    expect(nodeSize(25, 100)).toBe(9);
    expect(nodeSize(10, 0)).toBe(3);
  });

  it('cycles through the palette, negative communities included', () => {
    expect(communityColour(0)).toBe(COMMUNITY_COLOURS[0]);
    expect(communityColour(COMMUNITY_COLOURS.length + 1)).toBe(COMMUNITY_COLOURS[1]);
    expect(communityColour(-1)).toBe(COMMUNITY_COLOURS[COMMUNITY_COLOURS.length - 1]);
  });
});

describe('highlighting', () => {
  const view = buildView(graph, 0);
  const neighbours = adjacency(view.edges);

  it('finds people by name or address, accents aside', () => {
    expect([...searchNodes(view.nodes, 'lea')]).toEqual(['3']);
    expect([...searchNodes(view.nodes, 'larkspur')].sort()).toEqual(['1', '2']);
    expect(searchNodes(view.nodes, '  ').size).toBe(0);
  });

  it('emphasises the hovered node and its neighbours over search matches', () => {
    expect([...(emphasised('3', new Set(['1']), neighbours) ?? [])].sort()).toEqual(['0', '2', '3']);
    expect([...(emphasised(null, new Set(['1']), neighbours) ?? [])]).toEqual(['1']);
    expect(emphasised(null, new Set(), neighbours)).toBeNull();
  });
});

describe('layoutPlan', () => {
  it('runs fewer, cheaper iterations on large graphs and none on a lone node', () => {
    expect(layoutPlan(1).batches).toBe(0);
    const small = layoutPlan(100);
    const large = layoutPlan(2000);
    expect(large.batches * large.iterationsPerBatch).toBeLessThan(small.batches * small.iterationsPerBatch);
  });
});

describe('loners', () => {
  it('ring the communities evenly instead of piling up on one side', () => {
    const nodes: RelationshipGraph['nodes'] = [
      { id: 0, person_id: null, label: 'Me', email: null, is_me: true, score: 0, community: 0, pagerank: 0, betweenness: 0, introduced_by: null },
    ];
    for (let id = 1; id <= 12; id += 1) {
      nodes.push({ id, person_id: id, label: `P${id}`, email: null, is_me: false, score: 1, community: id <= 4 ? 1 : 100 + id, pagerank: 0, betweenness: 0, introduced_by: null });
    }
    const view = buildView({ nodes, edges: [] }, 0);
    const loners = view.nodes.filter((node) => node.node.community >= 100);
    const quadrants = new Set(loners.map((node) => `${Math.sign(Math.round(node.x))},${Math.sign(Math.round(node.y))}`));
    expect(quadrants.size, 'loners spread all around').toBeGreaterThanOrEqual(4);
    const community = view.nodes.filter((node) => node.node.community === 1);
    const outermost = Math.max(...community.map((node) => Math.hypot(node.x, node.y)));
    expect(Math.min(...loners.map((node) => Math.hypot(node.x, node.y)))).toBeGreaterThan(outermost);
  });
});
