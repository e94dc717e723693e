import { z } from 'zod';

/** The zod schema as provider-ready JSON Schema (without `$schema`, which some servers reject). */
export function toJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>;
  return rest;
}

/**
 * The JSON value in a model's reply. Structured output usually gives bare JSON, but small local
 * models still wrap it in a ```json fence or a sentence; take the fenced body, then the outermost
 * {...}. Throws a SyntaxError when none of these readings parses.
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

/** Zod's issues as one line each (`path: message`), to show a user or send back to a model. */
export function zodIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
}
