/**
 * The UI's only door to the Rust engine.
 *
 * Every Tauri command, channel, dialog and window event the screens use goes through a
 * typed function here, so the rest of the UI never imports `@tauri-apps/*` (an ESLint rule
 * enforces it) and can be tested against a mocked IPC. Payload types come from
 * `bindings.ts`, generated from the Rust DTOs.
 */
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';
import { open } from '@tauri-apps/plugin-dialog';
import type {
  ApiError,
  ErrorCode,
  ImportProgress,
  ImportSummary,
  OrganizationSummary,
  PersonDetail,
  RelationshipGraph,
  SearchHit,
  Stats,
  WrappedReport,
} from './bindings';

import type { AccountDto, BackgroundEvent, SyncStatus, SyncSummary } from './bindings';
import type { DryRunReport, RuleDto } from './bindings';
import type { ActivityEntry, ActivityFilter } from './bindings';
import type { DoctorReport, ExportProgress, ExportSummary } from './bindings';
import type { AskAnswer, AskStreamEvent, ConversationMessage, ConversationSummary } from './bindings';
import type { LlmConnection, LlmSettings, MessageView, ProposedActionDto, RelationshipStory } from './bindings';
import type { NewTaskRequest, TaskDto } from './bindings';
import type { ErasureSummary } from './bindings';
import type { UpdateInfo, UpdateProgress } from './bindings';
import type { PeoplePage, PeopleQuery } from './bindings';

export type * from './bindings';

const ERROR_CODES: readonly ErrorCode[] = [
  'invalid_input',
  'not_found',
  'wrong_key',
  'store_unavailable',
  'invalid_link',
  'io',
  'internal',
];

/** A failed command: the engine's `ApiError`, thrown as an `Error` so stack traces survive. */
export class BackendError extends Error implements ApiError {
  readonly code: ErrorCode;

  constructor(error: ApiError) {
    super(error.message);
    this.name = 'BackendError';
    this.code = error.code;
  }
}

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/**
 * Normalises whatever a rejected call produced into an `ApiError`.
 *
 * The engine rejects with `{ code, message }`; anything else (Tauri's own string errors,
 * a missing IPC bridge when the UI runs in a plain browser) becomes an `internal` error
 * whose message is still shown to the person.
 */
export function toApiError(error: unknown): ApiError {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    if (typeof message === 'string') {
      return { code: isErrorCode(code) ? code : 'internal', message };
    }
  }
  if (typeof error === 'string' && error.length > 0) {
    return { code: 'internal', message: error };
  }
  return { code: 'internal', message: 'Something went wrong inside Kindred.' };
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw new BackendError(toApiError(error));
  }
}

/** Counts of what the store holds. Rejects with `BackendError`. */
export function getStats(): Promise<Stats> {
  return call<Stats>('get_stats');
}

/**
 * Imports the bundled sample mailbox, reporting progress as it goes.
 * Resolves with the summary (also sent as the final `finished` progress event).
 */
export function exploreSample(onProgress: (event: ImportProgress) => void): Promise<ImportSummary> {
  const channel = new Channel<ImportProgress>(onProgress);
  return call<ImportSummary>('explore_sample', { onProgress: channel });
}

/** Imports mbox / Maildir / .eml / Takeout zip / .ics paths, reporting progress as it goes. */
export function importPaths(
  paths: string[],
  onProgress: (event: ImportProgress) => void,
): Promise<ImportSummary> {
  const channel = new Channel<ImportProgress>(onProgress);
  return call<ImportSummary>('import_paths', { paths, onProgress: channel });
}

/** Full-text search over messages; `snippet` marks matched terms with `[` and `]`. */
export function searchMessages(query: string, limit: number): Promise<SearchHit[]> {
  return call<SearchHit[]>('search_messages', { query, limit });
}

/**
 * The page of my people `query` asks for, searched, filtered and paged by the engine over
 * the whole ranking, with how many match in all.
 */
