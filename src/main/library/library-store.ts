import { randomUUID } from 'node:crypto';
import type { SerializedError } from '../../shared/errors';
import type { Db } from '../store';
import type { ImportedConversation } from './imported';

/**
 * Writes imported conversations: every conversation and message gets a new id, so an import adds
 * beside what is there and never replaces it. All of one import is one transaction: a file that
 * fails half-way leaves nothing behind.
 */
export class LibraryStore {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      conversation: db.prepare(
        `INSERT INTO conversations (id, title, created_at, updated_at, last_model_id, cache_opt_out) VALUES (?, ?, ?, ?, ?, ?)`,
      ),
      attachment: db.prepare(
        `INSERT INTO message_attachments (id, message_id, position, name, kind, media_type, size_bytes, text, data_base64, created_at)
         VALUES (@id, @messageId, @position, @name, @kind, @mediaType, @sizeBytes, @text, @dataBase64, @createdAt)`,
      ),
      attachmentsOf: db.prepare<[string], { name: string; kind: 'text' | 'pdf' | 'image'; media_type: string; size_bytes: number; text: string | null; data_base64: string | null }>(
        `SELECT name, kind, media_type, size_bytes, text, data_base64 FROM message_attachments WHERE message_id = ? ORDER BY position`,
      ),
      message: db.prepare(
        `INSERT INTO messages (id, conversation_id, seq, role, content, model_id, status, error_json, created_at, started_at, finished_at, prompt_tokens, completion_tokens, parent_id, active)
         VALUES (@id, @conversationId, @seq, @role, @content, @modelId, @status, @errorJson, @createdAt, @startedAt, @finishedAt, @promptTokens, @completionTokens, @parentId, @active)`,
      ),
    };
  }

  /** Stores the conversations; returns their new ids in the same order. */
  insert(conversations: readonly ImportedConversation[]): string[] {
    return this.db.transaction(() => conversations.map((c) => this.insertOne(c)))();
  }

  private insertOne(c: ImportedConversation): string {
    const id = randomUUID();
    this.stmts.conversation.run(id, c.title, c.createdAt, c.updatedAt, c.lastModelId, c.cacheOptOut ? 1 : 0);
    // The file's message ids → the new ones, so versions (parent and shown one) survive the import.
    const newIds = new Map<string, string>();
    let previous: string | null = null;
    c.messages.forEach((m, i) => {
      const messageId = randomUUID();
      if (m.sourceId !== undefined) newIds.set(m.sourceId, messageId);
      const parentId = parentOf(m, previous, newIds);
      previous = messageId;
      // Nothing imported is still being written: a reply cut off mid-stream is kept as stopped.
      const status = m.status === 'streaming' ? 'cancelled' : m.status;
      const error: SerializedError | null = m.error ? { code: status === 'cancelled' ? 'cancelled' : 'internal', message: m.error, retryable: true } : null;
      this.stmts.message.run({
        id: messageId,
        conversationId: id,
        seq: i + 1,
        role: m.role,
        content: m.content,
        modelId: m.modelId,
        status,
        errorJson: error ? JSON.stringify(error) : null,
        createdAt: m.createdAt,
        startedAt: m.role === 'assistant' ? m.createdAt : null,
        finishedAt: m.finishedAt,
        promptTokens: m.promptTokens,
        completionTokens: m.completionTokens,
        parentId,
        active: m.active === false ? 0 : 1,
      });
      (m.attachments ?? []).forEach((a, position) =>
        this.stmts.attachment.run({ id: randomUUID(), messageId, position, name: a.name, kind: a.kind, mediaType: a.mediaType, sizeBytes: a.sizeBytes, text: a.text, dataBase64: a.dataBase64, createdAt: m.createdAt }),
      );
    });
    return id;
  }

  /** A message's files as an archive keeps them (with their text and bytes). */
  attachmentsOf(messageId: string): NonNullable<ImportedConversation['messages'][number]['attachments']> {
    return this.stmts.attachmentsOf.all(messageId).map((r) => ({ name: r.name, kind: r.kind, mediaType: r.media_type, sizeBytes: r.size_bytes, text: r.text, dataBase64: r.data_base64 }));
  }
}

/**
 * The new parent of an imported message: its parent in the file, mapped to that message's new id;
 * with no parent given (a file without versions, ChatGPT's current branch) the message before it.
 * A parent the file names but does not hold (or holds only later) is read as the message before it:
 * the message is kept in line rather than becoming a root that would hide the turns above it.
 */
function parentOf(m: ImportedConversation['messages'][number], previous: string | null, newIds: ReadonlyMap<string, string>): string | null {
  if (m.parentId === undefined) return previous;
  if (m.parentId === null) return null;
  return newIds.get(m.parentId) ?? previous;
}
