import type { CallPurpose } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { ModelRunner, RunRequest, StreamPart, Usage } from '../runner';

/** One scripted reply. Delays are real timers, so wall-clock behaviour (early completion) is real too. */
export interface ScriptedReply {
  text?: string;
  /** Delay before the first text part (the "latency" of a model in the tests and the bench). */
  firstTokenMs?: number;
  /** Delay between text parts. */
  tokenMs?: number;
  /** Fail instead of answering, after `firstTokenMs` (and after `failAfterChunks` parts when given). */
  error?: SwitchboardError;
  failAfterChunks?: number;
  /** Default: estimated from the text lengths (4 characters a token). */
  usage?: Usage | null;
}

export type Script = (request: RunRequest, index: number) => ScriptedReply | string;

export interface ScriptedCall {
  index: number;
  request: RunRequest;
  model: string;
  purpose: CallPurpose;
  startedAt: number;
  endedAt: number | null;
  /** The caller's signal aborted this call before it finished. */
  aborted: boolean;
}

const sleep = (ms: number | undefined, signal?: AbortSignal): Promise<void> =>
  !ms || ms <= 0 || signal?.aborted
    ? Promise.resolve()
    : new Promise((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
      });

const estimate = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

/**
 * A ModelRunner that plays a script, for unit tests and the bench: honours the AbortSignal like a
 * real provider (an `error` part with code `cancelled`), and counts calls in flight.
 */
export class ScriptedRunner implements ModelRunner {
  readonly calls: ScriptedCall[] = [];
  private active = 0;
  private peak = 0;

  constructor(private readonly script: Script, private readonly now: () => number = Date.now) {}

  /** Replies by model id; a function gets the request (to answer from the prompt). */
  static byModel(replies: Record<string, ScriptedReply | string | ((request: RunRequest, index: number) => ScriptedReply | string)>, now?: () => number): ScriptedRunner {
    return new ScriptedRunner((request, index) => {
      const reply = replies[request.model];
      if (reply === undefined) return { error: new SwitchboardError('model_not_found', `No script for ${request.model}.`) };
      return typeof reply === 'function' ? reply(request, index) : reply;
    }, now);
  }

  get inflight(): number {
    return this.active;
  }

  get maxInflight(): number {
    return this.peak;
  }

  callsFor(model: string, purpose?: CallPurpose): ScriptedCall[] {
    return this.calls.filter((c) => c.model === model && (purpose === undefined || c.purpose === purpose));
  }

  abortedCalls(): ScriptedCall[] {
    return this.calls.filter((c) => c.aborted);
  }

  async *stream(request: RunRequest): AsyncIterable<StreamPart> {
    const call: ScriptedCall = { index: this.calls.length, request, model: request.model, purpose: request.purpose, startedAt: this.now(), endedAt: null, aborted: false };
    this.calls.push(call);
    const raw = this.script(request, call.index);
    const reply: ScriptedReply = typeof raw === 'string' ? { text: raw } : raw;
    const signal = request.signal;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      await sleep(reply.firstTokenMs, signal);
      if (signal?.aborted) {
        call.aborted = true;
        yield { type: 'error', error: new SwitchboardError('cancelled', 'The request was stopped.') };
        return;
      }
      yield { type: 'stream-start' };
      if (reply.error && reply.failAfterChunks === undefined) {
        yield { type: 'error', error: reply.error };
        return;
      }
      const text = reply.text ?? '';
      const chunks = text.match(/\S+\s*|\s+/g) ?? [];
      for (let i = 0; i < chunks.length; i++) {
        if (reply.error && i === reply.failAfterChunks) {
          yield { type: 'error', error: reply.error, partial: i > 0 };
          return;
        }
        if (i > 0) await sleep(reply.tokenMs, signal);
        if (signal?.aborted) {
          call.aborted = true;
          yield { type: 'error', error: new SwitchboardError('cancelled', 'The request was stopped.'), partial: true };
          return;
        }
        yield { type: 'text-delta', text: chunks[i] as string };
      }
      const input = request.messages.reduce((s, m) => s + estimate(m.content), 0);
      const usage = reply.usage === undefined ? { inputTokens: input, outputTokens: estimate(text), estimated: true } : reply.usage;
      if (usage) yield { type: 'usage', usage };
      yield { type: 'finish', reason: 'stop' };
    } finally {
      this.active--;
      call.endedAt = this.now();
    }
  }
}
