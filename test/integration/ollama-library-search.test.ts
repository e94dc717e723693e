import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { QWEN_MODELS, startFakeOllamaLibrary, type FakeOllamaLibrary } from '../fixtures/fake-ollama-library';
import { createTestApp, NOTHING_LISTENING_URL, type TestApp } from '../helpers/app-harness';

// Issue #13 item 4: suggestions from ollama.com/library in the pull box, degraded to free text offline.
let lib: FakeOllamaLibrary;
let h: TestApp | undefined;

beforeAll(async () => {
  lib = await startFakeOllamaLibrary(QWEN_MODELS);
});
afterAll(() => lib.close());
afterEach(async () => {
  await h?.close();
  lib.requests.length = 0;
  lib.failWith(null);
});

function app(): TestApp {
  h = createTestApp({ ollamaUrl: NOTHING_LISTENING_URL, env: { SWITCHBOARD_OLLAMA_LIBRARY_URL: lib.url } });
  return h;
}

describe('localModels.searchLibrary', () => {
  it("reads ollama.com's search fragment (q, Hx-Request: true) into suggestions, cached per query", async () => {
    const t = app();
    const r = await t.app.call('localModels.searchLibrary', { query: 'Qwen' });
    expect(r.available).toBe(true);
    expect(r.results.map((m) => m.name)).toEqual(['qwen3', 'qwen2.5-coder', 'qwen2.5vl', 'qwen3-embedding']);
    expect(r.results[1]).toEqual({
      name: 'qwen2.5-coder',
      description: QWEN_MODELS[1]!.description,
      capabilities: ['tools'],
      sizes: ['0.5b', '1.5b', '3b', '7b', '14b', '32b'],
      pulls: '6.4M',
      updated: '4 months ago',
    });
    expect(lib.requests).toEqual([{ path: '/search', q: 'qwen', c: null, hxRequest: 'true' }]);
    await t.app.call('localModels.searchLibrary', { query: 'qwen' });
    expect(lib.requests).toHaveLength(1);
    const granite = await t.app.call('localModels.searchLibrary', { query: 'granite' });
    expect(granite.results).toEqual([expect.objectContaining({ name: 'granite3.2-vision', capabilities: ['vision', 'tools'], sizes: ['2b'], pulls: '27.7K', updated: '3 weeks ago' })]);
    expect(lib.requests).toHaveLength(2);
  });

  it('no match is an empty list, still available', async () => {
    const r = await app().app.call('localModels.searchLibrary', { query: 'zzznothing' });
    expect(r).toEqual({ available: true, results: [] });
  });

  it('an error page (500) is "unavailable" with the reason, and is not cached', async () => {
    const t = app();
    lib.failWith(500);
    const r = await t.app.call('localModels.searchLibrary', { query: 'qwen' });
    expect(r).toEqual({ available: false, reason: 'ollama.com answered HTTP 500', results: [] });
    lib.failWith(null);
    expect((await t.app.call('localModels.searchLibrary', { query: 'qwen' })).available).toBe(true);
    expect(lib.requests).toHaveLength(2);
  });

  it('offline mode: unavailable, and no request is made', async () => {
    const t = app();
    t.app.services.settings.update({ offlineMode: true });
    const r = await t.app.call('localModels.searchLibrary', { query: 'qwen' });
    expect(r).toEqual({ available: false, reason: 'offline', results: [] });
    expect(lib.requests).toEqual([]);
  });
});
