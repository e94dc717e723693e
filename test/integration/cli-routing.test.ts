import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { tempDir } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const REFACTOR = 'Refactor the session store in our web server into smaller modules, one for cookies and one for persistence';

let ollama: FakeOllama;
let groq: FakeOpenAI;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b' }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_cli_routing_1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), groq.close()]);
});
beforeEach(() => {
  ollama.setBehavior('qwen2.5-coder:7b', { reply: 'Local answer.' });
  groq.setBehavior('*', { reply: 'Groq answer.' });
});

// These tests are about the CLI's routing output, written for seed 002's length rules: the
// difficulty dial (issue #11, tested in src/main/router/difficulty) is switched off in router.json.
const routerJson = (): string => {
  const file = path.join(tempDir(), 'router.json');
  fs.writeFileSync(file, JSON.stringify({ difficulty: { enabled: false } }));
  return file;
};

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  SWITCHBOARD_DATA_DIR: tempDir(),
  SWITCHBOARD_ROUTER_CONFIG: routerJson(),
  OLLAMA_HOST: ollama.url,
  GROQ_API_KEY: 'gsk_cli_routing_1234',
  GROQ_BASE_URL: `${groq.url}/v1`,
  ...extra,
});

describe('cli route', () => {
  it('--json prints the decision without calling any model', async () => {
    const before = ollama.requests.filter((r) => r.path === '/api/chat').length + groq.requests.length;
    const { code, stdout } = await cli(['route', 'What is the capital of France?', '--json'], env());
    expect(code).toBe(0);
    const d = JSON.parse(stdout);
    expect(d).toMatchObject({ analysis: { intent: 'question', complexity: 'trivial' }, tier: 'local', model: LOCAL, estimatedCostUsd: 0, refusal: null });
    // Issue #13 adds the context the local model would run with (the stable JSON only gains fields).
    expect(d.candidates[0]).toEqual({ model: LOCAL, tier: 'local', rung: 'local', eligible: true, reason: 'runs on this machine', estimatedCostUsd: 0, contextTokens: 4096 });
    expect(d.candidates.find((c: { model: string }) => c.model === 'anthropic/claude-haiku-4-5')).toBeUndefined();
    expect(d.chain).toEqual([LOCAL, GROQ]);
    // Issue #11: the estimate is always reported (fields only added), dial on or off.
    expect(d.analysis.difficulty).toBeGreaterThanOrEqual(0);
    expect(d.analysis.difficulty).toBeLessThanOrEqual(1);
    expect(d.analysis.predictedQuality).toMatchObject({ local: expect.any(Number), free: expect.any(Number), paid: 1 });
    expect(d.analysis.difficulty).toBeCloseTo(1 - d.analysis.predictedQuality.local, 3);
    expect(ollama.requests.filter((r) => r.path === '/api/chat').length + groq.requests.length).toBe(before);

    const refactor = JSON.parse((await cli(['route', REFACTOR, '--json'], env())).stdout);
    expect(refactor).toMatchObject({ analysis: { intent: 'refactor' }, model: GROQ, tier: 'free' });
    expect(refactor.candidates.find((c: { model: string }) => c.model === 'deepseek/deepseek-chat')).toMatchObject({ eligible: false, reason: expect.stringMatching(/no API key for deepseek/) });
  });

  it('--local and --offline keep it on this machine; --offline is not saved', async () => {
    const e = env();
    const local = JSON.parse((await cli(['route', REFACTOR, '--local', '--json'], e)).stdout);
    expect(local).toMatchObject({ mode: 'local-only', model: LOCAL, tier: 'local' });
    expect(local.candidates.every((c: { tier: string }) => c.tier === 'local')).toBe(true);

    const offline = JSON.parse((await cli(['route', REFACTOR, '--offline', '--json'], e)).stdout);
    expect(offline).toMatchObject({ model: LOCAL, reasons: expect.arrayContaining(['Offline mode: only models on this machine are used.']) });
    expect(offline.candidates.find((c: { model: string }) => c.model === GROQ)).toMatchObject({ eligible: false, reason: 'offline mode: only local models' });
    expect(JSON.parse((await cli(['route', REFACTOR, '--json'], e)).stdout).model).toBe(GROQ);

    const human = await cli(['route', REFACTOR], e);
    expect(human.stdout).toMatch(/^Route: groq\/llama-3\.3-70b-versatile \(free\)/);
    expect(human.stdout).toMatch(/✗ deepseek\/deepseek-chat +paid +no API key for deepseek/);
    const both = await cli(['route', 'x', '--local', '--model', GROQ], e);
    expect(both.code).toBe(2);
  });
});

