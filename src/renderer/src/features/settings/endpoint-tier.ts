import type { Tier } from '../../../../shared/contract';
import { hostReach, type HostReach } from '../../../../shared/host-address';

/** What the Add-endpoint form offers for a base URL, and what it says about where requests go. */
export interface EndpointTierChoice {
  /** Null until the base URL is an http(s) URL. */
  reach: HostReach | null;
  host: string | null;
  /** The tiers that may be picked: `local` only on this computer or a host on the user's network. */
  offered: Tier[];
  /** The tier the form shows until the user picks one: local only for loopback, never inferred for another address. */
  suggested: Tier;
  note: string;
}

const ALL: Tier[] = ['local', 'free', 'paid'];
const CLOUD: Tier[] = ['free', 'paid'];

/** The main process applies the same rule (shared/host-address.ts); this is what the form shows before asking. */
export function endpointTierChoice(baseUrl: string, networkHosts: readonly string[]): EndpointTierChoice {
  const url = parseHttpUrl(baseUrl.trim());
  if (!url) {
    return { reach: null, host: null, offered: CLOUD, suggested: 'paid', note: '"Local" is offered once the base URL is on this computer or on a host on your network.' };
  }
  const host = url.host;
  const reach = hostReach(url, networkHosts);
  if (reach === 'loopback') {
    return { reach, host, offered: ALL, suggested: 'local', note: 'On this computer: requests do not leave it, and offline mode reaches it.' };
  }
  if (reach === 'network') {
    return {
      reach,
      host,
      offered: ALL,
      suggested: 'paid',
      note: `${host} is on your network (Settings → Network): requests leave this computer but stay on your network, and offline mode reaches it. Choose Local if it runs your own models.`,
    };
  }
  return {
    reach,
    host,
    offered: CLOUD,
    suggested: 'paid',
    note: `${host} is not this computer or a host you marked as on your network: requests and the API key go to it, offline mode never reaches it, and it cannot be Local. If it is a machine of yours on this network, add its IP address under Network first.`,
  };
}

function parseHttpUrl(value: string): URL | null {
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    return new URL(value);
  } catch {
    return null; // not a URL yet (the user is still typing)
  }
}
