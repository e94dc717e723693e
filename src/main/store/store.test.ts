import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/app-harness';
import { ConversationsRepo, MIGRATIONS, MessagesRepo, SettingsRepo, openDatabase, schemaVersion, type Db } from './index';

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

let dir: string;
let db: Db;
afterEach(() => {
  db?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(): Db {
  dir ??= tempDir();
  db = openDatabase(path.join(dir, 'test.db'));
  return db;
}

describe('database', () => {
  it('opens in WAL mode and runs the migrations once', () => {
    dir = tempDir();
    open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(LATEST);
    db.close();
    open();
    expect(schemaVersion(db)).toBe(LATEST);
  });

  it('refuses a database written by a newer version', () => {
    dir = tempDir();
    open();
    db.pragma('user_version = 99');
    db.close();
    expect(() => open()).toThrow(/newer than this version/);
    db = openDatabase(':memory:');
  });
});

describe('repositories', () => {
  it('creates, renames, lists and deletes conversations with their messages', () => {
    dir = tempDir();
    open();
    const conversations = new ConversationsRepo(db);
    const messages = new MessagesRepo(db);
    const a = conversations.create('First', 1000);
    const b = conversations.create('Second', 2000);
    expect(conversations.list().map((c) => c.id)).toEqual([b.id, a.id]);
    messages.insertMany([{ conversationId: a.id, role: 'user', content: 'hi', modelId: null, status: 'complete' }], 3000);
    conversations.touch(a.id, 'ollama/llama3.2:3b', 3000);
    expect(conversations.list()[0]).toMatchObject({ id: a.id, messageCount: 1, lastModelId: 'ollama/llama3.2:3b' });
    expect(conversations.rename(a.id, 'Renamed')?.title).toBe('Renamed');
    expect(conversations.rename('missing', 'x')).toBeNull();
    expect(conversations.delete(a.id)).toBe(true);
    expect(messages.listByConversation(a.id)).toEqual([]);
    expect(conversations.delete(a.id)).toBe(false);
  });

  it('keeps message order and partial text, and marks replies cut by a crash', () => {
    dir = tempDir();
    open();
    const conversations = new ConversationsRepo(db);
    const messages = new MessagesRepo(db);
    const c = conversations.create('Chat');
    const [user, reply] = messages.insertMany([
      { conversationId: c.id, role: 'user', content: 'question', modelId: null, status: 'complete' },
      { conversationId: c.id, role: 'assistant', content: '', modelId: 'ollama/x', status: 'streaming', startedAt: 5 },
    ]);
    messages.saveProgress(reply!.id, 'partial ans', 7);
    // Simulate the process dying here: reopen the file.
    db.close();
    open();
    const reopened = new MessagesRepo(db);
    const recovered = reopened.recoverInterrupted(99);
    expect(recovered).toHaveLength(1);
    const list = reopened.listByConversation(c.id);
    expect(list.map((m) => m.id)).toEqual([user!.id, reply!.id]);
    expect(list[1]).toMatchObject({ status: 'error', content: 'partial ans', firstTokenAt: 7, finishedAt: 99 });
    expect(list[1]!.error?.message).toMatch(/closed before this reply finished/);
    expect(reopened.recoverInterrupted()).toHaveLength(0);
  });

  it('stores settings as JSON and deletes on undefined', () => {
    dir = tempDir();
    open();
    const settings = new SettingsRepo(db);
    settings.set('a', { nested: [1, 2] });
    settings.set('b', 'x');
    settings.set('b', undefined);
    expect(settings.all()).toEqual({ a: { nested: [1, 2] } });
  });
});

describe('migration 13 (issue #14)', () => {
  it('makes existing conversations one straight branch and keeps their last choice as the conversation’s model', async () => {
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(':memory:');
    for (const m of MIGRATIONS.filter((x) => x.version < 13)) m.up(raw);
    raw.prepare(`INSERT INTO conversations (id, title, created_at, updated_at, last_model_id) VALUES ('c', 'Old', 1, 1, 'switchboard/local')`).run();
    for (const [seq, id] of ['m1', 'm2', 'm3'].entries()) {
      raw.prepare(`INSERT INTO messages (id, conversation_id, seq, role, content, status, created_at) VALUES (?, 'c', ?, ?, 'x', 'complete', 1)`).run(id, seq + 1, seq % 2 ? 'assistant' : 'user');
    }
    MIGRATIONS.find((x) => x.version === 13)!.up(raw);
    const rows = raw.prepare(`SELECT id, parent_id, active FROM messages ORDER BY seq`).all();
    expect(rows).toEqual([
      { id: 'm1', parent_id: null, active: 1 },
      { id: 'm2', parent_id: 'm1', active: 1 },
      { id: 'm3', parent_id: 'm2', active: 1 },
    ]);
    expect(raw.prepare(`SELECT model FROM conversations`).get()).toEqual({ model: 'switchboard/local' });
    raw.close();
    dir = tempDir();
    db = openDatabase(':memory:');
  });
});
