import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { LOCAL_MODEL_ID } from '../../src/main/answer';
import { NUM_CTX_STEP, OLLAMA_DEFAULT_CONTEXT, fastPromptTokens } from '../../src/main/router';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, type TestApp } from '../helpers/app-harness';
import { RTX_4060_TI_FIXTURE } from '../helpers/setup-fixtures';

// Issue #13: every Ollama call carries num_ctx sized to the request, within the trained context
// (/api/show) and what stays on the GPU (the fit estimator on a 16 GB RTX 4060 Ti).
const CODER = 'qwen2.5-coder:7b';
const SHORT_CTX = 'phi3:mini';
const BIG = 'qwen2.5-coder:32b';
const MID = 'qwen2.5-coder:14b';

let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: CODER, family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332, contextLength: 32_768 },
      { name: SHORT_CTX, family: 'phi3', parameterSize: '3.8B', sizeBytes: 2_176_178_913, contextLength: 8_192 },
    ],
  });
  ollama.setBehavior('*', { reply: 'Done.' });
});
afterAll(() => ollama.close());
afterEach(() => h?.close());

function app(): TestApp {
  h = createTestApp({ ollamaUrl: ollama.url, env: { SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE } });
  return h;
}

/** About `tokens` prompt tokens of plain words. */
function words(tokens: number): string {
  // "word3 " is 6 characters: 1.71 tokens at the router's 3.5 characters a token (fastPromptTokens).
  return Array.from({ length: Math.round(tokens / (6 / 3.5)) }, (_, i) => `word${i % 10}`).join(' ');
}

async function send(t: TestApp, content: string, model: string): Promise<Message> {
  const { id } = await t.app.call('conversations.create', {});
  const { assistantMessage } = await t.app.call('chat.send', { conversationId: id, content, model });
  await t.app.services.chat.idle();
  return t.app.services.messages.get(assistantMessage.id)!;
}

function chatOptions(model: string): Array<Record<string, unknown>> {
  return ollama.requests.filter((r) => r.path === '/api/chat' && r.model === model).map((r) => (r.body as { options?: Record<string, unknown> }).options ?? {});
}

describe('keep_alive', () => {
  it('is sent with every chat when set in Settings, and a bad value is refused with what to write', async () => {
    const t = app();
    await expect(t.app.call('settings.update', { ollamaKeepAlive: 'soon' })).rejects.toThrow(/duration such as 5m/);
    await t.app.call('settings.update', { ollamaKeepAlive: '30m' });
    const before = ollama.requests.length;
    await send(t, 'Say hi.', `ollama/${CODER}`);
    const chats = ollama.requests.slice(before).filter((r) => r.path === '/api/chat');
    expect(chats.length).toBeGreaterThan(0);
    expect(chats.every((r) => (r.body as { keep_alive?: unknown }).keep_alive === '30m')).toBe(true);
    await t.app.call('settings.update', { ollamaKeepAlive: '-1' });
    const next = ollama.requests.length;
    await send(t, 'Say hi again.', `ollama/${CODER}`);
    expect(ollama.requests.slice(next).find((r) => r.path === '/api/chat')?.body).toMatchObject({ keep_alive: -1 });
  });
});

