import type { ModelHealthInfo } from '../../shared/contract';
import type { ModelHealth } from './model-health';

/** Latency per model over the call log (the CallRecorder's `latencyByModel`). */
export interface CallLatency {
  modelId: string;
  calls: number;
  p50Ms: number;
  p95Ms: number;
}

export interface ProviderHealthDeps {
  /** Breaker state and in-memory latency per model (ReliableChat). */
  live: { healthSnapshots(): ModelHealth[] };
  /** The full history, which outlives a restart (the CallRecorder). */
  calls: { latencyByModel(): CallLatency[] };
}

/**
 * Settings → Providers → Health: each model's circuit breaker as the reliability layer sees it now,
 * with p50/p95 latency from the call log when it has calls (else from the live samples).
 */
export class ProviderHealth {
  constructor(private readonly d: ProviderHealthDeps) {}

  list(): ModelHealthInfo[] {
    const calls = new Map(this.d.calls.latencyByModel().map((l) => [l.modelId, l]));
    const live = new Map(this.d.live.healthSnapshots().map((h) => [h.modelId, h]));
    const ids = new Set([...live.keys(), ...calls.keys()]);
    return [...ids].sort().map((modelId) => {
      const h = live.get(modelId);
      const c = calls.get(modelId);
      return {
        modelId,
        state: h?.state ?? 'closed',
        requests: h?.requests ?? 0,
        failures: h?.failures ?? 0,
        openUntil: h?.openUntil ?? null,
        lastError: h?.lastError ?? null,
        p50Ms: c?.p50Ms ?? h?.p50Ms ?? null,
        p95Ms: c?.p95Ms ?? h?.p95Ms ?? null,
        calls: c?.calls ?? 0,
      };
    });
  }
}
