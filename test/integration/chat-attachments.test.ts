import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedAttachment } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { minimalPdf, ONE_PIXEL_PNG } from '../fixtures/minimal-pdf';
import { createTestApp, type TestApp } from '../helpers/app-harness';

/** Issue #14, item 5: files as context (counted by the router), images to vision models only. */
let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({
    models: [
      { name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', capabilities: ['completion', 'tools'] },
      { name: 'llava:7b', family: 'llama', parameterSize: '7B', capabilities: ['completion', 'vision'] },
    ],
  });
});
afterAll(() => ollama.close());
afterEach(async () => {
  await h?.close();
  ollama.setBehavior('*', {});
});

interface SentMessage {
  role: string;
  content: string;
  images?: string[];
}
/** The /api/chat requests, with their bodies as Ollama's chat request has them. */
const chats = () => ollama.requests.filter((r) => r.path === '/api/chat').map((r) => ({ model: r.model, body: r.body as { messages: SentMessage[] } }));

async function prepare(name: string, mediaType: string, data: Buffer | string): Promise<PreparedAttachment> {
  return h.app.call('attachments.prepare', { name, mediaType, dataBase64: (typeof data === 'string' ? Buffer.from(data) : data).toString('base64') });
}

describe('attachments in chat', () => {
  it('puts a text file and a PDF into the message the model reads; the router counts their tokens; the message shows them', async () => {
    h = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'Noted.' });
    const { id } = await h.app.call('conversations.create', {});
    const notes = await prepare('notes.md', 'text/markdown', '# Plan\nShip the walrus feature on Friday.\n');
    const pdf = await prepare('report.pdf', 'application/pdf', minimalPdf(['Revenue grew by 12 percent.']));
    const before = chats().length;
    const { userMessage, assistantMessage } = await h.app.call('chat.send', { conversationId: id, content: 'Summarise these', model: 'ollama/llama3.2:3b', attachments: [notes, pdf] });
    expect(userMessage.content).toBe('Summarise these');
    expect(userMessage.attachments).toEqual([
      expect.objectContaining({ name: 'notes.md', kind: 'text', sizeBytes: 42 }),
      expect.objectContaining({ name: 'report.pdf', kind: 'pdf', mediaType: 'application/pdf' }),
    ]);
    await h.app.services.chat.idle();
    const sent = chats().slice(before).at(-1)!.body.messages.at(-1)!;
    expect(sent.content).toBe('Attached file “notes.md”:\n```\n# Plan\nShip the walrus feature on Friday.\n\n```\n\nAttached file “report.pdf”:\n```\nRevenue grew by 12 percent.\n```\n\nSummarise these');
    expect(sent.images).toBeUndefined();
    // The decision record's context estimate includes the files.
    const decision = await h.app.call('routing.decision', { messageId: assistantMessage.id });
    const { id: plain } = await h.app.call('conversations.create', {});
    const { assistantMessage: bare } = await h.app.call('chat.send', { conversationId: plain, content: 'Summarise these', model: 'ollama/llama3.2:3b' });
    await h.app.services.chat.idle();
    const bareDecision = await h.app.call('routing.decision', { messageId: bare.id });
    expect(decision!.analysis.contextTokens).toBeGreaterThan(bareDecision!.analysis.contextTokens + 15);
    // Stored: a reload lists them, and the search finds the typed words (not the file).
    expect((await h.app.call('conversations.messages', { id })).find((m) => m.role === 'user')!.attachments).toHaveLength(2);
  });

  it('an edited message keeps its files: the new version carries them and the model reads them again', async () => {
    h = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llama3.2:3b', { reply: 'Noted.' });
    const { id } = await h.app.call('conversations.create', {});
    const notes = await prepare('notes.md', 'text/markdown', 'The walrus ships on Friday.');
    const { userMessage } = await h.app.call('chat.send', { conversationId: id, content: 'When does it ship?', model: 'ollama/llama3.2:3b', attachments: [notes] });
    await h.app.services.chat.idle();
    const before = chats().length;
    const { userMessage: edited } = await h.app.call('chat.edit', { messageId: userMessage.id, content: 'Which day does it ship?' });
    expect(edited.attachments).toEqual([expect.objectContaining({ name: 'notes.md', kind: 'text', sizeBytes: 27 })]);
    expect(edited.attachments![0]!.id).not.toBe(userMessage.attachments![0]!.id);
    await h.app.services.chat.idle();
    const sent = chats().slice(before).at(-1)!.body.messages.at(-1)!;
    expect(sent.content).toBe('Attached file “notes.md”:\n```\nThe walrus ships on Friday.\n```\n\nWhich day does it ship?');
    // The earlier version keeps its own copy.
    const stored = await h.app.call('conversations.messages', { id });
    expect(stored.find((m) => m.id === userMessage.id)!.attachments).toHaveLength(1);
  });

  it('Auto sends an image only to a vision model, as Ollama `images`', async () => {
    h = createTestApp({ ollamaUrl: ollama.url });
    ollama.setBehavior('llava:7b', { reply: 'A single pixel.' });
    ollama.setBehavior('llama3.2:3b', { reply: 'I cannot see it.' });
    const { id } = await h.app.call('conversations.create', {});
    const image = await prepare('pixel.png', 'image/png', Buffer.from(ONE_PIXEL_PNG, 'base64'));
    const before = chats().length;
    const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content: 'What is in this picture?', model: 'switchboard/auto', attachments: [image] });
    await h.app.services.chat.idle();
    const done = h.app.services.messages.get(assistantMessage.id)!;
    expect(done).toMatchObject({ status: 'complete', content: 'A single pixel.', modelId: 'ollama/llava:7b' });
    const calls = chats().slice(before).filter((r) => r.body.messages.some((m) => m.images));
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(call.model).toBe('llava:7b');
    expect(calls.at(-1)!.body.messages.at(-1)).toEqual({ role: 'user', content: 'What is in this picture?', images: [ONE_PIXEL_PNG] });
    const decision = await h.app.call('routing.decision', { messageId: assistantMessage.id });
    expect(decision!.candidates.find((c) => c.model === 'ollama/llama3.2:3b')).toMatchObject({ eligible: false, reason: 'cannot see images, and this request carries images' });
  });

  it('refuses an image for a chosen model that cannot see it, before anything is stored', async () => {
    h = createTestApp({ ollamaUrl: ollama.url });
    const { id } = await h.app.call('conversations.create', {});
    const image = await prepare('pixel.png', 'image/png', Buffer.from(ONE_PIXEL_PNG, 'base64'));
    await expect(h.app.call('chat.send', { conversationId: id, content: 'Look', model: 'ollama/llama3.2:3b', attachments: [image] })).rejects.toThrow(
      /^ollama\/llama3\.2:3b cannot see images\. Choose a vision model/,
    );
    expect(await h.app.call('conversations.messages', { id })).toEqual([]);
  });

  it('says so when no vision model is available for an image on Auto', async () => {
    const textOnly = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', capabilities: ['completion'] }] });
    try {
      h = createTestApp({ ollamaUrl: textOnly.url });
      const { id } = await h.app.call('conversations.create', {});
      const image = await prepare('pixel.png', 'image/png', Buffer.from(ONE_PIXEL_PNG, 'base64'));
      const { assistantMessage } = await h.app.call('chat.send', { conversationId: id, content: 'Look', model: 'switchboard/auto', attachments: [image] });
      await h.app.services.chat.idle();
      const failed = h.app.services.messages.get(assistantMessage.id)!;
      expect(failed.status).toBe('error');
      expect(failed.error!.message).toMatch(/^No model can take this request right now\. \(ollama\/llama3\.2:3b: cannot see images, and this request carries images;/);
      // The router's own classifier read the words; no model was sent the image.
      const sent = textOnly.requests.filter((r) => r.path === '/api/chat').flatMap((r) => (r.body as { messages: SentMessage[] }).messages);
      expect(sent.filter((m) => m.images)).toEqual([]);
    } finally {
      await h.close();
      h = undefined as unknown as TestApp;
      await textOnly.close();
    }
  });
});
