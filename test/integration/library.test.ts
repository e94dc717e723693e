import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pathTo, versionPosition, visibleBranch } from '../../src/shared/chat-branch';
import { ConversationArchive, type ArchiveConversation } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, type TestApp } from '../helpers/app-harness';

let ollama: FakeOllama;
let harness: TestApp;
const CHATGPT = fs.readFileSync(path.resolve(import.meta.dirname, '../fixtures/chatgpt-conversations.json'), 'utf8');

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B' }] });
});
afterAll(() => ollama.close());
afterEach(async () => {
  await harness?.close();
  ollama.setBehavior('*', {});
});

/** A conversation with two answered turns, through the real chat path (so decision records exist). */
async function chatWithTwoTurns(h: TestApp, title: string): Promise<string> {
  const { id } = await h.app.call('conversations.create', {});
  ollama.setBehavior('llama3.2:3b', { reply: 'Paris is the capital of **France**.' });
  await h.app.call('chat.send', { conversationId: id, content: `${title}: what is the capital of France?`, model: 'switchboard/auto' });
  await h.app.services.chat.idle();
  ollama.setBehavior('llama3.2:3b', { reply: 'About 2.1 million people live there.' });
  await h.app.call('chat.send', { conversationId: id, content: 'And its population?', model: 'ollama/llama3.2:3b' });
  await h.app.services.chat.idle();
  return id;
}

/** What an import must keep: everything but the ids, the export time and the decision records. */
function content(c: ArchiveConversation) {
  return {
    title: c.title,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    lastModelId: c.lastModelId,
    cacheOptOut: c.cacheOptOut,
    // Ids are new in a copy: a parent is compared by its place in the conversation.
    messages: c.messages.map(({ id: _id, decisions: _d, tier: _t, parentId, ...m }) => ({ ...m, parent: parentId == null ? parentId : c.messages.findIndex((p) => p.id === parentId) })),
  };
}

