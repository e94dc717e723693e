import { z } from 'zod';
import { canonicalAddress, networkHostProblem } from '../host-address';
import { PROVIDER_IDS, isOllamaProvider } from '../model-id';
import { ApiServerSettings } from './api';
import { CacheSettingsInput } from './cache';
import { WorkspaceSettingsInput } from './workspace';
import { call } from './define';

export const Tier = z.enum(['local', 'free', 'paid']);
export type Tier = z.infer<typeof Tier>;

export const ModelInfo = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  tier: Tier,
  sizeBytes: z.number().nullable(),
  family: z.string().nullable(),
  parameterSize: z.string().nullable(),
  quantization: z.string().nullable(),
  contextLength: z.number().nullable(),
});
export type ModelInfo = z.infer<typeof ModelInfo>;

export const OllamaStatus = z.object({
  host: z.string(),
  reachable: z.boolean(),
  version: z.string().nullable(),
  error: z.string().nullable(),
});
export type OllamaStatus = z.infer<typeof OllamaStatus>;

export const KeychainStatus = z.object({
  available: z.boolean(),
  /** Why it is not available, in words a user can act on. */
  reason: z.string().nullable(),
});
export type KeychainStatus = z.infer<typeof KeychainStatus>;

export const SystemStatus = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'headless', 'cli']),
  dataDir: z.string(),
  schemaVersion: z.number(),
  ollama: OllamaStatus,
  keychain: KeychainStatus,
});
export type SystemStatus = z.infer<typeof SystemStatus>;

export const SecretProvider = z.enum(['openai', 'anthropic', 'groq', 'openrouter', 'deepseek']);
export type SecretProvider = z.infer<typeof SecretProvider>;

/** All the renderer ever learns about a key. */
export const SecretStatus = z.object({
  provider: SecretProvider,
  configured: z.boolean(),
  source: z.enum(['env', 'keychain', 'memory']).nullable(),
  last4: z.string().nullable(),
  envVar: z.string(),
});
export type SecretStatus = z.infer<typeof SecretStatus>;

const ProviderId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'lowercase letters, digits and dashes, like lm-studio');

/** A user-added OpenAI-compatible endpoint (`providers.addCustom`, stored in `Settings.customEndpoints`). */
export const CustomEndpoint = z.object({
  id: ProviderId,
  name: z.string().trim().min(1).max(60),
  baseUrl: z.string().url('must be a URL such as http://127.0.0.1:1234/v1'),
  tier: Tier,
});
export type CustomEndpoint = z.infer<typeof CustomEndpoint>;

/** Another Ollama server (`providers.addOllamaHost`, stored in `Settings.ollamaHosts`). */
export const OllamaHostInput = z.object({
  /** Shown in the UI and part of the provider id: "gpu-box" → `ollama-gpu-box/llama3.1:8b`. */
  name: z.string().trim().min(1).max(40),
  url: z.string().url('must be a URL such as http://192.168.1.20:11434'),
  /** Requests at once on this host (the reliability layer's limiter). */
  maxConcurrent: z.number().int().min(1).max(8).optional(),
});
export type OllamaHostInput = z.infer<typeof OllamaHostInput>;

/** What `providers.update` changes for one provider. */
export const ProviderSettings = z.object({ enabled: z.boolean().optional(), baseUrl: z.string().url().nullable().optional() }).strict();
export type ProviderSettings = z.infer<typeof ProviderSettings>;

/**
 * The custom endpoints as a whole: ids are unique and never a built-in provider's (issue #16: an
 * endpoint called `ollama` shadowed the built-in provider after a restart). Clashes with an extra
 * Ollama host's id are checked in src/main/settings, where the host ids are made.
 */
const CustomEndpoints = z.array(CustomEndpoint).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((endpoint, i) => {
    if ((PROVIDER_IDS as readonly string[]).includes(endpoint.id)) {
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${endpoint.id}" is a built-in provider's id; pick another` });
    } else if (seen.has(endpoint.id)) {
      ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${endpoint.id}" is used by another endpoint` });
    }
    seen.add(endpoint.id);
  });
});

/** Per provider id; an Ollama host's URL is set in Settings → Ollama, never here (as `providers.update`). */
const ProvidersSettings = z.record(z.string(), ProviderSettings).superRefine((all, ctx) => {
  for (const [id, entry] of Object.entries(all)) {
    if (isOllamaProvider(id) && entry.baseUrl != null) ctx.addIssue({ code: 'custom', path: [id, 'baseUrl'], message: 'set Ollama hosts in Settings → Ollama' });
  }
});

/**
 * The hosts the user marked as on their network (Settings → Network): private IP addresses only
 * (a name cannot be proven private, a public address never is). Offline mode reaches them, and a
 * server on one may be local (issue #16).
 */
