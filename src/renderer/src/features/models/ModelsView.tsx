import { useEffect } from 'react';
import { KvCacheType } from '../../../../shared/contract';
import { formatContext, formatGiB } from '../../../../shared/format';
import { Banner } from '../../components/Banner';
import { useLocalModels } from '../../stores/local-models-store';
import { useSetup } from '../../stores/setup-store';
import { CatalogTable, InstalledTable, LoadedTable } from './ModelTables';
import { PullAnyModel } from './PullAnyModel';

export const CONTEXT_STEPS = [2048, 4096, 8192, 16384, 32768, 65536, 131072];

const KV_LABEL: Record<KvCacheType, string> = { f16: 'f16 (default)', q8_0: 'q8_0 (half the memory)', q4_0: 'q4_0 (a quarter)' };

/** Context length and KV cache type: every fit on the page is recomputed for them. */
export function FitControls() {
  const { contextLength, kvCacheType, setParams } = useLocalModels();
  const index = Math.max(0, CONTEXT_STEPS.indexOf(contextLength));
  return (
    <div className="fit-controls">
      <label className="ctx-control">
        <span className="label">Context length</span>
        <input
          type="range"
          min={0}
          max={CONTEXT_STEPS.length - 1}
          step={1}
          value={index}
          aria-label="Context length"
          aria-valuetext={`${contextLength} tokens`}
          onChange={(e) => setParams({ contextLength: CONTEXT_STEPS[Number(e.target.value)] ?? 8192 })}
        />
        <output>{formatContext(contextLength)} tokens</output>
      </label>
      <label>
        <span className="label">KV cache type</span>
        <select aria-label="KV cache type" value={kvCacheType} onChange={(e) => setParams({ kvCacheType: e.target.value as KvCacheType })}>
          {KvCacheType.options.map((t) => (
            <option key={t} value={t}>
              {KV_LABEL[t]}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function ModelsView() {
  const { overview, error, actionError, load, loadPulls, clearActionError, contextLength } = useLocalModels();
  const { ollama: lifecycle, checkOllama, startOllama, starting } = useSetup();

  useEffect(() => {
    void load();
    void loadPulls();
  }, [load, loadPulls]);
  const down = overview !== null && !overview.ollama.reachable;
  useEffect(() => {
    if (down) void checkOllama();
  }, [down, checkOllama]);

  const hw = overview?.hardware;
  return (
    <section className="models-page" aria-label="Models">
      <header className="page-header">
        <h1>Models</h1>
        {hw ? (
          <p className="muted">
            {hw.gpuName ? `${hw.gpuName} · ${formatGiB(hw.vramBytes)} ${hw.unifiedMemory ? 'GPU memory' : 'VRAM'}` : 'No GPU for models'} · {formatGiB(hw.ramBytes)} RAM
            {overview?.calibration ? ` · estimates calibrated ×${overview.calibration.toFixed(2)} from this machine's loads` : ''}
          </p>
        ) : null}
      </header>
      {error ? <Banner tone="error" title="Could not load models">{error}</Banner> : null}
      {actionError ? (
        <Banner tone="error" title="That did not work" action={<button type="button" onClick={clearActionError}>Dismiss</button>}>
          {actionError}
        </Banner>
      ) : null}
      {down ? (
        <Banner
          tone="warn"
          title={`Ollama isn't running at ${overview.ollama.host}`}
          action={
            <>
              {lifecycle?.installed && lifecycle.local ? (
                <button type="button" className="primary" disabled={starting} onClick={async () => {
                    await startOllama();
                    await load();
                  }}>
                  {starting ? 'Starting…' : 'Start Ollama'}
                </button>
              ) : null}
              <button type="button" onClick={() => void load()}>
                Retry
              </button>
            </>
          }
        >
          {lifecycle && !lifecycle.installed ? (
            <>
              Ollama is not installed. {lifecycle.guidance?.summary}{' '}
              <a href={lifecycle.guidance?.url ?? 'https://ollama.com/download'} target="_blank" rel="noreferrer">
                ollama.com/download
              </a>
            </>
          ) : (
            'Installed and loaded models appear once it answers; the catalog below still shows what fits.'
          )}
        </Banner>
      ) : null}

      <PullAnyModel />

      <FitControls />

      <h2>Loaded now</h2>
      <LoadedTable models={overview?.loaded ?? []} />

      <h2>Installed</h2>
      {overview ? <InstalledTable models={overview.installed} contextLength={contextLength} /> : <p className="muted">Loading…</p>}

      <h2>Catalog</h2>
      <p className="muted small">
        Fit is estimated for this machine at {formatContext(contextLength)} context from each model&apos;s architecture (Ollama&apos;s own memory formula); hover a badge for the
        details.
      </p>
      {overview ? <CatalogTable models={overview.catalog} contextLength={contextLength} /> : null}
    </section>
  );
}
