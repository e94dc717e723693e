import { describe, expect, it } from 'vitest';
import type { ModelHealth } from './model-health';
import { ProviderHealth } from './provider-health';

const live = (modelId: string, over: Partial<ModelHealth> = {}): ModelHealth => ({
  modelId, state: 'closed', requests: 3, failures: 0, openedAt: null, openUntil: null, lastError: null, p50Ms: 100, p95Ms: 200, p50TtftMs: null, p95TtftMs: null, ...over,
});

describe('ProviderHealth', () => {
  it("merges the breakers with the call log's latency, which wins over the live samples", () => {
    const health = new ProviderHealth({
      live: { healthSnapshots: () => [live('groq/b', { state: 'open', failures: 3, openUntil: 99 }), live('ollama/a')] },
      calls: { latencyByModel: () => [{ modelId: 'ollama/a', calls: 40, p50Ms: 120, p95Ms: 900 }, { modelId: 'deepseek/c', calls: 2, p50Ms: 50, p95Ms: 60 }] },
    });
    expect(health.list()).toEqual([
      { modelId: 'deepseek/c', state: 'closed', requests: 0, failures: 0, openUntil: null, lastError: null, p50Ms: 50, p95Ms: 60, calls: 2 },
      { modelId: 'groq/b', state: 'open', requests: 3, failures: 3, openUntil: 99, lastError: null, p50Ms: 100, p95Ms: 200, calls: 0 },
      { modelId: 'ollama/a', state: 'closed', requests: 3, failures: 0, openUntil: null, lastError: null, p50Ms: 120, p95Ms: 900, calls: 40 },
    ]);
  });
});
