import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope, Message } from '../../src/shared/contract';
import { LOCAL_MODEL_ID } from '../../src/main/answer';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { createTestApp, tempDir, type TestApp } from '../helpers/app-harness';

/** Issue #12, item 2: a chat reply in a conversation with a workspace carries its selected files. */
const LOCAL = 'ollama/llama3.2:3b';
const CART = `import { taxFor } from './tax';

export interface Line {
  priceCents: number;
  quantity: number;
}

export function totalCents(lines: Line[]): number {
  const net = lines.reduce((sum, l) => sum + l.priceCents * l.quantity, 0);
  return net + taxFor(net);
}
`;
const TAX = `export const TAX_RATE = 0.2;

export function taxFor(netCents: number): number {
  return Math.round(netCents * TAX_RATE);
}
`;
const FORMAT = `export function formatCents(cents: number): string {
  return (cents / 100).toFixed(2);
}
`;

let ollama: FakeOllama;
let groq: FakeOpenAI;
let h: TestApp;
let root = '';
let events: EventEnvelope[] = [];

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile'], apiKey: 'gsk_wsctx_test_1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), groq.close()]);
});
beforeEach(() => {
  root = path.join(tempDir('sb-chat-ws-'), 'shop');
  mkdirSync(path.join(root, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'src', 'cart.ts'), CART);
  writeFileSync(path.join(root, 'src', 'tax.ts'), TAX);
  writeFileSync(path.join(root, 'src', 'format.ts'), FORMAT);
  writeFileSync(path.join(root, 'README.md'), '# Shop\n\nA tiny cart.\n');
  ollama.setBehavior('llama3.2:3b', { reply: 'Here is the fix.' });
  groq.clearBehavior();
  groq.setBehavior('*', { reply: 'groq answered' });
  h = createTestApp({ ollamaUrl: ollama.url, env: { GROQ_API_KEY: 'gsk_wsctx_test_1234', GROQ_BASE_URL: `${groq.url}/v1` } });
  events = [];
  h.app.events.subscribe((e) => events.push(e));
});
afterEach(async () => {
  await h.close();
  rmSync(path.dirname(root), { recursive: true, force: true });
  ollama.setBehavior('*', {});
});

/** The messages of the last /api/chat request, as Ollama's chat request has them. */
function lastRequest(): Array<{ role: string; content: string }> {
  const body = ollama.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: Array<{ role: string; content: string }> };
  return body.messages;
}
/** Everything the last request said, as one text (the context block is a message of its own). */
const sentText = (): string => lastRequest().map((m) => m.content).join('\n');
const chatCalls = (): number => ollama.requests.filter((r) => r.path === '/api/chat').length;
const groqCalls = (): number => groq.requests.filter((r) => r.path.endsWith('/chat/completions')).length;

async function say(conversationId: string, content: string): Promise<Message> {
  const { assistantMessage } = await h.app.call('chat.send', { conversationId, content });
  await h.app.services.chat.idle();
  return h.app.services.messages.get(assistantMessage.id)!;
}
function contextEvents(messageId: string) {
  return events.filter((e) => e.event === 'chat.context' && e.payload.messageId === messageId).map((e) => e.payload as { workspace: string; files: Array<{ path: string; reason: string }> });
}
async function sentPaths(conversationId: string): Promise<string[]> {
  return (await h.app.call('workspaces.context', { conversationId })).files.map((f) => f.path).sort();
}

