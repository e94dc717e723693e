import { useState } from 'react';
import type { Settings } from '../../../../shared/contract';
import { hostReach, type HostReach } from '../../../../shared/host-address';
import { client } from '../../client/switchboard-client';
import { useProviders } from '../../stores/providers-store';
import { ProviderTest } from './ProviderTest';
import { errorText } from '../../stores/errors';
import { useSettings } from '../../stores/settings-store';
import { useSystem } from '../../stores/system-store';

type Hosts = Settings['ollamaHosts'];
/** One stable empty list: a zustand selector must not return a new array on every call. */
const NO_HOSTS: Hosts = [];
const NO_ADDRESSES: string[] = [];

const REACH_LABEL: Record<HostReach, string> = { loopback: 'This computer', network: 'On my network (local)', remote: 'Not on my network: not local, not offline' };

/** `ollama-<slug>`, as the main process names a host's provider (ollama-host-pool.ts). */
function providerIdOf(name: string): string {
  return `ollama-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')}`;
}

/**
 * Settings → Ollama → Other Ollama hosts: a GPU box on the LAN next to the desktop's own Ollama.
 * Each host's models appear in the picker as `ollama-<name>/<model>`; they are local, and offline
 * mode reaches the host, only when its address is on this computer or on Settings → Network's list.
 */
export function OllamaHostsSection() {
  const hosts = useSettings((s) => s.settings?.ollamaHosts ?? NO_HOSTS);
  const networkHosts = useSettings((s) => s.settings?.networkHosts ?? NO_ADDRESSES);
  const { load: loadProviders } = useProviders();
  const refreshModels = useSystem((s) => s.refresh);
  const [form, setForm] = useState({ name: '', url: '', maxConcurrent: '' });
  const [error, setError] = useState<string | null>(null);

  const changed = async () => {
    setError(null);
    await Promise.all([useSettings.getState().load(), loadProviders(), refreshModels()]);
  };

  const add = async () => {
    try {
      const max = form.maxConcurrent.trim() ? Number(form.maxConcurrent) : undefined;
      await client().invoke('providers.addOllamaHost', { name: form.name.trim(), url: form.url.trim(), ...(max !== undefined ? { maxConcurrent: max } : {}) });
      setForm({ name: '', url: '', maxConcurrent: '' });
      await changed();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const remove = async (name: string) => {
    try {
      await client().invoke('providers.removeOllamaHost', { name });
      await changed();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section aria-labelledby="ollama-hosts-heading" className="ollama-hosts">
      <h3 id="ollama-hosts-heading">Other Ollama hosts</h3>
      <p className="muted small">
        Another machine of yours running Ollama (a GPU box on the LAN). Its models show up as ollama-&lt;name&gt;/&lt;model&gt;. They count as local, and offline mode
        reaches the host, only when its address is on your network (Network, above).
      </p>
      {error ? (
        <p className="bad" role="alert">
          {error}
        </p>
      ) : null}
      {hosts.length > 0 ? (
        <table className="providers">
          <thead>
            <tr>
              <th>Name</th>
              <th>URL</th>
              <th>Max concurrent</th>
              <th>Network</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => {
              const id = providerIdOf(h.name);
              return (
                <tr key={h.name} aria-label={`Ollama host ${h.name}`}>
                  <td>
                    <strong>{h.name}</strong> <span className="muted small">{id}</span>
                  </td>
                  <td className="small">{h.url}</td>
                  <td>{h.maxConcurrent ?? 2}</td>
                  <td className="small">{REACH_LABEL[hostReach(h.url, networkHosts)]}</td>
                  <td className="actions">
                    <ProviderTest id={id} name={h.name}>
                      <button type="button" className="danger" onClick={() => void remove(h.name)} aria-label={`Remove ${h.name}`}>
                        Remove
                      </button>
                    </ProviderTest>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label>
          <span className="label">Name</span>
          <input aria-label="Ollama host name" placeholder="gpu-box" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </label>
        <label>
          <span className="label">URL</span>
          <input aria-label="Ollama host URL" placeholder="http://192.168.1.20:11434" value={form.url} onChange={(e) => setForm({ ...form, url: e.target.value })} />
        </label>
        <label>
          <span className="label">Max concurrent</span>
          <input
            aria-label="Ollama host max concurrent"
            type="number"
            min={1}
            max={8}
            placeholder="2"
            value={form.maxConcurrent}
            onChange={(e) => setForm({ ...form, maxConcurrent: e.target.value })}
          />
        </label>
        <button type="submit" disabled={!form.name.trim() || !form.url.trim()}>
          Add host
        </button>
      </form>
    </section>
  );
}
