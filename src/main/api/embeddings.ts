import { z } from 'zod';
import { SwitchboardError } from '../../shared/errors';
import { isOllamaProvider } from '../../shared/model-id';
import type { ProviderRegistry } from '../providers/registry';
import { estimateTextTokens } from '../runner';
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
}

/**
 * `POST /v1/embeddings` (issue #15, item 5): vectors from an installed embedding model through
 * Ollama's /api/embed, or from a cloud embedding model (`openai/text-embedding-3-small`) with its
 * key, through the provider's own embeddings API and the app's guarded fetch (offline mode reaches
 * only local models).
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
    let vectors: number[][];
    try {
      vectors = await provider.embed({ model, input: req.input, signal });
    } catch (error) {
      throw toApiError(error);
    }
    const tokens = req.input.reduce((s, t) => s + estimateTextTokens(t), 0);
    return {
      object: 'list' as const,
      data: vectors.map((v, index) => ({ object: 'embedding' as const, index, embedding: req.encoding === 'base64' ? toBase64(v) : v })),
      model: req.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  }
}

/** OpenAI's base64 encoding: the vector as little-endian float32 bytes (what the SDK asks for by default). */
function toBase64(v: number[]): string {
  const buf = Buffer.alloc(v.length * 4);
  v.forEach((x, i) => buf.writeFloatLE(x, i * 4));
  return buf.toString('base64');
}
