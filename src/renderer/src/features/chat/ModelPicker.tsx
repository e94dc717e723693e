import type { ModelInfo } from '../../../../shared/contract';

function formatSize(bytes: number | null): string {
  if (!bytes) return '';
  return ` · ${(bytes / 1e9).toFixed(1)} GB`;
}

export function ModelPicker({ models, value, onChange, localUnavailable }: { models: ModelInfo[]; value: string | null; onChange: (id: string) => void; localUnavailable: boolean }) {
  const known = value !== null && models.some((m) => m.id === value);
  return (
    <label className="model-picker">
      <span className="label">Model</span>
      <select aria-label="Model" value={value ?? ''} onChange={(e) => onChange(e.target.value)} disabled={models.length === 0 && !value}>
        {value === null ? <option value="">{models.length ? 'Choose a model' : 'No models installed'}</option> : null}
        {value !== null && !known ? (
          <option value={value}>
            {value} ({localUnavailable && value.startsWith('ollama/') ? 'Ollama unavailable' : 'not installed'})
          </option>
        ) : null}
        {models.map((m) => (
          <option key={m.id} value={m.id}>
            {m.id}
            {m.parameterSize ? ` · ${m.parameterSize}` : ''}
            {formatSize(m.sizeBytes)}
          </option>
        ))}
      </select>
    </label>
  );
}
