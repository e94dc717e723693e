import { describe, expect, it } from 'vitest';
import type { RouteDecision } from '../router';
import { TaskRoutes } from './task-routes';

const decision = (model: string | null, chain: string[]): RouteDecision =>
  ({ model, tier: model ? 'local' : null, chain, reasons: ['Task docs: local, groq.'], estimatedCostUsd: 0, refusal: model ? null : { code: 'offline', message: 'Offline mode is on.' } }) as unknown as RouteDecision;

describe('task routes', () => {
  it('keeps why a task went where it went, and escalates along the router\'s chain', () => {
    const routes = new TaskRoutes();
    expect(routes.fromDecision('g', 't1', decision('ollama/a', ['ollama/a', 'groq/b', 'deepseek/c']), 'router')).toBe('ollama/a');
    expect(routes.get('g', 't1')).toMatchObject({ model: 'ollama/a', source: 'router', reasons: ['Task docs: local, groq.'] });
    expect(routes.escalation('g', 't1', 'ollama/a')).toBe('groq/b');
    expect(routes.escalation('g', 't1', 'deepseek/c')).toBeNull();
    routes.noteRetry('g', 't1', { model: 'ollama/a', attempt: 2, error: { code: 'timeout', message: 'slow', retryable: true }, nextModel: 'groq/b' });
    expect(routes.get('g', 't1')!.notes).toEqual(['Attempt 2 on ollama/a failed (slow); escalating to groq/b.']);
    routes.forget('g');
    expect(routes.get('g', 't1')).toBeNull();
  });

  it('turns a refusal into the router\'s error', () => {
    expect(() => new TaskRoutes().fromDecision('g', 't', decision(null, []), 'router')).toThrow('Offline mode is on.');
  });
});
