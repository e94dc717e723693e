import { describe, expect, it } from 'vitest';
import type { CostEstimate } from '../../../shared/contract';
import { breakdownRows, budgetNote, callCount, estimateSummary, isFree, refusedSteps } from './cost-estimate-format';

type Line = CostEstimate['lines'][number];
const line = (label: string, model: string, tier: Line['tier'], estimatedCostUsd = 0, maxCostUsd = 0): Line => ({ label, model, tier, estimatedCostUsd, maxCostUsd });
const estimate = (lines: Line[], patch: Partial<CostEstimate> = {}): CostEstimate => ({
  estimatedCostUsd: lines.reduce((s, l) => s + l.estimatedCostUsd, 0),
  maxCostUsd: lines.reduce((s, l) => s + l.maxCostUsd, 0),
  lines,
  budget: { level: 'ok', message: "Today's spend $0.00 of $5.00." },
  refusal: null,
  ...patch,
});

const SONNET = 'openrouter/anthropic/claude-sonnet-5.5';
const local = [line('Answer', 'ollama/phi3:mini', 'local'), line('Answer', 'ollama/qwen2.5:3b', 'local'), line('Synthesis', 'ollama/qwen2.5:3b', 'local')];

describe('estimateSummary', () => {
  it('says a run on local and free-tier models is free', () => {
    expect(estimateSummary(estimate([...local, line('Review', 'groq/llama-3.1-8b-instant', 'free')]))).toBe('Free: runs on local/free models');
    expect(isFree(estimate([]))).toBe(true);
  });

  it('gives the expected cost and the worst case when a paid model is in the run', () => {
    const e = estimate([line('Answer', 'ollama/phi3:mini', 'local'), line('Answer', SONNET, 'paid', 0.004, 0.03), line('Synthesis', SONNET, 'paid', 0.008, 0.06)]);
    expect(isFree(e)).toBe(false);
    expect(estimateSummary(e)).toBe('Estimated cost ~$0.012 (at most $0.090)');
  });

  it('keeps a paid model with no known price visibly not free', () => {
    expect(estimateSummary(estimate([line('Answer', 'openrouter/new/model', 'paid')]))).toBe('Estimated cost ~$0 (at most $0)');
  });
});

describe('budgetNote', () => {
  it('says nothing while the budget is fine', () => {
    expect(budgetNote(estimate(local))).toBeNull();
  });

  it("shows the budget's message past the warning and over budget", () => {
    for (const level of ['warn', 'over-budget'] as const) {
      expect(budgetNote(estimate(local, { budget: { level, message: `level ${level}` } }))).toBe(`level ${level}`);
    }
  });

  it('at the stop, says a free run is not affected', () => {
    expect(budgetNote(estimate(local, { budget: { level: 'stopped', message: "Today's spend $0.37 reached the stop threshold $0.20." } }))).toBe(
      "Today's spend $0.37 reached the stop threshold $0.20. No paid call can start; this run needs none.",
    );
  });

  it('leaves the message to the refusal, which already carries it', () => {
    expect(budgetNote(estimate([line('Answer', SONNET, 'paid')], { budget: { level: 'stopped', message: 'stop' }, refusal: 'stop. … is a paid model' }))).toBeNull();
  });
});

describe('refusedSteps', () => {
  it('names the paid calls a refusal is about, grouped by model, each step once', () => {
    const HAIKU = 'openrouter/anthropic/claude-haiku-4.5';
    const e = estimate(
      [line('Answer', 'ollama/phi3:mini', 'local'), line('Answer', SONNET, 'paid'), line('Answer', HAIKU, 'paid'), line('Review', SONNET, 'paid'), line('Review', HAIKU, 'paid'), line('Synthesis', SONNET, 'paid')],
      { refusal: 'stopped' },
    );
    expect(refusedSteps(e)).toEqual([`Answer, Review, Synthesis on ${SONNET}`, `Answer, Review on ${HAIKU}`]);
  });

  it("names a task graph's paid synthesis as the reason", () => {
    expect(refusedSteps(estimate([line('Water temperature', 'ollama/exec:1b', 'local'), line('Synthesis', SONNET, 'paid', 0.01, 0.05)], { refusal: 'stopped' }))).toEqual([`Synthesis on ${SONNET}`]);
  });

  it('is empty without a refusal', () => {
    expect(refusedSteps(estimate([line('Answer', SONNET, 'paid', 0.01, 0.05)]))).toEqual([]);
  });
});

describe('breakdownRows and callCount', () => {
  it('keeps the order of the calls and formats their money', () => {
    const e = estimate([line('Water temperature', 'ollama/exec:1b', 'local'), line('Synthesis', SONNET, 'paid', 0.0123, 0.25)]);
    expect(breakdownRows(e)).toEqual([
      { label: 'Water temperature', model: 'ollama/exec:1b', tier: 'local', estimate: '$0', max: '$0' },
      { label: 'Synthesis', model: SONNET, tier: 'paid', estimate: '$0.012', max: '$0.250' },
    ]);
    expect(callCount(e)).toBe('2 calls');
    expect(callCount(estimate([line('Synthesis', SONNET, 'paid')]))).toBe('1 call');
  });
});
