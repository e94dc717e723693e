import { z } from 'zod';
import { SerializedError } from '../errors';
import { ATTACHMENT_LIMITS, AttachmentInfo, PreparedAttachment } from './attachments';
import { MessageCache } from './cache';
import { call } from './define';
import { Tier } from './system';

export const ModelIdString = z
  .string()
  .min(3)
  .max(300)
  .regex(/^[a-z0-9_-]+\/.+$/i, 'must be a model id of the form provider/model, for example ollama/llama3.2:3b');

export const MessageRole = z.enum(['system', 'user', 'assistant']);
export const MessageStatus = z.enum(['streaming', 'complete', 'error', 'cancelled']);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const Message = z.object({
  id: z.string(),
  conversationId: z.string(),
  role: MessageRole,
  content: z.string(),
  modelId: z.string().nullable(),
  status: MessageStatus,
  error: SerializedError.nullable(),
  createdAt: z.number(),
  startedAt: z.number().nullable(),
  firstTokenAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  promptTokens: z.number().nullable(),
  completionTokens: z.number().nullable(),
  /** USD across every model call made for this message (retries, fallbacks), from the call log. */
  costUsd: z.number().nullable(),
  /** A paid model with no known price answered (issue #15): `costUsd` lacks that call's cost. Absent: false. */
  costUnknown: z.boolean().optional(),
  /** The tier that answered and how many times the router escalated (routed replies). */
  tier: Tier.nullable(),
  escalations: z.number(),
  /** Served from the response cache instead of a model call; null for model replies. */
  cached: MessageCache.nullable(),
  /**
   * Issue #14, versions: the message this one follows (null: the first turn). Messages with the same
   * parent are versions of one turn; `active` marks the one shown (src/shared/chat-branch.ts).
   * Absent only from clients that predate versions.
   */
  parentId: z.string().nullable().optional(),
  active: z.boolean().optional(),
  /** Files a user message carries (issue #14). Absent: none. */
  attachments: z.array(AttachmentInfo).optional(),
});
export type Message = z.infer<typeof Message>;

/** Per-chat parameters (issue #14): unset fields use the app's defaults (Settings' `chatTemperature`). */
export const ChatSettings = z
  .object({
    systemPrompt: z.string().max(20_000, 'the system prompt is at most 20,000 characters').optional(),
    temperature: z.number().min(0, 'temperature is between 0 and 2').max(2, 'temperature is between 0 and 2').optional(),
    maxTokens: z.number().int('max reply length is a whole number of tokens').min(16, 'max reply length is at least 16 tokens').max(200_000, 'max reply length is at most 200,000 tokens').optional(),
  })
  .strict();
export type ChatSettings = z.infer<typeof ChatSettings>;

export const Conversation = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastModelId: z.string().nullable(),
  messageCount: z.number(),
  /** Replies in this conversation neither use nor fill the response cache. */
  cacheOptOut: z.boolean(),
  /**
   * Issue #14: the conversation's own choice — `switchboard/auto`, `switchboard/local` (never leaves
   * this machine) or a model id. Only the user changes it (conversations.update); null: none stored
   * yet, the user's default (Settings' `defaultModel`, else Auto) answers.
   */
  model: z.string().nullable(),
  /** Issue #14: this chat's system prompt, temperature and reply length. */
  chatSettings: ChatSettings,
});
export type Conversation = z.infer<typeof Conversation>;


const Title = z.string().trim().min(1, 'title must not be empty').max(200, 'title is at most 200 characters');
const Id = z.string().min(1).max(100);

export const conversationCalls = {
  'conversations.list': call(z.object({}).strict(), z.array(Conversation)),
  /** `model` and `chatSettings` (issue #14): what the new chat starts with; default the user's default. */
  'conversations.create': call(z.object({ title: Title.optional(), model: ModelIdString.optional(), chatSettings: ChatSettings.optional() }).strict(), Conversation),
  'conversations.rename': call(z.object({ id: Id, title: Title }).strict(), Conversation),
  'conversations.delete': call(z.object({ id: Id }).strict(), z.object({ deleted: z.boolean() })),
  'conversations.messages': call(z.object({ id: Id }).strict(), z.array(Message)),
  /** Each field given is changed; `model` is the conversation's mode or model (the user's choice, issue #14). */
  'conversations.update': call(
    z.object({ id: Id, cacheOptOut: z.boolean().optional(), model: ModelIdString.optional(), chatSettings: ChatSettings.optional() }).strict(),
    Conversation,
  ),
};

/** Issue #14: a saved start for a chat — mode/model, system prompt and parameters. */
export const ChatPreset = z.object({
  id: z.string(),
  name: z.string(),
  model: z.string().nullable(),
  chatSettings: ChatSettings,
  createdAt: z.number(),
});
export type ChatPreset = z.infer<typeof ChatPreset>;

