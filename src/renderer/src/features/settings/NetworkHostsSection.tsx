import { useState } from 'react';
import type { ProviderStatus } from '../../../../shared/contract';
import { PRIVATE_RANGES, canonicalAddress, hostReach, isPrivateAddress, networkHostProblem } from '../../../../shared/host-address';
import { useProviders } from '../../stores/providers-store';
import { useSettings } from '../../stores/settings-store';
import { useSystem } from '../../stores/system-store';

/** One stable empty list: a zustand selector must not return a new array on every call. */
const NO_HOSTS: string[] = [];

/** The providers whose server is on `address` (an Ollama host, a custom endpoint). */
function serversOn(address: string, providers: ProviderStatus[]): ProviderStatus[] {
  return providers.filter((p) => hostReach(p.baseUrl, [address]) === 'network');
}

/** Private addresses that the user's own servers use but that are not marked yet, with those servers. */
function unmarked(hosts: readonly string[], providers: ProviderStatus[]): Array<{ address: string; names: string[] }> {
  const out = new Map<string, string[]>();
  for (const p of providers) {
    if (p.builtIn && p.kind !== 'ollama') continue; // the clouds are not the user's machines
    let hostname: string;
    try {
      hostname = new URL(p.baseUrl).hostname;
    } catch {
      continue;
    }
    const address = canonicalAddress(hostname);
    if (address === null || !isPrivateAddress(address) || hostReach(p.baseUrl, hosts) === 'network') continue;
    out.set(address, [...(out.get(address) ?? []), p.name]);
  }
  return [...out].map(([address, names]) => ({ address, names }));
}

/**
 * Settings → Network: the hosts the user marked as on their network (issue #16). Offline mode
 * reaches only this computer and these addresses, and only a server on one of them may be Local.
 * Private IP addresses only; the main process checks the same rule (shared/host-address.ts).
 */
export function NetworkHostsSection() {
  const hosts = useSettings((s) => s.settings?.networkHosts ?? NO_HOSTS);
  const offline = useSettings((s) => s.settings?.offlineMode === true);
  const update = useSettings((s) => s.update);
  const { providers, load: loadProviders } = useProviders();
  const refreshModels = useSystem((s) => s.refresh);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = async (next: string[]): Promise<boolean> => {
    const ok = await update({ networkHosts: next });
    if (!ok) {
      setError(useSettings.getState().error);
      return false;
    }
    setError(null);
    // Tiers and what offline mode lists follow the list.
    await Promise.all([loadProviders(), refreshModels()]);
    return true;
  };

  const add = async (raw: string) => {
    const problem = networkHostProblem(raw);
    if (problem) return setError(problem);
    const address = canonicalAddress(raw.trim())!;
    if (hosts.some((h) => canonicalAddress(h) === address)) return setError(`${address} is already on the list.`);
    if (await save([...hosts, address])) setValue('');
  };

  const suggestions = unmarked(hosts, providers);
  return (
    <section aria-labelledby="network-hosts-heading" className="network-hosts">
      <h2 id="network-hosts-heading">Network</h2>
      <p>
        <strong>Hosts on my network</strong>: machines of yours on this network, such as a GPU box running Ollama or a model server. Offline mode reaches only this computer
        {hosts.length > 0 ? ' and these addresses' : ''}, and only a server on this computer or on one of these hosts can be Local (and cost nothing).
      </p>
      <p className="muted small">
        IP addresses in private ranges only ({PRIVATE_RANGES}). Not names: a name can resolve to any address, so it cannot be proven to stay on your network.
      </p>
      {hosts.length > 0 ? (
        <ul aria-label="Hosts on my network" className="network-host-list">
          {hosts.map((h) => {
            const used = serversOn(h, providers);
            return (
              <li key={h} aria-label={`Host ${h}`}>
                <span className="mono">{h}</span>
                <span className="muted small">{used.length > 0 ? `Used by ${used.map((p) => p.name).join(', ')}` : 'No server configured on it'}</span>
                <button type="button" className="small" aria-label={`Remove ${h} from my network`} onClick={() => void save(hosts.filter((x) => x !== h))}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="muted">No hosts yet{offline ? ': offline mode reaches this computer only.' : '.'}</p>
      )}
      {suggestions.length > 0 ? (
        <div className="network-host-suggestions">
          {suggestions.map((s) => (
            <p key={s.address} className="small">
              {s.names.join(', ')} {s.names.length > 1 ? 'use' : 'uses'} <span className="mono">{s.address}</span>, which is not on the list: it is not Local, and offline mode does not reach it.{' '}
              <button type="button" className="small" aria-label={`Add ${s.address} to my network`} onClick={() => void add(s.address)}>
                Add to my network
              </button>
            </p>
          ))}
        </div>
      ) : null}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void add(value);
        }}
      >
        <label>
          <span className="label">Address on my network</span>
          <input
            aria-label="Address on my network"
            aria-invalid={error !== null}
            aria-describedby={error ? 'network-host-error' : undefined}
            placeholder="192.168.1.20"
            value={value}
            onChange={(e) => {
              setValue(e.target.value);
              setError(null);
            }}
          />
        </label>
        <button type="submit" disabled={!value.trim()}>
          Add to my network
        </button>
      </form>
      {error ? (
        <p id="network-host-error" className="bad" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
