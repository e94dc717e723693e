import type { CallPurpose } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { ChatMessage, ChatOptions, StreamPart, ToolCall, Usage } from './chat-provider';

/** One model call by its full id (`provider/model`). */
export interface RunRequest {
  model: string;
  messages: ChatMessage[];
  options?: ChatOptions;
  signal?: AbortSignal;
  /** What the call is for: stored in its `calls` row, and the dashboard's cost per purpose (issue #10). */
  purpose: CallPurpose;
  /** The message row this call produces, when there is one. */
  messageId?: string;
  /**
   * Seed 001's timeout pool for this call and an overall bound (council members and task nodes run
   * on their own pools; chat uses the reliability layer's default, `balanced`).
   */
  timeouts?: RunTimeouts;
  /**
   * The same model elsewhere (another Ollama host serving it), tried in order when `model` fails
   * before any text (issue #13: health-checked balancing over hosts).
   */
  alternates?: string[];
}

/** The pool names are seed 001's (quick / balanced / high / reasoning: 30 / 90 / 180 / 600 s). */
export interface RunTimeouts {
  pool?: 'quick' | 'balanced' | 'high' | 'reasoning';
  totalMs?: number;
}

/**
 * How the router, the council and the task executor call models: one seam, backed in the app by the
 * provider registry behind the reliability layer (timeouts, retries, breaker, concurrency, cost),
 * and in unit tests by scripted fakes.
 */
export interface ModelRunner {
  stream(request: RunRequest): AsyncIterable<StreamPart>;
}

export interface CollectedReply {
  text: string;
  /** Tool calls the model asked for (issue #15), in order. */
  toolCalls: ToolCall[];
  usage: Usage | null;
  finishReason: string | null;
  error: SwitchboardError | null;
  firstTokenAt: number | null;
}

/** Drains a stream into text, usage and the error (if any); `onDelta` sees each piece as it comes. */
export async function collectReply(parts: AsyncIterable<StreamPart>, onDelta?: (text: string) => void, now: () => number = Date.now): Promise<CollectedReply> {
  const out: CollectedReply = { text: '', toolCalls: [], usage: null, finishReason: null, error: null, firstTokenAt: null };
  try {
    for await (const part of parts) {
      if (part.type === 'text-delta') {
        if (out.firstTokenAt === null) out.firstTokenAt = now();
        out.text += part.text;
        onDelta?.(part.text);
      } else if (part.type === 'tool-call') out.toolCalls.push(part.call);
      else if (part.type === 'usage') out.usage = part.usage;
      else if (part.type === 'finish') out.finishReason = part.reason;
      else if (part.type === 'error') {
        out.error = part.error;
        break;
      }
    }
  } catch (error) {
    out.error = error instanceof SwitchboardError ? error : new SwitchboardError('internal', error instanceof Error ? error.message : String(error));
  }
  return out;
}
