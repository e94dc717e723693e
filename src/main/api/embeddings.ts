import { z } from 'zod';
import type { Tier } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { isOllamaProvider } from '../../shared/model-id';
import type { ModelPrice } from '../catalog';
import type { ProviderRegistry } from '../providers/registry';
import type { BudgetLedger, Reservation } from '../router';
import { costOf, estimateTextTokens, type CallSink, type CallStatus } from '../runner';
import { paramOf } from './completion-request';
import { ApiError, toApiError } from './openai-errors';

/** OpenAI caps one embeddings request at 2048 inputs; so do we. */
const MAX_INPUTS = 2048;

const Body = z.object({
  model: z.string({ error: 'must be an embedding model id, e.g. "ollama/nomic-embed-text:latest"' }).min(1, 'must not be empty'),
  input: z.union([z.string(), z.array(z.string()).min(1, 'must hold at least one string').max(MAX_INPUTS, `holds at most ${MAX_INPUTS} strings`)], {
    error: 'must be a string or an array of strings (token arrays are not supported)',
  }),
  encoding_format: z.enum(['float', 'base64'], { error: 'must be "float" or "base64"' }).nullish(),
  dimensions: z.number().int().positive().nullish(),
  user: z.string().nullish(),
});

export interface EmbeddingsRequest {
  model: string;
  input: string[];
  encoding: 'float' | 'base64';
}

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw ApiError.invalid('The request body must be a JSON object.', null);
  const parsed = Body.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = paramOf(issue?.path ?? []);
    throw ApiError.invalid(`Invalid '${param ?? 'body'}': ${issue?.message ?? 'invalid'}.`, param);
  }
  const b = parsed.data;
  if (b.dimensions != null) throw ApiError.invalid("'dimensions' is not supported: the model's own vector length is returned.", 'dimensions');
  return { model: b.model, input: typeof b.input === 'string' ? [b.input] : b.input, encoding: b.encoding_format ?? 'float' };
}

export interface ApiEmbeddingsDeps {
  providers: ProviderRegistry;
  /** Installed local embedding models (`ollama/nomic-embed-text:latest`), as listed now. */
  localEmbeddingModels(): Promise<string[]>;
  /** The catalog's tier of a model (`local` for Ollama's). */
  tierOf(model: string): Tier;
  /** USD per 1M tokens, or null when nobody knows the model's price (PriceBook.priceOf). */
  priceOf(model: string): ModelPrice | null;
  /** What the budget reserves for a model of the provider whose price is not known (PriceBook.highestPriceOf). */
  highestPriceOf(provider: string): ModelPrice | null;
  ledger: Pick<BudgetLedger, 'reserve' | 'settle' | 'release'>;
  /** Why these models cannot run now (the budget at its stop threshold: local models only), or null (CostEstimator.paidRefusal). */
  paidRefusal(models: readonly string[]): string | null;
  /** The `calls` log (CallRecorder): the dashboard's rollups follow its inserts. */
  recorder: CallSink;
  /** Offline mode: only local models run (as the router's availability says). */
  isOffline(): boolean;
}

/**
 * `POST /v1/embeddings` (issue #15, item 5): vectors from an installed embedding model through
 * Ollama's /api/embed, or from a cloud embedding model (`openai/text-embedding-3-small`) with its
 * key, through the provider's own embeddings API and the app's guarded fetch (offline mode reaches
 * only local models).
 *
 * Like every model call, a cloud embedding is refused at the budget's stop threshold (only local
 * models run there), reserves its worst case before it starts (a token is at least one byte, so the
 * input's UTF-8 bytes at the model's input price, or the provider's dearest known price when the
 * model has none) and settles its cost after. Every call, local ones included, is one `calls` row
 * with purpose `embedding`: a paid model without a price is logged as cost unknown, never as free.
 */
export class ApiEmbeddings {
  constructor(private readonly d: ApiEmbeddingsDeps) {}

