import { isIP } from 'node:net';

/**
 * What offline mode lets through: loopback (127.0.0.0/8, ::1, localhost, and IPv4-mapped loopback)
 * and the configured Ollama hosts (a LAN box the user set up is "local" to them). Only literal
 * addresses and the name `localhost` count as loopback: any other name could resolve anywhere
 * (DNS rebinding), so it must be configured explicitly.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase();
  if (host === 'localhost' || host === 'localhost.') return true;
  const kind = isIP(host);
  if (kind === 4) return host.startsWith('127.');
  if (kind === 6) {
    if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
    // ::ffff:127.0.0.1 (WHATWG URL writes it ::ffff:7f00:1).
    const mapped = /^::ffff:(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):[0-9a-f]{1,4})$/.exec(host);
    if (mapped?.[1]) return mapped[1].startsWith('127.');
    if (mapped?.[2]) return parseInt(mapped[2], 16) >> 8 === 127;
  }
  return false;
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
