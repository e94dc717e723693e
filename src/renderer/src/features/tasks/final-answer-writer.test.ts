import { describe, expect, it } from 'vitest';
import type { AvailableModel, CostEstimate } from '../../../../shared/contract';
import { refusalIsOnlyTheWriter, writerChoices } from './final-answer-writer';

type Line = CostEstimate['lines'][number];
const SONNET = 'openrouter/anthropic/claude-sonnet-5.5';
const line = (label: string, model: string, tier: Line['tier']): Line => ({ label, model, tier, estimatedCostUsd: tier === 'paid' ? 0.01 : 0, maxCostUsd: tier === 'paid' ? 0.05 : 0 });
const stopped = (lines: Line[], refusal: string | null = 'Today\'s spend reached the stop threshold. Choose local or free models instead.'): CostEstimate => ({
  estimatedCostUsd: 0, maxCostUsd: 0, lines, budget: { level: 'stopped', message: 'Today\'s spend reached the stop threshold.' }, refusal,
});
const model = (id: string, tier: AvailableModel['tier']): AvailableModel => ({ id, provider: id.split('/')[0] ?? '', name: id, tier, contextWindow: null, price: null, available: true, unavailableReason: null, quality: null });

describe('refusalIsOnlyTheWriter', () => {
  it('is true when the paid synthesis is the only paid call', () => {
    expect(refusalIsOnlyTheWriter(stopped([line('First step', 'ollama/exec:1b', 'local'), line('Synthesis', SONNET, 'paid')]))).toBe(true);
  });

  it('is false when a task needs a paid model too, even the same one', () => {
    expect(refusalIsOnlyTheWriter(stopped([line('First step', SONNET, 'paid'), line('Synthesis', SONNET, 'paid')]))).toBe(false);
    expect(refusalIsOnlyTheWriter(stopped([line('Synthesis', SONNET, 'paid'), line('Synthesis', 'ollama/exec:1b', 'local')]))).toBe(false);
  });

  it('is false without a refusal', () => {
    expect(refusalIsOnlyTheWriter(stopped([line('Synthesis', SONNET, 'paid')], null))).toBe(false);
  });
});

describe('writerChoices', () => {
  const models = [model(SONNET, 'paid'), model('ollama/qwen2.5:3b', 'local'), model('groq/llama-3.1-8b-instant', 'free'), model('ollama/boss:70b', 'local')];

  it('lists the models that can answer, local first, then free, then paid, and says when the budget stops paid ones', () => {
    expect(writerChoices(models, SONNET, false)).toEqual({
      unavailable: null,
      groups: [
        { tier: 'local', label: 'Local', ids: ['ollama/boss:70b', 'ollama/qwen2.5:3b'] },
        { tier: 'free', label: 'Free cloud', ids: ['groq/llama-3.1-8b-instant'] },
        { tier: 'paid', label: 'Paid cloud', ids: [SONNET] },
      ],
    });
    expect(writerChoices(models, SONNET, true).groups.at(-1)?.label).toBe('Paid cloud: stopped by the budget');
  });

  it('keeps a writer that cannot answer now as the current value', () => {
    expect(writerChoices(models.filter((m) => m.tier !== 'paid'), SONNET, false).unavailable).toBe(SONNET);
  });
});
