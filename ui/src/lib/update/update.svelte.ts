/**
 * Updates as the banner sees them: the look on start (the engine asks the server at most
 * once a day, and a failure then stays quiet: the next start tries again), the person's
 * own look from the tray's "Check for updates…", and the install they consent to, with
 * its progress, ending in Kindred's restart.
 */
import { checkForUpdate, installUpdate, onUpdateCheckRequested, toApiError } from '../backend';
import { IDLE, applyUpdateProgress, canCheck, startInstall, type UpdateView } from './model';

export class UpdateSession {
  view = $state.raw<UpdateView>(IDLE);

  #listening: Promise<() => void> | null = null;

  /** Listens for the tray's request, then makes the look on start. */
  async start(): Promise<void> {
    this.#listening ??= onUpdateCheckRequested(() => void this.check(false));
    await this.#listening;
    await this.check(true);
  }

  async stop(): Promise<void> {
    const listening = this.#listening;
    this.#listening = null;
    (await listening)?.();
  }

  /** Looks for an update; `scheduled` is the look on start, which shows only what it finds. */
  async check(scheduled: boolean): Promise<void> {
    if (!canCheck(this.view)) return;
    if (!scheduled) this.view = { kind: 'checking' };
    try {
      const update = await checkForUpdate(scheduled);
      if (update !== null) this.view = { kind: 'available', update };
      else if (!scheduled) this.view = { kind: 'latest' };
    } catch (error) {
      if (!scheduled) this.view = { kind: 'failed', during: 'check', error: toApiError(error), update: null };
    }
  }

  /** Installs the update on offer: the person clicked "Install and restart". */
  async install(): Promise<void> {
    if (this.view.kind !== 'available') return;
    const update = this.view.update;
    this.view = startInstall(update);
    try {
      await installUpdate(update.version, (event) => {
        this.view = applyUpdateProgress(this.view, event);
      });
      this.view = { kind: 'restarting', version: update.version };
    } catch (error) {
      this.view = { kind: 'failed', during: 'install', error: toApiError(error), update };
    }
  }

  dismiss(): void {
    if (this.view.kind !== 'installing' && this.view.kind !== 'restarting') this.view = IDLE;
  }
}
