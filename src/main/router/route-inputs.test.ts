import { describe, expect, it } from 'vitest';
import { isEmbeddingModel, RouteInputs } from './route-inputs';

describe('isEmbeddingModel', () => {
  it('knows embedding models by name or BERT-family architecture, so Auto never chats with one', () => {
    expect(isEmbeddingModel({ name: 'nomic-embed-text:latest', family: 'nomic-bert' })).toBe(true);
    expect(isEmbeddingModel({ name: 'bge-m3:latest', family: 'bert' })).toBe(true);
    expect(isEmbeddingModel({ name: 'mxbai-embed-large:latest', family: null })).toBe(true);
    expect(isEmbeddingModel({ name: 'qwen2.5-coder:7b', family: 'qwen2' })).toBe(false);
    expect(isEmbeddingModel({ name: 'llama3.2:3b', family: 'llama' })).toBe(false);
  });
});

describe('RouteInputs.refresh', () => {
  function inputs() {
    const calls = { list: 0 };
    let settings = { ollamaHost: 'http://127.0.0.1:11434', customEndpoints: [] as Array<{ id: string }> };
    let release: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (release = resolve));
    const d = {
      system: {
        listModels: async () => {
          calls.list += 1;
          await gate;
          return { models: [{ name: 'llama3.2:3b' }], ollama: { reachable: true, version: '0.12.6' } };
        },
      },
      providers: { extraOllamaModels: async () => ({ models: [], errors: [] }), extraOllamaHosts: () => [], capabilities: async () => null },
      prices: {},
      secrets: { status: async (provider: string) => ({ provider, configured: provider === 'openai' }) },
      settings: { get: () => settings },
    };
    const routeInputs = new RouteInputs(d as unknown as ConstructorParameters<typeof RouteInputs>[0]);
    return {
      routeInputs,
      calls,
      open: () => release(),
      block: () => (gate = new Promise<void>((resolve) => (release = resolve))),
      changeSettings: () => (settings = { ...settings }),
    };
  }

  it('lets requests that arrive during a refresh wait for it instead of starting their own', async () => {
    const t = inputs();
    const waiting = Array.from({ length: 32 }, () => t.routeInputs.refresh());
    t.open();
    await Promise.all(waiting);
    expect(t.calls.list).toBe(1);
    expect(t.routeInputs.hasKey('openai')).toBe(true);
    // Fresh now: no new round trip until the inputs go stale.
    await t.routeInputs.refresh();
    expect(t.calls.list).toBe(1);
  });

  it('starts a new refresh when forced or when the settings change meanwhile', async () => {
    const t = inputs();
    const first = t.routeInputs.refresh();
    const forced = t.routeInputs.refresh(true);
    t.changeSettings();
    const changed = t.routeInputs.refresh();
    t.open();
    await Promise.all([first, forced, changed]);
    expect(t.calls.list).toBe(3);
  });
});
