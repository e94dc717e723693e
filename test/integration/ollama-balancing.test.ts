import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, type TestApp } from '../helpers/app-harness';

// Issue #13 item 6 (seed 004, health-checked load balancing): two Ollama hosts serve the same model.
const MODEL = 'llama3.2:3b';
const REPLY = Array.from({ length: 12 }, (_, i) => `word${i}`).join(' ');

let desk: FakeOllama;
let box: FakeOllama;
let h: TestApp;
/** Every message differs, so the reply cache never answers one. */
let sent = 0;

beforeAll(async () => {
  desk = await startFakeOllama({ models: [{ name: MODEL, family: 'llama', parameterSize: '3.2B' }] });
  box = await startFakeOllama({ models: [{ name: MODEL, family: 'llama', parameterSize: '3.2B' }] });
});
afterAll(async () => {
  await Promise.all([desk.close(), box.close()]);
});
afterEach(async () => {
  await h?.close();
});

function app(): TestApp {
  h = createTestApp({ ollamaUrl: desk.url });
  h.app.services.settings.update({ ollamaHosts: [{ name: 'box', url: box.url, maxConcurrent: 4 }] });
  return h;
}

async function sendAll(t: TestApp, n: number): Promise<Message[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    // Sent one after the other; they stream together.
    const { id } = await t.app.call('conversations.create', {});
    const { assistantMessage } = await t.app.call('chat.send', { conversationId: id, content: `hello ${++sent}`, model: `ollama/${MODEL}` });
    ids.push(assistantMessage.id);
  }
  await t.app.services.chat.idle();
  return ids.map((id) => t.app.services.messages.get(id)!);
}

const chats = (fake: FakeOllama): number => fake.requests.filter((r) => r.path === '/api/chat').length;

describe('several Ollama hosts serving one model', () => {
  it('requests in flight are spread over both hosts', async () => {
    // Slow replies, so all four are in flight together.
    desk.setBehavior('*', { reply: REPLY, tokenDelayMs: 25 });
    box.setBehavior('*', { reply: REPLY, tokenDelayMs: 25 });
    const t = app();
    const [d0, b0] = [chats(desk), chats(box)];
    const messages = await sendAll(t, 4);
    expect(messages.every((m) => m.status === 'complete' && m.content === REPLY)).toBe(true);
    expect([chats(desk) - d0, chats(box) - b0]).toEqual([2, 2]);
    expect(desk.maxInflight(MODEL)).toBeGreaterThanOrEqual(2);
    expect(t.app.services.routing.balancer.load()).toEqual({ [`ollama/${MODEL}`]: 0, [`ollama-box/${MODEL}`]: 0 });
  });

  it('a failing host hands its requests to the healthy one, and its breaker then keeps it out', async () => {
    // Two at a time, slow enough to overlap: the second of each pair goes to the box, which fails.
    desk.setBehavior('*', { reply: REPLY, tokenDelayMs: 10 });
    box.setBehavior('*', { errorStatus: 500 });
    const t = app();
    const b0 = chats(box);
    const messages: Message[] = [];
    for (let i = 0; i < 6; i++) messages.push(...(await sendAll(t, 2)));
    expect(messages.every((m) => m.status === 'complete' && m.content === REPLY)).toBe(true);
    expect(chats(box)).toBeGreaterThan(b0);
    expect(t.app.services.reliable.health.isOpen(`ollama-box/${MODEL}`)).toBe(true);
    // Once open, the box gets nothing more, even with requests in flight on the desk.
    const before = chats(box);
    const more = await sendAll(t, 3);
    expect(more.every((m) => m.status === 'complete')).toBe(true);
    expect(chats(box)).toBe(before);
  });
});
