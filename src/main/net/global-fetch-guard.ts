import { offlineVerdict, type OfflineVerdict } from './host-policy';
import { loggableUrl } from './guarded-fetch';
import type { OutboundLog } from './outbound-log';

/**
 * undici's documented hand-off key for the process-wide dispatcher (`setGlobalDispatcher`): Node's
 * built-in `fetch` dispatches every request through whatever object sits here.
 */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface DispatchHandler {
  onError?(error: Error): void;
  onResponseError?(controller: unknown, error: Error): void;
}
interface Dispatcher {
  dispatch(options: { origin?: string | URL; path?: string; method?: string }, handler: DispatchHandler): boolean;
}

export interface GlobalFetchGuardOptions {
  isOffline: () => boolean;
  localHosts: () => readonly string[];
  /** Where refusals are written (an OutboundLog, or a forwarder to one that exists later). */
  log: Pick<OutboundLog, 'record'>;
  now?: () => number;
  /** The offline rule; default `offlineVerdict` (loopback and the hosts marked as on the user's network) (tests inject a stricter one). */
  policy?: (url: URL) => OfflineVerdict;
}

/**
 * A backstop for code that calls the global `fetch` instead of the guarded one (an SDK built
 * without our `fetch` option, a new dependency): while offline, a request to a host the guarded
 * fetch would refuse is failed inside the dispatcher, before undici connects, and logged with
 * purpose `unguarded` so the bypass shows in Settings. Returns a function that restores the
 * previous dispatcher. Node's `http`/`https` modules do not go through here.
 */
export async function installGlobalFetchGuard(options: GlobalFetchGuardOptions): Promise<() => void> {
  const slot = globalThis as unknown as Record<symbol, Dispatcher | undefined>;
  if (!slot[GLOBAL_DISPATCHER]) {
    // undici creates its Agent on the first fetch; a data: URL opens no socket.
    await fetch('data:,');
  }
  const original = slot[GLOBAL_DISPATCHER];
  if (!original || typeof original.dispatch !== 'function') {
    throw new Error('The global fetch dispatcher could not be found; offline mode relies on the guarded fetch alone.');
  }
  const now = options.now ?? Date.now;
  const policy = options.policy ?? ((url: URL) => offlineVerdict(url, options.localHosts()));
  const guard: Dispatcher = Object.create(original) as Dispatcher;
  guard.dispatch = (dispatchOptions, handler) => {
    if (options.isOffline() && dispatchOptions.origin !== undefined) {
      const url = new URL(dispatchOptions.path ?? '/', dispatchOptions.origin);
      const verdict = policy(url);
      if (!verdict.allowed) {
        const method = (dispatchOptions.method ?? 'GET').toUpperCase();
        options.log.record({ at: now(), method, host: url.host, url: loggableUrl(url), purpose: 'unguarded', allowed: false, reason: verdict.reason });
        const error = new Error(`Offline mode is on: the request to ${url.host} was not sent.`);
        queueMicrotask(() => {
          if (handler.onError) handler.onError(error);
          else handler.onResponseError?.(null, error);
        });
        return true;
      }
    }
    return original.dispatch(dispatchOptions, handler);
  };
  slot[GLOBAL_DISPATCHER] = guard;
  return () => {
    if (slot[GLOBAL_DISPATCHER] === guard) slot[GLOBAL_DISPATCHER] = original;
  };
}
