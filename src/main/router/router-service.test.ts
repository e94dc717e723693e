import { afterEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { openDatabase, type Db } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import { BudgetLedger } from './budget-ledger';
import { DEFAULT_ROUTER_CONFIG, resolveRouterConfig, type RouterConfig } from './config';
import { ContextBudget } from './context-budget';
import { DecisionRecorder } from './decision-recorder';
import { RouterService } from './router-service';
import { ScriptedRunner, TEST_MODELS } from './testing';

let db: Db;
afterEach(() => db?.close());

const LOCAL = 'ollama/qwen2.5-coder:7b';
const SONNET = 'anthropic/claude-sonnet-5-5';
const PROMPT = 'Refactor the session store in our web server into smaller modules, one for cookies and one for persistence, keeping its public API';

function service(options: { runner: ScriptedRunner; offline?: boolean; installed?: string[]; config?: RouterConfig }) {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
  const config = options.config ?? DEFAULT_ROUTER_CONFIG;
  const ledger = new BudgetLedger({ db, limits: () => config.cost });
  const recorder = new DecisionRecorder(db);
  const router = new RouterService({
    config: () => config,
    runner: options.runner,
    model: (id) => byId.get(id),
    installedLocal: () => options.installed ?? [LOCAL],
    hasKey: () => true,
    isOffline: () => options.offline ?? false,
    ledger,
    recorder,
    contextBudget: new ContextBudget({ runner: options.runner, model: () => config.localModels.summariser }),
  });
  return { router, ledger, recorder };
}

const conversation = (content: string) => ({ conversationId: 'c1', messages: [{ id: 'u1', role: 'user' as const, content }] });

describe('RouterService', () => {
  it('routes, runs the cascade, settles the budget and records the decision', async () => {
    const runner = new ScriptedRunner()
      .script('groq/llama-3.3-70b-versatile', { text: '' })
      .script('deepseek/deepseek-chat', { text: 'Split into two modules.', usage: { inputTokens: 10_000, outputTokens: 1_000 } });
    const { router, ledger, recorder } = service({ runner });
    const out = await router.route(conversation(PROMPT));
    expect(out.error).toBeNull();
    expect(out.result).toMatchObject({ ok: true, model: 'deepseek/deepseek-chat', escalations: 1 });
    expect(ledger.state().day).toMatchObject({ heldUsd: 0, spentUsd: (10_000 * 0.27 + 1_000 * 1.1) / 1e6 });
    expect(recorder.get(out.record.id)).toMatchObject({ outcome: 'ok', chosenModel: 'deepseek/deepseek-chat' });
  });

  it('when the worst case does not fit under the stop threshold, answers locally and says why', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: 'Local review: looks safe.' });
    const { router, ledger } = service({ runner });
    const r = ledger.reserve(5.99);
    if (r.ok) ledger.settle(r, 5.99);
    const out = await router.route(conversation('Review this login handler for security problems before we ship'));
    expect(out.decision.candidates.find((c) => c.model === SONNET)?.reason).toMatch(/past the daily stop threshold of \$6\.00/);
    expect(out.result).toMatchObject({ ok: true, model: LOCAL });
  });

  it('returns the refusal as an error, and records it', async () => {
    const { router, recorder } = service({ runner: new ScriptedRunner(), offline: true, installed: [] });
    const out = await router.route(conversation(PROMPT));
    expect(out.error).toMatchObject({ code: 'offline' });
    expect(recorder.get(out.record.id)?.outcome).toBe('refused');
  });

  it('asks the installed router model when the heuristic is unsure, and adds the validator when configured', async () => {
    const config = resolveRouterConfig({ validation: { useValidatorModel: true } });
    const runner = new ScriptedRunner()
      .script('ollama/phi3:mini', { text: '{"intent":"chat","complexity":"trivial","qualityRequirement":"standard"}' })
      .script(LOCAL, { text: 'Hello!' })
      .script('ollama/deepseek-coder:6.7b', { text: '{"score":0.95,"issues":""}' });
    const { router } = service({ runner, config, installed: [LOCAL, 'ollama/phi3:mini', 'ollama/deepseek-coder:6.7b'] });
    const out = await router.route(conversation('hmm'));
    expect(out.decision.analysis).toMatchObject({ source: 'router-model', intent: 'chat' });
    expect(out.result?.attempts[0]?.gates.at(-1)).toMatchObject({ gate: 'validator', score: 0.95 });
  });

  it('previews a decision without running anything', async () => {
    const runner = new ScriptedRunner();
    const { router } = service({ runner });
    expect((await router.preview([{ role: 'user', content: PROMPT }])).chain[0]).toBe('groq/llama-3.3-70b-versatile');
    expect(runner.calls).toHaveLength(0);
  });

  describe('the budget sees what is sent upstream (issue #10)', () => {
    it('a paid attempt sends the reserved output cap as maxTokens; a free one is not cut short', async () => {
      const runner = new ScriptedRunner()
        .script('groq/llama-3.3-70b-versatile', { text: '' })
        .script('deepseek/deepseek-chat', { text: 'Split it in two.' });
      const { router, ledger, recorder } = service({ runner });
      const reserved: number[] = [];
      const reserve = ledger.reserve.bind(ledger);
      ledger.reserve = (amount, purpose) => {
        reserved.push(amount);
        return reserve(amount, purpose);
      };
      const out = await router.route(conversation(PROMPT));
      expect(runner.calls.map((c) => [c.model, c.options?.maxTokens])).toEqual([
        ['groq/llama-3.3-70b-versatile', undefined],
        ['deepseek/deepseek-chat', DEFAULT_ROUTER_CONFIG.replyTokens.max],
      ]);
      expect(reserved).toEqual([out.decision.maxCostUsd]);
      expect(recorder.get(out.record.id)).toBeDefined();
    });

    it("honours a client's own max_tokens: sent upstream and counted in the worst case", async () => {
      const runner = new ScriptedRunner().script('groq/llama-3.3-70b-versatile', { text: 'Split it in two.' });
      const { router } = service({ runner });
      const small = await router.route({ ...conversation(PROMPT), options: { maxTokens: 100 } });
      const large = await router.route({ ...conversation(PROMPT), options: { maxTokens: 16_000 } });
      expect(runner.calls.map((c) => c.options?.maxTokens)).toEqual([100, 16_000]);
      expect(large.decision.maxCostUsd).toBeGreaterThan(small.decision.maxCostUsd);
      const preview = await router.preview([{ role: 'user', content: PROMPT }], 'auto', { maxTokens: 16_000 });
      expect(preview.maxCostUsd).toBeCloseTo(large.decision.maxCostUsd, 9);
    });

    it('passes the purpose and the timeout pool to every attempt, and records the decision only when asked', async () => {
      const runner = new ScriptedRunner()
        .script('groq/llama-3.3-70b-versatile', { text: "I'm sorry, but I can't help with that." })
        .script('deepseek/deepseek-chat', { text: 'Here is the plan.' });
      const { router, recorder } = service({ runner });
      const out = await router.route({ ...conversation(PROMPT), purpose: 'tasks.node', timeouts: { pool: 'high', totalMs: 185_000 }, recordDecision: false });
      expect(out.result).toMatchObject({ ok: true, model: 'deepseek/deepseek-chat' });
      expect(runner.calls.map((c) => c.timeouts)).toEqual([{ pool: 'high', totalMs: 185_000 }, { pool: 'high', totalMs: 185_000 }]);
      expect(runner.calls[0]?.purpose).toBe('tasks.node');
      expect(recorder.get(out.record.id)).toBeUndefined();
    });

    it('refreshes its own inputs before deciding, and refuses a chosen local model that cannot run with the words that fix it', async () => {
      db = openDatabase(':memory:', { migrations: MIGRATIONS });
      const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
      let installed: string[] = [];
      let refreshes = 0;
      const runner = new ScriptedRunner().script(LOCAL, { text: 'Hello!' });
      const router = new RouterService({
        config: () => DEFAULT_ROUTER_CONFIG,
        runner,
        model: (id) => byId.get(id),
        installedLocal: () => installed,
        hasKey: () => false,
        isOffline: () => false,
        ledger: new BudgetLedger({ db, limits: () => DEFAULT_ROUTER_CONFIG.cost }),
        refreshInputs: async () => {
          refreshes += 1;
          installed = [LOCAL];
        },
        localProblem: (id) => (id === 'ollama/missing:1b' ? new SwitchboardError('model_not_found', 'Run: ollama pull missing:1b') : null),
      });
      const out = await router.route({ ...conversation('hi'), mode: { model: LOCAL } });
      expect(refreshes).toBe(1);
      expect(out.result).toMatchObject({ ok: true, model: LOCAL });
      await expect(router.route({ ...conversation('hi'), mode: { model: 'ollama/missing:1b' } })).rejects.toMatchObject({ code: 'model_not_found', message: 'Run: ollama pull missing:1b' });
      expect(runner.calls).toHaveLength(1);
    });
  });
});
