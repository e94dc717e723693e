import { afterEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import { collectReply, type ModelRunner } from '../runner';
import type { StreamPart } from '../runner/chat-provider';
import { BudgetLedger, DEFAULT_ROUTER_CONFIG, DecisionRecorder, RouterService, type CascadeResult, type RouterConfig } from '../router';
import { ScriptedRunner, TEST_MODELS } from '../router/testing';
import { openDatabase, type Db } from '../store/database';
import { MIGRATIONS } from '../store/migrations';
import { AnswerPipeline } from './answer-pipeline';
import { pipelineRunner } from './pipeline-runner';
import type { ReplyCache, ReplyKey } from './reply-cache';

let db: Db;
afterEach(() => db?.close());

const LOCAL = 'ollama/qwen2.5-coder:7b';
const HAIKU = 'anthropic/claude-haiku-4-5';

/** A stand-in for the response cache: remembers what it was asked and stored. */
class FakeReplyCache {
  readonly lookups: ReplyKey[] = [];
  readonly stored: CascadeResult[] = [];
  constructor(private readonly hit: string | null = null) {}
  async lookup(key: ReplyKey) {
    this.lookups.push(key);
    const request = { messages: [], modelKey: key.modelKey, params: {}, intent: 'chat' as const };
    if (this.hit === null || key.skipLookup || key.bypass) return { hit: null, reason: 'miss', request };
    return { hit: { kind: 'exact' as const, text: this.hit, model: LOCAL, similarity: null, savedUsd: 0 }, reason: 'hit', request };
  }
  async store(_request: unknown, result: CascadeResult) {
    this.stored.push(result);
  }
}

function wire(o: { runner: ScriptedRunner; cache?: FakeReplyCache; config?: RouterConfig; spentUsd?: number }) {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
  const config = o.config ?? DEFAULT_ROUTER_CONFIG;
  const ledger = new BudgetLedger({ db, limits: () => config.cost, spentSince: () => o.spentUsd ?? 0 });
  const recorder = new DecisionRecorder(db);
  const router = new RouterService({
    config: () => config,
    runner: o.runner,
    model: (id) => byId.get(id),
    installedLocal: () => [LOCAL],
    hasKey: () => true,
    isOffline: () => false,
    ledger,
    recorder,
  });
  const pipeline = new AnswerPipeline({ router, cache: (o.cache ?? null) as unknown as ReplyCache | null });
  return { pipeline, ledger, recorder };
}

async function parts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of stream) out.push(part);
  return out;
}

const ask = (content: string) => [{ id: 'u1', role: 'user' as const, content }];

describe('AnswerPipeline', () => {
  it('answers from the cache without routing or calling a model', async () => {
    const runner = new ScriptedRunner();
    const cache = new FakeReplyCache('Paris.');
    const { pipeline } = wire({ runner, cache });
    const out = await pipeline.answer({ purpose: 'chat', model: 'switchboard/auto', messages: ask('Capital of France?'), cache: {} });
    expect(out).toMatchObject({ kind: 'cached', hit: { text: 'Paris.' } });
    expect(runner.calls).toHaveLength(0);
  });

  it('on a miss routes, stores a reply that passed the gates, and never stores one that did not', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: 'Paris.' }, { text: "I'm sorry, but I can't help with that." });
    const cache = new FakeReplyCache();
    const { pipeline } = wire({ runner, cache });
    const ok = await pipeline.answer({ purpose: 'chat', model: LOCAL, messages: ask('Capital of France?'), cache: {} });
    expect(ok.kind === 'routed' && ok.route.result?.ok).toBe(true);
    await pipeline.idle(); // the store runs after the answer is returned (issue #17)
    expect(cache.stored.map((r) => r.text)).toEqual(['Paris.']);
    const refused = await pipeline.answer({ purpose: 'chat', model: LOCAL, messages: ask('Capital of Spain?'), cache: {} });
    expect(refused.kind === 'routed' && refused.route.result?.ok).toBe(false);
    await pipeline.idle();
    expect(cache.stored).toHaveLength(1);
  });

  it('passes the opt-out and "ask again without cache" to the cache, and skips it when the caller has none', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: 'Fresh.' });
    const cache = new FakeReplyCache('Stale.');
    const { pipeline } = wire({ runner, cache });
    const fresh = await pipeline.answer({ purpose: 'chat', model: LOCAL, messages: ask('q'), cache: { skipLookup: true } });
    expect(fresh.kind).toBe('routed');
    expect(cache.lookups.at(-1)).toMatchObject({ skipLookup: true });
    await pipeline.answer({ purpose: 'council.answer', model: LOCAL, messages: ask('q') });
    expect(cache.lookups).toHaveLength(1);
  });

  it('records the purpose on the reservation and on every attempt', async () => {
    const runner = new ScriptedRunner().script(HAIKU, { text: 'A plan.', usage: { inputTokens: 100, outputTokens: 50 } });
    const { pipeline } = wire({ runner });
    await pipeline.answer({ purpose: 'tasks.plan', model: HAIKU, messages: ask('Plan the migration') });
    expect(runner.calls.map((c) => c.purpose)).toEqual(['tasks.plan']);
    expect(db.prepare(`SELECT purpose FROM budget_reservations`).all()).toEqual([{ purpose: 'tasks.plan' }]);
  });
});