  async embed(req: EmbeddingsRequest, signal: AbortSignal) {
    const local = await this.d.localEmbeddingModels();
    if (isOllamaProvider(req.model.slice(0, Math.max(0, req.model.indexOf('/')))) && !local.includes(req.model)) {
      const name = req.model.slice(req.model.indexOf('/') + 1);
      const installed = local.length ? `Installed embedding models: ${local.join(', ')}.` : 'No embedding model is installed: pull one with `ollama pull nomic-embed-text`.';
      throw ApiError.modelNotFound(req.model, `The model \`${req.model}\` is not an installed embedding model (ollama pull ${name}). ${installed}`);
    }
    let resolved;
    try {
      resolved = this.d.providers.resolve(req.model);
    } catch (error) {
      if (error instanceof SwitchboardError && error.code === 'invalid_input') throw ApiError.modelNotFound(req.model);
      throw toApiError(error);
    }
    const { provider, model } = resolved;
    if (!provider.embed) throw ApiError.invalid(`${provider.id} has no embeddings API here. Use an installed embedding model (ollama/…) or an OpenAI-compatible provider's.`, 'model');
    const tier = this.d.tierOf(req.model);
    const price = this.d.priceOf(req.model);
    const reservation = this.reserve(req, tier, price, provider.id);
    // A paid model without a price counts at its provider's dearest (as chat calls do): the budget sees it, the row says unknown.
    const counted = price ?? (tier === 'paid' ? this.d.highestPriceOf(provider.id) : null);
    const startedAt = Date.now();
    let vectors: number[][];
    try {
      vectors = await provider.embed({ model, input: req.input, signal });
    } catch (error) {
      this.d.ledger.release(reservation);
      const failure = toApiError(error);
      this.record({ req, provider: provider.id, tier, price: counted, priced: price !== null, startedAt, status: signal.aborted ? 'cancelled' : 'error', errorCode: failure.code ?? failure.type, tokens: 0 });
      throw failure;
    }
    const tokens = req.input.reduce((s, t) => s + estimateTextTokens(t), 0);
    this.d.ledger.settle(reservation, costOf({ inputTokens: tokens, outputTokens: 0, estimated: true }, counted, tier));
    this.record({ req, provider: provider.id, tier, price: counted, priced: price !== null, startedAt, status: 'ok', errorCode: null, tokens });
    return {
      object: 'list' as const,
      data: vectors.map((v, index) => ({ object: 'embedding' as const, index, embedding: req.encoding === 'base64' ? toBase64(v) : v })),
      model: req.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }

  /** Offline mode's and the stop threshold's refusals, else the worst case held against the budget (nothing for local and free models). */
  private reserve(req: EmbeddingsRequest, tier: Tier, price: ModelPrice | null, providerId: string): Reservation {
    if (tier !== 'local' && this.d.isOffline()) {
      const message = `Offline mode is on, and ${req.model} is a cloud model: only local models run. Use an installed embedding model (ollama/…), or turn offline mode off in Settings.`;
      throw toApiError(new SwitchboardError('offline', message, { retryable: false }));
    }
    if (tier !== 'local') {
      const refusal = this.d.paidRefusal([req.model]);
      if (refusal) throw toApiError(new SwitchboardError('budget_exceeded', refusal, { retryable: false }));
    }
    const rate = tier === 'paid' ? (price ?? this.d.highestPriceOf(providerId)) : null;
    const maxTokens = req.input.reduce((s, t) => s + Buffer.byteLength(t, 'utf8'), 0);
    const held = this.d.ledger.reserve(rate ? (maxTokens * rate.input) / 1_000_000 : 0, 'embedding');
    if (!held.ok) throw toApiError(held.error);
    return held;
  }

  private record(c: { req: EmbeddingsRequest; provider: string; tier: Tier; price: ModelPrice | null; priced: boolean; startedAt: number; status: CallStatus; errorCode: string | null; tokens: number }): void {
    const usage = { inputTokens: c.tokens, outputTokens: 0, estimated: true };
    this.d.recorder.record({
      messageId: null,
      modelId: c.req.model,
      provider: c.provider,
      tier: c.tier,
      startedAt: c.startedAt,
      firstTokenAt: null,
      endedAt: Date.now(),
      status: c.status,
      errorCode: c.errorCode,
      inputTokens: c.tokens,
      outputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      costUsd: costOf(usage, c.price, c.tier),
      ...(c.tier === 'paid' && !c.priced && c.tokens > 0 ? { costUnknown: true } : {}),
      // Counted by us: the provider's own token count is not read back (estimateTextTokens).
      estimated: c.tokens > 0,
      attempt: 1,
      fallbackFrom: null,
      purpose: 'embedding',
    });
  }
}

/** OpenAI's base64 encoding: the vector as little-endian float32 bytes (what the SDK asks for by default). */
function toBase64(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}
