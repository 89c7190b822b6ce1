import { beforeEach, describe, expect, it, vi } from 'vitest';
import { UpdateSession } from './update.svelte';

// The engine as the session sees it: whether the tray's request waits (or asking fails),
// and every look asked for, by `scheduled`.
let request: boolean | Error = false;
const looks: boolean[] = [];

vi.mock('../backend', () => ({
  onUpdateCheckRequested: () => Promise.resolve(() => {}),
  takeUpdateCheckRequest: () => (request instanceof Error ? Promise.reject(request) : Promise.resolve(request)),
  checkForUpdate: (scheduled: boolean) => {
    looks.push(scheduled);
    return Promise.resolve(null);
  },
  installUpdate: () => Promise.resolve(),
  toApiError: (error: unknown) => ({ code: 'internal', message: String(error) }),
}));

beforeEach(() => {
  request = false;
  looks.length = 0;
  vi.restoreAllMocks();
});

describe('UpdateSession.start', () => {
  it('makes the person’s look when the tray asked before the window was there', async () => {
    request = true;
    const session = new UpdateSession();
    await session.start();
    expect(looks).toEqual([false]);
    expect(session.view.kind, 'the person hears that there is nothing newer').toBe('latest');
  });

  it('makes the scheduled look, quiet when there is nothing newer, when the tray did not ask', async () => {
    const session = new UpdateSession();
    await session.start();
    expect(looks).toEqual([true]);
    expect(session.view.kind).toBe('idle');
  });

  it('falls back to the scheduled look when asking about the request fails', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    request = new Error('the shell is gone');
    const session = new UpdateSession();
    await session.start();
    expect(looks).toEqual([true]);
    expect(warn).toHaveBeenCalledOnce();
  });
});
