import { describe, expect, it } from 'vitest';
import type { UpdateInfo } from '../backend';
import { IDLE, applyUpdateProgress, canCheck, downloadFraction, startInstall } from './model';

const UPDATE: UpdateInfo = {
  version: '0.2.0',
  current_version: '0.1.0',
  notes: 'Faster sync.',
  date: '2026-11-20T09:30:00Z',
};

describe('update progress', () => {
  it('goes from the download through the signature check to the restart', () => {
    let view = startInstall(UPDATE);
    view = applyUpdateProgress(view, { kind: 'downloading', downloaded: 1_000, total: 4_000 });
    expect(view).toEqual({ kind: 'installing', update: UPDATE, downloaded: 1_000, total: 4_000, verifying: false });
    view = applyUpdateProgress(view, { kind: 'downloading', downloaded: 4_000, total: 4_000 });
    view = applyUpdateProgress(view, { kind: 'verifying' });
    expect(view).toMatchObject({ kind: 'installing', downloaded: 4_000, verifying: true });
    view = applyUpdateProgress(view, { kind: 'restarting', version: '0.2.0' });
    expect(view).toEqual({ kind: 'restarting', version: '0.2.0' });
  });

  it('ignores download progress when nothing is being installed', () => {
    expect(applyUpdateProgress(IDLE, { kind: 'downloading', downloaded: 5, total: 10 })).toBe(IDLE);
    expect(applyUpdateProgress(IDLE, { kind: 'verifying' })).toBe(IDLE);
  });

  it('measures the download only when its size is known', () => {
    expect(downloadFraction(250, 1_000)).toBe(0.25);
    expect(downloadFraction(250, null)).toBeNull();
    expect(downloadFraction(250, 0)).toBeNull();
    expect(downloadFraction(2_000, 1_000)).toBe(1);
  });

  it('does not look for updates while one is being installed', () => {
    expect(canCheck(IDLE)).toBe(true);
    expect(canCheck({ kind: 'available', update: UPDATE })).toBe(true);
    expect(canCheck({ kind: 'checking' })).toBe(false);
    expect(canCheck(startInstall(UPDATE))).toBe(false);
    expect(canCheck({ kind: 'restarting', version: '0.2.0' })).toBe(false);
  });
});
