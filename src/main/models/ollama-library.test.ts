import { describe, expect, it } from 'vitest';
import { OllamaLibrarySearch, parseLibrarySearch } from './ollama-library';

// The markup of ollama.com/search's results fragment (Hx-Request: true), as its `x-test-*` attributes mark it.
const fragment = `<ul role="list" class="grid grid-cols-1 gap-y-3">
<li x-test-model class="flex items-baseline border-b border-neutral-200 py-6">
  <a href="/library/granite3.2-vision" class="group w-full">
    <div class="flex flex-col mb-1" title="granite3.2-vision">
      <h2 class="truncate text-xl font-medium"><span x-test-search-response-title>granite3.2-vision</span></h2>
      <p class="max-w-lg break-words text-neutral-800 text-md">A compact and efficient vision-language model, specifically designed for visual document understanding &amp; more.</p>
    </div>
    <div class="flex flex-col">
      <div class="flex flex-wrap space-x-2">
        <span x-test-capability class="inline-flex rounded-md">vision</span>
        <span x-test-capability class="inline-flex rounded-md">tools</span>
        <span x-test-size class="inline-flex rounded-md">2b</span>
      </div>
      <p class="my-1 flex space-x-5 text-[13px]">
        <span class="flex items-center"><svg viewBox="0 0 24 24"><path d="M3 16.5v2.25"/></svg><span x-test-pull-count>27.7K</span>&nbsp;<span>Pulls</span></span>
        <span class="flex items-center"><span x-test-tag-count>5</span>&nbsp;<span>Tags</span></span>
        <span class="flex items-center" title="Jan 1"><span class="hidden sm:flex">Updated&nbsp;</span><span x-test-updated>3 weeks ago</span></span>
      </p>
    </div>
  </a>
</li>
<li x-test-model class="flex items-baseline">
  <a href="/library/all-minilm" class="group w-full">
    <h2><span x-test-search-response-title>all-minilm</span></h2>
    <p class="max-w-lg">Embedding models on very large sentence level datasets.</p>
    <span x-test-capability>embedding</span>
    <span x-test-size>22m</span><span x-test-size>33m</span>
  </a>
</li>
<li x-test-model><a href="/library/nomic-embed-text"><p>No title span here.</p></a></li>
</ul>`;

describe('parseLibrarySearch', () => {
  it('reads name, description, capabilities, sizes, pulls and updated by their x-test-* attributes', () => {
    expect(parseLibrarySearch(fragment)).toEqual([
      { name: 'granite3.2-vision', description: 'A compact and efficient vision-language model, specifically designed for visual document understanding & more.', capabilities: ['vision', 'tools'], sizes: ['2b'], pulls: '27.7K', updated: '3 weeks ago' },
      // Missing fields are tolerated: no pull count, no updated.
      { name: 'all-minilm', description: 'Embedding models on very large sentence level datasets.', capabilities: ['embedding'], sizes: ['22m', '33m'], pulls: null, updated: null },
      // No title span: the name comes from the /library/ link.
      { name: 'nomic-embed-text', description: 'No title span here.', capabilities: [], sizes: [], pulls: null, updated: null },
    ]);
  });

  it('finds nothing in a page without result markup', () => {
    expect(parseLibrarySearch('<!doctype html><html><body><h1>Sign in</h1></body></html>')).toEqual([]);
    expect(parseLibrarySearch('')).toEqual([]);
  });

  it('skips an entry whose name is not a model name', () => {
    expect(parseLibrarySearch('<li x-test-model><span x-test-search-response-title>two words</span></li>')).toEqual([]);
  });
});

describe('OllamaLibrarySearch', () => {
  it('offline: unavailable without calling fetch', async () => {
    let calls = 0;
    const search = new OllamaLibrarySearch({ fetch: (() => (calls++, Promise.reject(new Error('no')))) as typeof fetch, isOffline: () => true });
    expect(await search.search('qwen')).toEqual({ available: false, reason: 'offline', results: [] });
    expect(calls).toBe(0);
  });

  it('caches a query for a few minutes, then asks again', async () => {
    let calls = 0;
    let now = 0;
    const fetch = (async () => (calls++, new Response(fragment, { status: 200 }))) as typeof globalThis.fetch;
    const search = new OllamaLibrarySearch({ fetch, now: () => now });
    expect((await search.search('granite')).results.map((r) => r.name)).toEqual(['granite3.2-vision', 'all-minilm', 'nomic-embed-text']);
    await search.search(' Granite ');
    expect(calls).toBe(1);
    now += 6 * 60_000;
    await search.search('granite');
    expect(calls).toBe(2);
  });

  it('a page with result markup it cannot read is "unavailable", not "no models"', async () => {
    const fetch = (async () => new Response('<li x-test-model><em>changed</em></li>', { status: 200 })) as typeof globalThis.fetch;
    const r = await new OllamaLibrarySearch({ fetch }).search('qwen');
    expect(r.available).toBe(false);
  });
});
