import type OpenAI from 'openai';
import type { ChatCompletionChunk, ChatCompletionCreateParamsStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { SwitchboardError } from '../../../shared/errors';
import { formatModelId } from '../../../shared/model-id';
import { silentLogger, type Logger } from '../../logger';
import { missingKeyError } from '../http-errors';
import type { ChatMessage, ChatProvider, ChatRequest, EmbedRequest, FinishReason, ListedModel, RateLimitObserver, StreamPart, ToolCall, Usage } from '../../runner/chat-provider';
import { toOpenAIError } from './openai-errors';
import { loadOpenAISdk } from './sdk';
import { OPENAI_COMPATIBLE_PRESETS, resolveBaseUrl, type OpenAICompatiblePreset, type OpenAICompatiblePresetId } from './presets';
import { sdkLogger } from './sdk-logger';

export interface OpenAICompatibleProviderOptions {
  /** A built-in service (`groq`, `openrouter`, `deepseek`, `openai`) or a custom endpoint (see `customPreset`). */
  preset: OpenAICompatiblePresetId | OpenAICompatiblePreset;
  /** The key, read on every call (backed by the SecretStore); null when none is configured. */
  getKey: () => Promise<string | null>;
  /** Every outbound request goes through this (the app's guarded fetch). */
  fetch?: typeof fetch;
  /** For the `*_BASE_URL` overrides. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Beats the env and the preset (a custom endpoint whose URL lives in Settings). */
  baseUrl?: string | (() => string);
  /** Receives the `x-ratelimit-*` headers of every response. */
  rateLimits?: RateLimitObserver;
  logger?: Logger;
}

/** Keyless endpoints (LM Studio, llama.cpp) ignore the header, but the SDK insists on a key. */
const NO_KEY = 'no-key';

/**
 * Chat, embeddings and model listing for every OpenAI-compatible API, on the official `openai`
 * client. SDK retries are off (`maxRetries: 0`): the reliability layer sees each failure once and
 * owns retry, backoff and fallback. Each request carries the caller's AbortSignal.
 */
export class OpenAICompatibleProvider implements ChatProvider {
  readonly id: string;
  readonly preset: OpenAICompatiblePreset;
  private readonly logger: Logger;
  private cached: { cacheKey: string; client: OpenAI } | null = null;

  constructor(private readonly options: OpenAICompatibleProviderOptions) {
    this.preset = typeof options.preset === 'string' ? OPENAI_COMPATIBLE_PRESETS[options.preset] : options.preset;
    this.id = this.preset.id;
    this.logger = (options.logger ?? silentLogger).child(this.id);
  }

  get baseUrl(): string {
    const explicit = typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : this.options.baseUrl;
    return explicit?.replace(/\/+$/, '') || resolveBaseUrl(this.preset, this.options.env ?? process.env);
  }

  /** A client for the current key and base URL; reused until either changes. */
  async client(): Promise<OpenAI> {
    const key = (await this.options.getKey()) ?? (this.preset.keyEnv ? null : NO_KEY);
    if (!key) throw missingKeyError(this.preset.displayName, this.preset.keyEnv ?? 'the provider key');
    const baseURL = this.baseUrl;
    const cacheKey = `${baseURL}\n${key}`;
    if (this.cached?.cacheKey === cacheKey) return this.cached.client;
    const isOpenAI = this.preset.id === 'openai';
    const { default: OpenAIClient } = await loadOpenAISdk();
    if (this.cached?.cacheKey === cacheKey) return this.cached.client; // made while the SDK loaded
    const client = new OpenAIClient({
      apiKey: key,
      baseURL,
      maxRetries: 0,
      fetch: this.options.fetch,
      logger: sdkLogger(this.logger),
      logLevel: 'warn',
      // OPENAI_ORG_ID / OPENAI_PROJECT_ID belong to OpenAI; never send them to Groq or a LAN server.
      ...(isOpenAI ? {} : { organization: null, project: null }),
    });
    this.cached = { cacheKey, client };
    return client;
  }

  async listModels(signal?: AbortSignal): Promise<ListedModel[]> {
    try {
      const client = await this.client();
      const out: ListedModel[] = [];
      for await (const model of client.models.list({ signal })) {
        const extra = listedExtras(model as unknown as Record<string, unknown>);
        out.push({
          id: formatModelId(this.id, model.id),
          provider: this.id,
          name: model.id,
          tier: this.preset.tier,
          sizeBytes: null,
          family: null,
          parameterSize: null,
          quantization: null,
          contextLength: extra.contextLength,
          price: extra.price,
        });
      }
      return out;
    } catch (error) {
      throw toOpenAIError(error, { preset: this.preset, baseUrl: this.baseUrl });
    }
  }

  async *streamChat(request: ChatRequest): AsyncIterable<StreamPart> {
    const { signal, model } = request;
    const ctx = { preset: this.preset, baseUrl: this.baseUrl, model };
    let stream: AsyncIterable<ChatCompletionChunk>;
    try {
      const client = await this.client();
      const { data, response } = await client.chat.completions.create(this.params(request), { signal }).withResponse();
      this.options.rateLimits?.observe(formatModelId(this.id, model), response.headers);
      stream = data;
    } catch (error) {
      const headers = (error as { headers?: unknown }).headers;
      if (headers instanceof Headers) this.options.rateLimits?.observe(formatModelId(this.id, model), headers);
      yield { type: 'error', error: toOpenAIError(error, ctx) };
      return;
    }
    yield { type: 'stream-start' };

    let finish: FinishReason | null = null;
    let usage: Usage | null = null;
    // Tool calls stream as fragments keyed by `index`: the id and name first, then pieces of the arguments.
    const calls = new Map<number, ToolCall>();
    try {
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const text = choice?.delta?.content;
        if (text) yield { type: 'text-delta', text };
        for (const d of choice?.delta?.tool_calls ?? []) {
          const call = calls.get(d.index) ?? { id: '', name: '', arguments: '' };
          if (d.id) call.id = d.id;
          if (d.function?.name) call.name += d.function.name;
          if (d.function?.arguments) call.arguments += d.function.arguments;
          calls.set(d.index, call);
        }
        if (choice?.finish_reason) finish = mapFinishReason(choice.finish_reason);
        if (chunk.usage) usage = mapUsage(chunk.usage);
      }
    } catch (error) {
      yield { type: 'error', error: toOpenAIError(signal?.aborted ? abortError() : error, ctx) };
      return;
    }
    // The SDK ends the iteration quietly on abort; a stream without a finish reason was cut short.
    if (finish === null) {
      yield {
        type: 'error',
        error: signal?.aborted
          ? new SwitchboardError('cancelled', 'The request was stopped.')
          : new SwitchboardError('network', `The connection to ${this.preset.displayName} ended before the reply was finished.`),
      };
      return;
    }
    for (const [, call] of [...calls].sort(([a], [b]) => a - b)) yield { type: 'tool-call', call: { ...call, arguments: call.arguments || '{}' } };
    if (usage) yield { type: 'usage', usage };
    if (finish === 'content-filter') {
      yield {
        type: 'error',
        error: new SwitchboardError('content_filtered', `${this.preset.displayName} stopped the reply with its content filter.`, {
          details: { provider: this.preset.displayName, model },
        }),
      };
      return;
    }
    yield { type: 'finish', reason: finish };
  }

  async embed(request: EmbedRequest): Promise<number[][]> {
    try {
      const client = await this.client();
      const res = await client.embeddings.create({ model: request.model, input: request.input, encoding_format: 'float' }, { signal: request.signal });
      return [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (error) {
      throw toOpenAIError(error, { preset: this.preset, baseUrl: this.baseUrl, model: request.model });
    }
  }

  private params(request: ChatRequest): ChatCompletionCreateParamsStreaming {
    const options = request.options ?? {};
    const messages: ChatCompletionMessageParam[] = request.messages.map(toOpenAIMessage);
    const params: ChatCompletionCreateParamsStreaming = {
      model: request.model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    };
    if (options.temperature !== undefined) params.temperature = options.temperature;
    if (options.maxTokens !== undefined) params[this.preset.maxTokensParam] = options.maxTokens;
    if (options.stop?.length) params.stop = options.stop;
    if (options.tools?.length) {
      params.tools = options.tools.map((t) => ({ type: 'function', function: { name: t.name, description: t.description, parameters: t.parameters } }));
      const choice = options.toolChoice;
      if (choice) params.tool_choice = typeof choice === 'string' ? choice : { type: 'function', function: { name: choice.name } };
    }
    if (options.jsonSchema) {
      if (this.preset.structuredOutput === 'json_schema') {
        // Not `strict`: strict mode rejects schemas outside its subset; best effort works with any schema.
        params.response_format = { type: 'json_schema', json_schema: { name: 'reply', schema: options.jsonSchema } };
      } else {
        // JSON mode needs the word "json" in the prompt (DeepSeek's JSON Output guide); the schema goes with it.
        params.response_format = { type: 'json_object' };
        messages.unshift({ role: 'system', content: `Reply with one JSON object matching this JSON schema:\n${JSON.stringify(options.jsonSchema)}` });
      }
    }
    return params;
  }
}

/**
 * What some lists say beyond OpenAI's `{id, object, created, owned_by}`: Groq's `context_window`,
 * OpenRouter's `context_length` and `pricing` (USD per token, as decimal strings; -1 means "varies").
 */
function listedExtras(raw: Record<string, unknown>): { contextLength: number | null; price: ListedModel['price'] } {
  const ctx = [raw.context_window, raw.context_length].find((v): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0);
  const pricing = raw.pricing as { prompt?: unknown; completion?: unknown } | undefined;
  const perMillion = (v: unknown): number | null => {
    const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN;
    return Number.isFinite(n) && n >= 0 ? Math.round(n * 1e12) / 1e6 : null;
  };
  const input = perMillion(pricing?.prompt);
  const output = perMillion(pricing?.completion);
  return { contextLength: ctx ?? null, price: input !== null && output !== null ? { input, output } : null };
}

/** Our message as OpenAI's: tool calls on assistant turns, `tool_call_id` on tool results. */
function toOpenAIMessage(m: ChatMessage): ChatCompletionMessageParam {
  if (m.role === 'tool') return { role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' };
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return {
      role: 'assistant',
      content: m.content || null,
      tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
    };
  }
  if (m.role === 'user' && m.images?.length) {
    return {
      role: 'user',
      content: [...(m.content ? [{ type: 'text' as const, text: m.content }] : []), ...m.images.map((img) => ({ type: 'image_url' as const, image_url: { url: `data:${img.mediaType};base64,${img.data}` } }))],
    };
  }
  return { role: m.role, content: m.content };
}

function mapFinishReason(reason: string): FinishReason {
  if (reason === 'stop') return 'stop';
  if (reason === 'tool_calls' || reason === 'function_call') return 'tool-calls';
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  return 'other';
}

interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
  /** DeepSeek reports its context cache hits here. */
  prompt_cache_hit_tokens?: number;
}

function mapUsage(raw: OpenAIUsage): Usage {
  const cached = raw.prompt_tokens_details?.cached_tokens ?? raw.prompt_cache_hit_tokens ?? 0;
  const usage: Usage = { inputTokens: raw.prompt_tokens ?? 0, outputTokens: raw.completion_tokens ?? 0, estimated: false };
  if (cached > 0) usage.cachedInputTokens = cached;
  return usage;
}

function abortError(): Error {
  const e = new Error('Aborted');
  e.name = 'AbortError';
  return e;
}
