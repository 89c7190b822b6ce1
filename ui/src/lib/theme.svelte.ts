/**
 * The theme in force, on the root element's `data-theme` (app.css keys its colours on
 * it): the system's light or dark, followed as it changes, unless the person chose one in
 * Settings. The choice is kept in the webview's local storage, read synchronously at
 * start so the first paint already has it.
 */
import { parseThemeChoice, resolveTheme, type Theme, type ThemeChoice } from './theme';

const STORAGE_KEY = 'kindred.theme';

class ThemeState {
  choice = $state<ThemeChoice>('system');
  /** The theme in force. */
  current = $state<Theme>('light');
  #system: MediaQueryList | null = null;

  /** Reads the stored choice, applies it and follows the system's preference. Once. */
  start(): void {
    if (this.#system !== null) return;
    this.choice = parseThemeChoice(readStored());
    this.#system = window.matchMedia('(prefers-color-scheme: dark)');
    this.#system.addEventListener('change', () => this.#apply());
    this.#apply();
  }

  choose(choice: ThemeChoice): void {
    this.choice = choice;
    try {
      localStorage.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage refused (a private or full profile): the choice holds until the app closes.
    }
    this.#apply();
  }

  #apply(): void {
    this.current = resolveTheme(this.choice, this.#system?.matches ?? false);
    document.documentElement.dataset.theme = this.current;
  }
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The app's one theme. */
export const theme = new ThemeState();
