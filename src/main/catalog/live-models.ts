import { SwitchboardError, serializeError, type SerializedError } from '../../shared/errors';
import type { Logger } from '../logger';
import type { ListedModel } from '../runner';
import type { Db } from '../store/database';

/**
 * A live list older than this is read again in the background: the same daily cadence as the
 * OpenRouter price refresh (issue #16, item 3). Providers add and retire models monthly.
 */
export const LIVE_LIST_MAX_AGE_MS = 24 * 60 * 60 * 1000;
const LIST_TIMEOUT_MS = 20_000;

/** One model a provider listed (issue #15): its id, and what the list said of its window and price. */
export interface LiveModel {
  id: string;
  provider: string;
  name: string;
  contextWindow: number | null;
  /** USD per 1M tokens, when the list carries prices (OpenRouter). */
  price: { input: number; output: number } | null;
}

/** What one provider's refresh did. */
export interface LiveRefresh {
  provider: string;
  /** Read now; false when skipped (`reason`) or failed (`error`; the last list stays). */
  refreshed: boolean;
  reason: 'no-key' | 'offline' | null;
  error: SerializedError | null;
  /** The list kept now: when it was read and how many models it holds (null: never read). */
  listedAt: number | null;
  count: number;
}

export interface LiveModelsDeps {
  db: Db;
  /** The providers whose lists are read: the built-in clouds (custom endpoints are listed live elsewhere). */
  providers: readonly string[];
  /** Whether a provider may be asked now: switched on, with a key. Asked before any request. */
  askable(provider: string): Promise<boolean>;
  /** The provider's `GET /models`, through the app's guarded fetch. */
  list(provider: string, signal: AbortSignal): Promise<ListedModel[]>;
  isOffline(): boolean;
  logger: Logger;
  now?: () => number;
  maxAgeMs?: number;
}

interface Row {
  provider: string;
  model_id: string;
  name: string;
  context_window: number | null;
  input_price: number | null;
  output_price: number | null;
}

interface List {
  listedAt: number;
  models: Map<string, LiveModel>;
}

/**
 * The model lists the providers serve now, read from their APIs with the user's key and kept in
 * SQLite with the time (migration 11): the bundled catalog stays the source of quality, limits and
 * prices; this says which models exist. A list is read on demand (Settings → Providers → Refresh)
 * and in the background when a day old, never in offline mode and never for a provider without a
 * key. A failed read keeps the last list (a network error is not a retirement).
 */
export class LiveModels {
  private readonly byProvider = new Map<string, List>();
  private background: Promise<void> | null = null;

  constructor(private readonly d: LiveModelsDeps) {
    const listed = d.db.prepare('SELECT provider, listed_at FROM live_model_lists').all() as Array<{ provider: string; listed_at: number }>;
    for (const l of listed) this.byProvider.set(l.provider, { listedAt: l.listed_at, models: new Map() });
    for (const r of d.db.prepare('SELECT * FROM live_models').all() as Row[]) {
      const m = fromRow(r);
      this.byProvider.get(r.provider)?.models.set(m.id, m);
    }
  }

  /** The live entry of `provider/model`, when its provider's list names it. */
  get(id: string): LiveModel | undefined {
    for (const list of this.byProvider.values()) {
      const m = list.models.get(id);
      if (m) return m;
    }
    return undefined;
  }

  /** Every listed model, provider by provider. */
  all(): LiveModel[] {
    return [...this.byProvider.values()].flatMap((l) => [...l.models.values()]);
  }

  /** When the provider's list was read and what it holds; null when it never was. */
  status(provider: string): { listedAt: number; count: number } | null {
    const l = this.byProvider.get(provider);
    return l ? { listedAt: l.listedAt, count: l.models.size } : null;
  }

  /** Every provider's list in use, without reading any. */
  lists(): LiveRefresh[] {
    return this.d.providers.map((provider) => ({ provider, refreshed: false, reason: null, error: null, listedAt: this.status(provider)?.listedAt ?? null, count: this.status(provider)?.count ?? 0 }));
  }

  /** A model of `provider` its live list no longer names: retired (false while no list was read). */
  isRetired(id: string, provider: string): boolean {
    const l = this.byProvider.get(provider);
    return l !== undefined && !l.models.has(id);
  }

  /**
   * Reads the lists now (every provider, or `only`). Offline mode refuses with `offline` and sends
   * nothing; providers without a key are skipped. One provider's failure is reported, not thrown.
   */
  async refresh(only?: string, signal?: AbortSignal): Promise<LiveRefresh[]> {
    if (only !== undefined && !this.d.providers.includes(only)) {
      throw new SwitchboardError('invalid_input', `"${only}" has no model list to refresh. Providers with one: ${this.d.providers.join(', ')}.`);
    }
    if (this.d.isOffline()) {
      throw new SwitchboardError('offline', 'Switchboard is offline, so no model list was read. The last lists and the bundled catalog stay in use.', { retryable: false });
    }
    const ids = only === undefined ? this.d.providers : [only];
    return Promise.all(ids.map((p) => this.refreshOne(p, signal)));
  }

