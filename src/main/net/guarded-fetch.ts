import { SwitchboardError } from '../../shared/errors';
import { isLoopbackHost, isPrivateAddress, offlineVerdict, type OfflineVerdict } from './host-policy';
import type { OutboundLog } from './outbound-log';

export interface GuardedFetchOptions {
  /** The real fetch. Default: the global one. */
  base?: typeof fetch;
  isOffline: () => boolean;
  /**
   * Besides loopback, what offline mode may reach: private addresses the user marked as on their
   * network (an address alone: any port; a URL or address:port: that port). Names and public
   * addresses in it are ignored (host-policy.ts).
   */
  localHosts: () => readonly string[];
  log: OutboundLog;
  now?: () => number;
  /** Redirects followed by hand in offline mode, each checked (fetch's own limit is 20). */
  maxRedirects?: number;
}

/** `fetch`, guarded and logged; `forPurpose` tags the log entries ("catalog.refresh", "groq" …). */
export type GuardedFetch = typeof fetch & { forPurpose(purpose: string): typeof fetch };

/** Purposes by well-known host, for callers that did not tag theirs. */
const HOST_PURPOSES: ReadonlyArray<[RegExp, string]> = [
  [/(^|\.)groq\.com$/, 'groq'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)anthropic\.com$/, 'anthropic'],
  [/(^|\.)openai\.com$/, 'openai'],
  [/(^|\.)deepseek\.com$/, 'deepseek'],
];

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The one wrapper for outbound HTTP. Every attempt is logged (allowed or refused); in offline mode
 * anything that is not loopback or a host marked as on the user's network is refused with a SwitchboardError
 * ('offline') before the base fetch is called, so no socket is opened. Redirects are followed by
 * hand while offline, so a local server cannot bounce a request out to the internet.
 */
export function createGuardedFetch(options: GuardedFetchOptions): GuardedFetch {
  const base = options.base ?? globalThis.fetch.bind(globalThis);
  const now = options.now ?? Date.now;
  const maxRedirects = options.maxRedirects ?? 20;

  const check = (url: URL, method: string, purpose: string, via?: string): void => {
    const offline = options.isOffline();
    const verdict: OfflineVerdict = offline ? offlineVerdict(url, options.localHosts()) : { allowed: true, reason: 'loopback' };
    const reason = !offline ? 'online' : via && verdict.allowed ? `${verdict.reason} (${via})` : verdict.reason;
    options.log.record({ at: now(), method, host: url.host, url: loggableUrl(url), purpose, allowed: verdict.allowed, reason });
    if (!verdict.allowed) {
      // A machine on the user's LAN can be let through; anything else only by going online.
      const hint = isPrivateAddress(url.hostname)
        ? `If ${url.hostname} is a machine on your network, mark it in Settings → Network; or turn offline mode off.`
        : 'Turn offline mode off in Settings to use cloud services.';
      throw new SwitchboardError(
        'offline',
        `Offline mode is on, so the ${purpose} request to ${url.host} was not sent. ${hint}`,
        { retryable: false, details: { host: url.host, purpose } },
      );
    }
  };

  const run = async (input: Parameters<typeof fetch>[0], init: RequestInit | undefined, tagged: string | undefined): Promise<Response> => {
    const request = input instanceof Request ? input : null;
    const url = new URL(request ? request.url : input instanceof URL ? input.href : String(input));
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
    const purpose = tagged ?? purposeOf(url);
    check(url, method, purpose);
    const redirect = init?.redirect ?? request?.redirect ?? 'follow';
    if (!options.isOffline() || redirect !== 'follow') return base(input, init);
    return followByHand(input, init, url, method, purpose);
  };

  /** Offline: redirects are not left to fetch; each hop goes through the check. */
  const followByHand = async (input: Parameters<typeof fetch>[0], init: RequestInit | undefined, first: URL, firstMethod: string, purpose: string): Promise<Response> => {
    let response = await base(input, { ...init, redirect: 'manual' });
    let url = first;
    let method = firstMethod;
    let body = init?.body;
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
    for (let hop = 0; REDIRECTS.has(response.status) && response.headers.has('location'); hop += 1) {
      if (hop >= maxRedirects) throw new SwitchboardError('network', `Too many redirects from ${first.host}.`, { retryable: false });
      const next = new URL(response.headers.get('location') ?? '', url);
      await response.body?.cancel();
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      } else if (body instanceof ReadableStream) {
        throw new SwitchboardError('network', `${first.host} redirected a streamed upload; it cannot be sent again.`, { retryable: false });
      }
      check(next, method, purpose, `redirect from ${url.host}`);
      url = next;
      response = await base(next, { ...init, method, body, headers, redirect: 'manual' });
    }
    return response;
  };

  const guarded = ((input: Parameters<typeof fetch>[0], init?: RequestInit) => run(input, init, undefined)) as GuardedFetch;
  guarded.forPurpose = (purpose: string) => ((input: Parameters<typeof fetch>[0], init?: RequestInit) => run(input, init, purpose)) as typeof fetch;
  return guarded;
}

/** Scheme, host and path: no query (keys travel there), fragment or credentials. */
export function loggableUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function purposeOf(url: URL): string {
  if (isLoopbackHost(url.hostname)) return 'local';
  for (const [re, purpose] of HOST_PURPOSES) if (re.test(url.hostname)) return purpose;
  return 'unspecified';
}
