import type { CacheStatus as CacheStatusView, CallOutput, Settings } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { OllamaProvider } from '../providers/ollama/ollama-provider';
import type { Db } from '../store';
import { CacheService } from './cache-service';
import { DEFAULT_CACHE_SETTINGS, type CacheSettingsPatch } from './cache-settings';
import { LocalModelSync } from './local-model-sync';
import type { Embedder } from './types';

export interface AppCache {
  service: CacheService;
  sync: LocalModelSync;
  /** Settings → Cache: status (after reading the installed models), settings in force, counters. */
  overview(): Promise<CallOutput<'cache.status'>>;
  /** Waits for a model sync under way, then writes the pending counters: before the database closes. */
  dispose(): Promise<void>;
}

/** The user-facing settings over the cache's defaults: a key removed from Settings goes back to its default. */
export function cacheSettingsFrom(settings: Settings): CacheSettingsPatch {
  const s = settings.cache;
  return {
    enabled: s.enabled ?? DEFAULT_CACHE_SETTINGS.enabled,
    semanticEnabled: s.semanticEnabled ?? DEFAULT_CACHE_SETTINGS.semanticEnabled,
    threshold: s.threshold ?? DEFAULT_CACHE_SETTINGS.threshold,
    ttlMs: s.ttlMs ?? DEFAULT_CACHE_SETTINGS.ttlMs,
  };
}

/**
 * The response cache as the app runs it: on the app database, with the settings of Settings →
 * Cache (applied as they change), and an installed Ollama embedding model kept in step by
 * LocalModelSync (refreshed when local models change or the Ollama host does).
 */
export function createAppCache(d: { db: Db; settings: () => Settings; ollama: OllamaProvider; events: EventBus; logger: Logger }): AppCache {
  const logger = d.logger.child('cache');
  const service = new CacheService({ db: d.db, settings: cacheSettingsFrom(d.settings()), logger });
  const sync = new LocalModelSync({
    cache: service,
    provider: d.ollama.id,
    listInstalled: async (signal) => (await d.ollama.client(signal).list()).models.map((m) => ({ name: m.name, digest: m.digest })),
    capabilities: async (name, signal) => (await d.ollama.client(signal).show({ model: name })).capabilities ?? [],
    embedder: (name): Embedder => ({ model: name, embed: (texts, signal) => d.ollama.embed({ model: name, input: texts, signal }) }),
    unreachableReason: () => `Ollama is not reachable at ${d.ollama.host}; semantic matching needs its embedding model (nomic-embed-text)`,
    logger,
  });
  let host = d.settings().ollamaHost;
  const unsubscribe = d.events.subscribe((envelope) => {
    if (envelope.event === 'localModels.changed') void sync.refresh(true);
    else if (envelope.event === 'settings.changed') {
      const next = envelope.payload.settings;
      try {
        service.updateSettings(cacheSettingsFrom(next));
      } catch (error) {
        logger.warn('cache settings not applied', { error });
      }
      if (next.ollamaHost !== host) {
        host = next.ollamaHost;
        void sync.refresh(true);
      }
    }
  });
  // No sync at start (the CLI need not ask Ollama): the first lookup or Settings → Cache does it.
  return {
    service,
    sync,
    async overview() {
      await sync.refresh();
      const status = service.status();
      const view: CacheStatusView = {
        enabled: status.enabled,
        exact: status.exact,
        semantic: status.semantic,
        reason: status.reason ?? null,
        embeddingModel: status.embeddingModel ?? null,
      };
      const s = service.settings;
      return {
        status: view,
        settings: { enabled: s.enabled, semanticEnabled: s.semanticEnabled, threshold: s.threshold, ttlMs: s.ttlMs, maxTemperature: s.maxTemperature },
        stats: service.stats(),
      };
    },
    async dispose() {
      unsubscribe();
      await sync.dispose();
      service.dispose();
    },
  };
}
