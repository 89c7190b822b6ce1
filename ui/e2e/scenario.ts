/**
 * What the mocked engine does in an end-to-end test. Specs pass a `Scenario` to the page
 * (through `window.__KINDRED_SCENARIO__`, set by an init script) and the harness's mock
 * IPC answers from it. Plain data only: it crosses into the page as JSON.
 */
import type {
  ApiError,
  ImportSummary,
  OrganizationSummary,
  PersonDetail,
  PersonSummary,
  RelationshipGraph,
  SearchHit,
  Stats,
  WrappedReport,
} from '../src/lib/backend/bindings';
import { SAMPLE_GRAPH, SAMPLE_ORGANIZATIONS, SAMPLE_PEOPLE, SAMPLE_WRAPPED } from './insight-data';
import { SAMPLE_PERSON_DETAILS } from './person-data';

/** A command the app invoked, channels replaced by `"<channel>"`. */
export interface Call {
  cmd: string;
  args: Record<string, unknown>;
}

declare global {
  interface Window {
    /** Set by the spec's init script before the harness starts. */
    __KINDRED_SCENARIO__?: Scenario;
    /** Every command the app invoked, in order. */
    __KINDRED_CALLS__: Call[];
    /** Emits Tauri's drag-and-drop events as if `paths` were dropped on the window. */
    __KINDRED_DROP__: (paths: string[]) => Promise<void>;
  }
}

export interface Scenario {
  /** The first `get_stats` rejects with this (later ones succeed). */
  statsError: ApiError | null;
  /** `get_stats` before any import succeeds. */
  stats: Stats;
  /** `get_stats` once an import has succeeded. */
  statsAfterImport: Stats;
  /** How the mocked import streams: per source, `steps` progress events `intervalMs` apart. */
  progress: { steps: number; intervalMs: number; bytesTotal: number; messages: number; events: number };
  /** Sources the sample import reports. */
  samplePaths: string[];
  summary: ImportSummary;
  /** What the native open dialog returns; `null` means the person cancelled. */
  pickedPaths: string[] | null;
  /** `import_paths` and `explore_sample` reject with this error… */
  importError: ApiError | null;
  /** …this many times (then succeed); `null` for always. */
  importErrorTimes: number | null;
  searchHits: SearchHit[];
  searchError: ApiError | null;
  /** How long the insight commands take to answer (skeletons show meanwhile). */
  insightsDelayMs: number;
  /** Commands that answer only after this many ms, by name: parts of a screen arriving one by one. */
  slowCommands: Record<string, number>;
  people: PersonSummary[];
  peopleError: ApiError | null;
  organizations: OrganizationSummary[];
  organizationsError: ApiError | null;
  /** `get_wrapped` answers this for every window. */
  wrapped: WrappedReport;
  wrappedError: ApiError | null;
  graph: RelationshipGraph;
  graphError: ApiError | null;
  /** `get_person` answers the one of these with the id or address asked for; anyone else in `people` with their one address. */
  personDetails: PersonDetail[];
  personError: ApiError | null;
  /** What `merge_people` and `split_person` answer, or the error they reject with. */
  merged: PersonDetail | null;
  split: PersonDetail | null;
  decisionError: ApiError | null;
}

export const EMPTY_STATS: Stats = {
  messages: 0,
  events: 0,
  people: 0,
  organizations: 0,
  first_message_at: null,
  last_message_at: null,
};

export const SAMPLE_STATS: Stats = {
  messages: 12_482,
  events: 1_376,
  people: 843,
  organizations: 127,
  first_message_at: '2019-03-12T08:30:00Z',
  last_message_at: '2024-11-04T17:05:00Z',
};

export const SAMPLE_HITS: SearchHit[] = [
  {
    message_id: 101,
    subject: 'Acme launch plan for Q3',
    from: 'Dana Whitfield <dana@acme.example>',
    date: '2024-10-28T09:12:00Z',
    snippet: '…the [Acme] launch moves to Friday; Priya will send the [Acme] deck before our call…',
  },
  {
    message_id: 102,
    subject: 'Re: Intro — Acme × Northwind',
    from: 'Marcus Lee <marcus@northwind.example>',
    date: '2024-06-03T16:40:00Z',
    snippet: 'Great to meet you both. As promised, introducing you to the [Acme] team…',
  },
  {
    message_id: 103,
    subject: '[JIRA] ACME-42 <b>markup</b> in subject',
    from: 'jira@acme.example',
    date: '2023-01-15T11:00:00Z',
    snippet: '<img src=x onerror="window.__pwned=1"> ticket for [<b>Acme</b>] <script>window.__pwned=2</script>',
  },
];

export const SAMPLE_SUMMARY: ImportSummary = {
  imported: { messages: 12_482, events: 1_376 },
  duplicates: 37,
  already_imported: 0,
  events_updated: 0,
  dropped_addresses: 3,
  errors: [
    {
      path: '/usr/share/kindred/sample/inbox.mbox',
      location: 'message 1,204 (byte 3,481,002)',
      reason: 'no Date header and no Received header to take one from',
    },
    {
      path: '/usr/share/kindred/sample/calendar.ics',
      location: 'line 880',
      reason: 'RRULE has an UNTIL before DTSTART; the event was skipped',
    },
  ],
};

export function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    statsError: null,
    stats: EMPTY_STATS,
    statsAfterImport: SAMPLE_STATS,
    progress: { steps: 8, intervalMs: 150, bytesTotal: 48_000_000, messages: 12_482, events: 1_376 },
    samplePaths: ['/usr/share/kindred/sample/inbox.mbox'],
    summary: SAMPLE_SUMMARY,
    pickedPaths: ['/home/dana/Mail/archive.mbox'],
    importError: null,
    importErrorTimes: null,
    searchHits: SAMPLE_HITS,
    searchError: null,
    insightsDelayMs: 0,
    slowCommands: {},
    people: SAMPLE_PEOPLE,
    peopleError: null,
    organizations: SAMPLE_ORGANIZATIONS,
    organizationsError: null,
    wrapped: SAMPLE_WRAPPED,
    wrappedError: null,
    graph: SAMPLE_GRAPH,
    graphError: null,
    personDetails: SAMPLE_PERSON_DETAILS,
    personError: null,
    merged: null,
    split: null,
    decisionError: null,
    ...overrides,
  };
}
