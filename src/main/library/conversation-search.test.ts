import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationsRepo, MIGRATIONS, MessagesRepo, migrate, openDatabase, type Db } from '../store';
import { ConversationSearch, snippetParts, toFtsQuery } from './conversation-search';

let db: Db;
let conversations: ConversationsRepo;
let messages: MessagesRepo;
let search: ConversationSearch;

beforeEach(() => {
  db = openDatabase(':memory:');
  conversations = new ConversationsRepo(db);
  messages = new MessagesRepo(db);
  search = new ConversationSearch(db);
});
afterEach(() => db.close());

function say(conversationId: string, role: 'user' | 'assistant', content: string) {
  return messages.insertMany([{ conversationId, role, content, modelId: null, status: 'complete' }])[0]!;
}

const text = (parts: { text: string }[]) => parts.map((p) => p.text).join('');
const matched = (parts: { text: string; match: boolean }[]) => parts.filter((p) => p.match).map((p) => p.text.toLowerCase());

describe('toFtsQuery', () => {
  it('quotes every word so FTS5 syntax in the input is only text', () => {
    expect(toFtsQuery('hello world')).toBe('"hello"* "world"*');
    expect(toFtsQuery('say "hi')).toBe('"say"* """hi"*');
    expect(toFtsQuery('a OR b NOT c')).toBe('"a"* "OR"* "b"* "NOT"* "c"*');
    expect(toFtsQuery('title:foo')).toBe('"title:foo"*');
  });

  it('drops words without a letter or digit, and gives null when nothing is left', () => {
    expect(toFtsQuery('"')).toBeNull();
    expect(toFtsQuery('  * - ( ) ')).toBeNull();
    expect(toFtsQuery('')).toBeNull();
    expect(toFtsQuery('* rust')).toBe('"rust"*');
  });
});

describe('snippetParts', () => {
  it('splits marked matches from the text around them', () => {
    expect(snippetParts('…the \u0002quick\u0003 fox \u0002jumps\u0003')).toEqual([
      { text: '…the ', match: false },
      { text: 'quick', match: true },
      { text: ' fox ', match: false },
      { text: 'jumps', match: true },
    ]);
    expect(snippetParts('no match')).toEqual([{ text: 'no match', match: false }]);
  });
});

describe('ConversationSearch (FTS5)', () => {
  it('finds messages by word and prefix, with a snippet around the match', () => {
    const c = conversations.create('Cooking');
    const hit = say(c.id, 'user', 'How long should I boil an egg for a soft yolk?');
    say(c.id, 'assistant', 'About six minutes.');
    const hits = search.search('yol');
    expect(hits).toHaveLength(1);
    expect(hits[0]).toMatchObject({ conversationId: c.id, conversationTitle: 'Cooking', messageId: hit.id, role: 'user' });
    expect(matched(hits[0]!.snippet)).toEqual(['yolk']);
    expect(text(hits[0]!.snippet)).toContain('soft yolk');
  });

  it('requires every word, ignores case and accents, and finds titles', () => {
    const a = conversations.create('Café planning');
    say(a.id, 'user', 'Rust borrow checker question');
    const b = conversations.create('Other');
    say(b.id, 'user', 'rust is red');
    expect(search.search('RUST borrow').map((h) => h.messageId)).toHaveLength(1);
    expect(search.search('rust').filter((h) => h.messageId)).toHaveLength(2);
    const titleHits = search.search('cafe');
    expect(titleHits).toEqual([expect.objectContaining({ conversationId: a.id, messageId: null, conversationTitle: 'Café planning' })]);
    expect(matched(titleHits[0]!.snippet)).toEqual(['café']);
  });

  it('never errors on FTS syntax or odd input', () => {
    const c = conversations.create('Quotes');
    say(c.id, 'user', 'He said "hello" AND left (quickly) near: the NEAR door*');
    for (const q of ['"', '"hello', 'AND', 'OR OR', 'NEAR(', 'left)', '*', '-', 'col:umn', '^start', "it's", '\u0000', 'x'.repeat(500), '😀', 'hello"']) {
      expect(() => search.search(q)).not.toThrow();
    }
    expect(search.search('"hello').map((h) => h.messageId)).toHaveLength(1);
    expect(search.search('AND left').map((h) => h.messageId)).toHaveLength(1);
    expect(search.search('near:')).toHaveLength(1);
    expect(search.search('   ')).toEqual([]);
  });

  it('follows edits, renames and deletes (the triggers keep the index in step)', () => {
    const c = conversations.create('Temp');
    const m = messages.insertMany([{ conversationId: c.id, role: 'assistant', content: '', modelId: null, status: 'streaming' }])[0]!;
    messages.saveProgress(m.id, 'partial zebra', null);
    expect(search.search('zebra')).toHaveLength(1);
    messages.finish(m.id, { status: 'complete', content: 'final giraffe' });
    expect(search.search('zebra')).toHaveLength(0);
    expect(search.search('giraffe')).toHaveLength(1);
    conversations.rename(c.id, 'Savanna animals');
    expect(search.search('temp')).toHaveLength(0);
    expect(search.search('savanna')).toHaveLength(1);
    // Deleting the conversation cascades to its messages, and the triggers follow the cascade.
    conversations.delete(c.id);
    expect(search.search('giraffe')).toHaveLength(0);
    expect(search.search('savanna')).toHaveLength(0);
    // FTS5's own check that the index matches its content table (throws SQLITE_CORRUPT_VTAB if not).
    expect(() => db.prepare(`INSERT INTO messages_fts(messages_fts, rank) VALUES ('integrity-check', 1)`).run()).not.toThrow();
  });

  it('backfills rows written before the migration', () => {
    const old = openDatabase(':memory:', { migrations: MIGRATIONS.filter((m) => m.version < 14) });
    const repo = new ConversationsRepo(old);
    const c = repo.create('Before search existed');
    // Raw SQL: the repos of this version read migration 14's tables.
    old.prepare(`INSERT INTO messages (id, conversation_id, seq, role, content, status, created_at) VALUES ('m1', ?, 1, 'user', 'an ancient walrus', 'complete', 1)`).run(c.id);
    migrate(old, MIGRATIONS);
    const found = new ConversationSearch(old);
    expect(found.search('walrus')).toHaveLength(1);
    expect(found.search('ancient existed')).toHaveLength(0);
    expect(found.search('existed')).toEqual([expect.objectContaining({ messageId: null })]);
    old.close();
  });
});
