import type { Migration } from '../migrations';

/**
 * Version 14: full-text search over conversations (issue #14, item 6) and attachments (item 5).
 *  - messages_fts / conversations_fts: FTS5 indexes over `messages.content` and `conversations.title`,
 *    external-content tables (the text is stored once, in its own table) kept in step by triggers,
 *    the standard FTS5 pattern (sqlite.org/fts5.html §4.4.3), backfilled here for existing rows.
 *    They key on the tables' implicit rowid: nothing here runs VACUUM, which may renumber it; if
 *    that ever changes, follow it with `INSERT INTO messages_fts(messages_fts) VALUES('rebuild')`.
 *    `unicode61 remove_diacritics 2`: "cafe" finds "café"; case never matters.
 *  - message_attachments: files a user message carries (text extracted from text, code and PDF
 *    files; images as base64), deleted with the message.
 */
export const migration: Migration = {
  version: 14,
  name: 'library: full-text search over conversations and messages, message attachments',
  up(db) {
    db.exec(`
      CREATE VIRTUAL TABLE messages_fts USING fts5(content, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.rowid, new.content);
      END;
      INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');

      CREATE VIRTUAL TABLE conversations_fts USING fts5(title, content='conversations', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_fts(rowid, title) VALUES (new.rowid, new.title);
      END;
      CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
      END;
      CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations BEGIN
        INSERT INTO conversations_fts(conversations_fts, rowid, title) VALUES ('delete', old.rowid, old.title);
        INSERT INTO conversations_fts(rowid, title) VALUES (new.rowid, new.title);
      END;
      INSERT INTO conversations_fts(conversations_fts) VALUES ('rebuild');

      CREATE TABLE message_attachments (
        id TEXT PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('text','pdf','image')),
        media_type TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        text TEXT,
        data_base64 TEXT,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX message_attachments_by_message ON message_attachments(message_id, position);
    `);
  },
};
