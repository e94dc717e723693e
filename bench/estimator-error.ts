import { estimateFit } from '../src/main/models/fit';
import { MEASURED_VECTORS, estimatedBytesFor, relativeError } from '../test/fixtures/hardware/measured-vectors';
import type { BenchResult } from './provider-overhead';

/**
 * How far the memory estimator is from published measurements of real loads
 * (test/fixtures/hardware/measured-vectors.ts cites each). `vram` rows compare with nvidia-smi,
 * `context` rows with llama.cpp's KV + compute buffer log lines. Error is (estimated − measured) / measured.
 */
export async function benchEstimatorError(): Promise<BenchResult> {
  const rows = MEASURED_VECTORS.map((vector) => {
    const fit = estimateFit(vector.input);
    const error = relativeError(vector, fit);
    return {
      name: vector.name,
      basis: vector.basis,
      measured: vector.measuredTotalBytes,
      estimated: estimatedBytesFor(vector, fit),
      errorPct: Number((error * 100).toFixed(2)),
      tolerancePct: vector.tolerance * 100,
    };
  });
  const abs = rows.map((r) => Math.abs(r.errorPct));
  return {
    name: 'estimator error against measured loads',
    rows,
    summary: {
      vectors: rows.length,
      meanAbsErrorPct: Number((abs.reduce((a, b) => a + b, 0) / Math.max(1, abs.length)).toFixed(2)),
      maxAbsErrorPct: Math.max(0, ...abs),
      allWithinTolerance: rows.every((r) => Math.abs(r.errorPct) <= r.tolerancePct),
    },
  };
}