describe('pipelineRunner: council and task-graph calls through the pipeline', () => {
  it('streams the answer, its usage and its finish like a provider', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { chunks: ['Use ', 'SQLite.'], usage: { inputTokens: 12, outputTokens: 3 } });
    const { pipeline } = wire({ runner });
    const out = await parts(pipelineRunner(pipeline, { pool: 'quick', totalMs: 35_000 }).stream({ model: LOCAL, messages: [{ role: 'user', content: 'Which DB?' }], purpose: 'council.answer' }));
    expect(out.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['Use ', 'SQLite.']);
    expect(out.slice(-2)).toEqual([{ type: 'usage', usage: { inputTokens: 12, outputTokens: 3, estimated: false } }, { type: 'finish', reason: 'stop' }]);
    expect(runner.calls[0]).toMatchObject({ purpose: 'council.answer', timeouts: { pool: 'quick', totalMs: 35_000 } });
    expect(runner.calls[0]?.options?.maxTokens).toBeUndefined(); // a local answer costs nothing: not cut short
  });

  it('a caller that stops reading aborts the call under it (no paid call left running with its reservation)', async () => {
    let aborted = false;
    const hanging: ModelRunner = {
      async *stream(request) {
        yield { type: 'stream-start' };
        yield { type: 'text-delta', text: 'First words' };
        await new Promise<void>((resolve) => {
          if (request.signal?.aborted) resolve();
          request.signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        aborted = request.signal?.aborted === true;
        yield { type: 'error', error: new SwitchboardError('cancelled', 'stopped') };
      },
    };
    const { pipeline, ledger } = wire({ runner: hanging as unknown as ScriptedRunner });
    for await (const part of pipelineRunner(pipeline, {}).stream({ model: HAIKU, messages: [{ role: 'user', content: 'Write a long essay.' }], purpose: 'council.answer' })) {
      if (part.type === 'text-delta') break;
    }
    expect(aborted).toBe(true);
    expect(ledger.state().day.heldUsd).toBe(0);
  });

  it('turns a refusal into an error after its text: never an answer', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: "I'm sorry, but I can't help with that." });
    const { pipeline } = wire({ runner });
    const reply = await collectReply(pipelineRunner(pipeline, {}).stream({ model: LOCAL, messages: [{ role: 'user', content: 'Write part a.' }], purpose: 'tasks.node' }));
    expect(reply.text).toMatch(/^I'm sorry/);
    expect(reply.error).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/refused/) });
  });

  it('at the stop threshold a paid call is refused before it starts, saying why', async () => {
    const runner = new ScriptedRunner().script(HAIKU, { text: 'Expensive.' });
    const { pipeline } = wire({ runner, spentUsd: DEFAULT_ROUTER_CONFIG.cost.stopThresholdUsd });
    const reply = await collectReply(pipelineRunner(pipeline, {}).stream({ model: HAIKU, messages: [{ role: 'user', content: 'Review this.' }], purpose: 'council.review' }));
    expect(reply.text).toBe('');
    expect(reply.error?.message).toMatch(/stop threshold/);
    expect(runner.calls).toHaveLength(0);
  });

  it('leaves schema checks to the caller: invalid JSON under a jsonSchema comes back as text, not a gate failure', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: 'not json' });
    const { pipeline } = wire({ runner });
    const reply = await collectReply(
      pipelineRunner(pipeline, {}).stream({ model: LOCAL, messages: [{ role: 'user', content: 'Reply with only a JSON object: {"ranking": [...]}' }], purpose: 'council.review', options: { jsonSchema: { type: 'object' } } }),
    );
    expect(reply).toMatchObject({ text: 'not json', error: null });
  });
});
