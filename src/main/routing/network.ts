import type { Logger } from '../logger';
import { createGuardedFetch, OutboundLog, SqliteOutboundSink, type GuardedFetch } from '../net';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store';

export interface Network {
  /** The one path for all outbound HTTP: refuses non-local hosts in offline mode, logs every request. */
  fetch: GuardedFetch;
  log: OutboundLog;
}

/**
 * Built before any provider, so every client gets the guarded fetch. In offline mode only loopback
 * and the configured Ollama host (which may be a GPU box on the LAN) and local-tier user endpoints
 * are allowed.
 */
export function createNetwork(d: { db: Db; settings: SettingsService; logger: Logger; base?: typeof globalThis.fetch }): Network {
  const log = new OutboundLog({ capacity: 500, sink: new SqliteOutboundSink(d.db), logger: d.logger.child('net') });
  const fetch = createGuardedFetch({
    base: d.base,
    isOffline: () => d.settings.get().offlineMode,
    localHosts: () => {
      const s = d.settings.get();
      return [s.ollamaHost, ...s.customEndpoints.filter((c) => c.tier === 'local').map((c) => c.baseUrl)];
    },
    log,
  });
  return { fetch, log };
}
