/**
 * The Activity screen's state: the log as the engine filters it, newest first, and the
 * actors seen so far (so the filter keeps offering them while another is chosen). A reply
 * to a filter since changed is dropped.
 */
import { listActivity, toApiError, type ActivityEntry, type ApiError } from '../backend';
import { activityFilter, actorOptions, type ActivityChoice } from './model';

export class ActivityState {
  /** The entries for `choice`, newest first; null while the first load runs. */
  entries = $state.raw<ActivityEntry[] | null>(null);
  error = $state.raw<ApiError | null>(null);
  choice = $state.raw<ActivityChoice>({ actor: null, failedOnly: false });
  /** A load is under way (the previous entries stay shown meanwhile). */
  loading = $state(false);
  /** Every actor the filter offers. */
  actors = $state.raw<string[]>(actorOptions([]));

  #request = 0;

  async load(): Promise<void> {
    const request = (this.#request += 1);
    const choice = this.choice;
    this.loading = true;
    try {
      const entries = await listActivity(activityFilter(choice));
      if (request !== this.#request) return;
      this.entries = entries;
      this.error = null;
      this.actors = actorOptions([...this.actors, ...entries.map((entry) => entry.actor)]);
    } catch (error) {
      if (request === this.#request) this.error = toApiError(error);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  async choose(choice: Partial<ActivityChoice>): Promise<void> {
    this.choice = { ...this.choice, ...choice };
    await this.load();
  }
}
