import type { LibrarySearch, LibrarySearchResult } from '../../shared/contract';

export const OLLAMA_LIBRARY_URL = 'https://ollama.com';
const TIMEOUT_MS = 8_000;
const CACHE_MS = 5 * 60_000;
const MAX_RESULTS = 8;

/**
 * ollama.com has no JSON search API: GET /search?q=… with `Hx-Request: true` answers the HTML
 * fragment of results, each `<li x-test-model>` marked with `x-test-*` attributes (the markup the
 * Ollama maintainers' own tools read). A tolerant parse: a missing field is left empty.
 */
export function parseLibrarySearch(html: string): LibrarySearchResult[] {
  const results: LibrarySearchResult[] = [];
  // Tags are matched with [^<>]* (never across another tag) so a hostile page cannot make the parse quadratic.
  const items = html.split(/<li\b[^<>]*\bx-test-model\b[^<>]*>/i).slice(1);
  for (const raw of items) {
    const item = raw.split(/<\/li>/i)[0] ?? raw;
    const title = texts(item, 'x-test-search-response-title')[0];
    const href = /<a\b[^<>]*\bhref="\/library\/([^"?#/]+)"/i.exec(item)?.[1];
    const name = (title || (href ? decodeHtml(href) : '')).trim();
    if (!name || !/^[\w.-]+(?:\/[\w.-]+)?$/.test(name)) continue;
    const description = /<p\b[^<>]*>([\s.\S]*?)<\/p>/i.exec(item)?.[1];
    results.push({
      name,
      description: description ? clean(description) : '',
      capabilities: texts(item, 'x-test-capability'),
      sizes: texts(item, 'x-test-size'),
      pulls: texts(item, 'x-test-pull-count')[0] ?? null,
      updated: texts(item, 'x-test-updated')[0] ?? null,
    });
  }
  return results;
}

function texts(html: string, attr: string): string[] {
  const re = new RegExp(`<(\\w+)\\b[^<>]*\\b${attr}\\b[^<>]*>([\\s\\S]*?)</\\1>`, 'gi');
  return [...html.matchAll(re)].map((m) => clean(m[2]!)).filter(Boolean);
}

function clean(html: string): string {
  return decodeHtml(html.replace(/<[^<>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

function decodeHtml(s: string): string {
  return s.replace(/&(#x[\da-f]+|#\d+|amp|lt|gt|quot|apos|#39);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k.startsWith('#')) {
      const code = k.startsWith('#x') ? parseInt(k.slice(2), 16) : Number(k.slice(1));
      return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
    }
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[k] ?? '';
  });
}

/** Search of the Ollama library for the pull box: cached per query; offline or failing, "unavailable" and free text still works. */
const MAX_PAGE_CHARS = 512_000;

export class OllamaLibrarySearch {
  private readonly cache = new Map<string, { at: number; value: LibrarySearch }>();
  constructor(private readonly deps: { fetch?: typeof globalThis.fetch; baseUrl?: string; isOffline?: () => boolean; now?: () => number }) {}

  async search(query: string): Promise<LibrarySearch> {
    const q = query.trim().toLowerCase();
    if (!q) return { available: true, results: [] };
    if (this.deps.isOffline?.()) return { available: false, reason: 'offline', results: [] };
    if (!this.deps.fetch) return { available: false, reason: 'unavailable', results: [] };
    const now = (this.deps.now ?? Date.now)();
    const hit = this.cache.get(q);
    if (hit && now - hit.at < CACHE_MS) return hit.value;
    const base = (this.deps.baseUrl ?? OLLAMA_LIBRARY_URL).replace(/\/+$/, '');
    let value: LibrarySearch;
    try {
      const res = await this.deps.fetch(`${base}/search?q=${encodeURIComponent(q)}`, {
        headers: { 'Hx-Request': 'true', Accept: 'text/html' },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.status !== 200) {
        await res.body?.cancel().catch(() => undefined);
        return { available: false, reason: `ollama.com answered HTTP ${res.status}`, results: [] };
      }
      // A results fragment is a few tens of KB; a page far larger is not one (and is not parsed).
      const html = (await res.text()).slice(0, MAX_PAGE_CHARS);
      const results = parseLibrarySearch(html);
      // A page with no result markup at all is a changed page, not "no models".
      if (results.length === 0 && /\bx-test-model\b/i.test(html)) return { available: false, reason: 'the search page could not be read', results: [] };
      value = { available: true, results: results.slice(0, MAX_RESULTS) };
    } catch (error) {
      const offline = (error as { code?: string }).code === 'offline';
      return { available: false, reason: offline ? 'offline' : `ollama.com could not be reached (${(error as Error).message})`, results: [] };
    }
    this.cache.set(q, { at: now, value });
    if (this.cache.size > 200) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}
