/**
 * One piece of data a screen loads from the engine: its status, the value once loaded, or
 * the error. Loads are de-duplicated (a second `load` while one runs returns the same
 * promise) and the value stays on screen while it reloads, so switching screens back and
 * forth neither refetches nor flashes skeletons.
 */
import { toApiError, type ApiError } from '../backend';

export class Resource<T> {
  status = $state<'idle' | 'loading' | 'ready' | 'failed'>('idle');
  value = $state.raw<T | null>(null);
  error = $state.raw<ApiError | null>(null);

  readonly #fetch: () => Promise<T>;
  #running: Promise<void> | null = null;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** Loads unless already loaded or loading. Never rejects: failures land in `error`. */
  ensure(): Promise<void> {
    if (this.status === 'ready') return Promise.resolve();
    return this.load();
  }

  /** Loads (again). Never rejects: failures land in `error`. */
  load(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Forgets the value, so the next `ensure` fetches afresh (new evidence arrived). */
  invalidate(): void {
    if (this.status === 'ready') this.status = 'idle';
  }

  async #run(): Promise<void> {
    this.status = 'loading';
    try {
      this.value = await this.#fetch();
      this.error = null;
      this.status = 'ready';
    } catch (error) {
      this.error = toApiError(error);
      this.status = 'failed';
    }
  }
}
