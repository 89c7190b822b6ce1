/**
 * The theme's pure part: the choices (the system's, light, dark), reading a stored
 * choice, and the theme in force for a choice and the system's preference.
 */

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

export const THEME_LABELS: Record<ThemeChoice, string> = {
  system: 'Same as the system',
  light: 'Light',
  dark: 'Dark',
};

/** A stored choice, or the system's for anything else (nothing stored, or garbage). */
export function parseThemeChoice(value: string | null): ThemeChoice {
  return (THEME_CHOICES as readonly (string | null)[]).includes(value) ? (value as ThemeChoice) : 'system';
}

/** The theme in force: the chosen one, or the system's. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}
