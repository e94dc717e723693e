import { isOllamaProvider, providerOf } from '../../shared/model-id';
import type { ModelRunner, RunRequest, StreamPart } from '../runner';

/** Weight of the newest latency sample in the running average. */
const LATENCY_WEIGHT = 0.3;

export interface HostBalancerDeps {
  /** Every id the same model has on an Ollama host (`ollama/llama3.2:3b`, `ollama-gpu-box/llama3.2:3b`), the asked one included. */
  replicas(modelId: string): readonly string[];
  /** The reliability layer's breaker for that host's model. */
  isOpen(modelId: string): boolean;
  now?: () => number;
}

/**
 * Seed 004's health-checked load balancing over Ollama hosts (issue #13, item 6): when more than
 * one healthy host serves the model, the request goes to the one with the fewest requests in
 * flight, then the lowest time to first token; a host whose breaker is open is skipped. The other
 * hosts follow as `alternates`, so a host that fails before any text hands the request on.
 */
export class HostBalancer {
  private readonly inflight = new Map<string, number>();
  private readonly latencyMs = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly d: HostBalancerDeps) {
    this.now = d.now ?? Date.now;
  }

  /** The hosts' ids for `modelId`, best first; just `[modelId]` when no other host serves it. */
  order(modelId: string): string[] {
    if (!isOllamaProvider(providerOf(modelId))) return [modelId];
    const ids = [...new Set([modelId, ...this.d.replicas(modelId)])];
    if (ids.length === 1) return ids;
    return ids
      .map((id, index) => ({ id, index, open: this.d.isOpen(id), load: this.inflight.get(id) ?? 0, latency: this.latencyMs.get(id) ?? 0 }))
      .sort((a, b) => Number(a.open) - Number(b.open) || a.load - b.load || a.latency - b.latency || a.index - b.index)
      .map((x) => x.id);
  }

  /** Requests in flight per model id (for tests and diagnostics). */
  load(): Record<string, number> {
    return Object.fromEntries(this.inflight);
  }

  runner(inner: ModelRunner): ModelRunner {
    return {
      stream: (request) => {
        if (request.alternates !== undefined || !isOllamaProvider(providerOf(request.model))) return inner.stream(request);
        return this.balanced(inner, request);
      },
    };
  }

  private async *balanced(inner: ModelRunner, request: RunRequest): AsyncGenerator<StreamPart> {
    // Chosen when the request starts, so concurrent requests see each other's load.
    const [first, ...rest] = this.order(request.model);
    let served = first!;
    const started = this.now();
    let timed = false;
    this.acquire(served);
    try {
      for await (const part of inner.stream({ ...request, model: served, alternates: rest })) {
        if (part.type === 'fallback') {
          this.release(served);
          served = part.to;
          this.acquire(served);
        } else if (part.type === 'text-delta' && !timed) {
          timed = true;
          this.observe(served, this.now() - started);
        }
        yield part;
      }
    } finally {
      this.release(served);
    }
  }

  private acquire(id: string): void {
    this.inflight.set(id, (this.inflight.get(id) ?? 0) + 1);
  }

  private release(id: string): void {
    this.inflight.set(id, Math.max(0, (this.inflight.get(id) ?? 1) - 1));
  }

  private observe(id: string, ms: number): void {
    const prev = this.latencyMs.get(id);
    this.latencyMs.set(id, prev === undefined ? ms : prev + LATENCY_WEIGHT * (ms - prev));
  }
}
