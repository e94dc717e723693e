import type { Db } from '../store';

export interface WorkspaceRow {
  id: string;
  root: string;
  name: string;
  openedAt: number;
  indexedAt: number | null;
}

export interface ConversationLink {
  workspaceId: string;
  pinned: string[];
  excluded: string[];
}

export interface SentRow {
  path: string;
  hash: string;
  bytes: number;
  reason: string;
  sentAt: number;
}

function parseList(json: string): string[] {
  const value: unknown = JSON.parse(json);
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The SQL of migration 015 (workspaces, conversation links, context sent); the index has its own. */
export class WorkspaceStore {
  constructor(private readonly db: Db) {}

  list(): WorkspaceRow[] {
    return this.db.prepare('SELECT id, root, name, opened_at AS openedAt, indexed_at AS indexedAt FROM workspaces ORDER BY opened_at DESC').all() as WorkspaceRow[];
  }

  get(id: string): WorkspaceRow | null {
    return (this.db.prepare('SELECT id, root, name, opened_at AS openedAt, indexed_at AS indexedAt FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined) ?? null;
  }

  byRoot(root: string): WorkspaceRow | null {
    return (this.db.prepare('SELECT id, root, name, opened_at AS openedAt, indexed_at AS indexedAt FROM workspaces WHERE root = ?').get(root) as WorkspaceRow | undefined) ?? null;
  }

  /** Inserts the folder, or marks an existing one opened now; returns its row. */
  upsert(id: string, root: string, name: string, now: number): WorkspaceRow {
    this.db
      .prepare('INSERT INTO workspaces (id, root, name, created_at, opened_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (root) DO UPDATE SET opened_at = excluded.opened_at')
      .run(id, root, name, now, now);
    return this.byRoot(root)!;
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id).changes > 0;
  }

  link(conversationId: string): ConversationLink | null {
    const row = this.db.prepare('SELECT workspace_id AS workspaceId, pinned_json AS pinned, excluded_json AS excluded FROM conversation_workspaces WHERE conversation_id = ?').get(conversationId) as
      | { workspaceId: string; pinned: string; excluded: string }
      | undefined;
    return row ? { workspaceId: row.workspaceId, pinned: parseList(row.pinned), excluded: parseList(row.excluded) } : null;
  }

  /** Links a conversation to a workspace; a new workspace starts with nothing pinned or excluded. */
  setLink(conversationId: string, workspaceId: string | null, now: number): void {
    if (workspaceId === null) {
      this.db.prepare('DELETE FROM conversation_workspaces WHERE conversation_id = ?').run(conversationId);
      return;
    }
    const current = this.link(conversationId);
    if (current?.workspaceId === workspaceId) return;
    this.db
      .prepare(
        `INSERT INTO conversation_workspaces (conversation_id, workspace_id, pinned_json, excluded_json, linked_at) VALUES (?, ?, '[]', '[]', ?)
         ON CONFLICT (conversation_id) DO UPDATE SET workspace_id = excluded.workspace_id, pinned_json = '[]', excluded_json = '[]', linked_at = excluded.linked_at`,
      )
      .run(conversationId, workspaceId, now);
  }

  setLists(conversationId: string, pinned: readonly string[], excluded: readonly string[]): void {
    this.db.prepare('UPDATE conversation_workspaces SET pinned_json = ?, excluded_json = ? WHERE conversation_id = ?').run(JSON.stringify(pinned), JSON.stringify(excluded), conversationId);
  }

  sent(conversationId: string, workspaceId: string): SentRow[] {
    return this.db
      .prepare('SELECT path, hash, bytes, reason, sent_at AS sentAt FROM context_sent WHERE conversation_id = ? AND workspace_id = ? ORDER BY sent_at, path')
      .all(conversationId, workspaceId) as SentRow[];
  }

  recordSent(conversationId: string, workspaceId: string, rows: ReadonlyArray<Omit<SentRow, 'sentAt'>>, now: number): void {
    const stmt = this.db.prepare(
      `INSERT INTO context_sent (conversation_id, workspace_id, path, hash, bytes, reason, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (conversation_id, workspace_id, path) DO UPDATE SET hash = excluded.hash, bytes = excluded.bytes, reason = excluded.reason, sent_at = excluded.sent_at`,
    );
    this.db.transaction(() => rows.forEach((r) => stmt.run(conversationId, workspaceId, r.path, r.hash, r.bytes, r.reason, now)))();
  }

  forgetSent(conversationId: string, workspaceId: string, filePath: string): void {
    this.db.prepare('DELETE FROM context_sent WHERE conversation_id = ? AND workspace_id = ? AND path = ?').run(conversationId, workspaceId, filePath);
  }
}