  /**
   * Starts a background read of the lists older than a day (not in offline mode, only providers
   * with a key); at most one at a time. Never throws: failures are logged.
   */
  refreshIfStale(signal?: AbortSignal): Promise<void> {
    if (this.background || this.d.isOffline()) return this.background ?? Promise.resolve();
    const maxAge = this.d.maxAgeMs ?? LIVE_LIST_MAX_AGE_MS;
    const stale = this.d.providers.filter((p) => {
      const age = this.now() - (this.byProvider.get(p)?.listedAt ?? -Infinity);
      return !(age >= 0 && age < maxAge);
    });
    if (stale.length === 0) return Promise.resolve();
    this.background = Promise.all(stale.map((p) => this.refreshOne(p, signal)))
      .then((results) => {
        const read = results.filter((r) => r.refreshed).map((r) => `${r.provider} (${r.count})`);
        if (read.length) this.d.logger.info('model lists refreshed', { providers: read.join(', ') });
      })
      .catch((error: unknown) => this.d.logger.warn('model lists not refreshed', { error }))
      .finally(() => {
        this.background = null;
      });
    return this.background;
  }

  /**
   * A list read by someone else — the OpenRouter price refresh reads OpenRouter's whole list —
   * kept as the provider's live list (an empty one is ignored, as in a refresh).
   */
  accept(provider: string, models: LiveModel[]): void {
    const own = models.filter((m) => m.provider === provider);
    if (own.length > 0) this.save(provider, own);
  }

  private async refreshOne(provider: string, signal?: AbortSignal): Promise<LiveRefresh> {
    const kept = (): Pick<LiveRefresh, 'listedAt' | 'count'> => ({ listedAt: this.status(provider)?.listedAt ?? null, count: this.status(provider)?.count ?? 0 });
    if (!(await this.d.askable(provider))) return { provider, refreshed: false, reason: 'no-key', error: null, ...kept() };
    // Checked again after the await: offline mode may have been switched on meanwhile.
    if (this.d.isOffline()) return { provider, refreshed: false, reason: 'offline', error: null, ...kept() };
    try {
      const timeout = AbortSignal.timeout(LIST_TIMEOUT_MS);
      const listed = await this.d.list(provider, signal ? AbortSignal.any([signal, timeout]) : timeout);
      const models = listed.filter((m) => m.provider === provider).map(toLive);
      // An empty list is a broken gateway or a key without access, not every model retired at once.
      if (models.length === 0) throw new SwitchboardError('unavailable', `${provider} listed no models; the last list stays in use.`);
      this.save(provider, models);
      return { provider, refreshed: true, reason: null, error: null, ...kept() };
    } catch (error) {
      this.d.logger.warn('a model list could not be read; the last one stays', { provider, error });
      return { provider, refreshed: false, reason: null, error: serializeError(error), ...kept() };
    }
  }

  private save(provider: string, models: LiveModel[]): void {
    const listedAt = this.now();
    const insert = this.d.db.prepare(
      `INSERT OR REPLACE INTO live_models (provider, model_id, name, context_window, input_price, output_price)
       VALUES (@provider, @model, @name, @contextWindow, @input, @output)`,
    );
    this.d.db.transaction(() => {
      this.d.db.prepare('DELETE FROM live_models WHERE provider = ?').run(provider);
      this.d.db.prepare('INSERT OR REPLACE INTO live_model_lists (provider, listed_at) VALUES (?, ?)').run(provider, listedAt);
      for (const m of models) {
        insert.run({ provider, model: m.id, name: m.name, contextWindow: m.contextWindow, input: m.price?.input ?? null, output: m.price?.output ?? null });
      }
    })();
    this.byProvider.set(provider, { listedAt, models: new Map(models.map((m) => [m.id, m])) });
  }

  private now(): number {
    return (this.d.now ?? Date.now)();
  }
}

function toLive(m: ListedModel): LiveModel {
  return { id: m.id, provider: m.provider, name: m.name, contextWindow: m.contextLength, price: m.price ?? null };
}

function fromRow(r: Row): LiveModel {
  return {
    id: r.model_id,
    provider: r.provider,
    name: r.name,
    contextWindow: r.context_window,
    price: r.input_price !== null && r.output_price !== null ? { input: r.input_price, output: r.output_price } : null,
  };
}
