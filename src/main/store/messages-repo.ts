import { randomUUID } from 'node:crypto';
import { visibleBranch } from '../../shared/chat-branch';
import type { AttachmentInfo, Message, MessageCache, MessageStatus } from '../../shared/contract';
import type { SerializedError } from '../../shared/errors';
import type { Db } from './database';

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number;
  role: Message['role'];
  content: string;
  model_id: string | null;
  status: MessageStatus;
  error_json: string | null;
  created_at: number;
  started_at: number | null;
  first_token_at: number | null;
  finished_at: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost_usd: number | null;
  cost_unknown: number | null;
  tier: 'local' | 'free' | 'paid' | null;
  escalations: number | null;
  cache_json: string | null;
  parent_id: string | null;
  active: number;
  attachments_json: string | null;
}

// Cost lives in the call log (one row per model call, migration 2); a message's cost is their sum.
// The tier and escalations come from the reply's decision record (migration 4).
const SELECT = `SELECT m.*,
  (SELECT SUM(c.cost_usd) FROM calls c WHERE c.message_id = m.id) AS cost_usd,
  (SELECT MAX(c.cost_unknown) FROM calls c WHERE c.message_id = m.id) AS cost_unknown,
  (SELECT d.tier FROM route_decisions d WHERE d.message_id = m.id ORDER BY d.created_at DESC LIMIT 1) AS tier,
  (SELECT d.escalations FROM route_decisions d WHERE d.message_id = m.id ORDER BY d.created_at DESC LIMIT 1) AS escalations,
  (SELECT json_group_array(json_object('id', a.id, 'name', a.name, 'kind', a.kind, 'mediaType', a.media_type, 'sizeBytes', a.size_bytes))
     FROM (SELECT * FROM message_attachments WHERE message_id = m.id ORDER BY position) a) AS attachments_json
  FROM messages m`;

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    role: row.role,
    content: row.content,
    modelId: row.model_id,
    status: row.status,
    error: row.error_json ? (JSON.parse(row.error_json) as SerializedError) : null,
    createdAt: row.created_at,
    startedAt: row.started_at,
    firstTokenAt: row.first_token_at,
    finishedAt: row.finished_at,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    costUsd: row.cost_usd,
    ...(row.cost_unknown === 1 ? { costUnknown: true } : {}),
    tier: row.tier,
    escalations: row.escalations ?? 0,
    cached: row.cache_json ? (JSON.parse(row.cache_json) as MessageCache) : null,
    parentId: row.parent_id,
    active: row.active === 1,
    // Files a user message carries (issue #14, migration 14); absent when none.
    ...(row.attachments_json && row.attachments_json !== '[]' ? { attachments: JSON.parse(row.attachments_json) as AttachmentInfo[] } : {}),
  };
}

export interface NewMessage {
  conversationId: string;
  role: Message['role'];
  content: string;
  modelId: string | null;
  status: MessageStatus;
  startedAt?: number | null;
  /**
   * The message this one follows (migration 13). Absent: the first of a batch continues the visible
   * branch (its leaf), each later one follows the one inserted before it.
   */
  parentId?: string | null;
}

export interface FinishMessage {
  status: Exclude<MessageStatus, 'streaming'>;
  content: string;
  error?: SerializedError | null;
  firstTokenAt?: number | null;
  finishedAt?: number;
  promptTokens?: number | null;
  completionTokens?: number | null;
  /** Set when the reply was served from the response cache. */
  cached?: MessageCache | null;
}

