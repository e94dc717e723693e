import { useState } from 'react';
import type { CatalogModel, InstalledModel, LoadedModel, PullJob } from '../../../../shared/contract';
import { formatBytes, formatContext, formatGiB } from '../../../../shared/format';
import { isActivePull, modelKey, useLocalModels } from '../../stores/local-models-store';
import { FitBadge } from './FitBadge';
import { PullProgress } from './PullProgress';

export function LoadedTable({ models }: { models: LoadedModel[] }) {
  if (models.length === 0) return <p className="muted">No model is loaded right now. Ollama loads one on its first request and unloads it after 5 idle minutes.</p>;
  return (
    <table className="models-table" aria-label="Loaded models">
      <thead>
        <tr>
          <th>Model</th>
          <th>Memory</th>
          <th>Where</th>
          <th>Context</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.name}>
            <td className="model-name">{m.name}</td>
            <td>{formatGiB(m.sizeBytes)}</td>
            <td>
              <div className="split" aria-label={`${m.gpuPercent}% on GPU, ${100 - m.gpuPercent}% on CPU`} role="img">
                <span className="split-gpu" style={{ width: `${m.gpuPercent}%` }} />
              </div>
              <span className="small">{m.gpuPercent === 100 ? '100% GPU' : m.gpuPercent === 0 ? '100% CPU' : `${100 - m.gpuPercent}%/${m.gpuPercent}% CPU/GPU`}</span>
            </td>
            <td>{m.contextLength ? formatContext(m.contextLength) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function DeleteButton({ name }: { name: string }) {
  const { remove } = useLocalModels();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!confirming) {
    return (
      <button type="button" className="small" onClick={() => setConfirming(true)} aria-label={`Delete ${name}`}>
        Delete
      </button>
    );
  }
  return (
    <span className="confirm">
      <button
        type="button"
        className="small danger"
        disabled={busy}
        aria-label={`Confirm delete ${name}`}
        onClick={async () => {
          setBusy(true);
          if (!(await remove(name))) setBusy(false);
        }}
      >
        {busy ? 'Deleting…' : 'Delete'}
      </button>
      <button type="button" className="small" onClick={() => setConfirming(false)}>
        Keep
      </button>
    </span>
  );
}

export function InstalledTable({ models, contextLength }: { models: InstalledModel[]; contextLength: number }) {
  if (models.length === 0) return <p className="muted">No local models yet. Pull one from the catalog below.</p>;
  return (
    <table className="models-table" aria-label="Installed models">
      <thead>
        <tr>
          <th>Model</th>
          <th>Size</th>
          <th>Fit at {formatContext(contextLength)}</th>
          <th>All on GPU up to</th>
          <th>
            <span className="sr-only">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.name}>
            <td className="model-name">
              {m.name}
              <div className="muted small">{[m.parameterSize, m.quantization, m.family].filter(Boolean).join(' · ')}</div>
            </td>
            <td>{formatBytes(m.sizeBytes)}</td>
            <td>{m.fit ? <FitBadge fit={m.fit} requestedContext={contextLength} /> : <span className="muted small" title={m.fitError ?? undefined}>Unknown</span>}</td>
            <td className="nowrap">{m.fit ? (m.fit.maxFullGpuCtx > 0 ? `${formatContext(m.fit.maxFullGpuCtx)} ctx` : 'never') : '—'}</td>
            <td className="actions">
              <DeleteButton name={m.name} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PullCell({ model, installed, job }: { model: string; installed: boolean; job: PullJob | undefined }) {
  const { pull, cancel } = useLocalModels();
  // This session's pull says how it went ("Downloaded", a failure, a cancel) until a page reload.
  if (job && (isActivePull(job) || job.state === 'failed' || job.state === 'cancelled' || job.state === 'completed')) {
    return <PullProgress job={job} onCancel={() => void cancel(job.id)} onRetry={() => void pull(model)} />;
  }
  if (installed) return <span className="ok small">Installed</span>;
  return (
    <button type="button" className="small primary" onClick={() => void pull(model)} aria-label={`Pull ${model}`}>
      Pull
    </button>
  );
}

export function CatalogTable({ models, contextLength }: { models: CatalogModel[]; contextLength: number }) {
  const { pulls } = useLocalModels();
  return (
    <table className="models-table" aria-label="Catalog models">
      <thead>
        <tr>
          <th>Model</th>
          <th>Good for</th>
          <th>Download</th>
          <th>Fit</th>
          <th>All on GPU up to</th>
          <th>
            <span className="sr-only">Pull</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.tag} data-model={m.tag}>
            <td className="model-name">
              {m.tag}
              <div className="muted small">
                {(m.parameterCount / 1e9).toFixed(1)}B · {m.quantization}
              </div>
            </td>
            <td className="small">{m.roles.join(', ')}</td>
            <td>{formatBytes(m.sizeBytes)}</td>
            <td>
              <FitBadge fit={m.fit} requestedContext={contextLength} />
            </td>
            <td className="nowrap">{m.fit.maxFullGpuCtx > 0 ? `${formatContext(m.fit.maxFullGpuCtx)} ctx` : 'never'}</td>
            <td className="actions pull-cell">
              <PullCell model={m.tag} installed={m.installed} job={pulls[modelKey(m.tag)]} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
