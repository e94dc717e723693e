import type { SavedPrompt } from '../../../../shared/contract';

/**
 * Issue #14: `/` at the start of the composer opens the prompt library; the text after it filters
 * by name (then by text). Null: the menu is closed (no slash, a second line, or nothing saved).
 */
export function promptMatches(text: string, prompts: readonly SavedPrompt[]): SavedPrompt[] | null {
  if (!text.startsWith('/') || text.includes('\n') || prompts.length === 0) return null;
  const query = text.slice(1).trim().toLowerCase();
  if (!query) return [...prompts];
  const byName = prompts.filter((p) => p.name.toLowerCase().includes(query));
  const byText = prompts.filter((p) => !byName.includes(p) && p.text.toLowerCase().includes(query));
  return [...byName, ...byText];
}
