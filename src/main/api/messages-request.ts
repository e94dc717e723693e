import { z } from 'zod';
import type { ChatMessage, ChatOptions } from '../runner/chat-provider';
import { paramOf, type CompletionRequest } from './completion-request';
import { ApiError } from './openai-errors';

/**
 * An Anthropic Messages API request (issue #15, item 6), validated and turned into the same
 * CompletionRequest `/v1/chat/completions` answers, so both go through one router, cache and budget.
 * Text content only for now: image, tool_use and tool_result blocks are refused with a 400 that says so.
 */
const TextBlock = z.object({ type: z.literal('text'), text: z.string() }).loose();
const OtherBlock = z.object({ type: z.string() }).loose();
const Content = z.union([z.string(), z.array(z.union([TextBlock, OtherBlock]))], { error: 'must be a string or an array of content blocks' });

const Message = z.object({
  role: z.enum(['user', 'assistant'], { error: 'must be "user" or "assistant" (the system prompt goes in the top-level `system` field)' }),
  content: Content,
});

const Body = z.object({
  model: z.string({ error: 'must be a model id, e.g. "switchboard/auto" or "anthropic/claude-haiku-4-5"' }).min(1, 'must not be empty'),
  max_tokens: z.number({ error: 'must be a positive integer' }).int('must be a positive integer').positive('must be a positive integer'),
  messages: z.array(Message, { error: 'must be an array of messages' }).min(1, 'must hold at least one message'),
  system: z.union([z.string(), z.array(TextBlock)], { error: 'must be a string or an array of text blocks' }).nullish(),
  stream: z.boolean({ error: 'must be a boolean' }).nullish(),
  temperature: z.number({ error: 'must be a number' }).min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1').nullish(),
  stop_sequences: z.array(z.string(), { error: 'must be an array of strings' }).nullish(),
  tools: z.array(z.unknown(), { error: 'must be an array' }).max(0, "tools are not supported on /v1/messages yet: send the request without tools").nullish(),
});

/** The request in our terms, and what the response echoes (the model as asked, for `switchboard/auto`). */
export interface MessagesRequest extends CompletionRequest {
  stopSequences: string[];
}

function blockText(content: z.infer<typeof Content>, path: string): string {
  if (typeof content === 'string') return content;
  return content
    .map((block, i) => {
      if (block.type === 'text' && typeof block.text === 'string') return block.text;
      throw ApiError.invalid(`${path}.${i}.type: ${block.type} blocks are not supported on /v1/messages yet (text blocks only).`, `${path}[${i}].type`);
    })
    .join('\n');
}

export function parseMessagesRequest(body: unknown): MessagesRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ApiError.invalid('The request body must be a JSON object.', null);
  const parsed = Body.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = paramOf(issue?.path ?? []);
    // Anthropic's own wording: "messages: Field required", "max_tokens: ...".
    throw ApiError.invalid(`${(issue?.path ?? []).join('.') || 'body'}: ${issue?.message ?? 'invalid'}`, param);
  }
  const b = parsed.data;
  const messages: ChatMessage[] = [];
  const system = b.system == null ? '' : typeof b.system === 'string' ? b.system : b.system.map((s) => s.text).join('\n');
  if (system) messages.push({ role: 'system', content: system });
  b.messages.forEach((m, i) => messages.push({ role: m.role, content: blockText(m.content, `messages.${i}.content`) }));
  const options: ChatOptions = { maxTokens: b.max_tokens };
  if (b.temperature != null) options.temperature = b.temperature;
  const stop = (b.stop_sequences ?? []).filter((s) => s !== '');
  if (stop.length) options.stop = stop;
  return { model: b.model, messages, options, stream: b.stream === true, includeUsage: true, stopSequences: stop };
}
