import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/logger';
import { openDatabase } from '../../src/main/store';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, tempDir, type TestApp } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';

let ollama: FakeOllama;
let h: TestApp | undefined;
let lines: string[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama' }], defaultBehavior: { reply: 'Hello.' } });
});
afterAll(() => ollama.close());
afterEach(async () => {
  await h?.close();
  h = undefined;
  lines = [];
});

function app(): TestApp {
  h = createTestApp({ ollamaUrl: ollama.url, logger: createLogger({ sink: { write: (line) => lines.push(line) } }) });
  return h;
}

/** Writes a row straight into the settings table (an older version, or a hand edit). */
function storeRaw(dataDir: string, key: string, value: unknown): void {
  const db = openDatabase(path.join(dataDir, 'switchboard.db'));
  db.prepare('INSERT OR REPLACE INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)').run(key, JSON.stringify(value), Date.now());
  db.close();
}

function storedKeys(dataDir: string): string[] {
  const db = openDatabase(path.join(dataDir, 'switchboard.db'));
  const keys = db.prepare<[], { key: string }>('SELECT key FROM settings').all().map((r) => r.key);
  db.close();
  return keys;
}

describe('settings.update over the dispatcher (issue #16)', () => {
  it('refuses {"router": {"$gt": ""}} with invalid_input naming the field; nothing is stored and routing still works', async () => {
    const { app: a, dataDir } = app();
    const refused = await a.dispatch('settings.update', JSON.parse('{"router": {"$gt": ""}}'), { transport: 'http' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/router: .*\$gt/), retryable: false } });
    expect(storedKeys(dataDir)).not.toContain('router');
    expect((await a.call('settings.get', {})).router).toEqual({});
    expect((await a.call('routing.preview', { content: 'hi', model: 'ollama/llama3.2:3b' })).model).toBe('ollama/llama3.2:3b');
  });

  it('refuses a custom endpoint that takes a built-in provider id or an Ollama host id', async () => {
    const { app: a, dataDir } = app();
    const endpoint = (id: string) => ({ id, name: 'Shadow', baseUrl: 'http://127.0.0.1:2/v1', tier: 'local' });
    for (const id of ['ollama', 'groq', 'openrouter', 'deepseek', 'openai', 'anthropic']) {
      const r = await a.dispatch('settings.update', { customEndpoints: [endpoint(id)] }, { transport: 'http' });
      expect({ id, r }).toMatchObject({ id, r: { ok: false, error: { code: 'invalid_input', message: expect.stringContaining('customEndpoints.0.id') } } });
    }
    await a.call('providers.addOllamaHost', { name: 'gpu-box', url: 'http://127.0.0.1:2' });
    const clash = await a.dispatch('settings.update', { customEndpoints: [endpoint('ollama-gpu-box')] }, { transport: 'http' });
    expect(clash).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/customEndpoints\.0\.id: .*Ollama host/) } });
    expect(storedKeys(dataDir)).not.toContain('customEndpoints');
    expect((await a.call('providers.list', {})).filter((p) => p.id === 'ollama')).toEqual([expect.objectContaining({ kind: 'ollama', builtIn: true })]);
  });
});

describe('a stored value that no longer validates (issue #16)', () => {
  it('is reported once and ignored at start: the app starts on the defaults', async () => {
    const t = app();
    storeRaw(t.dataDir, 'router', { $gt: '' });
    storeRaw(t.dataDir, 'customEndpoints', [{ id: 'ollama', name: 'Shadow', baseUrl: 'http://127.0.0.1:2/v1', tier: 'local' }]);
    const a = await t.restart();
    expect(await a.call('settings.get', {})).toMatchObject({ router: {}, customEndpoints: [] });
    // The built-in Ollama provider is not shadowed, and routing works on the default config.
    expect((await a.call('providers.list', {})).filter((p) => p.id === 'ollama')).toEqual([expect.objectContaining({ kind: 'ollama', builtIn: true })]);
    expect((await a.call('routing.preview', { content: 'hi', model: 'ollama/llama3.2:3b' })).model).toBe('ollama/llama3.2:3b');
    expect(a.services.settings.ignoredValues().map((p) => p.key).sort()).toEqual(['customEndpoints', 'router']);
    // Logged once each, through the app's logger, however often settings are read.
    await a.call('settings.get', {});
    const warned = lines.map((l) => JSON.parse(l) as { msg: string; scope?: string }).filter((l) => l.msg.includes('does not validate'));
    expect(warned.map((l) => l.msg)).toEqual([expect.stringMatching(/router: .*\$gt/), expect.stringMatching(/customEndpoints\.0\.id: "ollama"/)]);
    expect(warned.every((l) => l.scope === 'settings')).toBe(true);
  });

  it('shows in doctor, which exits 1 until the setting is saved again', async () => {
    const dataDir = tempDir();
    const env = { SWITCHBOARD_DATA_DIR: dataDir, OLLAMA_HOST: ollama.url };
    expect((await cli(['doctor', '--json'], env)).stdout).toContain('"ignored": []');
    storeRaw(dataDir, 'router', { $gt: '' });
    const { code, stdout } = await cli(['doctor', '--json'], env);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, settings: { ignored: [{ key: 'router', problem: expect.stringMatching(/\$gt/) }] } });
    const text = await cli(['doctor'], env);
    expect(text.stdout).toMatch(/✗ Setting router ignored \(its default is used\): .*\$gt/);
  });
});
