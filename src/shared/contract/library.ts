import { z } from 'zod';
import { AttachmentKind } from './attachments';
import { call } from './define';
import { MessageRole, MessageStatus } from './conversations';
import { DecisionRecord } from './routing-types';
import { Tier } from './system';

/**
 * Issue #14's library of conversations: full-text search (item 6), export and import (item 7).
 * One definition of each shape: the main process validates with these and the renderer reads their types.
 */

/** A piece of a search snippet: `match` pieces are the words the query found (shown highlighted). */
export const SnippetPart = z.object({ text: z.string(), match: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

export const SearchHit = z.object({
  conversationId: z.string(),
  conversationTitle: z.string(),
  /** The message that matched; null when the conversation's title did. */
  messageId: z.string().nullable(),
  role: MessageRole.nullable(),
  snippet: z.array(SnippetPart),
  /** When the message (or the conversation) was written. */
  createdAt: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

/** The archive's `format` marker, so an import knows a Switchboard file from any other JSON. */
export const ARCHIVE_FORMAT = 'switchboard.conversations';
/** Bumped when a field changes meaning; fields are only ever added within a version. */
export const ARCHIVE_VERSION = 1;

export const ArchiveMessage = z.object({
  id: z.string().min(1),
  role: MessageRole,
  content: z.string(),
  modelId: z.string().nullable().default(null),
  status: MessageStatus.default('complete'),
  createdAt: z.number(),
  finishedAt: z.number().nullable().default(null),
  promptTokens: z.number().nullable().default(null),
  completionTokens: z.number().nullable().default(null),
  tier: Tier.nullable().default(null),
  /** What went wrong, for a failed reply. */
  error: z.string().nullable().default(null),
  /** Why this model: the router's decision records for this reply (oldest first). */
  decisions: z.array(DecisionRecord).default([]),
  /** Files a user message carried: text for text files and PDFs, base64 for images. */
  attachments: z
    .array(
      z.object({
        name: z.string().min(1).max(255),
        kind: AttachmentKind,
        mediaType: z.string().max(200),
        sizeBytes: z.number().int().nonnegative(),
        text: z.string().nullable(),
        dataBase64: z.string().nullable(),
      }),
    )
    .default([]),
  /**
   * Versions (issue #14): the `id` of the message this one follows (null: the first turn) and whether
   * it is the version shown. Absent in archives from before versions: then each message follows the
   * one before it and all are shown (one straight branch).
   */
  parentId: z.string().min(1).nullable().optional(),
  active: z.boolean().optional(),
});
export type ArchiveMessage = z.infer<typeof ArchiveMessage>;

export const ArchiveConversation = z.object({
  id: z.string().min(1),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastModelId: z.string().nullable().default(null),
  cacheOptOut: z.boolean().default(false),
  messages: z.array(ArchiveMessage),
});
export type ArchiveConversation = z.infer<typeof ArchiveConversation>;

/** One or all conversations as one JSON file (Export → JSON / Export all); Import reads it back. */
export const ConversationArchive = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  exportedAt: z.number(),
  conversations: z.array(ArchiveConversation),
});
export type ConversationArchive = z.infer<typeof ConversationArchive>;

/** A file to save: the renderer downloads it as it is. */
export const ExportFile = z.object({ filename: z.string(), mimeType: z.string(), content: z.string() });
export type ExportFile = z.infer<typeof ExportFile>;

export const ImportFormat = z.enum(['switchboard', 'chatgpt']);
export type ImportFormat = z.infer<typeof ImportFormat>;

export const ImportResult = z.object({
  format: ImportFormat,
  /** The new conversations (new ids: an import never replaces what is there). */
  conversationIds: z.array(z.string()),
  messages: z.number(),
  /** Things left out, in plain words (a ChatGPT image, an empty conversation). */
  skipped: z.array(z.string()),
});
export type ImportResult = z.infer<typeof ImportResult>;

const Id = z.string().min(1).max(100);
/** An import file as text. 60 MB: a long ChatGPT history; the headless server takes this much on this call. */
export const IMPORT_MAX_CHARS = 60 * 1024 * 1024;

export const libraryCalls = {
  /** Full-text search over titles and messages; any text is a valid query (it is quoted, never FTS syntax). */
  'library.search': call(
    z.object({ query: z.string().max(500, 'search is at most 500 characters'), limit: z.number().int().min(1).max(200).optional() }).strict(),
    z.object({ hits: z.array(SearchHit) }),
  ),
  'library.exportConversation': call(z.object({ id: Id, format: z.enum(['markdown', 'json']) }).strict(), ExportFile),
  'library.exportAll': call(z.object({}).strict(), ExportFile),
  'library.import': call(
    z.object({ content: z.string().min(1, 'the file is empty').max(IMPORT_MAX_CHARS, 'the file is larger than 60 MB'), filename: z.string().max(300).optional() }).strict(),
    ImportResult,
  ),
};
