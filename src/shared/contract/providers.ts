import { z } from 'zod';
import { SerializedError } from '../errors';
import { call } from './define';
import { CustomEndpoint, OllamaHostInput, ProviderSettings, Tier } from './system';

export const ProviderStatus = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['ollama', 'openai-compatible', 'anthropic', 'custom']),
  tier: Tier,
  enabled: z.boolean(),
  baseUrl: z.string(),
  baseUrlSource: z.enum(['default', 'env', 'settings']),
  /** Where the key comes from; null for providers that need none (Ollama). */
  key: z
    .object({ configured: z.boolean(), source: z.enum(['env', 'keychain', 'memory']).nullable(), last4: z.string().nullable(), envVar: z.string().nullable() })
    .nullable(),
  builtIn: z.boolean(),
});
export type ProviderStatus = z.infer<typeof ProviderStatus>;

export const ModelHealthInfo = z.object({
  modelId: z.string(),
  state: z.enum(['closed', 'open', 'half-open']),
  requests: z.number(),
  failures: z.number(),
  openUntil: z.number().nullable(),
  lastError: z.object({ code: z.string(), message: z.string(), at: z.number() }).nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  calls: z.number(),
});
export type ModelHealthInfo = z.infer<typeof ModelHealthInfo>;

export const AvailableModel = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  tier: Tier,
  contextWindow: z.number().nullable(),
  /** USD per 1M tokens. */
  price: z.object({ input: z.number(), output: z.number(), cacheRead: z.number().nullable() }).nullable(),
  /** Can it be called right now (provider enabled, key present, installed for local)? */
  available: z.boolean(),
  unavailableReason: z.string().nullable(),
  quality: z.number().nullable(),
});
export type AvailableModel = z.infer<typeof AvailableModel>;

/** One provider's live model list (issue #15): when it was read, how many models it holds, what the last refresh did. */
export const ModelListStatus = z.object({
  provider: z.string(),
  /** Read now; false when skipped (`reason`) or failed (`error`: the last list stays in use). */
  refreshed: z.boolean(),
  reason: z.enum(['no-key', 'offline']).nullable(),
  error: SerializedError.nullable(),
  /** Epoch ms of the list in use; null when none was ever read (the bundled catalog alone). */
  listedAt: z.number().nullable(),
  count: z.number(),
});
export type ModelListStatus = z.infer<typeof ModelListStatus>;

export const providerCalls = {
  'providers.list': call(z.object({}).strict(), z.array(ProviderStatus)),
  'providers.update': call(
    ProviderSettings.extend({ id: z.string() }).strict(),
    ProviderStatus,
  ),
  /** Lists the provider's models with its key: proves the key and URL work without spending tokens. */
  'providers.test': call(
    z.object({ id: z.string() }).strict(),
    z.object({ ok: z.boolean(), latencyMs: z.number(), modelCount: z.number(), error: SerializedError.nullable() }),
  ),
  'providers.health': call(z.object({}).strict(), z.array(ModelHealthInfo)),
  'providers.catalog': call(z.object({}).strict(), z.array(AvailableModel)),
  'providers.addCustom': call(CustomEndpoint.extend({ apiKey: z.string().trim().min(1).max(500).optional() }).strict(), ProviderStatus),
  /** OpenRouter's current prices into the catalog (refused in offline mode). */
  'providers.refreshPrices': call(z.object({}).strict(), z.object({ updated: z.number(), at: z.number() })),
  /** Reads the providers' model lists now (one, or every cloud provider with a key); refused in offline mode. */
  'providers.refreshModels': call(z.object({ id: z.string().optional() }).strict(), z.array(ModelListStatus)),
  /** The live model lists in use, without reading them. */
  'providers.modelLists': call(z.object({}).strict(), z.array(ModelListStatus)),
  'providers.removeCustom': call(z.object({ id: z.string() }).strict(), z.object({ removed: z.boolean() })),
  /** Another Ollama server (Settings → Ollama): provider `ollama-<name>`, tier local. */
  'providers.addOllamaHost': call(OllamaHostInput.strict(), ProviderStatus),
  'providers.removeOllamaHost': call(z.object({ name: z.string() }).strict(), z.object({ removed: z.boolean() })),
};
