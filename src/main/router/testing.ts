import type { Tier } from '../../shared/contract';
import { SwitchboardError, type ErrorCode } from '../../shared/errors';
import type { FinishReason, StreamPart } from '../runner/chat-provider';
import type { ModelRunner, RunRequest } from '../runner';
import type { RouteContext } from './availability';
import { DEFAULT_ROUTER_CONFIG } from './config';
import type { RoutableModel } from './types';

/** Test support (not exported from index.ts): a scripted ModelRunner and a ready RouteContext. */
export interface ScriptedReply {
  text?: string;
  /** Split into these deltas instead of one. */
  chunks?: string[];
  finish?: FinishReason;
  usage?: { inputTokens: number; outputTokens: number };
  error?: ErrorCode;
  /** Never answers until the request is aborted. */
  hang?: boolean;
}

export class ScriptedRunner implements ModelRunner {
  readonly calls: RunRequest[] = [];
  private readonly scripts = new Map<string, ScriptedReply[]>();

  /** Replies for a model, used in order; the last one repeats. */
  script(model: string, ...replies: ScriptedReply[]): this {
    this.scripts.set(model, replies);
    return this;
  }

  callsTo(model: string): RunRequest[] {
    return this.calls.filter((c) => c.model === model);
  }

  async *stream(request: RunRequest): AsyncIterable<StreamPart> {
    this.calls.push(request);
    const list = this.scripts.get(request.model);
    const reply = list && list.length > 1 ? list.shift() : list?.[0];
    if (!reply) {
      yield { type: 'error', error: new SwitchboardError('model_not_found', `no script for ${request.model}`) };
      return;
    }
    if (reply.hang) {
      await new Promise<void>((resolve) => {
        if (request.signal?.aborted) resolve();
        request.signal?.addEventListener('abort', () => resolve(), { once: true });
      });
      yield { type: 'error', error: new SwitchboardError('cancelled', 'stopped') };
      return;
    }
    yield { type: 'stream-start' };
    for (const text of reply.chunks ?? (reply.text ? [reply.text] : [])) yield { type: 'text-delta', text };
    if (reply.error) {
      yield { type: 'error', error: new SwitchboardError(reply.error, `${request.model} failed (${reply.error})`) };
      return;
    }
    if (reply.usage) yield { type: 'usage', usage: { ...reply.usage, estimated: false } };
    yield { type: 'finish', reason: reply.finish ?? 'stop' };
  }
}

const model = (id: string, tier: Tier, contextWindow: number, input: number, output: number, quality: number, strengths: string[] = []): RoutableModel => ({
  id,
  provider: id.slice(0, id.indexOf('/')),
  tier,
  contextWindow,
  price: { input, output },
  quality,
  strengths,
});

/** The default config's models, with the catalog's prices (resources/cloud-models.json agrees). */
export const TEST_MODELS: readonly RoutableModel[] = [
  model('ollama/qwen2.5-coder:7b', 'local', 32_768, 0, 0, 5.5),
  model('ollama/llama3.2:3b', 'local', 8_192, 0, 0, 4.5),
  model('ollama/phi3:mini', 'local', 4_096, 0, 0, 4.5),
  model('groq/llama-3.3-70b-versatile', 'free', 131_072, 0.59, 0.79, 7.5),
  model('groq/llama-3.1-8b-instant', 'free', 131_072, 0.59, 0.79, 6, ['fast']),
  model('deepseek/deepseek-chat', 'paid', 65_536, 0.27, 1.1, 8),
  model('openrouter/deepseek/deepseek-chat', 'paid', 65_536, 0.27, 1.1, 8),
  model('anthropic/claude-haiku-4-5', 'paid', 200_000, 1, 5, 8.5, ['fast iteration']),
  model('openrouter/anthropic/claude-haiku-4.5', 'paid', 200_000, 1, 5, 8.5, ['fast iteration']),
  model('anthropic/claude-sonnet-5-5', 'paid', 1_000_000, 2, 10, 9.5),
  model('openrouter/anthropic/claude-sonnet-5.5', 'paid', 1_000_000, 2, 10, 9.5),
  model('openrouter/google/gemini-3.8-flash', 'paid', 1_048_576, 0.75, 3.75, 8.5, ['long context', 'fast']),
];

/** Everything available: every key, the coder installed, budget ok, online. Override what a test needs. */
export function testContext(overrides: Partial<RouteContext> = {}): RouteContext {
  const byId = new Map(TEST_MODELS.map((m) => [m.id, m]));
  return {
    config: DEFAULT_ROUTER_CONFIG,
    model: (id) => byId.get(id),
    installedLocal: ['ollama/qwen2.5-coder:7b', 'ollama/llama3.2:3b'],
    hasKey: () => true,
    offline: false,
    budget: { level: 'ok', message: "Today's spend $0.00 of $5.00." },
    ...overrides,
  };
}
