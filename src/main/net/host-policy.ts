import { hostReach } from '../../shared/host-address';

// The address rules live in src/shared (the renderer's Settings uses them too); re-exported for main.
export { hostReach, isLoopbackHost, isLoopbackHostHeader, isPrivateAddress, networkHostProblem, type HostReach } from '../../shared/host-address';

export type OfflineVerdict = { allowed: true; reason: 'loopback' | 'local-host' } | { allowed: false; reason: string };

/**
 * Offline mode's rule for one URL (issue #16): this machine, or a private address the user marked
 * as on their network (`networkHosts`: an address alone allows any port, a URL or address:port
 * that port). Never a name or a public address, whatever tier an endpoint claims: an entry that is
 * not a private IP literal is ignored.
 */
export function offlineVerdict(url: URL, networkHosts: readonly string[]): OfflineVerdict {
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    return { allowed: false, reason: `offline mode refuses ${url.protocol} requests` };
  }
  const reach = hostReach(url, networkHosts);
  if (reach === 'loopback') return { allowed: true, reason: 'loopback' };
  if (reach === 'network') return { allowed: true, reason: 'local-host' };
  return { allowed: false, reason: `offline mode: ${url.host} is neither this machine nor a host marked as on your network` };
}
