import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, RawMessageStreamEvent, Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ModelInfo } from '../../../shared/contract';
import { SwitchboardError } from '../../../shared/errors';
import { formatModelId } from '../../../shared/model-id';
import { silentLogger, type Logger } from '../../logger';
import { missingKeyError } from '../http-errors';
import { sdkLogger } from '../openai/sdk-logger';
import type { ChatProvider, ChatRequest, FinishReason, RateLimitObserver, StreamPart, ToolCall, Usage } from '../../runner/chat-provider';
import { ANTHROPIC_KEY_ENV, ANTHROPIC_NAME, toAnthropicError } from './anthropic-errors';
import { toAnthropicPrompt } from './prompt-cache';
import { loadAnthropicSdk } from './sdk';

export const ANTHROPIC_DEFAULT_BASE_URL = 'https://api.anthropic.com';
/**
 * `max_tokens` is required by the Messages API. Used only for a model the catalog does not list:
 * 8192 was the output ceiling of the (retired) Claude 3.5 models, and every current model allows
 * more (Haiku 4.5 64K, Sonnet 5.5 128K: Anthropic's models overview), as the catalog says per model.
 */
const DEFAULT_MAX_TOKENS = 8192;

export interface AnthropicProviderOptions {
  getKey: () => Promise<string | null>;
  fetch?: typeof fetch;
  /** For ANTHROPIC_BASE_URL. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Beats ANTHROPIC_BASE_URL and the default (a base URL set in Settings); read on every call. */
  baseUrl?: string | (() => string | null | undefined);
  rateLimits?: RateLimitObserver;
  /** The model's output ceiling (from the catalog), used when the request sets no maxTokens. */
  maxOutputTokens?: (model: string) => number | undefined;
  /** Place cache_control breakpoints (default true; see prompt-cache.ts). */
  promptCaching?: boolean;
  logger?: Logger;
}

/**
 * Claude through the official `@anthropic-ai/sdk`, streaming, with prompt caching and cache token
 * accounting. SDK retries are off; the caller's AbortSignal reaches the HTTP request.
 */
export class AnthropicProvider implements ChatProvider {
  readonly id = 'anthropic';
  private readonly logger: Logger;
  private cached: { cacheKey: string; client: Anthropic } | null = null;

  constructor(private readonly options: AnthropicProviderOptions) {
    this.logger = (options.logger ?? silentLogger).child('anthropic');
  }

  get baseUrl(): string {
    const env = this.options.env ?? process.env;
    const explicit = typeof this.options.baseUrl === 'function' ? this.options.baseUrl() : this.options.baseUrl;
    return (explicit || env.ANTHROPIC_BASE_URL?.trim() || ANTHROPIC_DEFAULT_BASE_URL).replace(/\/+$/, '');
  }

  async client(): Promise<Anthropic> {
    const key = await this.options.getKey();
    if (!key) throw missingKeyError(ANTHROPIC_NAME, ANTHROPIC_KEY_ENV);
    const baseURL = this.baseUrl;
    const cacheKey = `${baseURL}\n${key}`;
    if (this.cached?.cacheKey === cacheKey) return this.cached.client;
    const { default: AnthropicClient } = await loadAnthropicSdk();
    if (this.cached?.cacheKey === cacheKey) return this.cached.client; // made while the SDK loaded
    // An explicit apiKey also stops the SDK from looking for profiles or OAuth credentials on disk.
    const client = new AnthropicClient({ apiKey: key, baseURL, maxRetries: 0, fetch: this.options.fetch, logger: sdkLogger(this.logger), logLevel: 'warn' });
    this.cached = { cacheKey, client };
    return client;
  }

  async listModels(signal?: AbortSignal): Promise<ModelInfo[]> {
    try {
      const client = await this.client();
      const out: ModelInfo[] = [];
      for await (const model of client.models.list({}, { signal })) {
        out.push({
          id: formatModelId(this.id, model.id),
          provider: this.id,
          name: model.id,
          tier: 'paid',
          sizeBytes: null,
          family: 'claude',
          parameterSize: null,
          quantization: null,
          // Newer API versions list `max_input_tokens` (0 when not known).
          contextLength: positiveInt((model as unknown as { max_input_tokens?: unknown }).max_input_tokens),
        });
      }
      return out;
    } catch (error) {
      throw toAnthropicError(error, undefined, this.baseUrl);
    }
  }

