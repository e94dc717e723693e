import type Database from 'better-sqlite3';
import { migration as usageMigration } from './migrations/002-usage';
import { migration as localModelsMigration } from './migrations/003-local-models';
import { migration as routerMigration } from './migrations/004-router';
import { migration as cacheMigration } from './migrations/005-cache';
import { migration as parallelMigration } from './migrations/006-parallel';
import { migration as cacheMessagesMigration } from './migrations/007-cache-messages';
import { migration as callPurposeMigration } from './migrations/008-call-purpose';
import { migration as callRollupsMigration } from './migrations/009-call-rollups';
import { migration as modelPullsMigration } from './migrations/010-model-pulls';
import { migration as liveModelsMigration } from './migrations/011-live-models';
import { migration as routeOutcomesMigration } from './migrations/012-route-outcomes';
import { migration as chatBranchesMigration } from './migrations/013-chat-branches';
import { migration as libraryMigration } from './migrations/014-library';
import { migration as workspacesMigration } from './migrations/015-workspaces';
import { migration as codingMigration } from './migrations/016-coding';
import { migration as outcomeEmbeddingsMigration } from './migrations/018-outcome-embeddings';
import { migration as codingReviewMigration } from './migrations/021-coding-review';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/**
 * Numbered, append-only. Never edit a migration that has shipped: add the next number.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'conversations, messages, settings',
    up(db) {
      db.exec(`
        CREATE TABLE conversations (
          id TEXT PRIMARY KEY,
          title TEXT NOT NULL,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL,
          last_model_id TEXT
        );
        CREATE TABLE messages (
          id TEXT PRIMARY KEY,
          conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
          seq INTEGER NOT NULL,
          role TEXT NOT NULL CHECK (role IN ('system','user','assistant')),
          content TEXT NOT NULL DEFAULT '',
          model_id TEXT,
          status TEXT NOT NULL CHECK (status IN ('streaming','complete','error','cancelled')),
          error_json TEXT,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          first_token_at INTEGER,
          finished_at INTEGER,
          prompt_tokens INTEGER,
          completion_tokens INTEGER
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, seq);
        CREATE INDEX messages_by_status ON messages(status);
        CREATE TABLE settings (
          key TEXT PRIMARY KEY,
          value_json TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
      `);
    },
  },
  usageMigration,
  localModelsMigration,
  routerMigration,
  cacheMigration,
  parallelMigration,
  cacheMessagesMigration,
  callPurposeMigration,
  callRollupsMigration,
  modelPullsMigration,
  liveModelsMigration,
  routeOutcomesMigration,
  chatBranchesMigration,
  libraryMigration,
  workspacesMigration,
  codingMigration,
  outcomeEmbeddingsMigration,
  codingReviewMigration,
];
