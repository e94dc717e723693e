import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../src/shared/errors';
import { OpenAICompatibleProvider } from '../../src/main/providers/openai';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { CircuitBreaker, DEFAULT_BREAKER, ReliableChat, realClock } from '../../src/main/reliability';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

const MODEL = 'deepseek/deepseek-chat';
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ['deepseek-chat'] });
});
afterAll(() => fake.close());

describe('circuit breaker per model (seed 001: >25 % failures in 10 min, at least 5 requests, 30 min cooldown)', () => {
  it('opens at the threshold, says the model is paused and until when, and closes after a good probe', async () => {
    let now = Date.parse('2026-01-14T10:00:00Z');
    const registry = new ProviderRegistry();
    registry.register(new OpenAICompatibleProvider({ preset: 'deepseek', getKey: async () => 'sk-deepseek0123456789', env: { DEEPSEEK_BASE_URL: fake.url + '/v1' } }));
    const chat = new ReliableChat({ providers: registry, clock: { ...realClock, now: () => now }, retry: { maxAttempts: 1 } });
    const run = async (): Promise<StreamPart> => {
      let last: StreamPart | undefined;
      for await (const p of chat.stream({ candidates: [MODEL], messages: [{ role: 'user', content: 'hi' }] })) last = p;
      now += 1000;
      return last!;
    };
    const calls = () => fake.requests.filter((r) => r.path === '/v1/chat/completions').length;

    for (let i = 0; i < 4; i++) expect(await run()).toEqual({ type: 'finish', reason: 'stop' });
    fake.setBehavior('deepseek-chat', { errorStatus: 503 });
    await run(); // 1 of 5 failed: 20 %, still closed
    expect(chat.healthSnapshots()[0]).toMatchObject({ modelId: MODEL, state: 'closed', requests: 5, failures: 1 });
    await run(); // 2 of 6: 33 % > 25 %, opens
    const snapshot = chat.healthSnapshots()[0]!;
    expect(snapshot).toMatchObject({ state: 'open', failures: 2, lastError: { code: 'unavailable' } });
    expect(snapshot.p50Ms).not.toBeNull();

    const sent = calls();
    const paused = await run();
    expect(calls()).toBe(sent); // nothing was sent
    expect(paused).toMatchObject({ type: 'error', error: { code: 'unavailable', details: { breaker: 'open' } } });
    const error = (paused as { error: SwitchboardError }).error;
    expect(error.message).toMatch(/paused after repeated failures until/);
    expect(error.retryAfterMs).toBeGreaterThan(29 * 60_000);

    now += DEFAULT_BREAKER.cooldownMs;
    fake.clearBehavior();
    expect(await run()).toEqual({ type: 'finish', reason: 'stop' }); // the probe
    expect(calls()).toBe(sent + 1);
    expect(chat.healthSnapshots()[0]).toMatchObject({ state: 'closed', requests: 1, failures: 0 });
  });

  it('gives a verdict only from 5 requests, lets one probe through, and reopens when it fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker(DEFAULT_BREAKER, () => now);
    const boom = new SwitchboardError('unavailable', 'boom');
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.tryAcquire()!, boom);
    expect(breaker.state()).toBe('closed'); // 4 of 4 failed, but fewer than 5 requests
    breaker.onFailure(breaker.tryAcquire()!, boom);
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBeNull();

    now += DEFAULT_BREAKER.cooldownMs;
    expect(breaker.state()).toBe('half-open');
    const probe = breaker.tryAcquire();
    expect(probe).toEqual({ probe: true });
    expect(breaker.tryAcquire()).toBeNull(); // one probe at a time
    breaker.onFailure(probe!, boom);
    expect(breaker.state()).toBe('open');
    expect(breaker.openUntil()).toBe(now + DEFAULT_BREAKER.cooldownMs);

    now += DEFAULT_BREAKER.cooldownMs;
    const cancelled = breaker.tryAcquire()!;
    breaker.onNeutral(cancelled); // a stopped probe decides nothing
    expect(breaker.tryAcquire()).toEqual({ probe: true });
  });

  it('forgets failures older than the window', () => {
    let now = 0;
    const breaker = new CircuitBreaker(DEFAULT_BREAKER, () => now);
    const boom = new SwitchboardError('timeout', 'slow');
    for (let i = 0; i < 4; i++) breaker.onFailure(breaker.tryAcquire()!, boom);
    now += DEFAULT_BREAKER.windowMs + 1;
    for (let i = 0; i < 4; i++) breaker.onSuccess(breaker.tryAcquire()!);
    breaker.onFailure(breaker.tryAcquire()!, boom);
    expect(breaker.snapshot()).toMatchObject({ state: 'closed', requests: 5, failures: 1 });
  });

  it('bad keys and bad input do not count against the model', async () => {
    const registry = new ProviderRegistry();
    registry.register(new OpenAICompatibleProvider({ preset: 'deepseek', getKey: async () => null }));
    const chat = new ReliableChat({ providers: registry });
    for (let i = 0; i < 6; i++) for await (const _ of chat.stream({ candidates: [MODEL], messages: [{ role: 'user', content: 'hi' }] }));
    expect(chat.healthSnapshots()[0]).toMatchObject({ state: 'closed', failures: 0 });
  });
});