  async *streamChat(request: ChatRequest): AsyncIterable<StreamPart> {
    const { signal, model } = request;
    let stream: AsyncIterable<RawMessageStreamEvent>;
    try {
      const client = await this.client();
      const { data, response } = await client.messages.create(this.params(request), { signal }).withResponse();
      // Anthropic counts its limits per organisation, across models.
      this.options.rateLimits?.observe(this.id, response.headers);
      stream = data;
    } catch (error) {
      const headers = (error as { headers?: unknown }).headers;
      if (headers instanceof Headers) this.options.rateLimits?.observe(this.id, headers);
      yield { type: 'error', error: toAnthropicError(error, model, this.baseUrl) };
      return;
    }
    yield { type: 'stream-start' };

    const usage: Usage = { inputTokens: 0, outputTokens: 0, estimated: false };
    let sawUsage = false;
    let stopReason: string | null = null;
    let stopped = false;
    // tool_use blocks by index: id and name at content_block_start, the input as input_json_delta pieces.
    const tools = new Map<number, ToolCall>();
    const done: ToolCall[] = [];
    try {
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          if (event.delta.text) yield { type: 'text-delta', text: event.delta.text };
        } else if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          tools.set(event.index, { id: event.content_block.id, name: event.content_block.name, arguments: '' });
        } else if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
          const call = tools.get(event.index);
          if (call) call.arguments += event.delta.partial_json;
        } else if (event.type === 'content_block_stop' && tools.has(event.index)) {
          const call = tools.get(event.index) as ToolCall;
          done.push({ ...call, arguments: call.arguments || '{}' });
        } else if (event.type === 'message_start' && event.message.usage) {
          sawUsage = true;
          applyUsage(usage, event.message.usage);
        } else if (event.type === 'message_delta') {
          stopReason = event.delta.stop_reason ?? stopReason;
          // message_delta usage is cumulative; fields it leaves null keep message_start's values.
          if (event.usage) {
            sawUsage = true;
            applyUsage(usage, event.usage);
          }
        } else if (event.type === 'message_stop') {
          stopped = true;
        }
      }
    } catch (error) {
      yield { type: 'error', error: toAnthropicError(signal?.aborted ? abortError() : error, model, this.baseUrl) };
      return;
    }
    if (!stopped) {
      yield {
        type: 'error',
        error: signal?.aborted
          ? new SwitchboardError('cancelled', 'The request was stopped.')
          : new SwitchboardError('network', `The connection to ${ANTHROPIC_NAME} ended before the reply was finished.`),
      };
      return;
    }
    for (const call of done) yield { type: 'tool-call', call };
    if (sawUsage) yield { type: 'usage', usage };
    if (stopReason === 'refusal') {
      yield {
        type: 'error',
        error: new SwitchboardError('content_filtered', `${ANTHROPIC_NAME} declined to continue this reply (stop_reason "refusal").`, {
          details: { provider: ANTHROPIC_NAME, model },
        }),
      };
      return;
    }
    yield { type: 'finish', reason: mapStopReason(stopReason) };
  }

  private params(request: ChatRequest): MessageCreateParamsStreaming {
    const prompt = toAnthropicPrompt(request.messages, request.model, this.options.promptCaching ?? true);
    const options = request.options ?? {};
    const params: MessageCreateParamsStreaming = {
      model: request.model,
      max_tokens: options.maxTokens ?? this.options.maxOutputTokens?.(request.model) ?? DEFAULT_MAX_TOKENS,
      messages: prompt.messages,
      stream: true,
    };
    if (prompt.system) params.system = prompt.system;
    if (options.stop?.length) params.stop_sequences = options.stop;
    // `temperature` is not a Messages API parameter as of SDK 1.12 (it is gone from
    // MessageCreateParams), so ChatOptions.temperature is not sent to Anthropic.
    if (options.tools?.length) {
      params.tools = options.tools.map((t) => ({ name: t.name, description: t.description, input_schema: { type: 'object', ...(t.parameters ?? {}) } as Tool.InputSchema }));
      const choice = options.toolChoice;
      if (choice === 'required') params.tool_choice = { type: 'any' };
      else if (choice === 'none') params.tool_choice = { type: 'none' };
      else if (choice && typeof choice === 'object') params.tool_choice = { type: 'tool', name: choice.name };
    }
    if (options.jsonSchema) params.output_config = { format: { type: 'json_schema', schema: options.jsonSchema } };
    return params;
  }
}

interface AnthropicUsageFields {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

/**
 * Anthropic reports uncached input, cache reads and cache writes apart; our Usage counts every
 * prompt token in `inputTokens` and names the cached parts (see Usage in ../types).
 */
function applyUsage(usage: Usage, raw: AnthropicUsageFields): void {
  const read = raw.cache_read_input_tokens ?? usage.cachedInputTokens ?? 0;
  const write = raw.cache_creation_input_tokens ?? usage.cacheWriteTokens ?? 0;
  const uncached = raw.input_tokens ?? usage.inputTokens - (usage.cachedInputTokens ?? 0) - (usage.cacheWriteTokens ?? 0);
  usage.inputTokens = uncached + read + write;
  if (raw.output_tokens !== null && raw.output_tokens !== undefined) usage.outputTokens = raw.output_tokens;
  usage.cachedInputTokens = read;
  usage.cacheWriteTokens = write;
}

function mapStopReason(reason: string | null): FinishReason {
  if (reason === 'end_turn' || reason === 'stop_sequence' || reason === null) return 'stop';
  if (reason === 'max_tokens' || reason === 'model_context_window_exceeded') return 'length';
  if (reason === 'tool_use') return 'tool-calls';
  return 'other';
}

function abortError(): Error {
  const e = new Error('Aborted');
  e.name = 'AbortError';
  return e;
}

function positiveInt(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
}
