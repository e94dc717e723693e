import type { ContentBlockParam, MessageParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { ChatMessage } from '../../runner/chat-provider';
import { estimateTextTokens } from '../../runner/estimate-tokens';

/**
 * The shortest prefix Anthropic will cache, per model. Shorter prefixes marked with cache_control
 * are simply not cached (no error, no saving), so a marker there only costs bytes.
 * Source: https://platform.claude.com/docs/en/build-with-claude/prompt-caching#cache-limitations
 * ("4096 tokens for Claude Opus 4.6, Claude Opus 4.5; 1024 tokens for Claude Sonnet 4.6, Claude
 * Sonnet 4.5, …; 4096 tokens for Claude Haiku 4.5; 2048 tokens for Claude Haiku 3.5 (deprecated)
 * and Claude Haiku 3", as quoted in anthropic-sdk-python#1194). The Claude 3.x Haiku models are
 * retired. Every other model gets 1024, Sonnet 5.5 among them (the quoted table predates it):
 * too low only costs a marker that does not cache, too high would forgo the saving.
 */
const MIN_CACHEABLE_TOKENS: ReadonlyArray<readonly [RegExp, number]> = [
  [/haiku-4-5/i, 4096],
  [/opus-4-[56]/i, 4096],
];

export function minCacheableTokens(model: string): number {
  return MIN_CACHEABLE_TOKENS.find(([pattern]) => pattern.test(model))?.[1] ?? 1024;
}

const EPHEMERAL = { type: 'ephemeral' } as const;

export interface AnthropicPrompt {
  system?: TextBlockParam[];
  messages: MessageParam[];
  /** How many cache breakpoints were placed (0, 1 or 2 of the API's 4). */
  breakpoints: number;
}

/**
 * Turns chat messages into the Messages API shape, with prompt caching where it saves money.
 * A cache write costs 1.25× the input price and a read 0.1× (same doc, "Pricing"), so one reuse
 * within the 5-minute TTL already pays. Two prefixes are reused turn after turn in a chat:
 *  1. the system prompt, when it is at least the model's minimum on its own;
 *  2. the conversation before the newest user turn, when system + history reach the minimum
 *     (the next turn re-sends exactly that prefix plus the new exchange).
 */
export function toAnthropicPrompt(messages: ChatMessage[], model: string, caching = true): AnthropicPrompt {
  const min = minCacheableTokens(model);
  const systemText = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  let breakpoints = 0;
  let prefixTokens = 0;

  let system: TextBlockParam[] | undefined;
  if (systemText) {
    const block: TextBlockParam = { type: 'text', text: systemText };
    prefixTokens = estimateTextTokens(systemText);
    if (caching && prefixTokens >= min) {
      block.cache_control = EPHEMERAL;
      breakpoints++;
    }
    system = [block];
  }

  // The API wants alternating turns; merge consecutive messages of one role. Tool calls are
  // `tool_use` blocks of the assistant turn and their results `tool_result` blocks of a user turn
  // (issue #15; Anthropic's "Tool use" guide).
  const turns: Array<{ role: 'user' | 'assistant'; text: string; blocks: ContentBlockParam[] }> = [];
  for (const m of messages) {
    if (m.role === 'system') continue;
    const role = m.role === 'tool' ? 'user' : m.role;
    const blocks: ContentBlockParam[] = [];
    if (m.role === 'tool') blocks.push({ type: 'tool_result', tool_use_id: m.toolCallId ?? '', content: m.content });
    // Anthropic refuses an empty text block: an image-only turn is just its images.
    else if (m.content || (!m.toolCalls?.length && !(m.role === 'user' && m.images?.length))) blocks.push({ type: 'text', text: m.content });
    for (const img of m.role === 'user' ? (m.images ?? []) : []) {
      blocks.push({ type: 'image', source: { type: 'base64', media_type: img.mediaType as 'image/png', data: img.data } });
    }
    for (const call of m.toolCalls ?? []) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: parseArguments(call.arguments) });
    const last = turns.at(-1);
    if (last && last.role === role) {
      const prev = last.blocks.at(-1);
      const next = blocks[0];
      // Two texts in a row stay one block, as before tools existed.
      if (prev?.type === 'text' && next?.type === 'text' && blocks.length === 1) prev.text += `\n\n${next.text}`;
      else last.blocks.push(...blocks);
      last.text += `\n\n${m.content}`;
    } else turns.push({ role, text: m.content, blocks });
  }

  const out: MessageParam[] = turns.map((t) => ({ role: t.role, content: t.blocks }));
  // The stable history ends at the turn before the last user message.
  const lastUser = turns.map((t) => t.role).lastIndexOf('user');
  if (caching && lastUser > 0) {
    for (let i = 0; i < lastUser; i++) prefixTokens += estimateTextTokens(turns[i]?.text ?? '');
    const content = out[lastUser - 1]?.content;
    const block = Array.isArray(content) ? content.at(-1) : undefined;
    if (block && (block.type === 'text' || block.type === 'tool_use' || block.type === 'tool_result') && prefixTokens >= min) {
      block.cache_control = EPHEMERAL;
      breakpoints++;
    }
  }
  return { system, messages: out, breakpoints };
}

/** A tool call's arguments (a JSON string) as the object `tool_use.input` takes; `{}` when they are not an object. */
function parseArguments(args: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(args || '{}');
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
