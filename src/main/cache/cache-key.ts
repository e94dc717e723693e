import { createHash } from 'node:crypto';
import type { CacheMessage, CacheParams, CacheRequest } from './types';

/**
 * Normalises text for the cache key without changing what a model would read into it: Unicode NFC,
 * CRLF/CR to LF, trailing whitespace of each line and leading/trailing blank lines dropped.
 * Runs of spaces inside a line and leading indentation are kept: in code they carry meaning
 * (Python blocks, YAML, aligned tables), so two prompts that differ there are different prompts.
 */
export function normalizeText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+$/u, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** JSON with object keys sorted at every depth and undefined members dropped: one text per value. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Only the parameters that change the output. Stop sequences are a set, so they are sorted. */
export function outputParams(params: CacheParams | undefined): Record<string, unknown> {
  if (!params) return {};
  return {
    temperature: params.temperature,
    maxTokens: params.maxTokens,
    topP: params.topP,
    stop: params.stop && params.stop.length > 0 ? [...params.stop].sort() : undefined,
    jsonSchema: params.jsonSchema,
    seed: params.seed,
  };
}

function normalizedMessages(messages: readonly CacheMessage[]): Array<[string, string]> {
  return messages.map((m) => [m.role, normalizeText(m.content)]);
}

/** Bumped when the key's recipe changes, so old entries stop matching instead of matching wrongly. */
const KEY_VERSION = 1;

/** SHA-256 of the canonical request: messages, system prompt, model or tier key, output parameters. */
export function exactKey(request: CacheRequest): Buffer {
  return sha256(
    canonicalJson({
      v: KEY_VERSION,
      model: request.modelKey,
      system: normalizeText(request.system ?? ''),
      messages: normalizedMessages(request.messages),
      params: outputParams(request.params),
    }),
  );
}

export interface SemanticParts {
  /** The question matched by meaning: the conversation's last message, a user message. */
  prompt: string;
  /** Everything that must be identical for two prompts to share an answer, hashed to 64 bits. */
  scope: bigint;
}

/**
 * Splits a request into the prompt that is compared by meaning and the scope that must match
 * exactly: embedding model, intent, system prompt, model or tier key, output parameters and every
 * message before the last user message (a follow-up means something else after another history).
 * Undefined when the conversation does not end with a user message.
 */
export function semanticParts(request: CacheRequest, embeddingModel: string): SemanticParts | undefined {
  const last = request.messages[request.messages.length - 1];
  if (!last || last.role !== 'user') return undefined;
  // Trimmed: leading indentation of the whole prompt says nothing about its meaning.
  const prompt = normalizeText(last.content).trim();
  if (prompt === '') return undefined;
  const scopeText = canonicalJson({
    v: KEY_VERSION,
    embedder: embeddingModel,
    intent: request.intent ?? '',
    system: sha256(normalizeText(request.system ?? '')).toString('hex'),
    model: request.modelKey,
    params: outputParams(request.params),
    context: normalizedMessages(request.messages.slice(0, -1)),
  });
  // 64 bits fit a sqlite-vec integer metadata column; a collision needs ~4e9 distinct scopes.
  return { prompt, scope: sha256(scopeText).readBigInt64BE(0) };
}
