import type { Migration } from '../migrations';

/**
 * Version 15: coding workspaces (issue #12). A workspace is a folder the user opened; its files and
 * their symbols (tree-sitter tags: definitions and references) form the index the context selection
 * ranks. A conversation has at most one active workspace, kept here rather than on `conversations`
 * (another migration changes that table). Conversation ids are not foreign keys: the CLI's coding
 * runs use ids of their own for differential context.
 */
export const migration: Migration = {
  version: 15,
  name: 'workspaces, their symbol index, per-conversation context',
  up(db) {
    db.exec(`
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        root TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        opened_at INTEGER NOT NULL,
        indexed_at INTEGER
      );
      CREATE TABLE workspace_files (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms INTEGER NOT NULL,
        hash TEXT NOT NULL,
        language TEXT,
        skipped TEXT CHECK (skipped IS NULL OR skipped IN ('binary','too_large','unreadable')),
        PRIMARY KEY (workspace_id, path)
      );
      CREATE TABLE workspace_tags (
        workspace_id TEXT NOT NULL,
        path TEXT NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('def','ref')),
        category TEXT NOT NULL,
        line INTEGER NOT NULL,
        FOREIGN KEY (workspace_id, path) REFERENCES workspace_files(workspace_id, path) ON DELETE CASCADE
      );
      CREATE INDEX workspace_tags_by_file ON workspace_tags(workspace_id, path);
      CREATE INDEX workspace_tags_by_name ON workspace_tags(workspace_id, name);
      CREATE TABLE conversation_workspaces (
        conversation_id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        pinned_json TEXT NOT NULL DEFAULT '[]',
        excluded_json TEXT NOT NULL DEFAULT '[]',
        linked_at INTEGER NOT NULL
      );
      CREATE TABLE context_sent (
        conversation_id TEXT NOT NULL,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        hash TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        reason TEXT NOT NULL,
        sent_at INTEGER NOT NULL,
        PRIMARY KEY (conversation_id, workspace_id, path)
      );
    `);
  },
};
