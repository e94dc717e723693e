import { z } from 'zod';
import { SwitchboardError, isAbortError } from '../../shared/errors';
import type { PriceOverrides } from './schema';

export const OPENROUTER_MODELS_URL = 'https://openrouter.ai/api/v1/models';

/** The part of `GET /api/v1/models` we read: prices are USD per token, as decimal strings. */
const OpenRouterModels = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      name: z.string().optional(),
      context_length: z.number().nullish(),
      pricing: z
        .object({
          prompt: z.string(),
          completion: z.string(),
          input_cache_read: z.string().optional(),
          input_cache_write: z.string().optional(),
        })
        .loose(),
    }).loose(),
  ),
});

export interface RefreshOpenRouterPricesOptions {
  /** The app's guarded fetch. */
  fetch: typeof fetch;
  /** The app's offline switch: when true nothing is sent and the call fails with `offline`. */
  offline: boolean;
  /** Default https://openrouter.ai/api/v1/models (OPENROUTER_BASE_URL + /models when the app sets one). */
  url?: string;
  signal?: AbortSignal;
  /** Receives the whole list as read (issue #15: it is OpenRouter's live model list too, so one request serves both). */
  onModels?: (models: Array<{ id: string; name: string; contextLength: number | null; price: { input: number; output: number } | null }>) => void;
}

/**
 * Current OpenRouter prices as catalog overrides (`openrouter/<id>` → USD per 1M tokens), for
 * `ModelCatalog.withOverrides`. Models with a negative or unparsable price (OpenRouter uses -1 for
 * "varies", e.g. its auto router) are left out.
 */
export async function refreshOpenRouterPrices(options: RefreshOpenRouterPricesOptions): Promise<PriceOverrides> {
  if (options.offline) {
    throw new SwitchboardError('offline', 'Switchboard is offline, so OpenRouter prices were not refreshed. The bundled prices stay in use.', {
      retryable: false,
    });
  }
  const url = options.url ?? OPENROUTER_MODELS_URL;
  let response: Response;
  try {
    response = await options.fetch(url, { headers: { accept: 'application/json' }, signal: options.signal });
  } catch (error) {
    if (isAbortError(error) || options.signal?.aborted) throw new SwitchboardError('cancelled', 'The price refresh was stopped.', { cause: error });
    throw new SwitchboardError('network', `OpenRouter prices could not be fetched: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!response.ok) {
    throw new SwitchboardError(response.status >= 500 || response.status === 429 ? 'unavailable' : 'invalid_input', `OpenRouter answered ${response.status} to the price refresh.`, {
      status: response.status,
    });
  }
  const parsed = OpenRouterModels.safeParse(await response.json().catch(() => null));
  if (!parsed.success) {
    throw new SwitchboardError('internal', 'OpenRouter sent a model list in a shape Switchboard does not understand; prices were not refreshed.');
  }
  options.onModels?.(
    parsed.data.data.map((m) => {
      const input = perMillion(m.pricing.prompt);
      const output = perMillion(m.pricing.completion);
      const ctx = m.context_length;
      return { id: m.id, name: m.name ?? m.id, contextLength: ctx && ctx > 0 ? ctx : null, price: input !== null && output !== null ? { input, output } : null };
    }),
  );
  const out: PriceOverrides = {};
  for (const model of parsed.data.data) {
    const input = perMillion(model.pricing.prompt);
    const output = perMillion(model.pricing.completion);
    if (input === null || output === null) continue;
    const entry: PriceOverrides[string] = { input, output };
    const cacheRead = perMillion(model.pricing.input_cache_read);
    const cacheWrite = perMillion(model.pricing.input_cache_write);
    if (cacheRead !== null) entry.cacheRead = cacheRead;
    if (cacheWrite !== null) entry.cacheWrite = cacheWrite;
    out[`openrouter/${model.id}`] = entry;
  }
  return out;
}

/** "0.00000027" USD per token → 0.27 USD per 1M tokens, rounded to a millionth of a dollar. */
function perMillion(perToken: string | undefined): number | null {
  if (perToken === undefined) return null;
  const value = Number(perToken);
  if (!Number.isFinite(value) || value < 0) return null;
  return Math.round(value * 1e12) / 1e6;
}