describe('export and import of conversations (issue #14, item 7)', () => {
  it('exports a conversation as Markdown and as JSON with its decision records', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const id = await chatWithTwoTurns(harness, 'Geography');
    const md = await harness.app.call('library.exportConversation', { id, format: 'markdown' });
    expect(md.filename).toBe('geography-what-is-the-capital-of-france.md');
    expect(md.mimeType).toBe('text/markdown');
    expect(md.content).toContain('# Geography: what is the capital of France?');
    expect(md.content).toContain('## You\n\nAnd its population?');
    expect(md.content).toMatch(/## Assistant \(ollama\/llama3\.2:3b, local\)\n\nParis is the capital of \*\*France\*\*\./);

    const json = await harness.app.call('library.exportConversation', { id, format: 'json' });
    const archive = ConversationArchive.parse(JSON.parse(json.content));
    expect(archive.conversations).toHaveLength(1);
    const replies = archive.conversations[0]!.messages.filter((m) => m.role === 'assistant');
    expect(replies).toHaveLength(2);
    for (const reply of replies) {
      expect(reply.decisions.length).toBeGreaterThan(0);
      expect(reply.decisions.at(-1)).toMatchObject({ messageId: reply.id, chosenModel: 'ollama/llama3.2:3b', tier: 'local', outcome: 'ok' });
    }
    expect(replies[0]!.decisions.at(-1)!.analysis.intent).toBeTruthy();
  });

  it('round-trips every conversation through the archive: new ids, identical content, nothing replaced', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const first = await chatWithTwoTurns(harness, 'One');
    await chatWithTwoTurns(harness, 'Two');
    await harness.app.call('conversations.update', { id: first, cacheOptOut: true });
    // A message with files: they travel in the archive (text and bytes) and come back with the copy.
    const notes = await harness.app.call('attachments.prepare', { name: 'notes.md', mediaType: 'text/markdown', dataBase64: Buffer.from('# Notes\nwalrus').toString('base64') });
    await harness.app.call('chat.send', { conversationId: first, content: 'Read my notes', model: 'ollama/llama3.2:3b', attachments: [notes] });
    await harness.app.services.chat.idle();
    const before = await harness.app.call('library.exportAll', {});
    expect(before.filename).toMatch(/^switchboard-conversations-\d{4}-\d{2}-\d{2}\.json$/);
    const original = ConversationArchive.parse(JSON.parse(before.content));
    expect(original).toMatchObject({ format: 'switchboard.conversations', version: 1 });

    const result = await harness.app.call('library.import', { content: before.content, filename: before.filename });
    expect(result).toMatchObject({ format: 'switchboard', messages: 10, skipped: [] });
    const withFile = original.conversations.flatMap((c) => c.messages).find((m) => m.attachments.length)!;
    expect(withFile.attachments).toEqual([{ name: 'notes.md', kind: 'text', mediaType: 'text/markdown', sizeBytes: 14, text: '# Notes\nwalrus', dataBase64: null }]);
    expect(result.conversationIds).toHaveLength(2);
    for (const id of result.conversationIds) expect(original.conversations.map((c) => c.id)).not.toContain(id);

    // The originals are still there, and the imported copies hold the same content.
    const list = await harness.app.call('conversations.list', {});
    expect(list).toHaveLength(4);
    const after = ConversationArchive.parse(JSON.parse((await harness.app.call('library.exportAll', {})).content));
    const copies = after.conversations.filter((c) => result.conversationIds.includes(c.id));
    const originals = after.conversations.filter((c) => !result.conversationIds.includes(c.id));
    expect(originals.map(content)).toEqual(expect.arrayContaining(original.conversations.map(content)));
    expect(copies.map(content)).toEqual(expect.arrayContaining(original.conversations.map(content)));
    expect(copies.map(content)).toHaveLength(2);
    // Imported messages are searchable like any other.
    const hits = (await harness.app.call('library.search', { query: 'population' })).hits;
    expect(hits.filter((h) => h.messageId)).toHaveLength(4);
  });

  it("imports ChatGPT's conversations.json: the current branch, in order, without tool output", async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const result = await harness.app.call('library.import', { content: CHATGPT, filename: 'conversations.json' });
    expect(result.format).toBe('chatgpt');
    expect(result.conversationIds).toHaveLength(2);
    expect(result.messages).toBe(6);
    expect(result.skipped).toEqual(['“Sourdough starter”: 1 image or file (the export holds only a pointer to it).']);
    const [sourdough, python] = result.conversationIds as [string, string];
    const messages = harness.app.services.messages.listByConversation(sourdough);
    expect(messages.map((m) => [m.role, m.content, m.modelId])).toEqual([
      ['user', 'How often should I feed a sourdough starter?', null],
      ['assistant', 'Once or twice a day at room temperature; once a week if it lives in the fridge.', 'openai/gpt-4o'],
      ['user', 'Is this one healthy?', null],
      ['assistant', 'Yes: plenty of bubbles and it doubled.', 'openai/gpt-4o'],
    ]);
    expect(messages[0]!.createdAt).toBe(1_714_000_010_000);
    const conversation = harness.app.services.conversations.get(sourdough)!;
    expect(conversation).toMatchObject({ title: 'Sourdough starter', createdAt: 1_714_000_000_123, updatedAt: 1_714_000_900_500, lastModelId: 'openai/gpt-4o' });
    expect(harness.app.services.messages.listByConversation(python).map((m) => m.content)).toEqual(['Reverse a string in Python', 's[::-1]']);
    // Importing the same file again adds copies beside the first ones.
    await harness.app.call('library.import', { content: CHATGPT });
    expect(await harness.app.call('conversations.list', {})).toHaveLength(4);
  });

  it('imports every message as one branch: all of them shown, and all of them the context of a reply', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const { messages } = harness.app.services;
    /** What the user sees of a conversation, and what a reply after its last message would be sent. */
    const seen = (id: string) => {
      const all = messages.listByConversation(id);
      return { all: all.map((m) => m.content), shown: visibleBranch(all).map((m) => m.content), context: pathTo(all, all.at(-1)!.id).map((m) => m.content) };
    };
    // An archive from before versions existed (no parentId / active): one straight branch.
    const archive = {
      format: 'switchboard.conversations',
      version: 1,
      exportedAt: 5,
      conversations: [
        {
          id: 'c',
          title: 'Old archive',
          createdAt: 1,
          updatedAt: 4,
          messages: ['first question', 'first answer', 'second question', 'second answer'].map((content, i) => ({ id: `m${i}`, role: i % 2 ? 'assistant' : 'user', content, createdAt: i + 1 })),
        },
      ],
    };
    const [fromArchive] = (await harness.app.call('library.import', { content: JSON.stringify(archive) })).conversationIds as [string];
    expect(seen(fromArchive)).toEqual({ all: ['first question', 'first answer', 'second question', 'second answer'], shown: ['first question', 'first answer', 'second question', 'second answer'], context: ['first question', 'first answer', 'second question', 'second answer'] });
    const [sourdough] = (await harness.app.call('library.import', { content: CHATGPT })).conversationIds as [string];
    const expected = ['How often should I feed a sourdough starter?', 'Once or twice a day at room temperature; once a week if it lives in the fridge.', 'Is this one healthy?', 'Yes: plenty of bubbles and it doubled.'];
    expect(seen(sourdough)).toEqual({ all: expected, shown: expected, context: expected });
    // A reply in the imported chat is sent the whole conversation before it.
    ollama.setBehavior('llama3.2:3b', { reply: 'Keep feeding it.' });
    const before = ollama.requests.length;
    await harness.app.call('chat.send', { conversationId: sourdough, content: 'And in winter?', model: 'ollama/llama3.2:3b' });
    await harness.app.services.chat.idle();
    const sent = ollama.requests.slice(before).filter((r) => r.path === '/api/chat').at(-1)!.body as { messages: Array<{ role: string; content: string }> };
    expect(sent.messages.filter((m) => m.role !== 'system').map((m) => m.content)).toEqual([...expected, 'And in winter?']);
  });

  it('exports versions: Markdown is the branch shown, the archive keeps every version, and an import brings them back', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const { messages } = harness.app.services;
    const { id } = await harness.app.call('conversations.create', {});
    ollama.setBehavior('llama3.2:3b', { reply: 'First answer.' });
    const { userMessage } = await harness.app.call('chat.send', { conversationId: id, content: 'First wording', model: 'ollama/llama3.2:3b' });
    await harness.app.services.chat.idle();
    ollama.setBehavior('llama3.2:3b', { reply: 'Second answer.' });
    await harness.app.call('chat.edit', { messageId: userMessage.id, content: 'Second wording' });
    await harness.app.services.chat.idle();
    const shape = (conversationId: string) => {
      const all = messages.listByConversation(conversationId);
      return {
        shown: visibleBranch(all).map((m) => m.content),
        versions: all.map((m) => ({ content: m.content, parent: all.find((p) => p.id === m.parentId)?.content ?? null, active: m.active, position: versionPosition(all, m.id) && `${versionPosition(all, m.id)!.index} / ${versionPosition(all, m.id)!.count}` })),
      };
    };
    const original = shape(id);
    expect(original.shown).toEqual(['Second wording', 'Second answer.']);

    const md = (await harness.app.call('library.exportConversation', { id, format: 'markdown' })).content;
    expect(md).toContain('## You\n\nSecond wording');
    expect(md).toContain('Second answer.');
    expect(md).not.toContain('## You\n\nFirst wording'); // (the title still is: it was named by the first wording)
    expect(md).not.toContain('First answer.');
    expect(md).toContain('· 2 messages_');

    const json = (await harness.app.call('library.exportConversation', { id, format: 'json' })).content;
    const archive = ConversationArchive.parse(JSON.parse(json));
    expect(archive.version).toBe(1);
    const exported = archive.conversations[0]!.messages;
    expect(exported.map((m) => [m.content, m.parentId === null ? null : exported.find((p) => p.id === m.parentId)?.content, m.active])).toEqual([
      ['First wording', null, false],
      ['First answer.', 'First wording', true],
      ['Second wording', null, true],
      ['Second answer.', 'Second wording', true],
    ]);
    const [copy] = (await harness.app.call('library.import', { content: json })).conversationIds as [string];
    expect(shape(copy)).toEqual(original);
    // The all-conversations archive carries them the same way.
    const all = ConversationArchive.parse(JSON.parse((await harness.app.call('library.exportAll', {})).content));
    for (const c of all.conversations) expect(c.messages.map((m) => m.active)).toEqual([false, true, true, true]);
  });

  it('refuses malformed files with a message that names what is wrong, and stores nothing', async () => {
    harness = createTestApp({ ollamaUrl: ollama.url });
    const refused = async (content: string): Promise<string> => {
      const error = await harness.app.call('library.import', { content, filename: 'x.json' }).then(
        () => null,
        (e: Error & { code?: string }) => e,
      );
      expect(error?.code).toBe('invalid_input');
      return error!.message;
    };
    expect(await refused('{"format": ')).toMatch(/^“x\.json” is not valid JSON \(/);
    expect(await refused('{"hello": 1}')).toMatch(/not a file Switchboard can import: expected a Switchboard archive/);
    expect(await refused('{"format":"switchboard.conversations","version":7,"conversations":[]}')).toMatch(/version 7; this Switchboard reads version 1/);
    expect(await refused('{"format":"switchboard.conversations","version":1,"exportedAt":1,"conversations":[{"id":"a","title":"Trip","createdAt":1,"updatedAt":1,"messages":[{"id":"m","role":"robot","content":"x","createdAt":1}]}]}')).toMatch(
      /is a Switchboard archive, but conversation 1 \(“Trip”\), message 1, role: /,
    );
    const broken = JSON.parse(CHATGPT) as Array<{ mapping: Record<string, { message: unknown; parent: string | null }>; current_node: string }>;
    broken[1]!.mapping['u']!.parent = 'gone';
    expect(await refused(JSON.stringify(broken))).toMatch(/looks like a ChatGPT export, but conversation 2 \(“Python one-liner”\): node “u” has parent “gone”, which is not in mapping/);
    const noMapping = JSON.parse(CHATGPT) as Array<Record<string, unknown>>;
    delete noMapping[0]!.mapping;
    expect(await refused(JSON.stringify(noMapping))).toMatch(/conversation 1 \(“Sourdough starter”\): mapping: /);
    expect(await refused('[]')).toMatch(/holds no conversations to import/);
    // The broken second conversation kept the valid first one out too: an import is all or nothing.
    expect(await harness.app.call('conversations.list', {})).toHaveLength(0);
  });
});
