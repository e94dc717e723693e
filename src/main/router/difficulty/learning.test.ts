import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../store/database';
import { MIGRATIONS } from '../../store/migrations';
import { BudgetLedger } from '../budget-ledger';
import { DEFAULT_ROUTER_CONFIG, resolveRouterConfig, type RouterConfig } from '../config';
import { DecisionRecorder } from '../decision-recorder';
import { RouterService } from '../router-service';
import { ScriptedRunner, TEST_MODELS } from '../testing';
import { bundledEstimator } from './estimator';
import { isResend, OutcomeMemory, similarRequests, type RequestEmbeddings } from './outcome-memory';

let db: Db;
afterEach(() => db?.close());

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const DEEPSEEK = 'deepseek/deepseek-chat';
/** Dial at 0: the estimator always clears local, so what moves the start is only what was learnt. */
const OPEN_DIAL = resolveRouterConfig({ difficulty: { enabled: true, threshold: 0, learnFromOutcomes: true } });

function service(runner: ScriptedRunner, config: RouterConfig = OPEN_DIAL, installed: string[] = [LOCAL], embeddings?: RequestEmbeddings) {
  db = openDatabase(':memory:', { migrations: MIGRATIONS });
  const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
  const outcomes = new OutcomeMemory(db, embeddings);
  const router = new RouterService({
    config: () => config,
    runner,
    model: (id) => byId.get(id),
    installedLocal: () => installed,
    hasKey: () => true,
    isOffline: () => false,
    ledger: new BudgetLedger({ db, limits: () => config.cost }),
    recorder: new DecisionRecorder(db),
    difficulty: bundledEstimator(),
    outcomes,
  });
  return { router, outcomes };
}

const ask = (content: string, id = 'u1') => ({ conversationId: `c-${id}`, messages: [{ id, role: 'user' as const, content }] });

describe('learning from outcomes (issue #11)', () => {
  it('an escalated request makes its near-duplicate start higher, says why, and reset forgets', async () => {
    // The local model returns nothing (the empty-reply gate fails), Groq answers.
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }).script(GROQ, { text: 'Paris, because of its history and culture.' });
    const { router, outcomes } = service(runner);
    const first = await router.route(ask('What is the capital of France and why is it famous?'));
    expect(first.result).toMatchObject({ ok: true, model: GROQ, escalations: 1 });
    expect(outcomes.count()).toBe(1);

    const again = await router.route(ask('What is the capital of France, and why is it so famous?', 'u2'));
    expect(again.decision.chain[0]).toBe(GROQ);
    expect(again.decision.startFloor).toEqual({ tier: 'free', reason: '1 similar request escalated from local' });
    expect(again.decision.reasons).toContain('1 similar request escalated from local: starting at free.');

    // An unrelated request is not affected.
    expect((await router.preview([{ role: 'user', content: 'Write a haiku about autumn leaves' }])).chain[0]).toBe(LOCAL);

    expect(outcomes.reset()).toBe(1);
    const after = await router.preview([{ role: 'user', content: 'What is the capital of France, and why is it so famous?' }]);
    expect(after.chain[0]).toBe(LOCAL);
    expect(after.startFloor).toBeUndefined();
  });

  it('with the estimator off (the default), what was learnt still lifts a near-duplicate', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }).script(GROQ, { text: 'Paris, because of its history and culture.' });
    const { router, outcomes } = service(runner, DEFAULT_ROUTER_CONFIG);
    expect(DEFAULT_ROUTER_CONFIG.difficulty?.enabled).toBe(false);
    const first = await router.route(ask('What is the capital of France and why is it famous?'));
    expect(first.result).toMatchObject({ ok: true, model: GROQ, escalations: 1 });
    expect(outcomes.count()).toBe(1);
    const again = await router.preview([{ role: 'user', content: 'What is the capital of France, and why is it so famous?' }]);
    expect(again.chain[0]).toBe(GROQ);
    expect(again.startFloor).toEqual({ tier: 'free', reason: '1 similar request escalated from local' });
    expect((await router.preview([{ role: 'user', content: 'Write a haiku about autumn leaves' }])).chain[0]).toBe(LOCAL);
  });

  it('an escalation on an error (provider down) teaches nothing', async () => {
    const runner = new ScriptedRunner().script(GROQ, { text: 'Paris.' }); // no script for local: model_not_found
    const { router, outcomes } = service(runner);
    const out = await router.route(ask('What is the capital of France and why is it famous?'));
    expect(out.result).toMatchObject({ ok: true, model: GROQ });
    expect(outcomes.count()).toBe(0);
  });

  it('with learning turned off, nothing is consulted', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }).script(GROQ, { text: 'Paris.' });
    const { router, outcomes } = service(runner, resolveRouterConfig({ difficulty: { enabled: true, threshold: 0, learnFromOutcomes: false } }));
    outcomes.record({ kind: 'escalated', fromTier: 'local', toTier: 'free', request: 'What is the capital of France and why is it famous?' });
    expect((await router.preview([{ role: 'user', content: 'What is the capital of France and why is it famous?' }])).chain[0]).toBe(LOCAL);
  });

  it('weighs 👍 against lifts, takes the tier most needed, and words the reason by kind', () => {
    db = openDatabase(':memory:', { migrations: MIGRATIONS });
    const memory = new OutcomeMemory(db);
    const q = 'Explain how a B-tree index speeds up range queries in Postgres';
    expect(memory.floorFor(q)).toBeNull();
    memory.record({ kind: 'thumbs_down', fromTier: 'local', toTier: 'free', request: q });
    expect(memory.floorFor(q)).toEqual({ tier: 'free', reason: '1 similar request was rated a bad answer on local' });
    memory.record({ kind: 'thumbs_up', fromTier: 'local', toTier: 'local', request: q });
    expect(memory.floorFor(q)).toBeNull();
    memory.record({ kind: 'escalated', fromTier: 'local', toTier: 'paid', request: q });
    memory.record({ kind: 'escalated', fromTier: 'free', toTier: 'paid', request: q });
    expect(memory.floorFor(q)).toEqual({ tier: 'paid', reason: '3 similar requests fell short from local' });
    // Stored as hashed n-grams only: the request's words are nowhere in the table.
    const stored = JSON.stringify(db.prepare('SELECT * FROM route_outcomes').all());
    expect(stored).not.toMatch(/B-tree|Postgres|range/i);
  });
});

