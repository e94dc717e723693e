import { hostReach } from '../../shared/host-address';
import type { Logger } from '../logger';
import { createGuardedFetch, type GuardedFetch } from './guarded-fetch';
import { installGlobalFetchGuard, type GlobalFetchGuardOptions } from './global-fetch-guard';
import { OutboundLog, SqliteOutboundSink, type OutboundEntry } from './outbound-log';
import type { SettingsService } from '../settings/settings-service';
import type { Db, WriteBehind } from '../store';

export interface Network {
  /** The one path for all outbound HTTP: refuses non-local hosts in offline mode, logs every request. */
  fetch: GuardedFetch;
  log: OutboundLog;
  /** Offline mode as the guard applies it (the setting, or forced for one CLI run). */
  isOffline(): boolean;
  /**
   * What offline mode lets through besides loopback: the addresses marked as on the user's network
   * (Settings → Network), and the configured Ollama hosts and endpoints on them.
   */
  localHosts(): string[];
  /** Newest first, across restarts (the in-memory ring only holds this run). */
  history(limit: number): OutboundEntry[];
}

/**
 * Built before any provider, so every client gets the guarded fetch. In offline mode only loopback
 * and the private addresses the user marked as on their network (Settings → Network: a GPU box on
 * the LAN) are allowed; an endpoint's tier or an Ollama host's URL never adds a host (issue #16).
 */
export function createNetwork(d: { db: Db; settings: SettingsService; logger: Logger; base?: typeof globalThis.fetch; isOffline: () => boolean; writes?: WriteBehind }): Network {
  const sink = new SqliteOutboundSink(d.db, undefined, d.writes);
  const log = new OutboundLog({ capacity: 500, sink, logger: d.logger.child('net') });
  const localHosts = () => {
    const s = d.settings.get();
    const servers = [s.ollamaHost, ...s.ollamaHosts.map((h) => h.url), ...s.customEndpoints.map((c) => c.baseUrl)];
    return [...s.networkHosts, ...servers.filter((url) => hostReach(url, s.networkHosts) === 'network')];
  };
  const fetch = createGuardedFetch({ base: d.base, isOffline: d.isOffline, localHosts, log });
  return { fetch, log, isOffline: d.isOffline, localHosts, history: (limit) => sink.list(limit) };
}

/**
 * The process-wide backstop for code that calls the global `fetch` directly. Installed by the real
 * entry points only (CLI, headless, Electron): tests create many apps in one process. `network`
 * is read per request, so the guard can be installed before the app exists.
 */
export function installAppFetchGuard(network: () => Network | null): Promise<() => void> {
  return installGlobalFetchGuard(appGuardOptions(network));
}

function appGuardOptions(network: () => Network | null): GlobalFetchGuardOptions {
  return {
    isOffline: () => network()?.isOffline() ?? false,
    localHosts: () => network()?.localHosts() ?? [],
    log: { record: (entry) => network()?.log.record(entry) },
  };
}