const NetworkHosts = z
  .array(z.string().superRefine((value, ctx) => {
    const problem = networkHostProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }))
  .max(64)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((host, i) => {
      const key = canonicalAddress(host.trim()) ?? host;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i], message: `${host} is listed twice` });
      seen.add(key);
    });
  });

/**
 * How long Ollama keeps a model loaded after a request: a Go duration ("5m", "1h30m") or seconds
 * ("-1": until Ollama stops, "0": unload at once). Null: Ollama's own default (5 minutes).
 */
export const OllamaKeepAlive = z
  .string()
  .trim()
  .regex(/^(-?\d+|(\d+(\.\d+)?(ms|s|m|h))+)$/, 'must be a duration such as 5m, 1h or 30s, or seconds such as -1 (keep loaded) or 0 (unload at once)')
  .nullable();

/** The local model chosen for each role (issue #13); a role left out is resolved to the best installed model for it. */
export const LocalRoleSettings = z
  .object({
    router: z.string().min(1),
    chat: z.string().min(1),
    coder: z.string().min(1),
    validator: z.string().min(1),
    embeddings: z.string().min(1),
  })
  .partial()
  .strict();
export type LocalRoleSettings = z.infer<typeof LocalRoleSettings>;

export const Settings = z.object({
  ollamaHost: z.string().url('must be a URL such as http://127.0.0.1:11434'),
  /** At launch (desktop and headless), start `ollama serve` when it is installed here but not running. */
  ollamaAutoStart: z.boolean(),
  defaultModel: z.string().nullable(),
  /** The first-run setup wizard was finished or skipped (Settings can run it again). */
  setupCompleted: z.boolean(),
  /** Only local models: no request leaves this machine. */
  offlineMode: z.boolean(),
  /** Per provider id: switched off, or a base URL that beats the env var and the default. */
  providers: ProvidersSettings,
  /** User-added OpenAI-compatible endpoints (LM Studio, vLLM, llama.cpp server, a team gateway). */
  customEndpoints: CustomEndpoints,
  /** Ollama servers besides ollamaHost (a GPU box on the LAN): their models are `ollama-<name>/<model>`. */
  ollamaHosts: z.array(OllamaHostInput),
  /** Private addresses the user marked as on their network: offline mode reaches them; servers there may be local. */
  networkHosts: NetworkHosts,
  /**
   * Per model id: USD per 1M tokens (input, output, cacheRead, cacheWrite) or tier, over the catalog;
   * checked against the catalog's own schema by src/main/settings.
   */
  priceOverrides: z.record(z.string(), z.record(z.string(), z.unknown())),
  /** Overrides of the router's config (tiers per task, escalation path, budgets …); checked by src/main/settings with the router's schema. */
  router: z.record(z.string(), z.unknown()),
  /** Chat's sampling temperature: lower = more consistent and cacheable (replies above 0.3 are not cached). */
  chatTemperature: z.number().min(0).max(2),
  /** Response cache settings over its defaults (Settings → Cache). */
  cache: CacheSettingsInput,
  /** The desktop app's OpenAI-compatible endpoint on 127.0.0.1 (headless mode always serves it). */
  apiServer: ApiServerSettings,
  /** Sent as keep_alive with every Ollama request (issue #13); null leaves Ollama's default. */
  ollamaKeepAlive: OllamaKeepAlive,
  /** Ollama tags per role (the setup wizard's picks); Auto maps each request's intent to a role (issue #13). */
  localRoles: LocalRoleSettings,
  /** Settings → Workspace (issue #12): allowed roots for headless mode, the context budget. */
  workspace: WorkspaceSettingsInput,
  /** Settings → Appearance (issue #14): follow the system's light or dark mode, or pick one. */
  theme: z.enum(['system', 'light', 'dark']),
});
export type Settings = z.infer<typeof Settings>;

export const systemCalls = {
  'system.status': call(z.object({}).strict(), SystemStatus),
  'models.list': call(
    z.object({}).strict(),
    z.object({ models: z.array(ModelInfo), ollama: OllamaStatus }),
  ),
  'settings.get': call(z.object({}).strict(), Settings),
  'settings.update': call(Settings.partial().strict(), Settings),
  'secrets.status': call(
    z.object({}).strict(),
    z.object({ keychain: KeychainStatus, secrets: z.array(SecretStatus) }),
  ),
  'secrets.set': call(
    z.object({ provider: SecretProvider, value: z.string().trim().min(8, 'that key looks too short').max(500) }).strict(),
    SecretStatus,
  ),
  'secrets.delete': call(z.object({ provider: SecretProvider }).strict(), SecretStatus),
};

export const systemEvents = {
  'settings.changed': z.object({ settings: Settings }),
};