describe('a follow-up starts no lower than the previous turn (issue #11)', () => {
  function seed(db: Db): void {
    db.prepare(`INSERT INTO conversations (id, title, created_at, updated_at) VALUES ('c', 't', 1, 1)`).run();
    const msg = db.prepare(`INSERT INTO messages (id, conversation_id, seq, role, content, status, created_at) VALUES (?, 'c', ?, ?, ?, 'complete', ?)`);
    msg.run('u1', 1, 'user', 'What is the capital of France and why is it famous?', 1);
    msg.run('a1', 2, 'assistant', '', 2);
  }

  it('the previous turn’s tier (from the decision records) holds the next one up, unless it is small talk', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }, { text: 'Sure.' }).script(GROQ, { text: 'Paris.' });
    db = openDatabase(':memory:', { migrations: MIGRATIONS });
    seed(db);
    const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
    const recorder = new DecisionRecorder(db);
    const router = new RouterService({
      config: () => OPEN_DIAL,
      runner,
      model: (id) => byId.get(id),
      installedLocal: () => [LOCAL],
      hasKey: () => true,
      isOffline: () => false,
      ledger: new BudgetLedger({ db, limits: () => OPEN_DIAL.cost }),
      recorder,
      difficulty: bundledEstimator(),
      previousTurn: (id) => {
        const last = recorder.lastInConversation(id);
        return last?.tier ? { tier: last.tier, ...(last.analysis.difficulty !== undefined ? { difficulty: last.analysis.difficulty } : {}) } : null;
      },
    });
    const first = await router.route({ conversationId: 'c', messageId: 'a1', messages: [{ id: 'u1', role: 'user', content: 'What is the capital of France and why is it famous?' }] });
    expect(first.result).toMatchObject({ ok: true, model: GROQ });
    expect(recorder.lastInConversation('c')).toMatchObject({ tier: 'free', messageId: 'a1' });
    expect(recorder.lastInConversation('other')).toBeUndefined();

    const history = [
      { id: 'u1', role: 'user' as const, content: 'What is the capital of France and why is it famous?' },
      { id: 'a1', role: 'assistant' as const, content: 'Paris.' },
    ];
    const next = await router.preview([...history, { role: 'user', content: 'And which river runs through it?' }], 'auto', { conversationId: 'c' });
    expect(next.chain[0]).toBe(GROQ);
    expect(next.startFloor?.reason).toBe('the previous turn of this conversation was answered on free');
    // Small talk is clearly simpler: back to the cheapest model.
    const thanks = await router.preview([...history, { role: 'user', content: 'thanks!' }], 'auto', { conversationId: 'c' });
    expect(thanks.chain[0]).toBe(LOCAL);
  });
});

