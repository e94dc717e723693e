import { randomUUID } from 'node:crypto';
import { Ollama, type AbortableAsyncIterator, type ChatResponse, type Message } from 'ollama';
import type { ModelInfo, Tier } from '../../../shared/contract';
import { hostReach, tierAt } from '../../../shared/host-address';
import { formatModelId } from '../../../shared/model-id';
import type { ChatMessage, ChatProvider, ChatRequest, EmbedRequest, FinishReason, StreamPart } from '../../runner/chat-provider';
import { toOllamaError } from './ollama-errors';

export interface OllamaProviderOptions {
  /** Read on every call so a host changed in Settings takes effect at once. */
  host: () => string;
  /** Every outbound request goes through this (the offline guard wraps it). */
  fetch?: typeof fetch;
  id?: string;
  /** Settings → Network's hosts: a host on them (or loopback) is local; elsewhere its models are not. Default: none. */
  networkHosts?: () => readonly string[];
  /** Settings' `ollamaKeepAlive` ("5m", "1h", "-1" …), read per call; unset: Ollama's own default (5 min). */
  keepAlive?: () => string | undefined;
}

export interface OllamaVersion {
  version: string;
}

/**
 * Chat, embeddings and model listing on the official `ollama` client. Each call gets its own client
 * whose fetch carries the caller's AbortSignal, so Stop aborts the HTTP request at any stage
 * (ollama-js only wires its own controller once a stream has begun).
 */
export class OllamaProvider implements ChatProvider {
  readonly id: string;

  constructor(private readonly options: OllamaProviderOptions) {
    this.id = options.id ?? 'ollama';
  }

  get host(): string {
    return this.options.host();
  }

  /** `local` on this machine or a host on the user's network; an Ollama anywhere else is someone's server (issue #16). */
  tier(): Tier {
    return tierAt('local', hostReach(this.host, this.options.networkHosts?.() ?? []));
  }

  client(signal?: AbortSignal): Ollama {
    const base = this.options.fetch ?? fetch;
    const fetchWithSignal: typeof fetch = (input, init) => {
      const signals = [init?.signal, signal].filter((s): s is AbortSignal => !!s);
      return base(input, { ...init, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] });
    };
    return new Ollama({ host: this.host, fetch: fetchWithSignal });
  }

  async version(signal?: AbortSignal): Promise<string> {
    try {
      const res = await this.client(signal).version();
      return res.version;
    } catch (error) {
      throw toOllamaError(error, this.host);
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const { models } = await this.client(signal).list();
      const tier = this.tier();
      return models.map((m) => ({
        id: formatModelId(this.id, m.name),
        provider: this.id,
        name: m.name,
        tier,
        sizeBytes: m.size ?? null,
        family: m.details?.family ?? null,
        parameterSize: m.details?.parameter_size ?? null,
        quantization: m.details?.quantization_level ?? null,
        contextLength: null,
      }));
    } catch (error) {
      throw toOllamaError(error, this.host);
    }
  }

  /** /api/show `capabilities` (Ollama 0.6+): "completion", "tools", "vision", "embedding" … */
  async capabilities(model: string, signal?: AbortSignal): Promise<string[]> {
    try {
      const shown = await this.client(signal).show({ model });
      return (shown as { capabilities?: string[] }).capabilities ?? [];
    } catch (error) {
      throw toOllamaError(error, this.host, model);
    }
  }

  async *streamChat(request: ChatRequest): AsyncIterable<StreamPart> {
    const { signal } = request;
    let stream: AbortableAsyncIterator<ChatResponse>;
    try {
      const tools = request.options?.tools;
      stream = await this.client(signal).chat({
        model: request.model,
        messages: request.messages.map(toOllamaMessage),
        stream: true,
        // Ollama refuses tools (400 "… does not support tools") for models whose /api/show does not list the capability.
        ...(tools?.length ? { tools: tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters as never } })) } : {}),
        format: request.options?.jsonSchema,
        ...keepAliveParam(this.options.keepAlive?.()),
        options: {
          ...(request.options?.numCtx !== undefined ? { num_ctx: request.options.numCtx } : {}),
          ...(request.options?.temperature !== undefined ? { temperature: request.options.temperature } : {}),
          ...(request.options?.maxTokens !== undefined ? { num_predict: request.options.maxTokens } : {}),
          ...(request.options?.stop?.length ? { stop: request.options.stop } : {}),
        },
      });
    } catch (error) {
      yield { type: 'error', error: toOllamaError(error, this.host, request.model) };
      return;
    }
    // chat() resolves once the response headers are in (Ollama sends them after loading the model).
    yield { type: 'stream-start' };
    const onAbort = (): void => stream.abort();
    let calls = 0;
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const chunk of stream) {
        const part = chunk;
        const text = part.message?.content;
        if (text) yield { type: 'text-delta', text };
        // Ollama sends each tool call whole (arguments as an object) and gives it no id: one is made here.
        for (const call of part.message?.tool_calls ?? []) {
          calls++;
          yield { type: 'tool-call', call: { id: `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`, name: call.function.name, arguments: JSON.stringify(call.function.arguments ?? {}) } };
        }
        if (part.done) {
          yield {
            type: 'usage',
            usage: { inputTokens: part.prompt_eval_count ?? 0, outputTokens: part.eval_count ?? 0, estimated: false },
          };
          // Ollama ends a tool-call reply with done_reason "stop"; callers need to know it asked for tools.
          yield { type: 'finish', reason: calls > 0 ? 'tool-calls' : mapDoneReason(part.done_reason) };
          return;
        }
      }
      // The NDJSON stream ended without a `done` line: the connection was cut.
      if (signal?.aborted) throw signal.reason ?? new DOMException('Aborted', 'AbortError');
      yield {
        type: 'error',
        error: toOllamaError(new Error('the stream ended before Ollama finished the reply'), this.host, request.model),
      };
    } catch (error) {
      yield { type: 'error', error: toOllamaError(signal?.aborted ? abortError() : error, this.host, request.model) };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async embed(request: EmbedRequest): Promise<number[][]> {
    try {
      const res = await this.client(request.signal).embed({ model: request.model, input: request.input });
      return res.embeddings;
    } catch (error) {
      throw toOllamaError(error, this.host, request.model);
    }
  }
}

/** keep_alive as Ollama takes it: a duration string ("5m") or a number of seconds ("-1": forever, "0": unload). */
export function keepAliveParam(value: string | undefined): { keep_alive?: string | number } {
  const v = value?.trim();
  if (!v) return {};
  return /^-?\d+$/.test(v) ? { keep_alive: Number(v) } : { keep_alive: v };
}

function abortError(): Error {
  const e = new Error('Aborted');
  e.name = 'AbortError';
  return e;
}

function mapDoneReason(reason: string | undefined): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'stop' || reason === undefined || reason === '') return 'stop';
  return 'other';
}

/** Our message as Ollama's /api/chat takes it: tool calls with their arguments as an object, tool results named by their tool. */
function toOllamaMessage(m: ChatMessage, i: number, all: readonly ChatMessage[]): Message {
  if (m.role === 'tool') {
    const call = all.slice(0, i).flatMap((x) => x.toolCalls ?? []).find((c) => c.id === m.toolCallId);
    return { role: 'tool', content: m.content, ...(call ? { tool_name: call.name } : {}) };
  }
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return { role: 'assistant', content: m.content, tool_calls: m.toolCalls.map((c) => ({ function: { name: c.name, arguments: parseObject(c.arguments) } })) };
  }
  return { role: m.role, content: m.content };
}

function parseObject(args: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(args || '{}');
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
