/**
 * The screens reachable from the navigation rail, in rail order. A new screen (Wrapped,
 * people, graph, assistant, rules, settings) plugs in by adding an entry here; the rail
 * and the main area pick it up. Every screen receives the shared `Session`.
 */
import type { Component } from 'svelte';
import type { IconName } from '../components/icons';
import type { Session } from '../session.svelte';
import Activity from './Activity.svelte';
import Assistant from './Assistant.svelte';
import Graph from './Graph.svelte';
import Organizations from './Organizations.svelte';
import Overview from './Overview.svelte';
import People from './People.svelte';
import Rules from './Rules.svelte';
import Tasks from './Tasks.svelte';
import Wrapped from './Wrapped.svelte';

export interface ScreenEntry {
  id: string;
  label: string;
  icon: IconName;
  component: Component<{ session: Session }>;
}

export const screens: readonly ScreenEntry[] = [
  { id: 'overview', label: 'Overview', icon: 'overview', component: Overview },
  { id: 'wrapped', label: 'Wrapped', icon: 'sparkles', component: Wrapped },
  { id: 'people', label: 'People', icon: 'people', component: People },
  { id: 'organizations', label: 'Orgs', icon: 'building', component: Organizations },
  { id: 'graph', label: 'Graph', icon: 'graph', component: Graph },
  { id: 'assistant', label: 'Assistant', icon: 'search', component: Assistant },
  { id: 'tasks', label: 'Tasks', icon: 'inbox', component: Tasks },
  { id: 'rules', label: 'Rules', icon: 'check', component: Rules },
  { id: 'activity', label: 'Activity', icon: 'clock', component: Activity },
];
