import { z } from 'zod';
import type { ChatMessage, ChatOptions, ToolChoice } from '../runner/chat-provider';
import { ApiError } from './openai-errors';

/** A Chat Completions request, validated and in our terms. */
export interface CompletionRequest {
  model: string;
  messages: ChatMessage[];
  options: ChatOptions;
  stream: boolean;
  includeUsage: boolean;
}

const TextPart = z.object({ type: z.literal('text'), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart)], {
  error: 'must be a string or an array of text parts ({ "type": "text", "text": "…" }); images and audio are not supported',
});

const ToolCallIn = z.object({
  id: z.string({ error: 'must be the id of the call' }).min(1, 'must not be empty'),
  type: z.literal('function', { error: 'must be "function"' }).optional(),
  function: z.object({ name: z.string({ error: 'must be a string' }).min(1, 'must not be empty'), arguments: z.string({ error: 'must be a JSON string' }) }, { error: 'must be an object with name and arguments' }),
});

const Message = z.object({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool'], { error: 'must be "system", "developer", "user", "assistant" or "tool"' }),
  // An assistant turn may come back with `content: null`; other roles need text.
  content: Content.nullish(),
  name: z.string().optional(),
  tool_calls: z.array(ToolCallIn, { error: 'must be an array of tool calls' }).nullish(),
  tool_call_id: z.string({ error: 'must be the id of the tool call this answers' }).nullish(),
});

const Tool = z.object({
  type: z.literal('function', { error: 'must be "function"' }),
  function: z.object({
    name: z.string({ error: 'must be a string' }).regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -'),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullish(),
  }),
});

const ToolChoiceIn = z.union(
  [z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })],
  { error: 'must be "auto", "none", "required" or {"type":"function","function":{"name":…}}' },
);

const ResponseFormat = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({ name: z.string().optional(), schema: z.record(z.string(), z.unknown()).optional(), strict: z.boolean().nullish() }),
    }),
  ],
  { error: 'type must be "text", "json_object" or "json_schema"' },
);

const PositiveInt = z.number({ error: 'must be a positive integer' }).int('must be a positive integer').positive('must be a positive integer');

/** Fields Switchboard acts on; others (user, seed, top_p, penalties, logit_bias …) are accepted and ignored. */
const Body = z.object({
  model: z.string({ error: 'must be a model id from GET /v1/models, e.g. "switchboard/auto"' }).min(1, 'must not be empty'),
  messages: z.array(Message, { error: 'must be an array of messages' }).min(1, 'must hold at least one message'),
  stream: z.boolean({ error: 'must be a boolean' }).nullish(),
  stream_options: z.object({ include_usage: z.boolean({ error: 'must be a boolean' }).optional() }, { error: 'must be an object' }).nullish(),
  temperature: z.number({ error: 'must be a number' }).min(0, 'must be between 0 and 2').max(2, 'must be between 0 and 2').nullish(),
  max_tokens: PositiveInt.nullish(),
  max_completion_tokens: PositiveInt.nullish(),
  response_format: ResponseFormat.nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4, 'holds at most 4 sequences')], { error: 'must be a string or an array of up to 4 strings' }).nullish(),
  n: z.literal(1, { error: 'only n = 1 is supported' }).nullish(),
  tools: z.array(Tool, { error: 'must be an array of {"type":"function","function":{…}}' }).nullish(),
  tool_choice: ToolChoiceIn.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  functions: z.array(z.unknown()).max(0, 'the legacy `functions` field is not supported: send `tools`').nullish(),
});

/** `['messages', 0, 'content']` → `messages[0].content`, as OpenAI names a parameter. */
export function paramOf(path: readonly PropertyKey[]): string | null {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || null;
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = body;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** Validates a parsed JSON body; a problem is a 400 whose `param` names the field. */
export function parseCompletionRequest(body: unknown): CompletionRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw ApiError.invalid('The request body must be a JSON object.', null);
  }
  const parsed = Body.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path ?? [];
    const param = paramOf(path);
    const missing = valueAt(body, path) === undefined;
    const what = `'${param ?? 'body'}': ${issue?.message ?? 'invalid'}`;
    throw ApiError.invalid(missing ? `Missing required parameter ${what}.` : `Invalid ${what}.`, param);
  }
  const b = parsed.data;
  const messages: ChatMessage[] = [];
  for (const [i, m] of b.messages.entries()) {
    const text = typeof m.content === 'string' ? m.content : (m.content ?? []).map((p) => p.text).join('\n');
    if (m.content == null && m.role !== 'assistant') {
      throw ApiError.invalid(`Missing required parameter 'messages[${i}].content': ${m.role} messages need text.`, `messages[${i}].content`);
    }
    if (m.role === 'tool') {
      if (!m.tool_call_id) throw ApiError.invalid(`Missing required parameter 'messages[${i}].tool_call_id': a tool message answers one tool call.`, `messages[${i}].tool_call_id`);
      messages.push({ role: 'tool', content: text, toolCallId: m.tool_call_id });
      continue;
    }
    if (m.tool_calls?.length && m.role !== 'assistant') {
      throw ApiError.invalid(`Invalid 'messages[${i}].tool_calls': only assistant messages carry tool calls.`, `messages[${i}].tool_calls`);
    }
    const toolCalls = m.tool_calls?.length ? m.tool_calls.map((c) => ({ id: c.id, name: c.function.name, arguments: c.function.arguments })) : undefined;
    messages.push({ role: m.role === 'developer' ? 'system' : m.role, content: text, ...(toolCalls ? { toolCalls } : {}) });
  }
  const options: ChatOptions = {};
  if (b.temperature != null) options.temperature = b.temperature;
  const maxTokens = b.max_completion_tokens ?? b.max_tokens;
  if (maxTokens != null) options.maxTokens = maxTokens;
  if (b.stop != null) {
    const stop = (typeof b.stop === 'string' ? [b.stop] : b.stop).filter((s) => s !== '');
    if (stop.length) options.stop = stop;
  }
  if (b.tools?.length) {
    options.tools = b.tools.map((t) => ({ name: t.function.name, ...(t.function.description ? { description: t.function.description } : {}), ...(t.function.parameters ? { parameters: t.function.parameters } : {}) }));
    const choice = b.tool_choice;
    if (choice) {
      const toolChoice: ToolChoice = typeof choice === 'string' ? choice : { name: choice.function.name };
      if (typeof toolChoice === 'object' && !options.tools.some((t) => t.name === toolChoice.name)) {
        throw ApiError.invalid(`Invalid 'tool_choice': no tool is called "${toolChoice.name}".`, 'tool_choice');
      }
      options.toolChoice = toolChoice;
    }
  }
  const format = b.response_format;
  if (format?.type === 'json_object') options.jsonSchema = { type: 'object' };
  else if (format?.type === 'json_schema') options.jsonSchema = format.json_schema.schema ?? { type: 'object' };
  return { model: b.model, messages, options, stream: b.stream === true, includeUsage: b.stream_options?.include_usage === true };
}
