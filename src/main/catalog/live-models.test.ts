import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/app-harness';
import { silentLogger } from '../logger';
import type { ListedModel } from '../runner';
import { openDatabase, type Db } from '../store';
import { LIVE_LIST_MAX_AGE_MS, LiveModels } from './live-models';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const listed = (provider: string, name: string, contextLength: number | null = null): ListedModel => ({
  id: `${provider}/${name}`, provider, name, tier: 'paid', sizeBytes: null, family: null, parameterSize: null, quantization: null, contextLength,
});

function setup(o: { offline?: boolean; keyed?: string[]; lists?: Record<string, ListedModel[] | Error> } = {}) {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'test.db'));
  let now = 1_000_000;
  const asked: string[] = [];
  const state = { offline: o.offline ?? false, lists: o.lists ?? { openai: [listed('openai', 'gpt-a', 128_000)] } };
  const live = new LiveModels({
    db,
    providers: ['openai', 'groq'],
    askable: async (p) => (o.keyed ?? ['openai']).includes(p),
    list: async (p) => {
      asked.push(p);
      const l = state.lists[p];
      if (l instanceof Error) throw l;
      return l ?? [];
    },
    isOffline: () => state.offline,
    logger: silentLogger,
    now: () => now,
  });
  return { live, asked, state, advance: (ms: number) => (now += ms) };
}

describe('LiveModels', () => {
  it('reads only providers with a key, and again in the background only when a day old', async () => {
    const { live, asked, advance } = setup();
    await live.refreshIfStale();
    expect(asked).toEqual(['openai']);
    expect(live.get('openai/gpt-a')).toMatchObject({ contextWindow: 128_000, price: null });
    advance(LIVE_LIST_MAX_AGE_MS - 1);
    await live.refreshIfStale();
    expect(asked).toEqual(['openai']);
    advance(1);
    await live.refreshIfStale();
    expect(asked).toEqual(['openai', 'openai']);
  });

  it('never asks in offline mode; on demand it refuses with offline', async () => {
    const { live, asked } = setup({ offline: true });
    await live.refreshIfStale();
    await expect(live.refresh()).rejects.toMatchObject({ code: 'offline' });
    expect(asked).toEqual([]);
  });

  it('a failed or empty read keeps the last list (no model is retired by a network error)', async () => {
    const { live, state } = setup();
    await live.refresh('openai');
    state.lists.openai = new Error('connection reset');
    const [failed] = await live.refresh('openai');
    expect(failed).toMatchObject({ refreshed: false, error: { message: expect.stringContaining('connection reset') }, count: 1 });
    state.lists.openai = [];
    expect((await live.refresh('openai'))[0]).toMatchObject({ refreshed: false, count: 1 });
    expect(live.isRetired('openai/gpt-a', 'openai')).toBe(false);
    expect(live.isRetired('openai/gpt-gone', 'openai')).toBe(true);
    // No list read for groq: nothing of it counts as retired.
    expect(live.isRetired('groq/anything', 'groq')).toBe(false);
  });

  it('refuses a provider without a list', async () => {
    const { live } = setup();
    await expect(live.refresh('ollama')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
