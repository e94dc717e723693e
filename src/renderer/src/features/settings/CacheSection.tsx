import { useEffect, useState } from 'react';
import type { CallOutput } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { formatPct, formatUsd } from '../../components/usd';
import { useCache } from '../../stores/cache-store';
import { useSettings } from '../../stores/settings-store';
import '../cache/cache.css';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Settings → Cache: on/off, matching by meaning, threshold, how long answers are kept, stats, clear. */
export function CacheSection() {
  const { overview, error, saved, load, save, clear } = useCache();
  const temperature = useSettings((s) => s.settings?.chatTemperature);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="cache-heading" className="cache-settings">
      <h2 id="cache-heading">Cache</h2>
      <p className="muted">
        A question asked again — word for word, or in other words that mean the same — is answered from the cache at once, without a model call. Only reusable answers are kept: low temperature, no
        tool results, complete and past the quality checks. A cached answer says so, and “Ask again without cache” gets a fresh one.
      </p>
      {error ? <Banner tone="error" title="Not saved">{error}</Banner> : null}
      {saved && !error ? <p className="saved" role="status">{saved}</p> : null}
      {overview ? <CacheStatusNotice overview={overview} /> : null}
      {overview ? <Stats stats={overview.stats} /> : null}
      {overview && temperature !== undefined ? (
        <CacheForm key={JSON.stringify([overview.settings, temperature])} settings={overview.settings} temperature={temperature} onSave={save} onClear={clear} />
      ) : null}
    </section>
  );
}

function CacheStatusNotice({ overview }: { overview: CallOutput<'cache.status'> }) {
  const { status } = overview;
  if (!status.enabled) return <p className="muted">The cache is off: every reply comes from a model.</p>;
  if (status.semantic === 'unavailable' && status.embeddingModel) {
    return (
      <Banner tone="warn" title="Matching by meaning is paused">
        {status.reason}. Questions asked word for word are still served from the cache.
      </Banner>
    );
  }
  if (status.semantic === 'unavailable') {
    // The default reason says "pull nomic-embed-text", as the text below does; another one (Ollama down) is shown.
    const other = status.reason && !status.reason.includes('pull nomic-embed-text') ? ` (${status.reason})` : '';
    return (
      <Banner tone="info" title="Matching by meaning is off: no embedding model">
        Only questions asked word for word are served from the cache{other}. Install an embedding model with <code>ollama pull nomic-embed-text</code> (274 MB); Switchboard picks it up by
        itself.
      </Banner>
    );
  }
  if (status.semantic === 'ready') return <p className="ok">Exact and by-meaning matching are on (embeddings: {status.embeddingModel}).</p>;
  return <p className="muted">Exact matching is on; matching by meaning is off.</p>;
}

function Stats({ stats }: { stats: CallOutput<'cache.stats'> }) {
  const items: Array<[string, string, string]> = [
    ['Hit rate', formatPct(stats.hitRate), `${stats.hits} hits, ${stats.misses} misses (${stats.byKind.exact.hits} exact, ${stats.byKind.semantic.hits} by meaning)`],
    ['Saved', formatUsd(stats.usdSaved), 'What the cached answers would have cost again'],
    ['Tokens saved', stats.tokensSaved.toLocaleString(), 'Prompt and reply tokens not sent again'],
    ['Cached answers', stats.entries.toLocaleString(), `${(stats.bytes / 1024 / 1024).toFixed(1)} MB on disk`],
  ];
  return (
    <div className="stats" aria-label="Cache statistics">
      {items.map(([label, value, title]) => (
        <div key={label} className="stat" title={title}>
          <span className="value">{value}</span>
          <span className="label">{label}</span>
        </div>
      ))}
    </div>
  );
}

type Form = CallOutput<'cache.status'>['settings'];

function CacheForm({ settings, temperature, onSave, onClear }: { settings: Form; temperature: number; onSave: ReturnType<typeof useCache.getState>['save']; onClear: () => Promise<void> }) {
  const [enabled, setEnabled] = useState(settings.enabled);
  const [semantic, setSemantic] = useState(settings.semanticEnabled);
  const [threshold, setThreshold] = useState(String(settings.threshold));
  const [days, setDays] = useState(String(+(settings.ttlMs / DAY_MS).toFixed(2)));
  const [temp, setTemp] = useState(String(temperature));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void onSave({ enabled, semanticEnabled: semantic, threshold: Number(threshold), ttlMs: Math.round(Number(days) * DAY_MS) }, Number(temp));
      }}
    >
      <div className="fields">
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Use the cache
        </label>
        <label className="check">
          <input type="checkbox" checked={semantic} disabled={!enabled} onChange={(e) => setSemantic(e.target.checked)} /> Match by meaning
        </label>
        <label>
          Similarity threshold
          <input type="number" aria-label="Similarity threshold" min={0.8} max={1} step={0.01} value={threshold} disabled={!enabled || !semantic} onChange={(e) => setThreshold(e.target.value)} />
        </label>
        <label>
          Keep answers (days)
          <input type="number" aria-label="Keep answers (days)" min={0.01} max={365} step="any" value={days} disabled={!enabled} onChange={(e) => setDays(e.target.value)} />
        </label>
        <label>
          Chat temperature
          <input type="number" aria-label="Chat temperature" min={0} max={2} step={0.1} value={temp} onChange={(e) => setTemp(e.target.value)} />
        </label>
      </div>
      <p className="hint">
        Threshold: how alike two questions must be (0.80–1.00; higher is stricter). Questions that differ in a number, a name in code, a quoted string, a “not” or an opposite word (enable /
        disable) never match. Chat temperature: lower = more consistent and cacheable; replies above {settings.maxTemperature} are not cached.
      </p>
      <div className="row">
        <button type="submit" className="primary">
          Save cache settings
        </button>
        <button type="button" onClick={() => void onClear()}>
          Clear the cache
        </button>
      </div>
    </form>
  );
}
