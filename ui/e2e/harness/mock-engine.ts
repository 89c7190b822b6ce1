/**
 * A fake Kindred engine behind Tauri's IPC, built on `mockIPC`. It answers the app's
 * commands from the `Scenario` a spec put on `window`, streams import progress through
 * the real `Channel` protocol (ordered `{ index, message }` packets, then `{ index, end }`),
 * serves the dialog plugin, and can emit the webview's drag-and-drop events.
 */
import type { Channel } from '@tauri-apps/api/core';
import { emit } from '@tauri-apps/api/event';
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import type { ApiError, ImportProgress, ImportSummary, PeopleQuery, PersonDetail } from '../../src/lib/backend/bindings';
import { scenario as defaultScenario, type Scenario } from '../scenario';
import { activityEngine } from './activity-engine';
import { assistantEngine } from './assistant-engine';
import { rulesEngine } from './rules-engine';
import { dataEngine } from './data-engine';
import { peoplePage } from './people-engine';
import { syncEngine } from './sync-engine';
import { tasksEngine } from './tasks-engine';
import { settingsEngine } from './settings-engine';
import { updateEngine } from './update-engine';

declare global {
  interface Window {
    __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordable(args: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof args !== 'object' || args === null) return out;
  for (const [key, value] of Object.entries(args)) {
    const isChannel = typeof value === 'object' && value !== null && 'onmessage' in value;
    out[key] = isChannel ? '<channel>' : value;
  }
  return out;
}

async function streamImport(
  scenario: Scenario,
  channel: Channel<ImportProgress>,
  paths: string[],
): Promise<ImportSummary> {
  let index = 0;
  const send = (message: ImportProgress) => {
    window.__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
    index += 1;
  };
  const { steps, intervalMs, bytesTotal, messages, events } = scenario.progress;
  const perSource = { messages: messages / paths.length, events: events / paths.length };

  send({ kind: 'started', sources: paths.length });
  for (const [sourceIndex, path] of paths.entries()) {
    send({ kind: 'source', path, bytes_total: bytesTotal });
    for (let step = 1; step <= steps; step += 1) {
      await sleep(intervalMs);
      const done = sourceIndex + step / steps;
      send({
        kind: 'progress',
        path,
        bytes_done: Math.round((bytesTotal * step) / steps),
        bytes_total: bytesTotal,
        messages: Math.round(perSource.messages * done),
        events: Math.round(perSource.events * done),
      });
    }
  }
  send({ kind: 'finished', summary: scenario.summary });
  window.__TAURI_INTERNALS__.runCallback(channel.id, { index, end: true });
  return scenario.summary;
}

/** The detail `get_person` answers for `query` (an id or an address), as the engine finds people. */
function findPerson(scenario: Scenario, query: string): PersonDetail {
  const named = (emails: string[], id: number) => String(id) === query || emails.includes(query);
  const detail = scenario.personDetails.find((each) =>
    named(each.addresses.map((address) => address.email), each.person.person_id),
  );
  if (detail !== undefined) return detail;
  const person = scenario.people.find((each) => named(each.emails, each.person_id));
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (person === undefined) throw { code: 'not_found', message: `no person with the id or address '${query}'` };
  const addresses = person.emails.map((email, index) => ({ address_id: person.person_id + index, email, display_name: person.name }));
  return { person, addresses, timeline: [], proposed_merges: [], unanswered: [] };
}

export function installMockEngine(): void {
  const scenario = window.__KINDRED_SCENARIO__ ?? defaultScenario();
  let imported = false;
  let failures = 0;
  let statsFailed = false;
  window.__KINDRED_CALLS__ = [];

  const runImport = async (channel: Channel<ImportProgress>, paths: string[]) => {
    if (scenario.importError !== null) {
      if (scenario.importErrorTimes === null || failures < scenario.importErrorTimes) {
        failures += 1;
        await sleep(scenario.progress.intervalMs);
        // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw scenario.importError;
      }
    }
    const summary = await streamImport(scenario, channel, paths);
    imported = true;
    return summary;
  };

  const answer = async <T>(error: ApiError | null, value: T): Promise<T> => {
    if (scenario.insightsDelayMs > 0) await sleep(scenario.insightsDelayMs);
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    if (error !== null) throw error;
    return value;
  };

  const answerSync = syncEngine(() => {
    imported = true;
  });
  const answerData = dataEngine();
  const answerRules = rulesEngine();
  const answerActivity = activityEngine();
  const answerAssistant = assistantEngine();
  const answerTasks = tasksEngine();
  const answerSettings = settingsEngine();
  const answerUpdate = updateEngine();

  mockWindows('main');
  mockIPC(
    async (cmd, payload) => {
      const args = (payload ?? {}) as Record<string, unknown>;
      window.__KINDRED_CALLS__.push({ cmd, args: recordable(args) });
      const slow = scenario.slowCommands[cmd];
      if (slow !== undefined) await sleep(slow);
      switch (cmd) {
        case 'get_stats':
          if (scenario.statsError !== null && !statsFailed) {
            statsFailed = true;
            // eslint-disable-next-line @typescript-eslint/only-throw-error
            throw scenario.statsError;
          }
          return imported ? scenario.statsAfterImport : scenario.stats;
        case 'explore_sample':
          return runImport(args.onProgress as Channel<ImportProgress>, scenario.samplePaths);
        case 'import_paths':
          return runImport(args.onProgress as Channel<ImportProgress>, args.paths as string[]);
        case 'search_messages':
          await sleep(50);
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          if (scenario.searchError !== null) throw scenario.searchError;
          return scenario.searchHits.slice(0, args.limit as number);
        case 'query_people':
          return answer(scenario.peopleError, peoplePage(scenario.people, args.query as PeopleQuery));
        case 'list_organizations':
          return answer(scenario.organizationsError, scenario.organizations.slice(0, args.limit as number));
        case 'get_wrapped':
          return answer(scenario.wrappedError, scenario.wrapped);
        case 'get_graph':
          return answer(scenario.graphError, scenario.graph);
        case 'get_person':
          return answer(scenario.personError, findPerson(scenario, args.query as string));
        case 'merge_people':
          return answer(scenario.decisionError, scenario.merged);
        case 'split_person':
          return answer(scenario.decisionError, scenario.split);
        case 'set_unsaved_work':
          // What the window says is read from the call log; the shell answers nothing.
          return null;
        case 'plugin:dialog|open': {
          // One folder or file unless `multiple`, as the dialog plugin answers.
          const options = (args.options ?? {}) as { multiple?: boolean };
          return options.multiple === true ? scenario.pickedPaths : (scenario.pickedPaths?.[0] ?? null);
        }
        default: {
          const sync = await answerSync(cmd, args);
          if (sync.handled) return sync.value;
          const data = await answerData(cmd, args);
          if (data.handled) return data.value;
          const rules = await answerRules(cmd, args);
          if (rules.handled) return rules.value;
          const activity = await answerActivity(cmd, args);
          if (activity.handled) return activity.value;
          const assistant = await answerAssistant(cmd, args);
          if (assistant.handled) return assistant.value;
          const tasks = await answerTasks(cmd, args);
          if (tasks.handled) return tasks.value;
          const settings = await answerSettings(cmd, args);
          if (settings.handled) return settings.value;
          const update = await answerUpdate(cmd, args);
          if (update.handled) return update.value;
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw { code: 'internal', message: `the mocked engine has no command '${cmd}'` };
        }
      }
    },
    { shouldMockEvents: true },
  );

  window.__KINDRED_DROP__ = async (paths) => {
    const position = { x: 200, y: 200 };
    await emit('tauri://drag-enter', { paths, position });
    await emit('tauri://drag-drop', { paths, position });
  };
}
