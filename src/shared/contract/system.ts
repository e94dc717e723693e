import { z } from 'zod';
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

export const Settings = z.object({
  ollamaHost: z.string().url('must be a URL such as http://127.0.0.1:11434'),
  defaultModel: z.string().nullable(),
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
