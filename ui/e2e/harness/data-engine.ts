/**
 * The mocked engine's "your data" commands: the diagnostics and their report, and an
 * export that streams its progress through the real `Channel` protocol.
 */
import type { Channel } from '@tauri-apps/api/core';
import type { DoctorReport, ExportProgress, ExportSummary } from '../../src/lib/backend/bindings';

declare global {
  interface Window {
    __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void };
  }
}

export type DataAnswer = { handled: true; value: unknown } | { handled: false };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const DIAGNOSTICS: DoctorReport = {
  healthy: true,
  version: '0.1.0',
  data_dir: '~/.local/share/app.kindred.desktop',
  checks: [
    { name: 'secret_store', status: 'ok', detail: 'the system keyring holds the database key', hint: null },
    { name: 'database', status: 'ok', detail: 'integrity ok, 12.4 MB', hint: null },
    {
      name: 'llm',
      status: 'skipped',
      detail: 'not configured',
      hint: 'set an OpenAI-compatible endpoint to write stories and answer with a model',
    },
  ],
};

export const REPORT = 'Kindred 0.1.0\nsecret_store: ok\ndatabase: ok\nllm: skipped (not configured)';

export function exportSummary(directory: string): ExportSummary {
  return {
    directory, messages: 5120, events: 212, people: 340, organizations: 41, accounts: 1, rules: 2, tasks: 3,
    stories: 0, activity: 17, files: ['messages.mbox', 'events.ics', 'people.vcf', 'people.json'],
  };
}

/** Creates the data part of the mocked engine. */
export function dataEngine(): (cmd: string, args: Record<string, unknown>) => Promise<DataAnswer> {
  return async (cmd, args) => {
    switch (cmd) {
      case 'get_diagnostics':
        return { handled: true, value: DIAGNOSTICS };
      case 'get_diagnostics_report':
        return { handled: true, value: REPORT };
      case 'export_data': {
        const channel = args.onProgress as Channel<ExportProgress>;
        const directory = args.directory as string;
        let index = 0;
        const send = (message: ExportProgress) => {
          window.__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
          index += 1;
        };
        const summary = exportSummary(directory);
        send({ kind: 'started', directory, messages: summary.messages, events: summary.events });
        for (const done of [2000, 4000, summary.messages]) {
          await sleep(300);
          send({ kind: 'progress', part: 'messages', done, total: summary.messages });
        }
        send({ kind: 'finished', summary });
        window.__TAURI_INTERNALS__.runCallback(channel.id, { index, end: true });
        return { handled: true, value: summary };
      }
      default:
        return { handled: false };
    }
  };
}
