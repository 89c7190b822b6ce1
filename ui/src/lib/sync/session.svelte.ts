/**
 * Google accounts and background sync as the screens see them: the status the engine
 * pushes, the accounts, the progress of the running pass, and the actions (connect, sync
 * now, pause, interval, start at login, disconnect, snapshot). Events come from the engine;
 * nothing polls.
 */
import {
  connectGoogle,
  disconnectGoogle,
  getAutostart,
  getSyncStatus,
  listAccounts,
  onSyncEvent,
  setAutostart,
  setSyncInterval,
  setSyncPaused,
  snapshotGoogle,
  syncNow,
  toApiError,
  type AccountDto,
  type ApiError,
  type BackgroundEvent,
  type SyncStatus,
  type SyncSummary,
} from '../backend';
import { applySyncEvent, initialView, type SyncView } from './model';

export class SyncSession {
  status = $state.raw<SyncStatus | null>(null);
  accounts = $state.raw<AccountDto[]>([]);
  /** Whether Kindred starts at login; null until known. */
  autostart = $state<boolean | null>(null);
  /** The status, accounts and autostart have been asked for once and answered (or failed). */
  loaded = $state(false);
  /** The running pass, or the last one to finish. */
  view = $state.raw<SyncView>(initialView());
  /** The browser sign-in is under way. */
  connecting = $state(false);
  /** The last action that failed, with what was being done. */
  failure = $state.raw<{ action: string; error: ApiError } | null>(null);
  /** The account an action (snapshot, disconnect) is running for. */
  busy = $state<string | null>(null);
  /** Called when a pass finishes, so the app can refresh what the store holds. */
  onfinished: ((summary: SyncSummary) => void) | null = null;

  #listening: Promise<() => void> | null = null;

  /** Starts listening to the engine and loads the status and accounts; once is enough. */
  async start(): Promise<void> {
    this.#listening ??= onSyncEvent((event) => this.#receive(event));
    await this.#listening;
    await this.refresh();
  }

  /** Stops listening. */
  async stop(): Promise<void> {
    const listening = this.#listening;
    this.#listening = null;
    (await listening)?.();
  }

  async refresh(): Promise<void> {
    try {
      const [status, accounts, autostart] = await Promise.all([getSyncStatus(), listAccounts(), getAutostart()]);
      this.status = status;
      this.accounts = accounts;
      this.autostart = autostart;
    } catch (error) {
      this.failure = { action: 'Loading the accounts', error: toApiError(error) };
    } finally {
      this.loaded = true;
    }
  }

  async refreshAccounts(): Promise<void> {
    try {
      this.accounts = await listAccounts();
    } catch (error) {
      this.failure = { action: 'Loading the accounts', error: toApiError(error) };
    }
  }

  #receive(event: BackgroundEvent) {
    if (event.kind === 'status') {
      this.status = event.status;
      return;
    }
    // The search index's progress is the Assistant screen's.
    if (event.kind === 'indexing') return;
    this.view = applySyncEvent(this.view, event.event);
    if (event.event.kind === 'finished') {
      // The status comes by its own event; a status read now could be older than it.
      void this.refreshAccounts();
      this.onfinished?.(event.event.summary);
    }
  }

  async #act(action: string, run: () => Promise<unknown>): Promise<boolean> {
    this.failure = null;
    try {
      await run();
      return true;
    } catch (error) {
      this.failure = { action, error: toApiError(error) };
      return false;
    }
  }

  /** Signs in through the browser; the first sync follows by itself. */
  async connect(): Promise<boolean> {
    if (this.connecting) return false;
    this.connecting = true;
    this.view = initialView();
    try {
      return await this.#act('Connecting Google', async () => {
        await connectGoogle();
        await this.refreshAccounts();
      });
    } finally {
      this.connecting = false;
    }
  }

  syncNow(): Promise<boolean> {
    return this.#act('Starting a sync', async () => {
      this.status = await syncNow();
    });
  }

  setPaused(paused: boolean): Promise<boolean> {
    return this.#act(paused ? 'Pausing sync' : 'Resuming sync', async () => {
      this.status = await setSyncPaused(paused);
    });
  }

  setInterval(minutes: number): Promise<boolean> {
    return this.#act('Changing the sync interval', async () => {
      this.status = await setSyncInterval(minutes);
    });
  }

  setAutostart(enabled: boolean): Promise<boolean> {
    return this.#act(enabled ? 'Turning on start at login' : 'Turning off start at login', async () => {
      this.autostart = await setAutostart(enabled);
    });
  }

  async #forAccount(email: string, action: string, run: () => Promise<unknown>): Promise<boolean> {
    this.busy = email;
    try {
      return await this.#act(action, async () => {
        await run();
        await this.refreshAccounts();
      });
    } finally {
      this.busy = null;
    }
  }

  disconnect(email: string): Promise<boolean> {
    return this.#forAccount(email, `Disconnecting ${email}`, () => disconnectGoogle(email));
  }

  snapshot(email: string): Promise<boolean> {
    this.view = initialView();
    return this.#forAccount(email, `The snapshot of ${email}`, () => snapshotGoogle(email));
  }
}
