import type { Migration } from '../migrations';

/**
 * Version 13 (issue #14): the chat a user expects.
 * - `conversations.model`: the conversation's own mode or model (`switchboard/auto`, `switchboard/local`
 *   or `provider/model`), kept across pages, reloads and restarts; nothing changes it but the user.
 *   Filled from `last_model_id`, which held the last choice sent (a mode or a model).
 * - `conversations.chat_settings_json`: the chat's system prompt, temperature and reply length.
 * - `messages.parent_id` / `messages.active`: versions. A message follows its parent; siblings (same
 *   parent) are versions of one turn (an edit, a regenerate), and `active` marks the one shown. The
 *   visible branch — and the context sent to a model — follows the active child from the root down.
 *   Existing conversations become one straight branch (each message's parent is the one before it).
 * - `chat_presets`: a saved start for a chat (system prompt, mode/model, parameters).
 * - `saved_prompts`: the prompt library, inserted with `/` in the composer.
 */
export const migration: Migration = {
  version: 13,
  name: 'conversation model and settings; message versions as branches; chat presets; saved prompts',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN model TEXT;
      ALTER TABLE conversations ADD COLUMN chat_settings_json TEXT;
      UPDATE conversations SET model = last_model_id;
      ALTER TABLE messages ADD COLUMN parent_id TEXT;
      ALTER TABLE messages ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
      UPDATE messages SET parent_id = (
        SELECT p.id FROM messages p
        WHERE p.conversation_id = messages.conversation_id AND p.seq < messages.seq
        ORDER BY p.seq DESC LIMIT 1
      );
      CREATE INDEX messages_by_parent ON messages(conversation_id, parent_id);
      CREATE TABLE chat_presets (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        model TEXT,
        chat_settings_json TEXT NOT NULL DEFAULT '{}',
        created_at INTEGER NOT NULL
      );
      CREATE TABLE saved_prompts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
    `);
  },
};
