/**
 * Updates as the banner sees them: the look on start (the engine asks the server at most
 * once a day, and a failure then stays quiet: the next start tries again), the person's
 * own look from the tray's "Check for updates…" (also in a window the tray opened for it,
 * which takes the request on start), and the install they consent to, with its progress,
 * ending in Kindred's restart.
 */
import { checkForUpdate, installUpdate, onUpdateCheckRequested, takeUpdateCheckRequest, toApiError } from '../backend';
import { IDLE, applyUpdateProgress, canCheck, startInstall, type UpdateView } from './model';

export class UpdateSession {
  view = $state.raw<UpdateView>(IDLE);

  #listening: Promise<() => void> | null = null;

  /**
   * Listens for the tray's request, then makes the look on start: the person's own look when
   * the tray asked for one before this window was there to hear it, else the scheduled one.
   */
  async start(): Promise<void> {
    this.#listening ??= onUpdateCheckRequested(() => void this.#requested());
    await this.#listening;
    const requested = await takeRequest();
    await this.check(!requested);
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

  /** The tray asked while this window listened: the request is taken, so no later window makes the look again. */
  async #requested(): Promise<void> {
    await takeRequest();
    await this.check(false);
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

/** Whether the tray's request is waiting, taking it; a failure to ask counts as none. */
async function takeRequest(): Promise<boolean> {
  try {
    return await takeUpdateCheckRequest();
  } catch (error) {
    console.warn(`Could not ask whether the tray asked for a look for updates: ${toApiError(error).message}`);
    return false;
  }
}
