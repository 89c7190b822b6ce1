/**
 * Whether the window holds work the person has not saved, as the shell needs to know it: a
 * closed window is let go after a while (its web processes end) unless it holds some, so
 * nothing typed is lost. Each place where the person types something not yet saved is a
 * named holder, dirty or clean; the shell hears only when the first holder becomes dirty
 * and when the last becomes clean, not on every keystroke.
 */
import { setUnsavedWork, toApiError } from '../backend';

/** The places that can hold unsaved work. */
export type UnsavedHolder = 'rule' | 'question' | 'task' | 'llm-settings' | 'extraction-label';

export class UnsavedWork {
  // Not reactive on purpose: `track`'s effects read and change it, and each must re-run only
  // when its own holder's answer changes.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #dirty = new Set<UnsavedHolder>();
  /** What the shell was last told, so that only changes are sent. */
  #told = false;
  /** The calls in order: a quick "unsaved" then "saved" must not arrive the other way round. */
  #sending: Promise<void> = Promise.resolve();

  /** Whether any holder is dirty. */
  get any(): boolean {
    return this.#dirty.size > 0;
  }

  /** `holder` now holds unsaved work (`dirty`) or not; resolves once the shell heard every change so far. */
  mark(holder: UnsavedHolder, dirty: boolean): Promise<void> {
    if (dirty) this.#dirty.add(holder);
    else this.#dirty.delete(holder);
    const unsaved = this.any;
    if (unsaved === this.#told) return this.#sending;
    this.#told = unsaved;
    this.#sending = this.#sending.then(() => tell(unsaved));
    return this.#sending;
  }

  /**
   * Keeps `holder` dirty while `dirty()` holds, for as long as the component (or effect root)
   * calling this lives: once it is gone, the holder is clean. Call it while the component
   * initialises.
   */
  track(holder: UnsavedHolder, dirty: () => boolean): void {
    // Derived, so the effect runs when the answer changes rather than on every keystroke.
    const holding = $derived(dirty());
    $effect(() => {
      void this.mark(holder, holding);
      return () => void this.mark(holder, false);
    });
  }
}

// A failure costs only the window being let go while closed; the screen goes on.
async function tell(unsaved: boolean): Promise<void> {
  try {
    await setUnsavedWork(unsaved);
  } catch (error) {
    const holds = unsaved ? 'holds' : 'no longer holds';
    console.warn(`Could not tell the shell the window ${holds} unsaved work: ${toApiError(error).message}`);
  }
}

/** The window's one record of unsaved work. */
export const unsavedWork = new UnsavedWork();
