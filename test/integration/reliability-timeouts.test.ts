import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OllamaProvider } from '../../src/main/providers/ollama';
import { OpenAICompatibleProvider } from '../../src/main/providers/openai';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { ReliableChat, realClock, resolveTimeouts, type TimeoutPolicy } from '../../src/main/reliability';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';

const FAST = 'groq/llama-3.1-8b-instant';
const BIG = 'groq/llama-3.3-70b-versatile';
let fake: FakeOpenAI;
let ollama: FakeOllama;
let chat: ReliableChat;
let sleeps: number[];

beforeAll(async () => {
  fake = await startFakeOpenAI({ models: ['llama-3.1-8b-instant', 'llama-3.3-70b-versatile'] });
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }] });
  const registry = new ProviderRegistry();
  registry.register(new OpenAICompatibleProvider({ preset: 'groq', getKey: async () => 'gsk_timeouts0123456789', env: { GROQ_BASE_URL: `${fake.url}/v1` } }));
  registry.register(new OllamaProvider({ host: () => ollama.url }));
  sleeps = [];
  chat = new ReliableChat({
    providers: registry,
    clock: { ...realClock, sleep: async (ms) => void sleeps.push(ms) },
    // The cold-start grace is for real model loads; the fake loads nothing.
    timeouts: { localColdStartMs: 0 },
  });
});
afterAll(async () => {
  await fake.close();
  await ollama.close();
});
afterEach(() => {
  fake.clearBehavior();
  ollama.setBehavior('*', {});
  sleeps = [];
});

// Short enough to keep the tests quick, long enough that a healthy stream on a loaded machine never
// trips them; every scripted stall or delay below is far longer than the limit it is meant to hit.
const SHORT: Partial<TimeoutPolicy> = { connectMs: 5_000, firstTokenMs: 5_000, idleMs: 2_000, totalMs: 10_000 };

async function run(candidates: string[], timeouts: Partial<TimeoutPolicy> = SHORT): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of chat.stream({ candidates, messages: [{ role: 'user', content: 'count' }], timeouts })) out.push(p);
  return out;
}
const texts = (parts: StreamPart[]) => parts.flatMap((p) => (p.type === 'text-delta' ? [p.text] : [])).join('');

describe('timeouts', () => {
  it('a stream stalled past the idle timeout is aborted at the HTTP level and reported as timeout, keeping the text', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { reply: 'one two three four five', tokenDelayMs: 2, stallAfterTokens: 2 });
    const before = fake.abortedRequests().length;
    const parts = await run([FAST, BIG]);
    expect(texts(parts)).toBe('one two');
    const last = parts.at(-1);
    expect(last).toMatchObject({ type: 'error', partial: true, remaining: [BIG], error: { code: 'timeout', details: { phase: 'streaming' } } });
    expect((last as { error: Error }).error.message).toMatch(/stalled/);
    await expect.poll(() => fake.abortedRequests().length).toBe(before + 1);
    expect(fake.abortedRequests().at(-1)?.model).toBe('llama-3.1-8b-instant');
  });

  it('no first token in time: the request is aborted and the next model answers, without retrying the slow one', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { reply: 'late', firstTokenDelayMs: 30_000 });
    fake.setBehavior('llama-3.3-70b-versatile', { reply: 'on time' });
    const before = fake.requests.filter((r) => r.model === 'llama-3.1-8b-instant').length;
    const parts = await run([FAST, BIG], { ...SHORT, firstTokenMs: 3_000 });
    expect(parts[0]).toMatchObject({ type: 'fallback', from: FAST, to: BIG, error: { code: 'timeout', details: { phase: 'first-token' } } });
    expect(texts(parts)).toBe('on time');
    expect(fake.requests.filter((r) => r.model === 'llama-3.1-8b-instant').length).toBe(before + 1);
    await expect.poll(() => fake.abortedRequests().some((r) => r.model === 'llama-3.1-8b-instant')).toBe(true);
  });

  it('no response headers in time: a connect timeout, which is retried', async () => {
    // The fake sleeps before sending any header when it is scripted to fail.
    fake.setBehavior('llama-3.1-8b-instant', { errorStatus: 503, firstTokenDelayMs: 30_000, times: 1 });
    fake.setBehavior('llama-3.1-8b-instant', { reply: 'second try' });
    const parts = await run([FAST], { ...SHORT, connectMs: 3_000 });
    expect(texts(parts)).toBe('second try');
    expect(sleeps).toHaveLength(1);
  });

  it('the total budget ends a reply that streams but never finishes', async () => {
    fake.setBehavior('llama-3.1-8b-instant', { reply: 'a '.repeat(400), tokenDelayMs: 20 });
    const parts = await run([FAST], { ...SHORT, idleMs: 5_000, totalMs: 500 });
    expect(parts.at(-1)).toMatchObject({ type: 'error', partial: true, error: { code: 'timeout', details: { phase: 'total' } } });
  });

  it('Ollama gets the same timeouts: a stalled local stream is aborted', async () => {
    ollama.setBehavior('llama3.2:3b', { reply: 'one two three four five', tokenDelayMs: 2, stallAfterTokens: 3 });
    const parts = await run(['ollama/llama3.2:3b']);
    expect(texts(parts)).toBe('one two three');
    expect(parts.at(-1)).toMatchObject({ type: 'error', partial: true, error: { code: 'timeout' } });
    await ollama.waitForIdle();
    expect(ollama.abortedRequests().length).toBe(1);
  });

  it('defaults follow seed 001 per pool, with a cold-start grace for local models', () => {
    expect(resolveTimeouts('quick', 'paid').totalMs).toBe(30_000);
    expect(resolveTimeouts('balanced', 'free').totalMs).toBe(90_000);
    expect(resolveTimeouts('high', 'paid').totalMs).toBe(180_000);
    expect(resolveTimeouts('reasoning', 'paid').totalMs).toBe(600_000);
    expect(resolveTimeouts('balanced', 'local')).toMatchObject({ connectMs: 75_000, firstTokenMs: 90_000, idleMs: 30_000, totalMs: 150_000 });
    expect(resolveTimeouts('balanced', 'paid', { pools: { balanced: { idleMs: 5_000 } } }, { totalMs: 10_000 })).toMatchObject({ idleMs: 5_000, totalMs: 10_000 });
  });
});
