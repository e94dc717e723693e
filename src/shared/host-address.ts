import type { Tier } from './contract';

/**
 * What an address is to this machine, defined once for every process: the offline guard and the
 * tiers in main, Settings in the renderer (issue #10: "is this host loopback" existed four times;
 * issue #16: offline mode reached any host an endpoint called local). Pure TypeScript: the WHATWG
 * URL parser, which Node and browsers share, validates and normalises IPv6.
 */

/** This machine, a host the user marked as on their network (Settings → Network), or anywhere else. */
export type HostReach = 'loopback' | 'network' | 'remote';

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** 4 or 6 for an IP literal without brackets, else 0 (node:net's `isIP`, without Node). */
export function ipVersion(host: string): 0 | 4 | 6 {
  if (IPV4.test(host)) return 4;
  // An IPv6 address has at least two colons ('::'); one is an IPv4 host with its port, the Host
  // header of every request to us (issue #17: the URL parser threw on each, 1.4 % of /v1's CPU).
  const colon = host.indexOf(':');
  if (colon === -1 || colon === host.lastIndexOf(':') || !/^[0-9a-f:.]+$/i.test(host)) return 0;
  try {
    new URL(`http://[${host}]/`);
    return 6;
  } catch {
    return 0; // not an IPv6 address after all (`1::2::3`, `::1:8787:x`)
  }
}

/**
 * The one "is this host this machine" check. Takes a hostname as a URL gives it (`localhost`,
 * `127.0.0.1`, `[::1]`) or a host with its port as a Host header carries it (`localhost:8787`,
 * `[::1]:8787`). Loopback is 127.0.0.0/8, ::1 (and IPv4-mapped loopback) and the name
 * `localhost`. Only literal addresses and that name count: any other name could resolve anywhere
 * (DNS rebinding; `localhost.evil.com` is not this machine), and `0.0.0.0` is a listen address,
 * not a loopback one.
 */
export function isLoopbackHost(host: string): boolean {
  const hostname = splitHost(host)?.hostname;
  if (hostname === undefined) return false;
  if (hostname === 'localhost' || hostname === 'localhost.') return true;
  const kind = ipVersion(hostname);
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
  if (ipVersion(host) === 6) return { hostname: host, port: null };
  const match = /^(?:\[([0-9a-f:.]+)\]|([^[\]:/?#@\s]+))(?::(\d{1,5}))?$/.exec(host);
  if (!match) return null;
  const hostname = match[1] ?? match[2]!;
  if (match[1] !== undefined && ipVersion(hostname) !== 6) return null;
  return { hostname, port: match[3] ?? null };
}

/** An IP literal (brackets allowed) in one spelling: IPv4 dotted, IPv6 compressed lower-case. Null for anything else. */
export function canonicalAddress(host: string): string | null {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const kind = ipVersion(bare);
  if (kind === 4) return bare;
  if (kind === 6) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return null;
}

/** The first 16-bit group of a canonical IPv6 address. */
function firstGroup(v6: string): number {
  return v6.startsWith('::') ? 0 : parseInt(v6.split(':')[0]!, 16);
}

/**
 * The private ranges a home or office network uses: 10.0.0.0/8, 172.16.0.0/12 and
 * 192.168.0.0/16 (RFC 1918), fc00::/7 (unique local, RFC 4193) and fe80::/10 (link-local,
 * RFC 4291). Only IP literals: a name is never private, whatever it resolves to today.
 */
export function isPrivateAddress(host: string): boolean {
  const address = canonicalAddress(host);
  if (address === null) return false;
  if (ipVersion(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  const first = firstGroup(address);
  return (first & 0xfe00) === 0xfc00 || (first & 0xffc0) === 0xfe80;
}

export const PRIVATE_RANGES = '10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7 and fe80::/10';

/**
 * Why `value` cannot be marked as on the user's network, or null when it can. Only an IP address
 * in a private range: a name cannot be proven to stay on the network (DNS may answer with any
 * address, now or later, and asking it may itself leave the machine), and a public address is
 * by definition not the user's network, whatever an endpoint's tier claims.
 */
export function networkHostProblem(value: string): string | null {
  const v = value.trim();
  if (!v) return 'Enter an IP address, such as 192.168.1.20.';
  const address = canonicalAddress(v);
  if (address === null) {
    const inside = urlOf(v);
    const host = inside ? canonicalAddress(inside.hostname) : null;
    if (host !== null) return `Enter the address alone, without a scheme, port or path: ${host}.`;
    return `"${v}" is a name, not an address. A name cannot be proven to stay on your network (DNS can answer with any address), so enter its IP address, such as 192.168.1.20.`;
  }
  if (isLoopbackHost(address)) return `${address} is this computer; offline mode always reaches it, so it needs no mark.`;
  if (!isPrivateAddress(address)) return `${address} is not a private address, so it cannot be on your network: only ${PRIVATE_RANGES} can be marked.`;
  return null;
}

/** A URL, or host[:port] as Settings stores Ollama hosts; null when it does not parse. */
function urlOf(value: string | URL): URL | null {
  if (value instanceof URL) return value;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    return null;
  }
}

function effectivePort(url: URL): string {
  return url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80');
}

/**
 * Where `target` (a URL, or host[:port]) is: this machine, a host on the user's network, or
 * remote. `networkHosts` are the addresses the user marked (any port), or URLs / address:port
 * (that port only); an entry that is not a private IP literal never counts.
 */
export function hostReach(target: string | URL, networkHosts: readonly string[]): HostReach {
  const url = urlOf(target);
  if (!url) return 'remote';
  if (isLoopbackHost(url.hostname)) return 'loopback';
  const address = canonicalAddress(url.hostname);
  if (address === null || !isPrivateAddress(address)) return 'remote';
  const port = effectivePort(url);
  for (const entry of networkHosts) {
    const alone = canonicalAddress(entry.trim());
    if (alone !== null) {
      if (alone === address) return 'network';
      continue;
    }
    const marked = urlOf(entry.trim());
    if (marked && canonicalAddress(marked.hostname) === address && effectivePort(marked) === port) return 'network';
  }
  return 'remote';
}

/**
 * The tier a server at an address may have: what the user says, except that only this machine or
 * a host on the user's network is `local` (and costs nothing as such). Elsewhere a claimed `local`
 * counts as `paid`: its price is unknown, and budgets and offline mode treat it as a cloud.
 */
export function tierAt(claimed: Tier, reach: HostReach): Tier {
  return claimed === 'local' && reach === 'remote' ? 'paid' : claimed;
}
