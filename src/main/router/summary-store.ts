import type { Db } from '../store/database';

/** A summary of a conversation's older turns, up to and including `lastMessageId`. */
export interface CachedSummary {
  lastMessageId: string;
  summary: string;
  /** How many messages (including earlier summaries' messages) it covers. */
  summarisedCount: number;
  tokens: number;
  modelId: string;
  createdAt: number;
}

export interface SummaryStore {
  /** The newest summary of the conversation. */
  latest(conversationId: string): CachedSummary | undefined;
  save(conversationId: string, summary: CachedSummary): void;
}

export class MemorySummaryStore implements SummaryStore {
  private readonly byConversation = new Map<string, CachedSummary>();

  latest(conversationId: string): CachedSummary | undefined {
    return this.byConversation.get(conversationId);
  }

  save(conversationId: string, summary: CachedSummary): void {
    this.byConversation.set(conversationId, summary);
  }
}

interface SummaryRow {
  last_message_id: string;
  summary: string;
  summarised_count: number;
  tokens: number;
  model_id: string;
  created_at: number;
}

/** `context_summaries` (migration 4); rows go with their conversation (ON DELETE CASCADE). */
export class SqliteSummaryStore implements SummaryStore {
  private readonly select;
  private readonly upsert;

  constructor(db: Db) {
    this.select = db.prepare(
      `SELECT last_message_id, summary, summarised_count, tokens, model_id, created_at FROM context_summaries
       WHERE conversation_id = ? ORDER BY summarised_count DESC, created_at DESC LIMIT 1`,
    );
    this.upsert = db.prepare(
      `INSERT INTO context_summaries (conversation_id, last_message_id, summary, summarised_count, tokens, model_id, created_at)
       VALUES (@conversationId, @lastMessageId, @summary, @summarisedCount, @tokens, @modelId, @createdAt)
       ON CONFLICT (conversation_id, last_message_id) DO UPDATE SET summary = excluded.summary, summarised_count = excluded.summarised_count,
         tokens = excluded.tokens, model_id = excluded.model_id, created_at = excluded.created_at`,
    );
  }

  latest(conversationId: string): CachedSummary | undefined {
    const row = this.select.get(conversationId) as SummaryRow | undefined;
    if (!row) return undefined;
    return {
      lastMessageId: row.last_message_id,
      summary: row.summary,
      summarisedCount: row.summarised_count,
      tokens: row.tokens,
      modelId: row.model_id,
      createdAt: row.created_at,
    };
  }

  save(conversationId: string, summary: CachedSummary): void {
    this.upsert.run({ conversationId, ...summary });
  }
}