export function queryPeople(query: PeopleQuery): Promise<PeoplePage> {
  return call<PeoplePage>('query_people', { query });
}

/** Organisations by registrable domain, strongest first. */
export function listOrganizations(limit: number): Promise<OrganizationSummary[]> {
  return call<OrganizationSummary[]>('list_organizations', { limit });
}

/**
 * The window a Wrapped covers, as `get_wrapped` takes it: the last `days` days up to now,
 * or a calendar year in local time. (Mirrors the shell's `WrappedWindowArg`.)
 */
export type WrappedWindow = { kind: 'last_days'; days: number } | { kind: 'year'; year: number };

/** Wrapped for `window`, with the window of equal length before it in `previous`. */
export function getWrapped(window: WrappedWindow): Promise<WrappedReport> {
  return call<WrappedReport>('get_wrapped', { window });
}

/**
 * The relationship graph pruned for display: me, my `maxNodes` strongest people and the
 * strongest edges among them; communities, centralities and introducers are those of the
 * whole graph.
 */
export function getGraph(maxNodes: number): Promise<RelationshipGraph> {
  return call<RelationshipGraph>('get_graph', { maxNodes });
}

/**
 * One person in full: addresses, month-by-month timeline, proposed merges and the mail
 * waiting for my reply. `query` is a person id or one of their addresses.
 */
export function getPerson(query: string): Promise<PersonDetail> {
  return call<PersonDetail>('get_person', { query });
}

/**
 * Records that `a` and `b` (ids or addresses) are one person; resolves with that person.
 * The decision survives recomputes. Rejects with `invalid_input` if they already are one.
 */
export function mergePeople(a: string, b: string): Promise<PersonDetail> {
  return call<PersonDetail>('merge_people', { a, b });
}

/**
 * Takes `email` out of `person` (an id or address): it becomes a person of its own.
 * Resolves with what remains of `person`; rejects with `invalid_input` for their only
 * address or one that is not theirs.
 */
export function splitPerson(person: string, email: string): Promise<PersonDetail> {
  return call<PersonDetail>('split_person', { person, email });
}

/** What the native picker should offer: mail and calendar files, or Maildir folders. */
export type PickKind = 'files' | 'folder';

/** File extensions the importer understands (Maildir is picked as a folder). */
export const IMPORTABLE_EXTENSIONS = ['mbox', 'mbx', 'eml', 'zip', 'ics'] as const;

/**
 * Opens the native open dialog. Resolves with the chosen paths, or `[]` when the person
 * cancels.
 */
export async function pickImportPaths(kind: PickKind): Promise<string[]> {
  let picked: string | string[] | null;
  try {
    picked =
      kind === 'folder'
        ? await open({ title: 'Choose Maildir folders', directory: true, multiple: true })
        : await open({
            title: 'Choose mailboxes or calendars',
            multiple: true,
            filters: [
              { name: 'Mailboxes and calendars', extensions: [...IMPORTABLE_EXTENSIONS] },
            ],
          });
  } catch (error) {
    throw new BackendError(toApiError(error));
  }
  if (picked === null) return [];
  return Array.isArray(picked) ? picked : [picked];
}

export interface FileDropHandlers {
  /** Files are being dragged over the window (`true`) or left it (`false`). */
  hovering(active: boolean): void;
  /** Files were dropped; their absolute paths. */
  dropped(paths: string[]): void;
}

/**
 * Listens for files dragged onto the window (Tauri's webview drag-and-drop, which yields
 * real paths, unlike the DOM's). Resolves with a function that stops listening.
 * Outside Tauri (a plain browser) there is nothing to listen to and this is a no-op.
 */
export async function listenForFileDrops(handlers: FileDropHandlers): Promise<() => void> {
  try {
    const unlisten = await getCurrentWebview().onDragDropEvent((event) => {
      const payload = event.payload;
      switch (payload.type) {
        case 'enter':
        case 'over':
          handlers.hovering(true);
          break;
        case 'leave':
          handlers.hovering(false);
          break;
        case 'drop':
          handlers.hovering(false);
          if (payload.paths.length > 0) handlers.dropped(payload.paths);
          break;
      }
    });
    return () => void unlisten();
  } catch {
    return () => undefined;
  }
}

