import type { SearchHit, SnippetPart } from '../../shared/contract';
import type { Db } from '../store';

/** Marks around matched words inside an FTS5 snippet (control characters no message carries). */
const OPEN = '\u0002';
const CLOSE = '\u0003';
/** Words of context a snippet keeps around the match (FTS5's snippet() takes at most 64). */
const SNIPPET_TOKENS = 14;
const DEFAULT_LIMIT = 50;

interface MessageHitRow {
  message_id: string;
  conversation_id: string;
  role: 'system' | 'user' | 'assistant';
  created_at: number;
  title: string;
  snippet: string;
}

interface TitleHitRow {
  conversation_id: string;
  title: string;
  updated_at: number;
  snippet: string;
}

/**
 * What a person typed, as an FTS5 query that cannot be a syntax error: every word is a quoted
 * string (a quote inside doubled, FTS5's escape), matched as a prefix so results come while typing,
 * all words required. Words with no letter or digit (a lone `"`, `-`, `*`) carry no token and are
 * dropped. Returns null when nothing searchable is left.
 */
export function toFtsQuery(input: string): string | null {
  const words = input
    .split(/[\s\p{Cc}]+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ');
}

/** An FTS5 snippet with the markers above, as plain text pieces (the renderer never parses HTML). */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let rest = snippet;
  while (rest.length > 0) {
    const open = rest.indexOf(OPEN);
    if (open < 0) {
      parts.push({ text: rest, match: false });
      break;
    }
    if (open > 0) parts.push({ text: rest.slice(0, open), match: false });
    const close = rest.indexOf(CLOSE, open + 1);
    const end = close < 0 ? rest.length : close;
    parts.push({ text: rest.slice(open + 1, end), match: true });
    rest = close < 0 ? '' : rest.slice(close + 1);
  }
  return parts.filter((p) => p.text.length > 0);
}

/**
 * Full-text search over conversation titles and message text (SQLite FTS5, migration 14). Title
 * matches come first (one per conversation), then messages by relevance (bm25).
 */
export class ConversationSearch {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      messages: db.prepare<[string, number], MessageHitRow>(
        `SELECT m.id AS message_id, m.conversation_id, m.role, m.created_at, c.title,
           snippet(messages_fts, 0, '${OPEN}', '${CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet
         FROM messages_fts
         JOIN messages m ON m.rowid = messages_fts.rowid
         JOIN conversations c ON c.id = m.conversation_id
         WHERE messages_fts MATCH ?
         ORDER BY bm25(messages_fts), m.created_at DESC
         LIMIT ?`,
      ),
      titles: db.prepare<[string, number], TitleHitRow>(
        `SELECT c.id AS conversation_id, c.title, c.updated_at,
           snippet(conversations_fts, 0, '${OPEN}', '${CLOSE}', '…', ${SNIPPET_TOKENS}) AS snippet
         FROM conversations_fts
         JOIN conversations c ON c.rowid = conversations_fts.rowid
         WHERE conversations_fts MATCH ?
         ORDER BY bm25(conversations_fts), c.updated_at DESC
         LIMIT ?`,
      ),
    };
  }

  search(query: string, limit = DEFAULT_LIMIT): SearchHit[] {
    const fts = toFtsQuery(query);
    if (!fts) return [];
    const titles: SearchHit[] = this.stmts.titles.all(fts, limit).map((r) => ({
      conversationId: r.conversation_id,
      conversationTitle: r.title,
      messageId: null,
      role: null,
      snippet: snippetParts(r.snippet),
      createdAt: r.updated_at,
    }));
    const messages: SearchHit[] = this.stmts.messages.all(fts, limit).map((r) => ({
      conversationId: r.conversation_id,
      conversationTitle: r.title,
      messageId: r.message_id,
      role: r.role,
      snippet: snippetParts(r.snippet),
      createdAt: r.created_at,
    }));
    return [...titles, ...messages].slice(0, limit);
  }
}
