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
  /** Files a user message carries (issue #14). Absent: none. */
  attachments: z.array(AttachmentInfo).optional(),
});
export type Message = z.infer<typeof Message>;

export const Conversation = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  lastModelId: z.string().nullable(),
  messageCount: z.number(),
  /** Replies in this conversation neither use nor fill the response cache. */
  cacheOptOut: z.boolean(),
});
export type Conversation = z.infer<typeof Conversation>;

const Title = z.string().trim().min(1, 'title must not be empty').max(200, 'title is at most 200 characters');
const Id = z.string().min(1).max(100);

export const conversationCalls = {
  'conversations.list': call(z.object({}).strict(), z.array(Conversation)),
  'conversations.create': call(z.object({ title: Title.optional() }).strict(), Conversation),
  'conversations.rename': call(z.object({ id: Id, title: Title }).strict(), Conversation),
  'conversations.delete': call(z.object({ id: Id }).strict(), z.object({ deleted: z.boolean() })),
  'conversations.messages': call(z.object({ id: Id }).strict(), z.array(Message)),
  'conversations.update': call(z.object({ id: Id, cacheOptOut: z.boolean() }).strict(), Conversation),
};

export const chatCalls = {
  'chat.send': call(
    z
      .object({
        conversationId: Id,
        content: z.string().trim().min(1, 'message must not be empty').max(400_000, 'message is too long'),
        model: ModelIdString,
        /** Files that go with the message (issue #14), as `attachments.prepare` returned them. */
        attachments: z.array(PreparedAttachment).max(ATTACHMENT_LIMITS.perMessage, `at most ${ATTACHMENT_LIMITS.perMessage} files on one message`).optional(),
      })
      .strict(),
    z.object({ userMessage: Message, assistantMessage: Message }),
  ),
  'chat.stop': call(z.object({ messageId: Id }).strict(), z.object({ stopped: z.boolean() })),
  /**
   * Answers the same user turn again in place of the assistant message `messageId` (the new reply
   * replaces it); `bypassCache` skips the cache lookup ("Ask again without cache"). `model` as in
   * chat.send; default: the conversation's last choice.
   */
  'chat.regenerate': call(
    z.object({ messageId: Id, bypassCache: z.boolean().optional(), model: ModelIdString.optional(), continuePartial: z.boolean().optional() }).strict(),
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
  /** A conversation was created, renamed, deleted or got a new message. */
  'conversations.changed': z.object({ conversation: Conversation.nullable(), deletedId: z.string().optional() }),
};

/** Re-exported so error fields in messages have one definition. */
export { SerializedError };