/**
 * Signs in to Google: the system browser opens Google's consent page and the engine waits
 * (up to five minutes) for its redirect. Resolves with the account, whose first sync is
 * then queued; its progress arrives through `onSyncEvent`.
 */
export function connectGoogle(): Promise<AccountDto> {
  return call<AccountDto>('connect_google');
}

/** Every Google account, oldest first, with its status and last sync. */
export function listAccounts(): Promise<AccountDto[]> {
  return call<AccountDto[]>('list_accounts');
}

/** Queues a sync of the connected accounts now (unless one is queued or running). */
export function syncNow(): Promise<SyncStatus> {
  return call<SyncStatus>('sync_now');
}

/** What background sync is doing, its schedule and the last sync. */
export function getSyncStatus(): Promise<SyncStatus> {
  return call<SyncStatus>('get_sync_status');
}

/** Pauses or resumes the scheduled syncs; the choice survives a restart. */
export function setSyncPaused(paused: boolean): Promise<SyncStatus> {
  return call<SyncStatus>('set_sync_paused', { paused });
}

/** Sets the minutes between scheduled syncs (1 to 1440). */
export function setSyncInterval(minutes: number): Promise<SyncStatus> {
  return call<SyncStatus>('set_sync_interval', { minutes });
}

/** Whether Kindred starts at login, in the tray with its window closed. */
export function getAutostart(): Promise<boolean> {
  return call<boolean>('get_autostart');
}

/** Makes Kindred start at login (in the tray) or not; resolves with the setting in force. */
export function setAutostart(enabled: boolean): Promise<boolean> {
  return call<boolean>('set_autostart', { enabled });
}

/** Revokes the account's tokens at Google and deletes them; its mail and events stay. */
export function disconnectGoogle(email: string): Promise<AccountDto[]> {
  return call<AccountDto[]>('disconnect_google', { email });
}

/**
 * The one-time snapshot: syncs the account, then revokes and deletes its tokens. The data
 * stays and the account is marked `snapshot`. Progress arrives through `onSyncEvent`.
 */
export function snapshotGoogle(email: string): Promise<SyncSummary> {
  return call<SyncSummary>('snapshot_google', { email });
}

/**
 * Listens for background sync: progress of the running pass and each new status (the
 * engine pushes them; nothing polls). Resolves with a function that stops listening.
 */
export async function onSyncEvent(handler: (event: BackgroundEvent) => void): Promise<() => void> {
  const unlisten = await listen<BackgroundEvent>('sync', (event) => handler(event.payload));
  return unlisten;
}

/** The rules, oldest first. */
export function listRules(): Promise<RuleDto[]> {
  return call<RuleDto[]>('list_rules');
}

/**
 * Parses `text` and stores it as an enabled rule. Rejects with `invalid_input` whose
 * message names the line and column when `text` is not a rule; nothing is stored then.
 */
export function addRule(text: string): Promise<RuleDto> {
  return call<RuleDto>('add_rule', { text });
}

/** Turns a rule on or off; resolves with the rule as stored. */
export function setRuleEnabled(id: number, enabled: boolean): Promise<RuleDto> {
  return call<RuleDto>('set_rule_enabled', { id, enabled });
}

/** Deletes a rule; resolves with the rule that was removed. */
export function removeRule(id: number): Promise<RuleDto> {
  return call<RuleDto>('remove_rule', { id });
}

/** How often `text` would have fired over everything stored, without storing or doing anything. */
export function dryRunRule(text: string): Promise<DryRunReport> {
  return call<DryRunReport>('dry_run_rule', { text });
}