describe('num_ctx per request', () => {
  it('a short conversation runs at Ollama default context, and the decision says so', async () => {
    const t = app();
    const before = chatOptions(`ollama/${CODER}`).length + chatOptions(CODER).length;
    const m = await send(t, 'Write a function that adds two numbers in Python.', `ollama/${CODER}`);
    expect(m).toMatchObject({ status: 'complete', modelId: `ollama/${CODER}` });
    const sent = chatOptions(CODER).slice(before);
    expect(sent.at(-1)?.num_ctx).toBe(OLLAMA_DEFAULT_CONTEXT);
    const decision = await t.app.call('routing.decision', { messageId: m.id });
    expect(decision?.candidates.find((c) => c.model === `ollama/${CODER}`)).toMatchObject({ eligible: true, contextTokens: OLLAMA_DEFAULT_CONTEXT });
  });

  it('a long conversation gets a context that holds it and the reply, rounded up to the step', async () => {
    const t = app();
    const content = words(11_000);
    const prompt = fastPromptTokens([{ role: 'user', content }]);
    const before = chatOptions(CODER).length;
    const m = await send(t, content, `ollama/${CODER}`);
    expect(m).toMatchObject({ status: 'complete', modelId: `ollama/${CODER}` });
    const numCtx = chatOptions(CODER).slice(before).at(-1)?.num_ctx as number;
    expect(numCtx % NUM_CTX_STEP).toBe(0);
    expect(numCtx).toBeGreaterThanOrEqual(prompt + 2048);
    expect(numCtx - NUM_CTX_STEP).toBeLessThan(prompt + 2048);
    expect(numCtx).toBeLessThanOrEqual(32_768);
    // Ollama loaded it with that context: nothing of the prompt was cut.
    const ps = (await t.app.call('localModels.overview', {})).loaded.find((l) => l.name === CODER);
    expect(ps?.contextLength).toBe(numCtx);
  });

  it('a model trained on less than the request is passed over for one that holds it, with the reason', async () => {
    const t = app();
    const content = words(11_000);
    const decision = await t.app.call('routing.preview', { content, model: LOCAL_MODEL_ID });
    const small = decision.candidates.find((c) => c.model === `ollama/${SHORT_CTX}`);
    expect(small).toMatchObject({ eligible: false });
    expect(small?.reason).toMatch(/^needs ~1\dK tokens; phi3:mini's trained context is 8K$/);
    expect(decision.model).toBe(`ollama/${CODER}`);

    // Chosen by hand, the small model is refused up front with the same reason, not truncated.
    const before = chatOptions(SHORT_CTX).length;
    const m = await send(t, content, `ollama/${SHORT_CTX}`);
    expect(m.status).toBe('error');
    expect(m.error?.message).toMatch(/phi3:mini's trained context is 8K/);
    expect(chatOptions(SHORT_CTX).length).toBe(before);
  });

  it('past what stays on the GPU, a local model is not used and the reason names the GPU limit', async () => {
    ollama.addModel({ name: BIG, family: 'qwen2', parameterSize: '32.8B', sizeBytes: 19_851_336_236, contextLength: 32_768 });
    ollama.addModel({ name: MID, family: 'qwen2', parameterSize: '14.8B', sizeBytes: 8_988_110_976, contextLength: 131_072 });
    try {
      const t = app();
      const preview = await t.app.call('routing.preview', { content: words(3_000), model: `ollama/${BIG}` });
      const big = preview.candidates.find((c) => c.model === `ollama/${BIG}`);
      // A 20 GB model on a 16 GB card runs partly on the CPU at any context: no GPU bound, the trained one applies.
      expect(big).toMatchObject({ eligible: true });
      const fit = await t.app.call('localModels.fit', { model: MID, contextLength: 131_072 });
      const onGpu = fit.maxFullGpuCtx;
      expect(onGpu).toBeGreaterThan(OLLAMA_DEFAULT_CONTEXT);
      expect(onGpu).toBeLessThan(131_072);
      // Within the GPU's bound: the context asked for stays under it.
      const fits = await t.app.call('routing.preview', { content: words(onGpu - 4_000), model: `ollama/${MID}` });
      const within = fits.candidates.find((c) => c.model === `ollama/${MID}`);
      expect(within, JSON.stringify({ onGpu, within })).toMatchObject({ eligible: true });
      expect(within?.contextTokens).toBeLessThanOrEqual(onGpu);
      const decision = await t.app.call('routing.preview', { content: words(onGpu + 1_000), model: `ollama/${MID}` });
      const mid = decision.candidates.find((c) => c.model === `ollama/${MID}`);
      expect(mid?.eligible).toBe(false);
      expect(mid?.reason).toMatch(new RegExp(`^needs ~\\d+K tokens; qwen2.5-coder:14b keeps ${Math.round(onGpu / 1024)}K on your GPU$`));
    } finally {
      ollama.removeModel(BIG);
      ollama.removeModel(MID);
    }
  });

  it('local only, a conversation longer than the local model holds is summarised to fit it, and the decision says so', async () => {
    ollama.removeModel(CODER);
    try {
      const t = app();
      const { id } = await t.app.call('conversations.create', {});
      // Eight turns of ~1,300 tokens: past phi3:mini's 8K once the reply budget is counted.
      let last: Message | undefined;
      for (let i = 0; i < 8; i++) {
        const { assistantMessage } = await t.app.call('chat.send', { conversationId: id, content: `Turn ${i}. ${words(1_300)}`, model: LOCAL_MODEL_ID });
        await t.app.services.chat.idle();
        last = t.app.services.messages.get(assistantMessage.id)!;
        expect([i, last.status, last.error?.message]).toEqual([i, 'complete', undefined]);
      }
      const decision = await t.app.call('routing.decision', { messageId: last!.id });
      expect(decision?.chosenModel).toBe(`ollama/${SHORT_CTX}`);
      expect(decision?.reasons[0]).toMatch(/^The conversation \(~\d+K tokens\) was longer than any model here could take, so its earlier turns were summarised to ~\d+K for ollama\/phi3:mini \(it keeps 8K\)\.$/);
      // The answer ran within the trained context, with the summary in place of the earliest turns.
      const answer = ollama.requests.filter((r) => r.path === '/api/chat' && r.model === SHORT_CTX).at(-1)!;
      const body = answer.body as { options: { num_ctx: number }; messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }> };
      expect(body.options.num_ctx).toBeLessThanOrEqual(8_192);
      expect(body.messages.some((m) => m.role === 'system' && m.content.startsWith('Summary of the earlier conversation'))).toBe(true);
      expect(fastPromptTokens(body.messages)).toBeLessThanOrEqual(8_192 - 2_048);
    } finally {
      ollama.addModel({ name: CODER, family: 'qwen2', parameterSize: '7.6B', sizeBytes: 4_683_087_332, contextLength: 32_768 });
    }
  });
});