describe('chat replies carry the workspace context', () => {
  it('sends the selected files with every reply, as they are on disk now; a removed file stays out', async () => {
    const { id } = await h.app.call('conversations.create', { model: LOCAL });
    await h.app.call('workspaces.open', { path: root, conversationId: id });

    // A preview selects but records nothing as sent.
    const preview = await h.app.call('workspaces.selectContext', { conversationId: id, task: 'fix totalCents in cart.ts' });
    expect(preview.files.map((f) => f.path)).toContain('src/cart.ts');
    expect(await sentPaths(id)).toEqual([]);

    const first = await say(id, 'fix totalCents in cart.ts');
    expect(first).toMatchObject({ status: 'complete', content: 'Here is the fix.', modelId: LOCAL });
    // One system message just before the user's words, which go as typed.
    const [block, asked] = lastRequest().slice(-2);
    expect(asked).toEqual({ role: 'user', content: 'fix totalCents in cart.ts' });
    expect(block!.role).toBe('system');
    expect(block!.content.startsWith('Files from the workspace shop (paths relative to its root):')).toBe(true);
    expect(block!.content).toContain(`src/cart.ts (mentioned):\n\`\`\`\n${CART.trimEnd()}\n\`\`\``);
    // The stored message is the user's words alone.
    const stored = h.app.services.messages.listByConversation(id).find((m) => m.role === 'user')!;
    expect(stored.content).toBe('fix totalCents in cart.ts');
    // What went is named (event) and recorded as sent (the panel's list).
    const [went] = contextEvents(first.id);
    expect(went!.workspace).toBe('shop');
    expect(went!.files).toEqual(expect.arrayContaining([{ path: 'src/cart.ts', reason: 'mentioned', bytes: Buffer.byteLength(CART) }]));
    expect(await sentPaths(id)).toEqual(went!.files.map((f) => f.path).sort());
    const firstSent = went!.files.map((f) => f.path);
    expect(firstSent).toContain('src/tax.ts'); // cart.ts calls taxFor

    // Ask again: the new request holds no earlier context, so the files go in full again.
    const callsBefore = chatCalls();
    await h.app.call('chat.regenerate', { messageId: first.id, bypassCache: true });
    await h.app.services.chat.idle();
    expect(chatCalls()).toBe(callsBefore + 1);
    expect(sentText()).toContain(`src/cart.ts (mentioned):\n\`\`\`\n${CART.trimEnd()}`);

    // A follow-up: the block is not stored with the turn, so the model has no earlier copy: the
    // selected files go again in full (not only the changed ones).
    const second = await say(id, 'and in cart.ts keep the rounding');
    expect(sentText()).toContain('export function totalCents');
    expect(contextEvents(second.id)[0]?.files.map((f) => f.path) ?? []).toContain('src/cart.ts');

    // cart.ts changes on disk: the next turn sends what is on disk now.
    const changed = CART.replace('return net + taxFor(net);', 'return net + taxFor(Math.max(net, 0));');
    writeFileSync(path.join(root, 'src', 'cart.ts'), changed);
    const third = await say(id, 'check cart.ts again');
    expect(sentText()).toContain(changed.trimEnd());
    expect(sentText()).not.toContain(CART.trimEnd());
    expect(contextEvents(third.id)[0]!.files.map((f) => f.path)).toContain('src/cart.ts');

    // The user removes tax.ts in the panel: changed and named, it stays out.
    await h.app.call('workspaces.editContext', { conversationId: id, remove: 'src/tax.ts' });
    writeFileSync(path.join(root, 'src', 'tax.ts'), TAX.replace('0.2', '0.25'));
    await say(id, 'what does taxFor in tax.ts do?');
    expect(sentText()).not.toContain('TAX_RATE = 0.25');
    expect(sentText()).not.toContain('src/tax.ts (');

    // Added back by the user, it is sent with the next request.
    await h.app.call('workspaces.editContext', { conversationId: id, add: 'src/tax.ts' });
    await say(id, 'ok');
    expect(sentText()).toContain('src/tax.ts (added by you):\n```\nexport const TAX_RATE = 0.25;');
    expect(groqCalls()).toBe(0);
  });

  it('a failed reply records nothing as sent: the next one sends the files again', async () => {
    const { id } = await h.app.call('conversations.create', { model: LOCAL });
    await h.app.call('workspaces.open', { path: root, conversationId: id });
    ollama.setBehavior('llama3.2:3b', { errorStatus: 400, errorBody: JSON.stringify({ error: 'model is loading, try again' }) });
    const failed = await say(id, 'fix totalCents in cart.ts');
    expect(failed.status).toBe('error');
    expect(sentText()).toContain('export function totalCents');
    expect(contextEvents(failed.id)).toEqual([]);
    expect(await sentPaths(id)).toEqual([]);

    ollama.setBehavior('llama3.2:3b', { reply: 'Fixed.' });
    const retried = await h.app.call('chat.regenerate', { messageId: failed.id });
    await h.app.services.chat.idle();
    expect(h.app.services.messages.get(retried.assistantMessage.id)).toMatchObject({ status: 'complete', content: 'Fixed.' });
    expect(sentText()).toContain(`src/cart.ts (mentioned):\n\`\`\`\n${CART.trimEnd()}`);
    expect(await sentPaths(id)).toContain('src/cart.ts');
  });

  it('the cache answers the same question on the same files, never after a file changed', async () => {
    const ask = async (): Promise<Message> => {
      const { id } = await h.app.call('conversations.create', { model: LOCAL });
      await h.app.call('workspaces.open', { path: root, conversationId: id });
      return say(id, 'explain totalCents in cart.ts');
    };
    ollama.setBehavior('llama3.2:3b', { reply: 'It adds tax at 20%.' });
    expect((await ask()).cached).toBeNull();
    const before = chatCalls();
    const again = await ask();
    expect(again).toMatchObject({ status: 'complete', content: 'It adds tax at 20%.' });
    expect(again.cached).not.toBeNull();
    expect(chatCalls()).toBe(before);
    expect(contextEvents(again.id)[0]!.files.map((f) => f.path)).toContain('src/cart.ts');

    writeFileSync(path.join(root, 'src', 'cart.ts'), CART.replace('taxFor(net)', 'taxFor(net) + 99'));
    ollama.setBehavior('llama3.2:3b', { reply: 'It adds tax and 99 cents.' });
    const changed = await ask();
    expect(changed).toMatchObject({ status: 'complete', content: 'It adds tax and 99 cents.', cached: null });
    expect(sentText()).toContain('taxFor(net) + 99');
  });

  it('a Local-only conversation sends the context to Ollama only; a conversation with no workspace sends none', async () => {
    const { id } = await h.app.call('conversations.create', { model: LOCAL_MODEL_ID });
    await h.app.call('workspaces.open', { path: root, conversationId: id });
    const before = chatCalls();
    const reply = await say(id, 'fix totalCents in cart.ts');
    expect(reply).toMatchObject({ status: 'complete', modelId: LOCAL });
    expect(chatCalls()).toBeGreaterThan(before);
    expect(sentText()).toContain('export function totalCents');
    expect(groqCalls()).toBe(0);

    const { id: plain } = await h.app.call('conversations.create', { model: LOCAL });
    await say(plain, 'fix totalCents in cart.ts');
    expect(lastRequest()).toEqual([{ role: 'user', content: 'fix totalCents in cart.ts' }]);
  });
});