/** What Kindred did, newest first: every condition of `filter` holds for each entry. */
export function listActivity(filter: ActivityFilter): Promise<ActivityEntry[]> {
  return call<ActivityEntry[]>('list_activity', { filter });
}

/** The doctor's checks: secret store, database, schema, each account, jobs, the LLM. */
export function getDiagnostics(): Promise<DoctorReport> {
  return call<DoctorReport>('get_diagnostics');
}

/** The same checks as text to paste into a report: addresses and tokens redacted. */
export function getDiagnosticsReport(): Promise<string> {
  return call<string>('get_diagnostics_report');
}

/** Opens the folder dialog for an export; resolves with the folder, or null when cancelled. */
export async function pickExportFolder(): Promise<string | null> {
  try {
    return await open({ title: 'Choose a folder to export into', directory: true, multiple: false });
  } catch (error) {
    throw new BackendError(toApiError(error));
  }
}

/** Exports everything Kindred holds into `directory`, reporting progress as it goes. */
export function exportData(directory: string, onProgress: (event: ExportProgress) => void): Promise<ExportSummary> {
  const channel = new Channel<ExportProgress>(onProgress);
  return call<ExportSummary>('export_data', { directory, onProgress: channel });
}

/** The tasks, open ones first (by priority, then due date), or only those in `status`. */
export function listTasks(status?: string): Promise<TaskDto[]> {
  return call<TaskDto[]>('list_tasks', { status: status ?? null });
}

/**
 * Adds a task of the person's, to do. Rejects with `invalid_input` for an empty title,
 * an unknown priority or a due date that is not YYYY-MM-DD.
 */
export function addTask(request: NewTaskRequest): Promise<TaskDto> {
  return call<TaskDto>('add_task', { request });
}

/** Moves a task to `todo`, `doing` or `done`; resolves with the task as stored. */
export function moveTask(id: number, status: string): Promise<TaskDto> {
  return call<TaskDto>('move_task', { id, status });
}

/** How many days mail and events are kept; null keeps everything. */
export function getRetentionDays(): Promise<number | null> {
  return call<number | null>('get_retention_days');
}

/**
 * Keeps mail and events for `days` days (null: for ever); the daily retention pass
 * deletes what is older. Rejects with `invalid_input` for 0.
 */
export function setRetentionDays(days: number | null): Promise<void> {
  return call<undefined>('set_retention_days', { days });
}

/** The extraction label: new mail carrying this Gmail label is read for events; null for none. */
export function getExtractionLabel(): Promise<string | null> {
  return call<string | null>('get_extraction_label');
}

/**
 * Chooses the extraction label (null clears it); resolves with the label now in force
 * (trimmed). Rejects with `invalid_input` for a blank label, one longer than Gmail allows or
 * one with control characters.
 */
export function setExtractionLabel(label: string | null): Promise<string | null> {
  return call<string | null>('set_extraction_label', { label });
}

/**
 * Deletes everything Kindred keeps: stops background sync, revokes the Google tokens,
 * deletes every keyring entry, the database and the logs. The engine is gone afterwards:
 * the app can only be closed (`quitApp`).
 */
export function deleteAllData(): Promise<ErasureSummary> {
  return call<ErasureSummary>('delete_all_data');
}

/** Closes the app. */
export function quitApp(): Promise<void> {
  return call<undefined>('quit_app');
}

/**
 * Looks for a newer Kindred. `scheduled` is the look on start: the engine asks the update
 * server at most once a day and otherwise resolves `null` without asking. Resolves with
 * what the update offers, or `null` when this is the newest version.
 */
export function checkForUpdate(scheduled: boolean): Promise<UpdateInfo | null> {
  return call<UpdateInfo | null>('check_for_update', { scheduled });
}

/**
 * Downloads the update to `version` the person reviewed, checks its signature, installs it
 * and restarts Kindred; the last progress event says it is restarting. Rejects, with
 * nothing installed, when the signature is bad or the server offers something else.
 */
