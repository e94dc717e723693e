import { z } from 'zod';
import type { SwitchboardError } from '../../shared/errors';
import type { ChatMessage, Usage } from '../providers/types';
import type { ModelRunner } from '../runner';
import { addUsage, callOnce, type CallProgress } from './model-call';

export interface AskJsonOptions<T> {
  runner: ModelRunner;
  model: string;
  messages: ChatMessage[];
  schema: z.ZodType<T>;
  /** Checks zod cannot express (a ranking is a permutation of the labels shown …): error messages. */
  check?: (value: T) => string[];
  /** Sent to the provider as structured output; default: the zod schema as JSON Schema. */
  jsonSchema?: Record<string, unknown>;
  signal: AbortSignal;
  purpose: string;
  /** Invalid replies sent back with their errors before giving up (default 1, the brief's "one retry"). */
  retries?: number;
  temperature?: number;
  maxTokens?: number;
  progress?: CallProgress;
  now?: () => number;
}

interface Common {
  text: string;
  usage: Usage | null;
  attempts: number;
  firstTokenAt: number | null;
  servedBy: string;
}
export type JsonReply<T> =
  | (Common & { ok: true; value: T })
  | (Common & { ok: false; reason: 'invalid'; errors: string[] })
  | (Common & { ok: false; reason: 'error'; error: SwitchboardError });

/** The zod schema as provider-ready JSON Schema (without `$schema`, which some servers reject). */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/**
 * The JSON object in a reply. Structured output usually gives bare JSON, but small local models
 * still wrap it in a ```json fence or a sentence; take the outermost {...} then.
 */
export function extractJson(text: string): unknown {
  const trimmed = text.trim();
  const candidates = [trimmed];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fence?.[1]) candidates.push(fence[1].trim());
  const first = trimmed.indexOf('{');
  const last = trimmed.lastIndexOf('}');
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1));
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      continue; // try the next, looser reading
    }
  }
  throw new SyntaxError('the reply is not JSON');
}

export function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
}

function validate<T>(text: string, schema: z.ZodType<T>, check?: (value: T) => string[]): { value: T } | { errors: string[] } {
  let raw: unknown;
  try {
    raw = extractJson(text);
  } catch {
    return { errors: ['The reply is not a JSON object.'] };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { errors: zodIssues(parsed.error) };
  const errors = check?.(parsed.data) ?? [];
  return errors.length ? { errors } : { value: parsed.data };
}

/**
 * Asks for JSON, validates it with zod (and `check`), and sends an invalid reply back once with
 * what was wrong. Stream errors are not retried here: the runner's reliability layer did that.
 */
export async function askJson<T>(o: AskJsonOptions<T>): Promise<JsonReply<T>> {
  const jsonSchema = o.jsonSchema ?? toJsonSchema(o.schema);
  const retries = o.retries ?? 1;
  const messages = [...o.messages];
  let usage: Usage | null = null;
  let firstTokenAt: number | null = null;
  for (let attempt = 1; ; attempt++) {
    if (o.progress) o.progress.text = '';
    const reply = await callOnce({
      runner: o.runner,
      model: o.model,
      messages,
      options: { jsonSchema, temperature: o.temperature, maxTokens: o.maxTokens },
      signal: o.signal,
      purpose: o.purpose,
      progress: o.progress,
      now: o.now,
    });
    usage = addUsage(usage, reply.usage);
    firstTokenAt ??= reply.firstTokenAt;
    const common = { text: reply.text, usage, attempts: attempt, firstTokenAt, servedBy: reply.servedBy };
    if (reply.error) return { ...common, ok: false, reason: 'error', error: reply.error };
    const result = validate(reply.text, o.schema, o.check);
    if ('value' in result) return { ...common, ok: true, value: result.value };
    if (attempt > retries) return { ...common, ok: false, reason: 'invalid', errors: result.errors };
    messages.push(
      { role: 'assistant', content: reply.text },
      {
        role: 'user',
        content: `Your reply could not be used:\n${result.errors.map((e) => `- ${e}`).join('\n')}\nReply again with only the corrected JSON object, nothing else.`,
      },
    );
  }
}
