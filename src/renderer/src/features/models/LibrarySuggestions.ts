import { useEffect, useState } from 'react';
import type { LibrarySearch } from '../../../../shared/contract';
import { client } from '../../client/switchboard-client';

export interface Suggestion {
  /** What picking it puts in the box: `name` or `name:size`. */
  value: string;
  detail: string;
}

/** The library query a typed name asks for: plain names only (not hf.co/…, not user/model). */
export function libraryQuery(typed: string): string | null {
  const t = typed.trim().replace(/^ollama\//, '');
  if (!t || t.includes('/') || /\s/.test(t)) return null;
  const q = t.split(':')[0]!;
  return q.length >= 2 ? q : null;
}

/** Up to 8 options: the matching models; once a name and `:` are typed, that model's sizes. */
export function suggestionsFor(typed: string, search: LibrarySearch | null): Suggestion[] {
  if (!search?.available) return [];
  const t = typed.trim().replace(/^ollama\//, '');
  const [base, tag] = t.split(':') as [string, string | undefined];
  const exact = search.results.find((r) => r.name === base);
  const sizes = (m: NonNullable<typeof exact>, prefix: string): Suggestion[] =>
    m.sizes.filter((s) => s.startsWith(prefix) && `${m.name}:${s}` !== t).map((s) => ({ value: `${m.name}:${s}`, detail: m.description }));
  if (tag !== undefined) return exact ? sizes(exact, tag).slice(0, 8) : [];
  const models = search.results.map((r) => ({
    value: r.name,
    detail: [r.sizes.length ? r.sizes.join(', ') : null, r.capabilities.join(', ') || null, r.pulls ? `${r.pulls} pulls` : null].filter(Boolean).join(' · '),
  }));
  // A whole name typed (or picked): its sizes first, then the other matches.
  return [...(exact ? sizes(exact, '') : []), ...models.filter((m) => m.value !== t)].slice(0, 8);
}

/** Debounced `localModels.searchLibrary` for the typed name; null while nothing was asked (or for hf.co/… names). */
export function useLibrarySearch(typed: string): LibrarySearch | null {
  const query = libraryQuery(typed);
  const [state, setState] = useState<{ query: string; result: LibrarySearch } | null>(null);
  useEffect(() => {
    if (!query) return;
    let live = true;
    const timer = setTimeout(() => {
      client()
        .invoke('localModels.searchLibrary', { query })
        .then((result) => live && setState({ query, result }))
        .catch((error: unknown) => live && setState({ query, result: { available: false, reason: (error as Error).message, results: [] } }));
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query]);
  // While the next query is on its way, the last answer stays (no flicker as the user types).
  return query && state ? state.result : null;
}