describe('an edit and resend is a label (issue #11)', () => {
  it('nearly the same request sent again after a local reply starts on the next tier, and says why', async () => {
    const runner = new ScriptedRunner().script(LOCAL, { text: 'Local.' }).script(GROQ, { text: 'Groq.' });
    db = openDatabase(':memory:', { migrations: MIGRATIONS });
    const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
    const outcomes = new OutcomeMemory(db);
    const router = new RouterService({
      config: () => OPEN_DIAL,
      runner,
      model: (id) => byId.get(id),
      installedLocal: () => [LOCAL],
      hasKey: () => true,
      isOffline: () => false,
      ledger: new BudgetLedger({ db, limits: () => OPEN_DIAL.cost }),
      difficulty: bundledEstimator(),
      outcomes,
      previousTurn: () => ({ tier: 'local' }),
    });
    const first = { id: 'u1', role: 'user' as const, content: 'Write a regex that matches ISO dates like 2024-01-31' };
    const reply = { id: 'a1', role: 'assistant' as const, content: 'Local.' };
    // A different follow-up is not a resend.
    await router.route({ conversationId: 'c', messages: [first, reply, { id: 'u2', role: 'user', content: 'Now explain what each part of it does' }] });
    expect(outcomes.count()).toBe(0);
    // Nor is a new question in the same words (it drops the word that mattered).
    await router.route({ conversationId: 'c', messages: [first, reply, { id: 'u2b', role: 'user', content: 'Write a regex that matches ISO weeks like 2024-W05' }] });
    expect(outcomes.count()).toBe(0);
    const resent = await router.route({ conversationId: 'c', messages: [first, reply, { id: 'u3', role: 'user', content: 'Write a regex that matches ISO dates like 2024-01-31, strictly' }] });
    expect(outcomes.count()).toBe(1);
    expect(resent.decision.chain[0]).toBe(GROQ);
    expect(resent.decision.reasons).toContain('1 similar request was edited and resent on local: starting at free.');
  });
});

describe('what counts as an edit and resend', () => {
  it('keeps (nearly) every word of the earlier request; a new question in the same words is not one', () => {
    expect(isResend('Write a regex that matches ISO dates like 2024-01-31', 'Write a regex that matches ISO dates like 2024-01-31, strictly')).toBe(true);
    expect(similarRequests('What is the capital of France?', 'What is the capital of Italy?')).toBe(true);
    expect(isResend('What is the capital of France?', 'What is the capital of Italy?')).toBe(false);
    expect(isResend('Explain B-trees', 'Now explain what each part of it does')).toBe(false);
  });
});

describe('one decision path (issue #11): route and chat agree', () => {
  const PROMPTS = [
    'hi!',
    'What is the capital of France?',
    'Design a distributed database schema for a multi-region platform',
    'Prove that there are infinitely many primes, then generalise the argument to primes of the form 4k+3.',
    'Rename the variable foo to bar in utils.ts',
    'Review this login handler for security problems before we ship',
    'Write a Python function that parses ISO 8601 durations, with unit tests',
    'Summarise the following meeting notes in three bullet points: we agreed to ship on Friday, QA found two bugs, marketing wants a blog post.',
    'hmm',
  ];

  it.each([
    ['without a router model', [LOCAL]],
    ['with the local router model installed', [LOCAL, 'ollama/phi3:mini']],
  ])('preview (route --json) makes the decision chat makes, %s', async (_, installed) => {
    const runner = new ScriptedRunner()
      .script('ollama/phi3:mini', { text: '{"intent":"question","complexity":"simple","qualityRequirement":"standard"}' })
      .script(LOCAL, { text: 'ok' })
      .script(GROQ, { text: 'ok' })
      .script(DEEPSEEK, { text: 'ok' })
      .script('anthropic/claude-haiku-4-5', { text: 'ok' })
      .script('anthropic/claude-sonnet-5-5', { text: 'ok' });
    const { router } = service(runner, DEFAULT_ROUTER_CONFIG, installed);
    for (const [i, content] of PROMPTS.entries()) {
      const preview = await router.preview([{ role: 'user', content }]);
      const chat = await router.route(ask(content, `p${i}`));
      expect(preview.analysis.difficulty).toBeTypeOf('number');
      expect(chat.decision).toEqual(preview);
    }
  });

  it('with the estimator on at its default dial, "Design a distributed database schema for a multi-region platform" does not go to the local model', async () => {
    const { router } = service(new ScriptedRunner(), resolveRouterConfig({ difficulty: { ...DEFAULT_ROUTER_CONFIG.difficulty!, enabled: true } }));
    const d = await router.preview([{ role: 'user', content: 'Design a distributed database schema for a multi-region platform' }]);
    expect(d.tier).not.toBe('local');
    expect(d.chain).not.toContain(LOCAL);
  });
});

