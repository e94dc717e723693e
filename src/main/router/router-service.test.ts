import { afterEach, describe, expect, it } from 'vitest';
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

  it('previews a decision without running anything', () => {
    const runner = new ScriptedRunner();
    const { router } = service({ runner });
    expect(router.preview([{ role: 'user', content: PROMPT }]).chain[0]).toBe('groq/llama-3.3-70b-versatile');
    expect(runner.calls).toHaveLength(0);
  });
});
