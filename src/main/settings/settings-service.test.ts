import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/app-harness';
import { SwitchboardError } from '../../shared/errors';
import { createLogger } from '../logger';
import { SettingsRepo, openDatabase, type Db } from '../store';
import { SettingsService } from './settings-service';

let dir: string;
let db: Db;
let lines: string[];

beforeEach(() => {
  dir = tempDir();
  db = openDatabase(path.join(dir, 'test.db'));
  lines = [];
});
afterEach(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function service(): SettingsService {
  const logger = createLogger({ sink: { write: (line) => lines.push(line) } });
  return new SettingsService(new SettingsRepo(db), {}, undefined, logger);
}

/** What an older version (or a hand edit) left in the settings table. */
function storeRaw(key: string, value: unknown): void {
  db.prepare('INSERT OR REPLACE INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)').run(key, JSON.stringify(value), Date.now());
}

function refusal(fn: () => unknown): SwitchboardError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SwitchboardError) return error;
    throw error;
  }
  throw new Error('expected the update to be refused');
}

const endpoint = (id: string) => ({ id, name: id, baseUrl: 'http://127.0.0.1:1234/v1', tier: 'local' as const });

describe('settings.update validates every key like its dedicated call (issue #16)', () => {
  it('refuses a router patch the router refuses, naming the field; nothing is stored', () => {
    const s = service();
    const e = refusal(() => s.update({ router: { $gt: '' } }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^Settings not saved: router: .*\$gt/);
    expect(refusal(() => s.update({ router: { cost: { dailyBudgetUsd: -1 } } })).message).toMatch(/router: .*cost\.dailyBudgetUsd/);
    expect(new SettingsRepo(db).all()).toEqual({});
    expect(s.get().router).toEqual({});
    // A valid patch still goes through.
    expect(s.update({ router: { preference: 'quality' } }).router).toEqual({ preference: 'quality' });
  });

  it('refuses a custom endpoint with a built-in provider id, an Ollama host id, a duplicate or a bad id', () => {
    const s = service();
    for (const id of ['ollama', 'groq', 'openrouter', 'deepseek', 'openai', 'anthropic']) {
      const e = refusal(() => s.update({ customEndpoints: [endpoint(id)] }));
      expect({ id, code: e.code, message: e.message }).toEqual({ id, code: 'invalid_input', message: expect.stringContaining(`customEndpoints.0.id: "${id}" is a built-in provider's id`) });
    }
    expect(refusal(() => s.update({ customEndpoints: [endpoint('lab'), endpoint('lab')] })).message).toMatch(/customEndpoints\.1\.id: "lab" is used by another endpoint/);
    expect(refusal(() => s.update({ customEndpoints: [endpoint('LM Studio')] })).message).toMatch(/customEndpoints\.0\.id: lowercase letters/);
    s.update({ ollamaHosts: [{ name: 'GPU box', url: 'http://192.168.1.20:11434' }] });
    expect(refusal(() => s.update({ customEndpoints: [endpoint('ollama-gpu-box')] })).message).toMatch(/customEndpoints\.0\.id: "ollama-gpu-box" is an Ollama host's provider id/);
    // …and the other way round: a host whose id an endpoint already has.
    s.update({ ollamaHosts: [], customEndpoints: [endpoint('ollama-lab')] });
    expect(refusal(() => s.update({ ollamaHosts: [{ name: 'lab', url: 'http://192.168.1.21:11434' }] })).message).toMatch(/customEndpoints\.0\.id: "ollama-lab"/);
    expect(s.get()).toMatchObject({ ollamaHosts: [], customEndpoints: [endpoint('ollama-lab')] });
  });

  it('refuses Ollama hosts, providers, prices, API and cache settings their own calls refuse', () => {
    const s = service();
    const cases: Array<[Parameters<SettingsService['update']>[0], RegExp]> = [
      [{ ollamaHosts: [{ name: '!!', url: 'http://192.168.1.20:11434' }] }, /ollamaHosts\.0\.name: "!!" cannot name an Ollama host/],
      [{ ollamaHosts: [{ name: 'gpu-box', url: 'http://a:11434' }, { name: 'GPU box', url: 'http://b:11434' }] }, /ollamaHosts\.1\.name: another Ollama host is already provider "ollama-gpu-box"/],
      [{ ollamaHosts: [{ name: 'box', url: 'not a url' }] }, /ollamaHosts\.0\.url/],
      [{ providers: { ollama: { baseUrl: 'http://203.0.113.9:11434' } } }, /providers\.ollama\.baseUrl: set Ollama hosts in Settings → Ollama/],
      [{ providers: { groq: { enabled: true, $where: '1' } as never } }, /providers\.groq/],
      [{ priceOverrides: { 'openai/gpt-4o': { input: -1 } } }, /priceOverrides\.openai\/gpt-4o\.input/],
      [{ priceOverrides: { 'openai/gpt-4o': { $gt: 0 } } }, /priceOverrides\.openai\/gpt-4o/],
      [{ apiServer: { enabled: true, port: 80 } }, /apiServer\.port: use a port from 1024 up/],
      [{ cache: { threshold: 0.5 } }, /cache\.threshold: similarity threshold is at least 0\.8/],
      [{ ollamaHost: 'http://' }, /ollamaHost/],
    ];
    for (const [patch, message] of cases) {
      const e = refusal(() => s.update(patch));
      expect({ patch, code: e.code, message: e.message }).toEqual({ patch, code: 'invalid_input', message: expect.stringMatching(message) });
    }
    expect(new SettingsRepo(db).all()).toEqual({});
  });
});

describe('stored values that no longer validate (issue #16)', () => {
  it('are ignored with their defaults in force, reported once, and never fatal', () => {
    storeRaw('router', { $gt: '' });
    storeRaw('customEndpoints', [endpoint('ollama')]);
    storeRaw('priceOverrides', { 'openai/gpt-4o': { input: 'free' } });
    storeRaw('chatTemperature', 9);
    storeRaw('offlineMode', true); // valid: kept
    storeRaw('retiredKey', 1); // not a setting any more: left alone, not reported
    const s = service();
    const settings = s.get();
    expect(settings).toMatchObject({ router: {}, customEndpoints: [], priceOverrides: {}, chatTemperature: 0.3, offlineMode: true });
    expect(s.ignoredValues().map((p) => p.key).sort()).toEqual(['chatTemperature', 'customEndpoints', 'priceOverrides', 'router']);
    expect(s.ignoredValues().find((p) => p.key === 'router')?.message).toMatch(/^router: .*\$gt/);
    const warnings = () => lines.map((l) => JSON.parse(l) as { msg: string }).filter((l) => l.msg.includes('does not validate')).map((l) => l.msg);
    expect(warnings()).toHaveLength(4);
    expect(warnings().join('\n')).toMatch(/customEndpoints\.0\.id: "ollama" is a built-in provider's id/);
    // Other writes work and do not report again; saving the key replaces the bad value.
    s.update({ setupCompleted: true });
    s.update({ router: { preference: 'cost' } });
    expect(service().get().router).toEqual({ preference: 'cost' });
    expect(warnings()).toHaveLength(4 + 3); // the new service reads the three still stored once
  });

  it('blames the custom endpoint when it clashes with a stored Ollama host', () => {
    storeRaw('ollamaHosts', [{ name: 'gpu-box', url: 'http://192.168.1.20:11434' }]);
    storeRaw('customEndpoints', [endpoint('ollama-gpu-box')]);
    const s = service();
    expect(s.get()).toMatchObject({ ollamaHosts: [{ name: 'gpu-box' }], customEndpoints: [] });
    expect(s.ignoredValues()).toEqual([{ key: 'customEndpoints', message: expect.stringContaining('Ollama host') }]);
  });
});
