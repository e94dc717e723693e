import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../src/shared/errors';
import { OpenAICompatibleProvider } from '../../src/main/providers/openai';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { DEFAULT_BREAKER, ReliableChat, realClock, type Clock } from '../../src/main/reliability';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

// Issue #16, item 5: the breaker hears one outcome per request, however many attempts it took.
const MODEL = 'deepseek/deepseek-chat';
const NAME = 'deepseek-chat';
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ models: [NAME] });
});
afterAll(() => fake.close());
afterEach(() => fake.clearBehavior());

/**
 * The time the test controls: `now` moves only when the test says so, backoff sleeps are recorded
 * and return at once (an optional hook runs in them), and the timeout timers are real but never fire.
 */
function setup(onSleep?: (ms: number) => void) {
  const state = { now: Date.parse('2026-01-14T10:00:00Z'), sleeps: [] as number[] };
  const clock: Clock = {
    ...realClock,
    now: () => state.now,
    sleep: async (ms) => {
      state.sleeps.push(ms);
      onSleep?.(ms);
    },
  };
  const registry = new ProviderRegistry();
  registry.register(new OpenAICompatibleProvider({ preset: 'deepseek', getKey: async () => 'sk-deepseek0123456789', env: { DEEPSEEK_BASE_URL: `${fake.url}/v1` } }));
  const chat = new ReliableChat({ providers: registry, clock, random: () => 0.5 });
  const run = async (stopAtFinish = false): Promise<StreamPart[]> => {
    const parts: StreamPart[] = [];
    for await (const p of chat.stream({ candidates: [MODEL], messages: [{ role: 'user', content: 'hi' }] })) {
      parts.push(p);
      if (stopAtFinish && p.type === 'finish') break;
    }
    state.now += 1000;
    return parts;
  };
  const health = () => chat.healthSnapshots().find((h) => h.modelId === MODEL);
  return { chat, run, state, health };
}
const sent = () => fake.requests.filter((r) => r.path === '/v1/chat/completions').length;
const FINISH: StreamPart = { type: 'finish', reason: 'stop' };

describe('the circuit breaker counts requests, not attempts', () => {
  it('a request that succeeds after two retried 500s is one good request', async () => {
    const t = setup();
    fake.setBehavior(NAME, { errorStatus: 500, times: 2 });
    const before = sent();
    expect((await t.run()).at(-1)).toEqual(FINISH);
    expect(sent() - before).toBe(3);
    expect(t.state.sleeps).toEqual([250, 500]); // random() = 0.5 of the 500 ms and 1000 ms ceilings
    expect(t.health()).toMatchObject({ state: 'closed', requests: 1, failures: 0 });
  });

  it('the issue: retried 500s, then one connection reset before the first token, which is retried and leaves the model running', async () => {
    const t = setup();
    for (let i = 0; i < 4; i++) {
      fake.setBehavior(NAME, { errorStatus: 500, times: 2 });
      expect((await t.run()).at(-1)).toEqual(FINISH);
    }
    expect(t.health()).toMatchObject({ state: 'closed', requests: 4, failures: 0 });

    // The socket is destroyed after the response headers, before any text: a reset the caller never saw.
    fake.setBehavior(NAME, { failAfterTokens: 0, times: 1 });
    const before = sent();
    const parts = await t.run();
    expect(sent() - before).toBe(2);
    expect(parts.at(-1)).toEqual(FINISH);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('You said: hi');
    expect(t.health()).toMatchObject({ state: 'closed', requests: 5, failures: 0 });

    // And the model is still asked.
    expect((await t.run()).at(-1)).toEqual(FINISH);
    expect(t.health()).toMatchObject({ state: 'closed', requests: 6, failures: 0 });
  });

  it('a request that fails all its attempts is one failure; the breaker opens on failed requests, and then sends nothing', async () => {
    const t = setup();
    for (let i = 0; i < 4; i++) expect((await t.run()).at(-1)).toEqual(FINISH);
    fake.setBehavior(NAME, { errorStatus: 500 });
    let before = sent();
    expect((await t.run()).at(-1)).toMatchObject({ type: 'error', error: { code: 'unavailable' } });
    expect(sent() - before).toBe(3);
    expect(t.health()).toMatchObject({ state: 'closed', requests: 5, failures: 1 }); // 20 %
    await t.run();
    expect(t.health()).toMatchObject({ state: 'open', requests: 6, failures: 2 }); // 33 % > 25 %

    before = sent();
    const paused = (await t.run()).at(-1);
    expect(sent()).toBe(before);
    expect(paused).toMatchObject({ type: 'error', error: { code: 'unavailable', details: { breaker: 'open' } } });
  });

  it('the half-open probe is one request: its own retries may save it, and it closes the breaker', async () => {
    const t = setup();
    fake.setBehavior(NAME, { errorStatus: 500 });
    for (let i = 0; i < 5; i++) await t.run();
    expect(t.health()).toMatchObject({ state: 'open', requests: 5, failures: 5 });

    t.state.now += DEFAULT_BREAKER.cooldownMs;
    fake.clearBehavior();
    fake.setBehavior(NAME, { errorStatus: 503, times: 1 });
    const before = sent();
    expect((await t.run()).at(-1)).toEqual(FINISH);
    expect(sent() - before).toBe(2);
    expect(t.health()).toMatchObject({ state: 'closed', requests: 1, failures: 0 });
  });

  it('stops retrying when other requests opened the breaker during its backoff', async () => {
    const boom = new SwitchboardError('unavailable', 'boom');
    // While this request waits to retry, five other requests fail and open the breaker.
    const t: ReturnType<typeof setup> = setup(() => {
      if (t.state.sleeps.length > 1) return;
      const breaker = t.chat.health.breaker(MODEL);
      for (let i = 0; i < 5; i++) breaker.onFailure(breaker.tryAcquire()!, boom);
    });
    fake.setBehavior(NAME, { errorStatus: 500 });
    const before = sent();
    const last = (await t.run()).at(-1);
    expect(sent() - before).toBe(1);
    expect(last).toMatchObject({ type: 'error', error: { code: 'unavailable', details: { breaker: 'open' } } });
    expect(t.health()).toMatchObject({ state: 'open', failures: 5, requests: 5 });
  });

  it('counts a success when the caller stops reading at finish, and frees a probe the caller abandons mid-reply', async () => {
    const t = setup();
    expect((await t.run(true)).at(-1)).toEqual(FINISH);
    expect(t.health()).toMatchObject({ requests: 1, failures: 0 });

    const breaker = t.chat.health.breaker(MODEL);
    const boom = new SwitchboardError('unavailable', 'boom');
    while (breaker.state() === 'closed') breaker.onFailure(breaker.tryAcquire()!, boom);
    t.state.now += DEFAULT_BREAKER.cooldownMs;
    fake.setBehavior(NAME, { reply: 'one two three four five', tokenDelayMs: 5 });
    for await (const p of t.chat.stream({ candidates: [MODEL], messages: [{ role: 'user', content: 'hi' }] })) if (p.type === 'text-delta') break;
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toEqual({ probe: true }); // the abandoned probe decided nothing
  });
});