/**
 * A stand-in embedding model with known geometry: each text maps to a topic axis (the same meaning in
 * other words shares an axis), so the test can say which requests are near in meaning.
 */
function topicEmbeddings(topics: Record<string, number>, model: { name: string | undefined } = { name: 'ollama/nomic-embed-text:latest' }) {
  const calls: string[] = [];
  const embeddings: RequestEmbeddings = {
    model: () => model.name,
    embed: async (text) => {
      calls.push(text);
      const axis = topics[text];
      if (axis === undefined) return null;
      const v = new Float32Array(8).fill(0.01);
      v[axis] = 1;
      return v;
    },
  };
  return { embeddings, calls, model };
}

describe('learning by meaning, with an installed embedding model (issue #11, item 3)', () => {
  const SKY = 'Why is the sky blue during the day?';
  const SKY_REWORDED = 'What makes daytime air look azure to us?';
  const PASTA = 'Suggest a quick pasta recipe for dinner';

  it('a request in other words with the same meaning starts on the tier that worked; the words alone do not match', async () => {
    expect(similarRequests(SKY, SKY_REWORDED)).toBe(false);
    const { embeddings } = topicEmbeddings({ [SKY]: 0, [SKY_REWORDED]: 0, [PASTA]: 3 });
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }).script(GROQ, { text: 'Rayleigh scattering of sunlight by air molecules.' });
    const { router, outcomes } = service(runner, OPEN_DIAL, [LOCAL], embeddings);
    expect((await router.route(ask(SKY))).result).toMatchObject({ ok: true, model: GROQ });
    await outcomes.settled();
    expect((db.prepare('SELECT embedding_model AS m, length(embedding) AS n FROM route_outcomes').get() as { m: string; n: number })).toEqual({ m: 'ollama/nomic-embed-text:latest', n: 32 });

    const reworded = await router.preview([{ role: 'user', content: SKY_REWORDED }]);
    expect(reworded.chain[0]).toBe(GROQ);
    expect(reworded.startFloor).toEqual({ tier: 'free', reason: '1 similar request escalated from local' });
    // Another meaning stays local.
    expect((await router.preview([{ role: 'user', content: PASTA }])).chain[0]).toBe(LOCAL);
  });

  it('never compares vectors of different models, makes no embedding call with nothing to compare, and works without a model', async () => {
    const { embeddings, calls, model } = topicEmbeddings({ [SKY]: 0, [SKY_REWORDED]: 0 });
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }).script(GROQ, { text: 'Rayleigh scattering of sunlight by air molecules.' });
    const { router, outcomes } = service(runner, OPEN_DIAL, [LOCAL], embeddings);
    // Nothing learnt yet: routing asks the embedding model nothing.
    await router.preview([{ role: 'user', content: SKY_REWORDED }]);
    expect(calls).toEqual([]);
    await router.route(ask(SKY));
    await outcomes.settled();
    expect(calls).toEqual([SKY]);

    model.name = 'ollama/mxbai-embed-large:latest';
    expect((await router.preview([{ role: 'user', content: SKY_REWORDED }])).chain[0]).toBe(LOCAL);
    model.name = undefined;
    expect((await router.preview([{ role: 'user', content: SKY_REWORDED }])).chain[0]).toBe(LOCAL);
    // The n-gram match still works with no embedding model.
    expect((await router.preview([{ role: 'user', content: 'Why is the sky so blue during the day?' }])).chain[0]).toBe(GROQ);
  });

  it('a failing embedding model costs the request nothing but the match by meaning; reset forgets the vectors', async () => {
    const { embeddings } = topicEmbeddings({ [SKY]: 0, [SKY_REWORDED]: 0 });
    const runner = new ScriptedRunner().script(LOCAL, { text: '' }).script(GROQ, { text: 'Rayleigh scattering of sunlight by air molecules.' });
    const { router, outcomes } = service(runner, OPEN_DIAL, [LOCAL], embeddings);
    await router.route(ask(SKY));
    await outcomes.settled();
    const broken = new OutcomeMemory(db, { model: () => 'ollama/nomic-embed-text:latest', embed: async () => { throw new Error('connection refused'); } });
    expect(await broken.vectorFor(SKY_REWORDED)).toBeNull();
    expect(outcomes.reset()).toBe(1);
    expect(await outcomes.vectorFor(SKY_REWORDED)).toBeNull();
    expect((await router.preview([{ role: 'user', content: SKY_REWORDED }])).chain[0]).toBe(LOCAL);
  });
});
