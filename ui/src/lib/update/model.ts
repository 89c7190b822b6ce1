/**
 * The update banner's states and how install progress moves them: pure, so Vitest covers
 * every step without a window.
 */
import type { ApiError, UpdateInfo, UpdateProgress } from '../backend';

export type UpdateView =
  | { kind: 'idle' }
  /** The person asked; the server is being asked. */
  | { kind: 'checking' }
  /** The person asked and this is the newest version. */
  | { kind: 'latest' }
  /** An update is on offer: what is new, and the person's choice. */
  | { kind: 'available'; update: UpdateInfo }
  /** Consented: downloading (`total` when the server said), then checking the signature. */
  | { kind: 'installing'; update: UpdateInfo; downloaded: number; total: number | null; verifying: boolean }
  /** Installed: Kindred is restarting into `version`. */
  | { kind: 'restarting'; version: string }
  | { kind: 'failed'; during: 'check' | 'install'; error: ApiError; update: UpdateInfo | null };

export const IDLE: UpdateView = { kind: 'idle' };

/** The view once the person consented to install `update`. */
export function startInstall(update: UpdateInfo): UpdateView {
  return { kind: 'installing', update, downloaded: 0, total: null, verifying: false };
}

/** The view after `event`; progress outside an install changes nothing. */
export function applyUpdateProgress(view: UpdateView, event: UpdateProgress): UpdateView {
  switch (event.kind) {
    case 'downloading':
      return view.kind === 'installing'
        ? { ...view, downloaded: event.downloaded, total: event.total, verifying: false }
        : view;
    case 'verifying':
      return view.kind === 'installing' ? { ...view, verifying: true } : view;
    case 'restarting':
      return { kind: 'restarting', version: event.version };
  }
}

/** How much of the download has arrived, in [0, 1]; null while the size is unknown. */
export function downloadFraction(downloaded: number, total: number | null): number | null {
  if (total === null || total <= 0) return null;
  return Math.min(1, downloaded / total);
}

/** Whether a look for updates may start now: not while one is being installed. */
export function canCheck(view: UpdateView): boolean {
  return view.kind !== 'installing' && view.kind !== 'restarting' && view.kind !== 'checking';
}