describe('cli chat, routed', () => {
  it('without --model routes (Auto) and prints the decision summary on stderr', async () => {
    const { code, stdout, stderr } = await cli(['chat', 'What is the capital of France?'], env());
    expect(code).toBe(0);
    expect(stdout).toBe('Local answer.\n');
    expect(stderr).toMatch(/^\[auto → ollama\/qwen2\.5-coder:7b · local · 0 escalations · [\d.]+s.* · \$0\.0000\]\n$/);
  });

  it('an escalation prints only the final answer on stdout and says why on stderr', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { reply: "I can't help with that." });
    const { code, stdout, stderr } = await cli(['chat', 'What is the capital of France?'], env());
    expect(code).toBe(0);
    expect(stdout).toBe('Groq answer.\n');
    expect(stderr).toContain(`Escalated from ${LOCAL}: the model refused the request → ${GROQ} (free)\n`);
    expect(stderr).toMatch(/\[auto → groq\/llama-3\.3-70b-versatile · free · 1 escalation · /);
  });

  it('--conversation answers with that conversation’s own choice: a Local-only one stays local (issue #14)', async () => {
    const e = env();
    expect((await cli(['chat', 'hi', '--local'], e)).code).toBe(0);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(e.SWITCHBOARD_DATA_DIR!, 'switchboard.db'), { readonly: true });
    const { id, model } = db.prepare('SELECT id, model FROM conversations').get() as { id: string; model: string };
    db.close();
    expect(model).toBe('switchboard/local');
    const before = groq.requests.length;
    const again = await cli(['chat', REFACTOR, '--conversation', id], e);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^\[local only → ollama\/qwen2\.5-coder:7b/);
    const leak = await cli(['chat', 'hi', '--conversation', id, '--model', GROQ], e);
    expect(leak.code).toBe(1);
    expect(leak.stderr).toMatch(/Local only/);
    expect(groq.requests.length).toBe(before);
  });

  it('a new chat starts from the user’s default: a default of Local only stays on this machine (issue #14)', async () => {
    const e = env();
    expect((await cli(['chat', 'hi', '--local'], e)).code).toBe(0);
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(e.SWITCHBOARD_DATA_DIR!, 'switchboard.db'));
    db.prepare(`INSERT INTO settings (key, value_json, updated_at) VALUES ('defaultModel', '"switchboard/local"', 0) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json`).run();
    db.close();
    const before = groq.requests.length;
    const fresh = await cli(['chat', REFACTOR], e);
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(/^\[local only → ollama\/qwen2\.5-coder:7b/);
    expect(groq.requests.length).toBe(before);
    const reader = new Database(path.join(e.SWITCHBOARD_DATA_DIR!, 'switchboard.db'), { readonly: true });
    const models = (reader.prepare('SELECT model FROM conversations ORDER BY created_at').all() as Array<{ model: string }>).map((r) => r.model);
    reader.close();
    expect(models).toEqual(['switchboard/local', 'switchboard/local']);
  });

  it('--local never leaves the machine; --offline refuses a cloud model and pulls', async () => {
    const before = groq.requests.length;
    const local = await cli(['chat', REFACTOR, '--local'], env());
    expect(local.stdout).toBe('Local answer.\n');
    expect(local.stderr).toMatch(/^\[local only → ollama\/qwen2\.5-coder:7b · local · 0 escalations/);

    const refused = await cli(['chat', 'hi', '--model', 'groq/llama-3.1-8b-instant', '--offline'], env());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^switchboard chat: Offline mode is on, so groq\/llama-3\.1-8b-instant .* was not called/);
    const auto = await cli(['chat', REFACTOR, '--offline'], env());
    expect(auto.stdout).toBe('Local answer.\n');
    expect(groq.requests.length).toBe(before);

    const pull = await cli(['pull', 'llama3.2:3b', '--offline'], env());
    expect(pull.code).toBe(1);
    expect(pull.stderr).toMatch(/Offline mode is on, so llama3\.2:3b was not pulled/);
  });
});
