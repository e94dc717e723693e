import { randomUUID } from 'node:crypto';
import { ChatSettings, type Conversation } from '../../shared/contract';
import type { Db } from './database';

interface ConversationRow {
  id: string;
  title: string;
  created_at: number;
  updated_at: number;
  last_model_id: string | null;
  message_count: number;
  cache_opt_out: number;
  model: string | null;
  chat_settings_json: string | null;
}

/** A stored value that no longer validates (a hand edit, an older version) reads as the defaults. */
function chatSettingsFrom(json: string | null): ChatSettings {
  if (!json) return {};
  try {
    const parsed = ChatSettings.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

const SELECT = `
  SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count
  FROM conversations c`;

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastModelId: row.last_model_id,
    messageCount: row.message_count,
    cacheOptOut: row.cache_opt_out === 1,
    model: row.model,
    chatSettings: chatSettingsFrom(row.chat_settings_json),
  };
}

export class ConversationsRepo {
  private readonly stmts;

  constructor(private readonly db: Db) {
    this.stmts = {
      list: db.prepare<[], ConversationRow>(`${SELECT} ORDER BY c.updated_at DESC, c.rowid DESC`),
      get: db.prepare<[string], ConversationRow>(`${SELECT} WHERE c.id = ?`),
      insert: db.prepare(
        'INSERT INTO conversations (id, title, created_at, updated_at, last_model_id, model, chat_settings_json) VALUES (?, ?, ?, ?, NULL, ?, ?)',
      ),
      setModel: db.prepare('UPDATE conversations SET model = ? WHERE id = ?'),
      setChatSettings: db.prepare('UPDATE conversations SET chat_settings_json = ? WHERE id = ?'),
      rename: db.prepare('UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?'),
      touch: db.prepare(
        'UPDATE conversations SET updated_at = ?, last_model_id = COALESCE(?, last_model_id) WHERE id = ?',
      ),
      delete: db.prepare('DELETE FROM conversations WHERE id = ?'),
      setCacheOptOut: db.prepare('UPDATE conversations SET cache_opt_out = ? WHERE id = ?'),
    };
  }

  list(): Conversation[] {
    return this.stmts.list.all().map(toConversation);
  }

  get(id: string): Conversation | null {
    const row = this.stmts.get.get(id);
    return row ? toConversation(row) : null;
  }

  create(title: string, now = Date.now(), start: { model?: string | null; chatSettings?: ChatSettings } = {}): Conversation {
    const id = randomUUID();
    const settings = start.chatSettings && Object.keys(start.chatSettings).length > 0 ? JSON.stringify(start.chatSettings) : null;
    this.stmts.insert.run(id, title, now, now, start.model ?? null, settings);
    return this.get(id)!;
  }

  /** The conversation's own mode or model (issue #14): only the user's choice sets it. */
  setModel(id: string, model: string): Conversation | null {
    return this.stmts.setModel.run(model, id).changes > 0 ? this.get(id) : null;
  }

  setChatSettings(id: string, chatSettings: ChatSettings): Conversation | null {
    const json = Object.keys(chatSettings).length > 0 ? JSON.stringify(chatSettings) : null;
    return this.stmts.setChatSettings.run(json, id).changes > 0 ? this.get(id) : null;
  }

  rename(id: string, title: string, now = Date.now()): Conversation | null {
    const info = this.stmts.rename.run(title, now, id);
    return info.changes ? this.get(id) : null;
  }

  touch(id: string, modelId: string | null, now = Date.now()): void {
    this.stmts.touch.run(now, modelId, id);
  }

  setCacheOptOut(id: string, optOut: boolean): Conversation | null {
    return this.stmts.setCacheOptOut.run(optOut ? 1 : 0, id).changes > 0 ? this.get(id) : null;
  }

  delete(id: string): boolean {
    return this.stmts.delete.run(id).changes > 0;
  }
}
