import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UnsavedWork } from './unsaved.svelte';

// Vitest runs Svelte's server build here, where effects do not run: `track` (typing, a
// screen going away) is tested through the screens in e2e/unsaved.spec.ts.

// What the shell was told, in order; a test can make the next calls fail, or hold the
// shell's answers until it lets them go.
const told: boolean[] = [];
let failing = false;
let held: (() => void)[] | null = null;

vi.mock('../backend', () => ({
  setUnsavedWork: (unsaved: boolean) => {
    told.push(unsaved);
    // Tauri rejects `invoke` with the command's serialised error as-is: a plain object.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    if (failing) return Promise.reject({ code: 'internal', message: 'the shell is gone' });
    const answers = held;
    return answers === null ? Promise.resolve() : new Promise<void>((answer) => answers.push(answer));
  },
  toApiError: (error: unknown) => error,
}));

beforeEach(() => {
  told.length = 0;
  failing = false;
  held = null;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('UnsavedWork', () => {
  it('tells the shell when the first holder becomes dirty and when the last becomes clean, once each', async () => {
    const work = new UnsavedWork();
    await work.mark('rule', true);
    expect(told, 'the first dirty holder says the window holds unsaved work').toEqual([true]);

    await work.mark('question', true);
    await work.mark('rule', true);
    expect(told, 'more dirty holders, or the same one again, say nothing new').toEqual([true]);

    await work.mark('rule', false);
    expect(told, 'a holder still dirty keeps the work unsaved').toEqual([true]);
    expect(work.any).toBe(true);

    await work.mark('question', false);
    await work.mark('question', false);
    expect(told, 'the last clean holder says so once').toEqual([true, false]);
    expect(work.any).toBe(false);
  });

  it('sends each change only once the shell has answered the one before, so they arrive in order', async () => {
    const answers: (() => void)[] = [];
    held = answers;
    const work = new UnsavedWork();
    void work.mark('task', true);
    void work.mark('task', false);
    const last = work.mark('task', true);
    await Promise.resolve();
    expect(told, 'the later changes wait for the first answer').toEqual([true]);

    held = null;
    answers.shift()?.();
    await last;
    expect(told).toEqual([true, false, true]);
  });

  it('warns, and never throws into the screen, when the shell cannot be told', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    failing = true;
    const work = new UnsavedWork();
    await expect(work.mark('llm-settings', true)).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    expect(String(warn.mock.calls[0]?.[0])).toContain('the shell is gone');

    failing = false;
    await work.mark('llm-settings', false);
    expect(told, 'the next change is still sent').toEqual([true, false]);
  });
});
