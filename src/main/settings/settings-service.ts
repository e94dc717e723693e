import { Settings } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { SettingsRepo } from '../store';

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
/** At or below the cache's 0.3 limit, so chat replies are reusable (issue #6). */
export const DEFAULT_CHAT_TEMPERATURE = 0.3;
/** Next to the headless server's 8787. */
export const DEFAULT_API_PORT = 8788;

/**
 * Ollama's own OLLAMA_HOST accepts "0.0.0.0", "host:port" or a URL; turn any of them into a URL
 * we can connect to (0.0.0.0 is a listen address, so connect to loopback instead).
 */
export function normalizeOllamaHost(raw: string): string {
  let value = raw.trim();
  if (!/^[a-z]+:\/\//i.test(value)) value = `http://${value}`;
  const url = new URL(value);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (!url.port && url.protocol === 'http:') url.port = '11434';
  return url.origin;
}

/** Settings with their defaults in code; SQLite holds only what the user changed. */
export class SettingsService {
  private cache: Settings | null = null;

  constructor(
    private readonly repo: SettingsRepo,
    private readonly env: NodeJS.ProcessEnv,
    private readonly events?: EventBus,
  ) {}

  defaults(): Settings {
    const envHost = this.env.OLLAMA_HOST;
    return {
      ollamaHost: envHost ? safeNormalize(envHost) : DEFAULT_OLLAMA_HOST,
      ollamaAutoStart: true,
      defaultModel: null,
      setupCompleted: false,
      offlineMode: false,
      providers: {},
      customEndpoints: [],
      ollamaHosts: [],
      priceOverrides: {},
      router: {},
      chatTemperature: DEFAULT_CHAT_TEMPERATURE,
      cache: {},
      apiServer: { enabled: false, port: DEFAULT_API_PORT },
    };
  }

  get(): Settings {
    if (this.cache) return this.cache;
    const stored = this.repo.all();
    const merged = { ...this.defaults(), ...stored };
    const parsed = Settings.safeParse(merged);
    // A value written by an older version that no longer validates falls back to its default.
    this.cache = parsed.success ? parsed.data : this.repairFrom(stored);
    return this.cache;
  }

  update(patch: Partial<Settings>): Settings {
    const next = { ...this.get(), ...patch };
    if (patch.ollamaHost !== undefined) next.ollamaHost = normalizeOllamaHost(patch.ollamaHost);
    const parsed = Settings.safeParse(next);
    if (!parsed.success) {
      throw new SwitchboardError('invalid_input', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    for (const [key, value] of Object.entries(patch)) this.repo.set(key, parsed.data[key as keyof Settings] ?? value);
    this.cache = parsed.data;
    this.events?.emit('settings.changed', { settings: parsed.data });
    return parsed.data;
  }

  private repairFrom(stored: Record<string, unknown>): Settings {
    const out: Record<string, unknown> = { ...this.defaults() };
    const shape = Settings.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
    for (const [key, value] of Object.entries(stored)) {
      if (shape[key]?.safeParse(value).success) out[key] = value;
    }
    return Settings.parse(out);
  }
}

function safeNormalize(host: string): string {
  try {
    return normalizeOllamaHost(host);
  } catch {
    return DEFAULT_OLLAMA_HOST;
  }
}
