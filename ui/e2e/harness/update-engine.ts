/**
 * The mocked engine's updater: `check_for_update` answers from `window.__KINDRED_UPDATE__`,
 * and `install_update` streams its progress through the real `Channel` protocol, holding
 * after the first quarter of the download until the spec releases it, then is refused
 * or says Kindred restarts. The tray's request is left for the window to take and emitted,
 * as the shell does both.
 */
import type { Channel } from '@tauri-apps/api/core';
import { emit } from '@tauri-apps/api/event';
import type { UpdateProgress } from '../../src/lib/backend/bindings';
import { updateScenario } from '../update-scenario';

export type UpdateAnswer = { handled: true; value: unknown } | { handled: false };

/** Creates the updater part of the mocked engine. */
export function updateEngine(): (cmd: string, args: Record<string, unknown>) => Promise<UpdateAnswer> {
  const scenario = window.__KINDRED_UPDATE__ ?? updateScenario();
  const released = new Promise<void>((resolve) => {
    window.__KINDRED_RELEASE_UPDATE__ = resolve;
  });
  let requested = scenario.requestedBeforeStart;
  window.__KINDRED_REQUEST_UPDATE_CHECK__ = () => {
    requested = true;
    return emit('update-check-requested');
  };

  const install = async (channel: Channel<UpdateProgress>, version: string): Promise<null> => {
    let index = 0;
    const send = (message: UpdateProgress) => {
      window.__TAURI_INTERNALS__.runCallback(channel.id, { index, message });
      index += 1;
    };
    const total = scenario.bytes;
    send({ kind: 'downloading', downloaded: total / 4, total });
    await released;
    for (const quarter of [2, 3, 4]) send({ kind: 'downloading', downloaded: (total * quarter) / 4, total });
    send({ kind: 'verifying' });
    if (scenario.installError !== null) {
      window.__TAURI_INTERNALS__.runCallback(channel.id, { index, end: true });
      // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw scenario.installError;
    }
    send({ kind: 'restarting', version });
    window.__TAURI_INTERNALS__.runCallback(channel.id, { index, end: true });
    return null;
  };

  return async (cmd, args) => {
    switch (cmd) {
      case 'check_for_update': {
        if (args.scheduled === true) return { handled: true, value: scenario.onStart };
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        if (scenario.checkError !== null) throw scenario.checkError;
        return { handled: true, value: scenario.onRequest };
      }
      case 'take_update_check_request': {
        const taken = requested;
        requested = false;
        return { handled: true, value: taken };
      }
      case 'install_update':
        return {
          handled: true,
          value: await install(args.onProgress as Channel<UpdateProgress>, args.version as string),
        };
      default:
        return { handled: false };
    }
  };
}
