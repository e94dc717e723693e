import { useEffect, useState } from 'react';
import type { ProviderStatus, Tier } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { useProviders } from '../../stores/providers-store';
import { useSettings } from '../../stores/settings-store';
import { endpointTierChoice } from './endpoint-tier';
import { ModelListRefresh } from './ModelListRefresh';
import { PriceOverridesSection } from './PriceOverridesSection';
import { ProviderTest } from './ProviderTest';

const TIER_LABEL: Record<Tier, string> = { local: 'Local', free: 'Free cloud', paid: 'Paid cloud' };

function keyText(p: ProviderStatus): string {
  if (!p.key) return 'No key needed';
  if (!p.key.configured) return 'No key';
  const where = p.key.source === 'env' ? `from ${p.key.envVar}` : p.key.source === 'memory' ? 'this session only' : 'in the keychain';
  return `Key …${p.key.last4} ${where}`;
}

/** Settings → Providers: switch providers on and off, point them elsewhere, test them, see health. */
export function ProvidersSection() {
  const { providers, health, error, load, setEnabled, removeCustom, unpriced, setPricesOpen } = useProviders();
  const showPrices = () => {
    setPricesOpen(true);
    document.getElementById('prices')?.scrollIntoView({ block: 'start' });
  };
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="providers-heading">
      <h2 id="providers-heading">Providers</h2>
      {error ? <Banner tone="error" title="That did not work">{error}</Banner> : null}
      <table className="providers">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Tier</th>
            <th>Key</th>
            <th>Base URL</th>
            <th>Enabled</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {providers.map((p) => {
            return (
              <tr key={p.id} aria-label={`Provider ${p.name}`}>
                <td>
                  <strong>{p.name}</strong>
                  {!p.builtIn ? <span className="muted small"> · {p.kind === 'ollama' ? 'Ollama host' : 'custom'}</span> : null}
                </td>
                <td>
                  <span className={`tier tier-${p.tier}`}>{TIER_LABEL[p.tier]}</span>
                </td>
                <td className="small">
                  {keyText(p)}
                  {p.builtIn && (p.kind === 'openai-compatible' || p.kind === 'anthropic') ? (
                    <ModelListRefresh id={p.id} name={p.name} unpriced={unpriced[p.id] ?? 0} onShowPrices={showPrices} />
                  ) : null}
                </td>
                <td className="small">
                  {p.kind === 'ollama' ? <span title="Set in the Ollama section above">{p.baseUrl}</span> : <BaseUrlField provider={p} />}
                </td>
                <td>
                  <input type="checkbox" aria-label={`Enable ${p.name}`} checked={p.enabled} onChange={(e) => void setEnabled(p.id, e.target.checked)} />
                </td>
                <td className="actions">
                  <ProviderTest id={p.id} name={p.name}>
                    {p.kind === 'custom' ? (
                      <button type="button" className="danger" onClick={() => void removeCustom(p.id)} aria-label={`Remove ${p.name}`}>
                        Remove
                      </button>
                    ) : null}
                  </ProviderTest>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <CustomEndpointForm />
      <PriceOverridesSection />
      <h3>Model health</h3>
      {health.length === 0 ? (
        <p className="muted">No model calls yet. Health appears here after the first request to each model.</p>
      ) : (
        <table className="health">
          <thead>
            <tr>
              <th>Model</th>
              <th>State</th>
              <th>Calls</th>
              <th>Failures</th>
              <th>p50</th>
              <th>p95</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {health.map((h) => (
              <tr key={h.modelId}>
                <td>{h.modelId}</td>
                <td>
                  <span className={`breaker breaker-${h.state}`}>
                    {h.state === 'closed' ? 'Healthy' : h.state === 'open' ? `Paused until ${new Date(h.openUntil ?? 0).toLocaleTimeString()}` : 'Probing'}
                  </span>
                </td>
                <td>{h.calls}</td>
                <td>
                  {h.failures}/{h.requests}
                </td>
                <td>{h.p50Ms === null ? '–' : `${Math.round(h.p50Ms)} ms`}</td>
                <td>{h.p95Ms === null ? '–' : `${Math.round(h.p95Ms)} ms`}</td>
                <td className="small">{h.lastError ? `${h.lastError.code}: ${h.lastError.message}` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function BaseUrlField({ provider }: { provider: ProviderStatus }) {
  const { setBaseUrl } = useProviders();
  const [value, setValue] = useState(provider.baseUrlSource === 'settings' ? provider.baseUrl : '');
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void setBaseUrl(provider.id, value.trim() ? value.trim() : null);
      }}
    >
      <input aria-label={`${provider.name} base URL`} placeholder={provider.baseUrl} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="small">
        Save
      </button>
    </form>
  );
}

/** One stable empty list for the zustand selector. */
const NO_HOSTS: string[] = [];

function CustomEndpointForm() {
  const { addCustom } = useProviders();
  const networkHosts = useSettings((s) => s.settings?.networkHosts ?? NO_HOSTS);
  const empty = { id: '', name: '', baseUrl: '', tier: null as Tier | null, apiKey: '' };
  const [form, setForm] = useState(empty);
  const set = (k: 'id' | 'name' | 'baseUrl' | 'apiKey') => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  // The tier follows the URL until the user picks one; Local only where the URL allows it (issue #16).
  const choice = endpointTierChoice(form.baseUrl, networkHosts);
  const tier: Tier = form.tier !== null && choice.offered.includes(form.tier) ? form.tier : choice.suggested;
  return (
    <details className="custom-endpoint">
      <summary>Add an OpenAI-compatible endpoint (LM Studio, vLLM, llama.cpp server, a team gateway)</summary>
      <form
        className="row"
        onSubmit={async (e) => {
          e.preventDefault();
          const ok = await addCustom({ id: form.id.trim(), name: form.name.trim() || form.id.trim(), baseUrl: form.baseUrl.trim(), tier, apiKey: form.apiKey.trim() || undefined });
          if (ok) setForm(empty);
        }}
      >
        <label>
          <span className="label">Id (used in model ids)</span>
          <input aria-label="Endpoint id" placeholder="lm-studio" value={form.id} onChange={set('id')} />
        </label>
        <label>
          <span className="label">Name</span>
          <input aria-label="Endpoint name" placeholder="LM Studio" value={form.name} onChange={set('name')} />
        </label>
        <label>
          <span className="label">Base URL</span>
          <input aria-label="Endpoint base URL" placeholder="http://127.0.0.1:1234/v1" value={form.baseUrl} onChange={set('baseUrl')} />
        </label>
        <label>
          <span className="label">Tier</span>
          <select aria-label="Endpoint tier" aria-describedby="endpoint-tier-note" value={tier} onChange={(e) => setForm({ ...form, tier: e.target.value as Tier })}>
            <option value="local" disabled={!choice.offered.includes('local')}>
              {choice.offered.includes('local') ? 'Local' : 'Local (not for this URL)'}
            </option>
            <option value="free">Free cloud</option>
            <option value="paid">Paid cloud</option>
          </select>
        </label>
        <label>
          <span className="label">API key (optional)</span>
          <input aria-label="Endpoint API key" type="password" autoComplete="off" value={form.apiKey} onChange={set('apiKey')} />
        </label>
        <button type="submit" disabled={!form.id.trim() || !form.baseUrl.trim()}>
          Add endpoint
        </button>
      </form>
      <p id="endpoint-tier-note" className={`small endpoint-tier-note reach-${choice.reach ?? 'unknown'}`} aria-live="polite">
        {choice.note}
      </p>
    </details>
  );
}