export function installUpdate(version: string, onProgress: (event: UpdateProgress) => void): Promise<void> {
  const channel = new Channel<UpdateProgress>(onProgress);
  return call<undefined>('install_update', { version, onProgress: channel });
}

/** Listens for the tray's "Check for updates…". Resolves with a function that stops listening. */
export async function onUpdateCheckRequested(handler: () => void): Promise<() => void> {
  return listen('update-check-requested', () => handler());
}

/**
 * Whether the tray's "Check for updates…" asked for a look the window has not made yet (a
 * window the tray opened for it was not there to hear the event). Asking clears the request.
 */
export function takeUpdateCheckRequest(): Promise<boolean> {
  return call<boolean>('take_update_check_request');
}

/**
 * Tells the shell whether the window holds work the person has not saved: while it does,
 * a closed window is kept hidden rather than let go, so nothing typed is lost.
 */
export function setUnsavedWork(unsaved: boolean): Promise<void> {
  return call<undefined>('set_unsaved_work', { unsaved });
}

/**
 * Asks the assistant `question`, in `conversation` or a new one. The answer's text streams
 * to `onToken` as the model writes it (offline answers arrive whole); resolves with the
 * answer, its citations and the actions it proposes (none made until confirmed).
 */
export function ask(
  question: string,
  conversation: number | null,
  onToken: (event: AskStreamEvent) => void,
): Promise<AskAnswer> {
  const channel = new Channel<AskStreamEvent>(onToken);
  return call<AskAnswer>('ask', { question, conversation, onToken: channel });
}

/** Every conversation with the assistant, the one last added to first. */
export function listConversations(): Promise<ConversationSummary[]> {
  return call<ConversationSummary[]>('list_conversations');
}

/** The questions and answers of conversation `id`, oldest first. */
export function getConversation(id: number): Promise<ConversationMessage[]> {
  return call<ConversationMessage[]>('get_conversation', { id });
}

/**
 * The person confirms action `index` proposed by answer `messageId`: it is made and logged.
 * Resolves with that answer's actions as they now stand; rejects with `invalid_input` for
 * one already confirmed.
 */
export function confirmProposedAction(messageId: number, index: number): Promise<ProposedActionDto[]> {
  return call<ProposedActionDto[]>('confirm_proposed_action', { messageId, index });
}

/** The story of my relationship with `person` (an id or an address), verified, with citations. */
export function getStory(person: string): Promise<RelationshipStory> {
  return call<RelationshipStory>('get_story', { person });
}

/** The LLM provider in use (or offline mode); the key is never sent back, only whether one is set. */
export function getLlmSettings(): Promise<LlmSettings> {
  return call<LlmSettings>('get_llm_settings');
}

/** What to change in the LLM settings: a missing field stays as it is, an empty text clears it. */
export interface LlmSettingsChange {
  baseUrl?: string;
  model?: string;
  embeddingsModel?: string;
  /** Goes to the system keyring only. */
  apiKey?: string;
}

/** Stores the LLM settings; resolves with the settings now in force. */
export function setLlmSettings(change: LlmSettingsChange): Promise<LlmSettings> {
  return call<LlmSettings>('set_llm_settings', {
    baseUrl: change.baseUrl ?? null,
    model: change.model ?? null,
    embeddingsModel: change.embeddingsModel ?? null,
    apiKey: change.apiKey ?? null,
  });
}

/** Checks the configured endpoint: its models and a one-word reply from the model. */
export function testLlmConnection(): Promise<LlmConnection> {
  return call<LlmConnection>('test_llm_connection');
}

/** One stored message for the viewer: headers, recipients and text. */
export function openMessage(id: number): Promise<MessageView> {
  return call<MessageView>('open_message', { id });
}

/**
 * Opens a link from a message with the system's handler (the browser, the mail or phone
 * app), once the engine has checked it is a web, mail or phone link (`invalid_link` if not).
 */
export function openLink(url: string): Promise<void> {
  return call<void>('open_link', { url });
}
