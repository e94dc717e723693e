import type { FitEstimate } from '../../../../shared/contract';
import { formatGiB } from '../../../../shared/format';

const PARTS = [
  { key: 'weightsBytes', label: 'Weights', className: 'seg-weights' },
  { key: 'kvCacheBytes', label: 'KV cache', className: 'seg-kv' },
  { key: 'graphBytes', label: 'Compute', className: 'seg-graph' },
  { key: 'overheadBytes', label: 'Overhead', className: 'seg-overhead' },
] as const;

/**
 * What a model needs against what this machine has: weights, KV cache, compute graph and overhead
 * stacked, with a line at the capacity (VRAM, or RAM on a CPU-only machine). Past the line is what
 * would spill to system RAM.
 */
export function FitBar({ fit, capacityBytes, capacityLabel }: { fit: FitEstimate; capacityBytes: number; capacityLabel: string }) {
  const scale = Math.max(capacityBytes, fit.totalBytes, 1);
  const pct = (bytes: number) => `${((bytes / scale) * 100).toFixed(2)}%`;
  const over = capacityBytes > 0 && fit.totalBytes > capacityBytes;
  return (
    <div className="fit-bar" data-verdict={fit.verdict}>
      <div
        className="fit-track"
        role="meter"
        aria-label={`Memory: needs ${formatGiB(fit.totalBytes)} of ${formatGiB(capacityBytes)} ${capacityLabel}`}
        aria-valuemin={0}
        aria-valuemax={capacityBytes}
        aria-valuenow={Math.min(fit.totalBytes, capacityBytes)}
      >
        {PARTS.map((p) => (
          <span key={p.key} className={`fit-seg ${p.className}`} style={{ width: pct(fit[p.key]) }} title={`${p.label} ${formatGiB(fit[p.key], 2)}`} />
        ))}
        {capacityBytes > 0 ? <span className="fit-capacity" style={{ left: pct(capacityBytes) }} /> : null}
      </div>
      <div className="fit-legend small">
        {PARTS.map((p) => (
          <span key={p.key}>
            <i className={`swatch ${p.className}`} aria-hidden="true" />
            {p.label} {formatGiB(fit[p.key])}
          </span>
        ))}
        <strong className={over ? 'bad' : ''}>
          needs {formatGiB(fit.totalBytes)} of {formatGiB(capacityBytes)} {capacityLabel}
        </strong>
      </div>
    </div>
  );
}
