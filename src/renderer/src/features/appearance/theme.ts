import type { Settings } from '../../../../shared/contract';

export type Theme = Settings['theme'];
const THEME_KEY = 'switchboard.theme';

/**
 * Applies a theme at once (no reload): `data-theme` on <html> picks the palette in styles.css;
 * `system` leaves it to prefers-color-scheme. Kept in localStorage too, so the next start paints
 * in the right colours before the settings have loaded.
 */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(THEME_KEY, theme);
}

/** The theme of the last run, for the first paint. */
export function rememberedTheme(): Theme {
  const saved = localStorage.getItem(THEME_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

const SIDEBAR_KEY = 'switchboard.sidebarHidden';

export function rememberedSidebarHidden(): boolean {
  return localStorage.getItem(SIDEBAR_KEY) === '1';
}

export function rememberSidebarHidden(hidden: boolean): void {
  localStorage.setItem(SIDEBAR_KEY, hidden ? '1' : '0');
}
