import type { ModelInfo } from '../../../../shared/contract';

/** Model ids that choose a routing mode instead of a model (src/main/answer/answer-modes.ts). */
export const AUTO_MODEL_ID = 'switchboard/auto';
export const LOCAL_MODEL_ID = 'switchboard/local';
const MODES = [
  { id: AUTO_MODEL_ID, label: 'Auto — cheapest capable model' },
  { id: LOCAL_MODEL_ID, label: 'Local only — stays on this computer' },
];

function formatSize(bytes: number | null): string {
  if (!bytes) return '';
  return ` · ${(bytes / 1e9).toFixed(1)} GB`;
}

export function ModelPicker({ models, value, onChange, localUnavailable }: { models: ModelInfo[]; value: string | null; onChange: (id: string) => void; localUnavailable: boolean }) {
  const known = value !== null && (models.some((m) => m.id === value) || MODES.some((m) => m.id === value));
  return (
    <label className="model-picker">
      <span className="label">Model</span>
      <select aria-label="Model" value={value ?? ''} onChange={(e) => onChange(e.target.value)}>
        {value === null ? <option value="">Choose a model</option> : null}
        <optgroup label="Let Switchboard choose">
          {MODES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
            </option>
          ))}
        </optgroup>
        {value !== null && !known ? (
          <option value={value}>
            {value} ({localUnavailable && value.startsWith('ollama/') ? 'Ollama unavailable' : 'not available'})
          </option>
        ) : null}
        <optgroup label={models.length ? 'Models' : 'Models (none installed or configured)'}>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id}
              {m.parameterSize ? ` · ${m.parameterSize}` : ''}
              {formatSize(m.sizeBytes)}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