/** Issue #14: a prompt of the library, inserted with `/` in the composer. */
export const SavedPrompt = z.object({ id: z.string(), name: z.string(), text: z.string(), createdAt: z.number() });
export type SavedPrompt = z.infer<typeof SavedPrompt>;

const LibraryName = z.string().trim().min(1, 'give it a name').max(80, 'a name is at most 80 characters');

export const chatCalls = {
  'chat.presets': call(z.object({}).strict(), z.array(ChatPreset)),
  /** Saves a preset; a preset with the same name is replaced. */
  'chat.savePreset': call(z.object({ name: LibraryName, model: ModelIdString.nullable(), chatSettings: ChatSettings }).strict(), ChatPreset),
  'chat.deletePreset': call(z.object({ id: Id }).strict(), z.object({ deleted: z.boolean() })),
  'chat.prompts': call(z.object({}).strict(), z.array(SavedPrompt)),
  /** Saves a prompt to the library; one with the same name is replaced. */
  'chat.savePrompt': call(z.object({ name: LibraryName, text: z.string().trim().min(1, 'the prompt is empty').max(20_000, 'a prompt is at most 20,000 characters') }).strict(), SavedPrompt),
  'chat.deletePrompt': call(z.object({ id: Id }).strict(), z.object({ deleted: z.boolean() })),
  'chat.send': call(
    z
      .object({
        conversationId: Id,
        content: z.string().trim().min(1, 'message must not be empty').max(400_000, 'message is too long'),
        /**
         * Absent: the conversation's own model (issue #14). Given: it becomes the conversation's choice,
         * except that a Local-only conversation refuses any model that would leave this machine.
         */
        model: ModelIdString.optional(),
        /** Files that go with the message (issue #14), as `attachments.prepare` returned them. */
        attachments: z.array(PreparedAttachment).max(ATTACHMENT_LIMITS.perMessage, `at most ${ATTACHMENT_LIMITS.perMessage} files on one message`).optional(),
      })
      .strict(),
    z.object({ userMessage: Message, assistantMessage: Message }),
  ),
  /**
   * Issue #14: a user message edited — the new text becomes a new version of that turn (the old one
   * is kept as a branch) and is answered by the conversation's model.
   */
  'chat.edit': call(
    z.object({ messageId: Id, content: z.string().trim().min(1, 'message must not be empty').max(400_000, 'message is too long') }).strict(),
    z.object({ userMessage: Message, assistantMessage: Message }),
  ),
  /** Issue #14: shows this version of its turn; returns every message of the conversation. */
  'chat.showVersion': call(z.object({ messageId: Id }).strict(), z.array(Message)),
  /** Issue #14: deletes one message (what followed it stays); returns every message left in the conversation. */
  'chat.deleteMessage': call(z.object({ messageId: Id }).strict(), z.array(Message)),
  'chat.stop': call(z.object({ messageId: Id }).strict(), z.object({ stopped: z.boolean() })),
  /**
   * Answers the same user turn again in place of the assistant message `messageId` (the new reply
   * replaces it); `bypassCache` skips the cache lookup ("Ask again without cache"). `model` as in
   * chat.send; default: the conversation's model. `asVersion` (issue #14): the new reply is a new
   * version beside the old one, which is kept (Previous / Next version), instead of replacing it.
   */
  'chat.regenerate': call(
    z
      .object({ messageId: Id, bypassCache: z.boolean().optional(), model: ModelIdString.optional(), continuePartial: z.boolean().optional(), asVersion: z.boolean().optional() })
      .strict(),
    z.object({ assistantMessage: Message }),
  ),
};

export const chatEvents = {
  /** A piece of streamed text for an assistant message. */
  'chat.delta': z.object({ conversationId: z.string(), messageId: z.string(), text: z.string() }),
  /** The router started an attempt on a model; attempt > 1 means it escalated and the text restarts. */
  'chat.attempt': z.object({
    conversationId: z.string(),
    messageId: z.string(),
    attempt: z.number(),
    model: z.string(),
    tier: Tier,
    /** The model the router escalated from, and why its reply did not pass (attempt > 1). */
    from: z.string().nullable(),
    reason: z.string().nullable(),
  }),
  /** A message was created or changed status (finished, failed, cancelled). */
  'chat.message': z.object({ message: Message }),
  /**
   * Issue #12: the workspace files a finished reply was sent with (whole files, with why each was
   * chosen); `omitted` ranked but did not fit or were sent earlier unchanged; `repoMap`: a repo map went too.
   */
  'chat.context': z.object({
    conversationId: z.string(),
    messageId: z.string(),
    workspace: z.string(),
    files: z.array(z.object({ path: z.string(), reason: z.string(), bytes: z.number().int() })),
    omitted: z.array(z.string()),
    repoMap: z.boolean(),
  }),
  /** A conversation was created, renamed, deleted or got a new message. */
  'conversations.changed': z.object({ conversation: Conversation.nullable(), deletedId: z.string().optional() }),
};

/** Re-exported so error fields in messages have one definition. */
export { SerializedError };
