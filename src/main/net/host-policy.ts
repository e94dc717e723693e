import { isIP } from 'node:net';

/**
 * The one "is this host this machine" check (issue #10: there were four). Takes a hostname as a URL
 * gives it (`localhost`, `127.0.0.1`, `[::1]`) or a host with its port as a Host header carries it
 * (`localhost:8787`, `[::1]:8787`). Loopback is 127.0.0.0/8, ::1 (and IPv4-mapped loopback) and the
 * name `localhost`. Only literal addresses and that name count: any other name could resolve
 * anywhere (DNS rebinding; `localhost.evil.com` is not this machine), and `0.0.0.0` is a listen
 * address, not a loopback one.
 */
export function isLoopbackHost(host: string): boolean {
  const hostname = splitHost(host)?.hostname;
  if (hostname === undefined) return false;
  if (hostname === 'localhost' || hostname === 'localhost.') return true;
  const kind = isIP(hostname);
  if (kind === 4) return hostname.startsWith('127.');
  if (kind === 6) {
    if (hostname === '::1' || hostname === '0:0:0:0:0:0:0:1') return true;
    // ::ffff:127.0.0.1 (WHATWG URL writes it ::ffff:7f00:1).
    const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):[0-9a-f]{1,4})$/.exec(hostname);
    if (mapped?.[1]) return mapped[1].startsWith('127.');
    if (mapped?.[2]) return parseInt(mapped[2], 16) >> 8 === 127;
  }
  return false;
}

/**
 * A Host header that names this machine on `port` (`127.0.0.1:8787`, `localhost:8787`,
 * `[::1]:8787`; no port means 80). A server on loopback refuses any other: a foreign name there is
 * a page that reached us through DNS rebinding.
 */
export function isLoopbackHostHeader(header: string | undefined, port: number): boolean {
  if (header === undefined) return false;
  const parts = splitHost(header);
  return parts !== null && Number(parts.port ?? 80) === port && isLoopbackHost(header);
}

/**
 * `host`, `host:port`, `[v6]` or `[v6]:port` (and a bare IPv6 address) to a lower-case hostname
 * without brackets and the port as written. Null for anything else (`a@b`, paths, spaces), so a
 * crafted value never passes as loopback.
 */
function splitHost(value: string): { hostname: string; port: string | null } | null {
  const host = value.toLowerCase();
  if (isIP(host) === 6) return { hostname: host, port: null };
  const match = /^(?:\[([0-9a-f:.]+)\]|([^[\]:/?#@\s]+))(?::(\d{1,5}))?$/.exec(host);
  if (!match) return null;
  const hostname = match[1] ?? match[2]!;
  if (match[1] !== undefined && isIP(hostname) !== 6) return null;
  return { hostname, port: match[3] ?? null };
}

export interface HostTarget {
  hostname: string;
  /** The effective port: the URL's, or 80/443 by scheme. */
  port: string;
}

/** host[:port] or a URL, as Settings stores Ollama hosts, to hostname and effective port. */
export function parseHostTarget(value: string | URL): HostTarget | null {
  try {
    const url = value instanceof URL ? value : new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
    const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
    return { hostname: stripBrackets(url.hostname).toLowerCase(), port };
  } catch {
    return null;
  }
}

export type OfflineVerdict = { allowed: true; reason: 'loopback' | 'local-host' } | { allowed: false; reason: string };

/** Offline mode's rule for one URL. A configured host matches on hostname and port. */
export function offlineVerdict(url: URL, localHosts: readonly string[]): OfflineVerdict {
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { allowed: false, reason: `offline mode refuses ${url.protocol} requests` };
  }
  if (isLoopbackHost(url.hostname)) return { allowed: true, reason: 'loopback' };
  const target = parseHostTarget(url);
  for (const configured of localHosts) {
    const local = parseHostTarget(configured);
    if (local && target && local.hostname === target.hostname && local.port === target.port) return { allowed: true, reason: 'local-host' };
  }
  return { allowed: false, reason: `offline mode: ${url.host} is neither this machine nor a configured Ollama host` };
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
