import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCloudCatalog } from '../../src/main/catalog';
import { HealthRegistry, RateLimitTracker } from '../../src/main/reliability';
import {
  analyse,
  BudgetLedger,
  decide,
  decisionRecordFrom,
  DecisionRecorder,
  DEFAULT_ROUTER_CONFIG,
  routableFromModelInfo,
  runCascade,
  type RoutableModel,
  type RouteContext,
} from '../../src/main/router';
import { ScriptedRunner } from '../../src/main/router/testing';
import { openDatabase, type Db } from '../../src/main/store/database';
import { MIGRATIONS } from '../../src/main/store/migrations';
import { CallRecorder } from '../../src/main/usage';

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const LOCAL = routableFromModelInfo({
  id: 'ollama/qwen2.5-coder:7b',
  provider: 'ollama',
  name: 'qwen2.5-coder:7b',
  tier: 'local',
  sizeBytes: null,
  family: null,
  parameterSize: '7.6B',
  quantization: null,
  contextLength: 32_768,
});

/** The router wired the way app.ts would: real catalog, breakers, rate limits, calls table and ledger. */
async function wire() {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'router-pipeline-'));
  db = openDatabase(path.join(dir, 'test.db'), { migrations: MIGRATIONS });
  const catalog = await readCloudCatalog(path.resolve('resources/cloud-models.json'));
  const calls = new CallRecorder(db);
  const ledger = new BudgetLedger({ db, limits: () => DEFAULT_ROUTER_CONFIG.cost, spentSince: (since) => calls.spendSince(since).costUsd });
  const health = new HealthRegistry();
  const rateLimits = new RateLimitTracker();
  const context = (): RouteContext => ({
    config: DEFAULT_ROUTER_CONFIG,
    model: (id): RoutableModel | undefined => (id === LOCAL.id ? LOCAL : catalog.get(id)),
    installedLocal: [LOCAL.id],
    hasKey: () => true,
    offline: false,
    budget: ledger.state(),
    health: { isOpen: (id) => health.breaker(id).state() === 'open' },
    rateLimits,
  });
  return { calls, ledger, context, recorder: new DecisionRecorder(db) };
}

const PROMPT = 'Refactor the session store in our web server into smaller modules, one for cookies and one for persistence, keeping its public API';

describe('router pipeline', () => {
  it('analyse → decide → reserve → cascade → settle → record', async () => {
    const { ledger, context, recorder, calls } = await wire();
    const messages = [{ role: 'user' as const, content: PROMPT }];
    const ctx = context();
    const decision = decide(analyse(messages), ctx);
    expect(decision.chain).toEqual(['groq/llama-3.3-70b-versatile', 'deepseek/deepseek-chat', 'anthropic/claude-haiku-4-5']);

    const reservation = ledger.reserve(decision.maxCostUsd, 'chat');
    if (!reservation.ok) throw reservation.error;
    const runner = new ScriptedRunner()
      .script('groq/llama-3.3-70b-versatile', { text: "I can't help with that." })
      .script('deepseek/deepseek-chat', { text: 'Here is the split.', usage: { inputTokens: 2_000, outputTokens: 500 } });
    const result = await runCascade({ decision, messages, runner, model: ctx.model });
    // The reliability layer writes the calls row; the ledger reads spend from it.
    calls.record({
      messageId: null, modelId: 'deepseek/deepseek-chat', provider: 'deepseek', tier: 'paid', startedAt: Date.now(), firstTokenAt: null, endedAt: Date.now(),
      status: 'ok', errorCode: null, inputTokens: 2_000, outputTokens: 500, cachedInputTokens: 0, cacheWriteTokens: 0, costUsd: result.costUsd, estimated: false, attempt: 1, fallbackFrom: null, purpose: 'escalation',
    });
    ledger.settle(reservation, result.costUsd);
    recorder.record(decisionRecordFrom(decision, result, { id: 'r1' }));

    expect(result.costUsd).toBeCloseTo((2_000 * 0.27 + 500 * 1.1) / 1e6, 12);
    expect(ledger.state().day).toMatchObject({ heldUsd: 0, spentUsd: result.costUsd });
    expect(recorder.get('r1')).toMatchObject({ chosenModel: 'deepseek/deepseek-chat', escalations: 1, outcome: 'ok' });
  });

  it('at the stop threshold only the local model answers, and the decision says why', async () => {
    const { ledger, context } = await wire();
    const r = ledger.reserve(6);
    expect(r.ok).toBe(true);
    const decision = decide(analyse([{ role: 'user', content: 'Review this function for security problems' }]), context());
    expect(decision.chain).toEqual(['ollama/qwen2.5-coder:7b']);
    expect(decision.reasons[0]).toMatch(/stop threshold \$6\.00/);
    expect(ledger.reserve(decision.maxCostUsd).ok).toBe(true); // local: nothing to reserve
  });
});
