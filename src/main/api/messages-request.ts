import { z } from 'zod';
import type { ChatMessage, ChatOptions, ToolCall } from '../runner/chat-provider';
import { paramOf, type CompletionRequest } from './completion-request';
import { ApiError } from './openai-errors';

/**
 * An Anthropic Messages API request (issue #15, item 6), validated and turned into the same
 * CompletionRequest `/v1/chat/completions` answers, so both go through one router, cache and budget.
 * Text, tool_use and tool_result blocks; image blocks are refused with a 400 that says so.
 */
const TextBlock = z.object({ type: z.literal('text'), text: z.string() }).loose();
const ToolUseBlock = z.object({ type: z.literal('tool_use'), id: z.string().min(1), name: z.string().min(1), input: z.unknown() }).loose();
const ToolResultBlock = z
  .object({ type: z.literal('tool_result'), tool_use_id: z.string().min(1), content: z.union([z.string(), z.array(TextBlock.or(z.object({ type: z.string() }).loose()))]).optional(), is_error: z.boolean().optional() })
  .loose();
const OtherBlock = z.object({ type: z.string() }).loose();
const Content = z.union([z.string(), z.array(z.union([TextBlock, ToolUseBlock, ToolResultBlock, OtherBlock]))], { error: 'must be a string or an array of content blocks' });
const Tool = z.object({ name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'), description: z.string().optional(), input_schema: z.record(z.string(), z.unknown()) }).loose();
const ToolChoiceIn = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto') }).loose(),
  z.object({ type: z.literal('any') }).loose(),
  z.object({ type: z.literal('none') }).loose(),
  z.object({ type: z.literal('tool'), name: z.string() }).loose(),
]);

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
  tools: z.array(Tool, { error: 'must be an array of tools ({ name, description, input_schema })' }).nullish(),
  tool_choice: ToolChoiceIn.nullish(),
});

/** The request in our terms, and what the response echoes (the model as asked, for `switchboard/auto`). */
export interface MessagesRequest extends CompletionRequest {
  stopSequences: string[];
}

/** One Anthropic message as ours: tool results become `tool` turns (before the user's text), tool_use blocks the assistant's tool calls. */
function toChatMessages(role: 'user' | 'assistant', content: z.infer<typeof Content>, path: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role, content }];
  const texts: string[] = [];
  const calls: ToolCall[] = [];
  const results: ChatMessage[] = [];
  content.forEach((block, i) => {
    const b = block as Record<string, unknown>;
    if (b.type === 'text' && typeof b.text === 'string') texts.push(b.text);
    else if (b.type === 'tool_use' && role === 'assistant') calls.push({ id: String(b.id), name: String(b.name), arguments: JSON.stringify(b.input ?? {}) });
    else if (b.type === 'tool_result' && role === 'user') {
      const c = b.content;
      const text = typeof c === 'string' ? c : Array.isArray(c) ? c.map((x: { type?: string; text?: string }) => (x.type === 'text' ? (x.text ?? '') : '')).join('\n') : '';
      results.push({ role: 'tool', content: b.is_error === true ? `Error: ${text}` : text, toolCallId: String(b.tool_use_id) });
    } else throw ApiError.invalid(`${path}.${i}.type: ${String(b.type)} blocks are not supported on /v1/messages here (text, tool_use from the assistant, tool_result from the user).`, `${path}[${i}].type`);
  });
  const out: ChatMessage[] = [...results];
  if (texts.length || calls.length || results.length === 0) out.push({ role, content: texts.join('\n'), ...(calls.length ? { toolCalls: calls } : {}) });
  return out;
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
  b.messages.forEach((m, i) => messages.push(...toChatMessages(m.role, m.content, `messages.${i}.content`)));
  const options: ChatOptions = { maxTokens: b.max_tokens };
  if (b.temperature != null) options.temperature = b.temperature;
  const stop = (b.stop_sequences ?? []).filter((s) => s !== '');
  if (stop.length) options.stop = stop;
  if (b.tools?.length) {
    options.tools = b.tools.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema }));
    const c = b.tool_choice;
    if (c) options.toolChoice = c.type === 'any' ? 'required' : c.type === 'tool' ? { name: c.name } : c.type;
  }
  return { model: b.model, messages, options, stream: b.stream === true, includeUsage: true, stopSequences: stop };
}