export class MessagesRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      byConversation: db.prepare<[string], MessageRow>(`${SELECT} WHERE m.conversation_id = ? ORDER BY m.seq`),
      get: db.prepare<[string], MessageRow>(`${SELECT} WHERE m.id = ?`),
      nextSeq: db.prepare<[string], { next: number }>(
        'SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM messages WHERE conversation_id = ?',
      ),
      insert: db.prepare(
        `INSERT INTO messages (id, conversation_id, seq, role, content, model_id, status, created_at, started_at, parent_id, active)
         VALUES (@id, @conversationId, @seq, @role, @content, @modelId, @status, @createdAt, @startedAt, @parentId, 1)`,
      ),
      // The one version shown among its siblings (same parent): every other goes inactive.
      showOnly: db.prepare(
        `UPDATE messages SET active = CASE WHEN id = @id THEN 1 ELSE 0 END
         WHERE conversation_id = @conversationId AND parent_id IS @parentId`,
      ),
      reparent: db.prepare(`UPDATE messages SET parent_id = ?, active = CASE WHEN ? THEN active ELSE 0 END WHERE parent_id = ?`),
      delete: db.prepare(`DELETE FROM messages WHERE id = ?`),
      siblings: db.prepare<[string, string | null], { id: string; active: number }>(
        `SELECT id, active FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY seq`,
      ),
      setActive: db.prepare(`UPDATE messages SET active = ? WHERE id = ?`),
      saveProgress: db.prepare(
        `UPDATE messages SET content = ?, first_token_at = COALESCE(first_token_at, ?) WHERE id = ? AND status = 'streaming'`,
      ),
      resetProgress: db.prepare(`UPDATE messages SET content = ?, first_token_at = ? WHERE id = ? AND status = 'streaming'`),
      setModel: db.prepare(`UPDATE messages SET model_id = ? WHERE id = ?`),
      finish: db.prepare(
        `UPDATE messages SET status = @status, content = @content, error_json = @errorJson,
           first_token_at = COALESCE(first_token_at, @firstTokenAt), finished_at = @finishedAt,
           prompt_tokens = @promptTokens, completion_tokens = @completionTokens, cache_json = @cacheJson
         WHERE id = @id`,
      ),
      restart: db.prepare(
        `UPDATE messages SET status = 'streaming', content = '', error_json = NULL, cache_json = NULL, model_id = ?,
           started_at = ?, first_token_at = NULL, finished_at = NULL, prompt_tokens = NULL, completion_tokens = NULL
         WHERE id = ? AND status != 'streaming'`,
      ),
      interrupted: db.prepare<[], MessageRow>(`${SELECT} WHERE m.status = 'streaming'`),
    };
  }

  listByConversation(conversationId: string): Message[] {
    return this.stmts.byConversation.all(conversationId).map(toMessage);
  }

  get(id: string): Message | null {
    const row = this.stmts.get.get(id);
    return row ? toMessage(row) : null;
  }

  /** The messages shown, root to leaf (the other versions left out). */
  visibleBranch(conversationId: string): Message[] {
    return visibleBranch(this.listByConversation(conversationId));
  }

  /**
   * Inserts several messages atomically, in order, so a user turn and its reply row land together.
   * Each new message becomes the version shown among its siblings.
   */
  insertMany(messages: NewMessage[], now = Date.now()): Message[] {
    const ids: string[] = [];
    this.db.transaction(() => {
      for (const [i, m] of messages.entries()) {
        const id = randomUUID();
        const seq = this.stmts.nextSeq.get(m.conversationId)!.next;
        const parentId = m.parentId !== undefined ? m.parentId : i > 0 ? ids[i - 1]! : (this.visibleBranch(m.conversationId).at(-1)?.id ?? null);
        const { parentId: _given, ...row } = m;
        this.stmts.insert.run({ id, seq, createdAt: now, startedAt: m.startedAt ?? null, ...row, parentId });
        this.stmts.showOnly.run({ id, conversationId: m.conversationId, parentId });
        ids.push(id);
      }
    })();
    return ids.map((id) => this.get(id)!);
  }

  /** Shows this version of its turn (Previous / Next version); the branch below it is the one it had. */
  /**
   * Shows a version: it, and every message above it, becomes the version shown of its turn, so a
   * message on a hidden branch (a search hit) comes into view; on the branch shown, only its turn changes.
   */
  showVersion(id: string): Message | null {
    const m = this.get(id);
    if (!m) return null;
    this.db.transaction(() => {
      const seen = new Set<string>();
      for (let cur: Message | null = m; cur && !seen.has(cur.id); cur = cur.parentId ? this.get(cur.parentId) : null) {
        seen.add(cur.id);
        this.stmts.showOnly.run({ id: cur.id, conversationId: cur.conversationId, parentId: cur.parentId ?? null });
      }
    })();
    return this.get(id);
  }

  /**
   * Deletes one message. What followed it stays and now follows its parent, so later turns are not
   * lost; if it was the version shown, its continuation is still what is shown, else that stays hidden.
   */
  delete(id: string): boolean {
    const m = this.get(id);
    if (!m) return false;
    this.db.transaction(() => {
      const parentId = m.parentId ?? null;
      this.stmts.reparent.run(parentId, m.active !== false ? 1 : 0, id);
      this.stmts.delete.run(id);
      const siblings = this.stmts.siblings.all(m.conversationId, parentId);
      const shown = siblings.filter((s) => s.active === 1);
      // Exactly one version of a turn is shown: the last marked one, else the newest.
      const keep = shown.at(-1) ?? siblings.at(-1);
      for (const s of siblings) if ((s.id === keep?.id) !== (s.active === 1)) this.stmts.setActive.run(s.id === keep?.id ? 1 : 0, s.id);
    })();
    return true;
  }

  /** Persists streamed text so far: a crash loses at most the last flush interval. */
  saveProgress(id: string, content: string, firstTokenAt: number | null, reset = false): void {
    (reset ? this.stmts.resetProgress : this.stmts.saveProgress).run(content, firstTokenAt, id);
  }

  /** The model that is answering (routed replies learn it when the attempt starts). */
  setModel(id: string, modelId: string): void {
    this.stmts.setModel.run(modelId, id);
  }

  finish(id: string, f: FinishMessage): Message | null {
    this.stmts.finish.run({
      id,
      status: f.status,
      content: f.content,
      // Provider text in the error was masked where it entered the app (secrets/redactor.ts).
      errorJson: f.error ? JSON.stringify(f.error) : null,
      firstTokenAt: f.firstTokenAt ?? null,
      finishedAt: f.finishedAt ?? Date.now(),
      promptTokens: f.promptTokens ?? null,
      completionTokens: f.completionTokens ?? null,
      cacheJson: f.cached ? JSON.stringify(f.cached) : null,
    });
    return this.get(id);
  }

  /** Empties a finished reply so it can be answered again in place (chat.regenerate); null if it is streaming. */
  restart(id: string, modelId: string | null, now = Date.now()): Message | null {
    return this.stmts.restart.run(modelId, now, id).changes > 0 ? this.get(id) : null;
  }

  /**
   * Replies still marked `streaming` when the app starts were cut off by a crash or a kill. Keep
   * their text and mark them as errors, so the user sees what happened instead of a spinner forever.
   */
  recoverInterrupted(now = Date.now()): Message[] {
    const rows = this.stmts.interrupted.all();
    for (const row of rows) {
      this.finish(row.id, {
        status: 'error',
        content: row.content,
        error: {
          code: 'cancelled',
          message: 'Switchboard closed before this reply finished. The text received so far is kept.',
          retryable: true,
        },
        finishedAt: now,
      });
    }
    return rows.map((r) => this.get(r.id)!);
  }
}
