import { Settings } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { SettingsRepo } from '../store';
import { isSettingKey, settingProblems, type SettingProblem } from './setting-checks';

export type { SettingProblem } from './setting-checks';

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

/**
 * Settings with their defaults in code; SQLite holds only what the user changed. Every write is
 * validated key by key with the schemas of the dedicated calls (setting-checks.ts); a stored value
 * that no longer validates (an older version, a hand edit) is reported once and its default used.
 */
export class SettingsService {
  private cache: Settings | null = null;
  private ignored: SettingProblem[] = [];
  private readonly reported = new Set<string>();

  constructor(
    private readonly repo: SettingsRepo,
    private readonly env: NodeJS.ProcessEnv,
    private readonly events?: EventBus,
    private readonly logger?: Logger,
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
      networkHosts: [],
      priceOverrides: {},
      router: {},
      chatTemperature: DEFAULT_CHAT_TEMPERATURE,
      cache: {},
      apiServer: { enabled: false, port: DEFAULT_API_PORT },
      ollamaKeepAlive: null,
      localRoles: {},
      workspace: {},
      theme: 'system',
    };
  }

  get(): Settings {
    if (this.cache) return this.cache;
    this.cache = this.readStored();
    return this.cache;
  }

  /** Stored values that do not validate and are ignored (their defaults are in force); doctor shows them. */
  ignoredValues(): SettingProblem[] {
    this.get();
    return [...this.ignored];
  }

  update(patch: Partial<Settings>): Settings {
    const next: Settings = { ...this.get(), ...patch };
    if (patch.ollamaHost !== undefined) {
      try {
        next.ollamaHost = normalizeOllamaHost(patch.ollamaHost);
      } catch {
        throw new SwitchboardError('invalid_input', `Settings not saved: ollamaHost: "${patch.ollamaHost}" is not a host or URL such as http://127.0.0.1:11434.`);
      }
    }
    // Every key, not only the patch's: a new Ollama host can clash with a custom endpoint already there.
    const problems = settingProblems(next, Object.keys(next).filter(isSettingKey));
    if (problems.length > 0) {
      const issues = problems.map((p) => p.message);
      throw new SwitchboardError('invalid_input', `Settings not saved: ${issues.join('; ')}`, { details: { issues } });
    }
    const parsed = Settings.parse(next);
    for (const key of Object.keys(patch).filter(isSettingKey)) this.repo.set(key, parsed[key]);
    this.cache = parsed;
    this.events?.emit('settings.changed', { settings: parsed });
    return parsed;
  }

  /**
   * The stored values over the defaults, minus every value that does not validate. Repeated until
   * nothing changes, because one key's check reads another (custom endpoint ids against the hosts).
   */
  private readStored(): Settings {
    const defaults = this.defaults();
    const stored = this.repo.all();
    const merged: Record<string, unknown> = { ...defaults };
    const keys = Object.keys(stored).filter(isSettingKey); // a key an older version stored and no longer uses is left alone
    for (const key of keys) merged[key] = stored[key];
    const ignored: SettingProblem[] = [];
    for (let round = 0; round <= keys.length; round++) {
      const problems = settingProblems(merged as Settings, keys.filter((k) => !ignored.some((p) => p.key === k)));
      if (problems.length === 0) break;
      for (const p of problems) merged[p.key] = defaults[p.key];
      ignored.push(...problems);
    }
    this.ignored = ignored;
    for (const p of ignored) {
      if (this.reported.has(p.message)) continue;
      this.reported.add(p.message);
      this.logger?.warn(`A stored setting does not validate and is ignored (its default is used): ${p.message.replace(/\.$/, '')}. Save it again in Settings to replace it.`, { key: p.key });
    }
    const parsed = Settings.safeParse(merged);
    return parsed.success ? parsed.data : defaults;
  }
}

function safeNormalize(host: string): string {
  try {
    return normalizeOllamaHost(host);
  } catch {
    return DEFAULT_OLLAMA_HOST;
  }
}
