import { SwitchboardError } from '../../shared/errors';
import type { ChatMessage, ChatOptions, StreamPart, Usage } from './chat-provider';
import { collectReply, type ModelRunner, type RunRequest } from './model-runner';

/** Live view of a call in flight, so a caller that cuts it off still knows what it had produced. */
export interface CallProgress {
  text: string;
  firstTokenAt: number | null;
}

export interface CallOnceOptions {
  runner: ModelRunner;
  model: string;
  messages: ChatMessage[];
  options?: ChatOptions;
  signal: AbortSignal;
  purpose: RunRequest['purpose'];
  onDelta?: (text: string) => void;
  progress?: CallProgress;
  now?: () => number;
}

export interface CallReply {
  text: string;
  usage: Usage | null;
  error: SwitchboardError | null;
  firstTokenAt: number | null;
  /** The model that actually answered: differs from the one asked when the runner fell back. */
  servedBy: string;
}

/**
 * One model call drained to text. Never throws: a runner that throws (even synchronously) gives an
 * `error`. Notes `fallback` parts, since a council must know when two members became one model.
 */
export async function callOnce(o: CallOnceOptions): Promise<CallReply> {
  const now = o.now ?? Date.now;
  const progress = o.progress ?? { text: '', firstTokenAt: null };
  let servedBy = o.model;
  async function* watch(parts: AsyncIterable<StreamPart>): AsyncIterable<StreamPart> {
    for await (const part of parts) {
      if (part.type === 'fallback') servedBy = part.to;
      yield part;
    }
  }
  try {
    const parts = o.runner.stream({ model: o.model, messages: o.messages, options: o.options, signal: o.signal, purpose: o.purpose });
    const reply = await collectReply(watch(parts), (text) => {
      if (progress.firstTokenAt === null) progress.firstTokenAt = now();
      progress.text += text;
      o.onDelta?.(text);
    }, now);
    return { text: reply.text, usage: reply.usage, error: reply.error, firstTokenAt: progress.firstTokenAt, servedBy };
  } catch (error) {
    const wrapped = error instanceof SwitchboardError ? error : new SwitchboardError('internal', error instanceof Error ? error.message : String(error));
    return { text: progress.text, usage: null, error: wrapped, firstTokenAt: progress.firstTokenAt, servedBy };
  }
}

/** Two calls' usage added up (an estimate stays marked as one). */
export function addUsage(a: Usage | null, b: Usage | null): Usage | null {
  if (!a) return b;
  if (!b) return a;
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(a.cachedInputTokens !== undefined || b.cachedInputTokens !== undefined
      ? { cachedInputTokens: (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0) }
      : {}),
    ...(a.cacheWriteTokens !== undefined || b.cacheWriteTokens !== undefined
      ? { cacheWriteTokens: (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0) }
      : {}),
    estimated: a.estimated || b.estimated,
  };
}
