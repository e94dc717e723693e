import { percentile } from '../runner/call-metrics';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerPolicy, type BreakerSnapshot } from './circuit-breaker';

/** What Settings shows per model: breaker state, recent failures, last error and latency. */
export interface ModelHealth extends BreakerSnapshot {
  modelId: string;
  /** Over the last successful calls kept in memory (the calls table has the full history). */
  p50Ms: number | null;
  p95Ms: number | null;
  p50TtftMs: number | null;
  p95TtftMs: number | null;
}

/** Successful calls kept per model for live percentiles. */
const SAMPLES = 200;

/** One circuit breaker and a latency sample per model, created on first use. */
export class HealthRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly latency = new Map<string, { total: number[]; ttft: number[] }>();

  constructor(
    private readonly policy: BreakerPolicy = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether the model's breaker is open now; asked for every candidate of every routing decision, so it builds no snapshot. */
  isOpen(modelId: string): boolean {
    return this.breakers.get(modelId)?.state() === 'open';
  }

  breaker(modelId: string): CircuitBreaker {
    let breaker = this.breakers.get(modelId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.policy, this.now);
      this.breakers.set(modelId, breaker);
    }
    return breaker;
  }

  recordLatency(modelId: string, totalMs: number, ttftMs: number | null): void {
    let samples = this.latency.get(modelId);
    if (!samples) {
      samples = { total: [], ttft: [] };
      this.latency.set(modelId, samples);
    }
    push(samples.total, totalMs);
    if (ttftMs !== null) push(samples.ttft, ttftMs);
  }

  snapshot(modelId: string): ModelHealth {
    const samples = this.latency.get(modelId);
    const total = [...(samples?.total ?? [])].sort((a, b) => a - b);
    const ttft = [...(samples?.ttft ?? [])].sort((a, b) => a - b);
    return {
      modelId,
      ...this.breaker(modelId).snapshot(),
      p50Ms: percentile(total, 50),
      p95Ms: percentile(total, 95),
      p50TtftMs: percentile(ttft, 50),
      p95TtftMs: percentile(ttft, 95),
    };
  }

  /** Every model seen so far. */
  snapshots(): ModelHealth[] {
    const ids = new Set([...this.breakers.keys(), ...this.latency.keys()]);
    return [...ids].sort().map((id) => this.snapshot(id));
  }
}

function push(list: number[], value: number): void {
  list.push(value);
  if (list.length > SAMPLES) list.shift();
}
