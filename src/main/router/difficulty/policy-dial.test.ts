import { describe, expect, it } from 'vitest';
import { resolveRouterConfig } from '../config';
import { decide } from '../policy';
import { testContext } from '../testing';
import type { RequestAnalysis } from '../types';
import { followUpFloor } from './start-tier';

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const DEEPSEEK = 'deepseek/deepseek-chat';
const SONNET = 'anthropic/claude-sonnet-5-5';

function analysis(quality: { local: number; free: number }, overrides: Partial<RequestAnalysis> = {}): RequestAnalysis {
  return {
    intent: 'question',
    complexity: 'complex',
    contextTokens: 1_000,
    requestTokens: 300,
    qualityRequirement: 'standard',
    parallelizable: false,
    parts: [{ text: 'x', dependsOnPrevious: false }],
    filesMentioned: [],
    codeBlocks: 0,
    wantsJson: false,
    confidence: 0.9,
    signals: [],
    source: 'heuristic',
    difficulty: 1 - quality.local,
    predictedQuality: { ...quality, paid: 1 },
    ...overrides,
  };
}

const dial = (threshold: number, enabled = true) => testContext({ config: resolveRouterConfig({ difficulty: { enabled, threshold, learnFromOutcomes: true } }) });

describe('the policy with the Savings ↔ Quality dial (issue #11)', () => {
  const q = { local: 0.6, free: 0.75 };
  it.each([
    [0.0, LOCAL],
    [0.5, LOCAL],
    [0.6, LOCAL],
    [0.7, GROQ],
    [0.75, GROQ],
    [0.8, DEEPSEEK],
    [1.0, DEEPSEEK],
  ])('at threshold %s the first try is %s: the cheapest tier whose predicted quality clears it', (threshold, first) => {
    const d = decide(analysis(q), dial(threshold));
    expect(d.model).toBe(first);
    expect(d.reasons.join(' ')).toMatch(/local 60 %, free 75 % likely to answer as well as a paid model/);
  });

  it('moves past the length rule: a long but easy request starts local, a short but hard one does not', () => {
    expect(decide(analysis({ local: 0.9, free: 0.95 }, { complexity: 'complex' }), dial(0.8)).chain[0]).toBe(LOCAL);
    expect(decide(analysis({ local: 0.2, free: 0.5 }, { complexity: 'trivial', requestTokens: 8 }), dial(0.8)).chain[0]).toBe(DEEPSEEK);
  });

  it('keeps the rest of the escalation chain above the start tier', () => {
    expect(decide(analysis({ local: 0.1, free: 0.9 }), dial(0.8)).chain).toEqual([GROQ, DEEPSEEK]);
  });

  it('critical work, long context and an unavailable tier still apply', () => {
    expect(decide(analysis({ local: 0.99, free: 0.99 }, { qualityRequirement: 'critical', signals: ['critical: security'] }), dial(0.5)).chain).toEqual([SONNET]);
    const long = decide(analysis({ local: 0.99, free: 0.99 }, { contextTokens: 150_000 }), dial(0.5));
    expect(long.chain[0]).toBe('openrouter/google/gemini-3.8-flash');
    // No Groq key: the free tier is skipped with its reason, the next eligible model answers.
    const noGroq = decide(analysis({ local: 0.1, free: 0.9 }), testContext({ config: resolveRouterConfig({ difficulty: { enabled: true, threshold: 0.8, learnFromOutcomes: true } }), hasKey: (p) => p !== 'groq' }));
    expect(noGroq.chain[0]).toBe(DEEPSEEK);
    // Offline: only local models, whatever the estimate.
    const offline = decide(analysis({ local: 0.1, free: 0.2 }), { ...dial(0.8), offline: true });
    expect(offline.chain).toEqual([LOCAL]);
  });

  it('with no paid key, a hard request starts on the highest cheaper rung of its task, and says so', () => {
    const ctx = testContext({ config: resolveRouterConfig({ difficulty: { enabled: true, threshold: 0.8, learnFromOutcomes: true } }), hasKey: (p) => p === 'groq' });
    const d = decide(analysis({ local: 0.1, free: 0.2 }), ctx);
    expect(d.chain).toEqual([GROQ, LOCAL]);
    expect(d.reasons.join(' ')).toContain('No model at the estimated tier or above is available: starting lower, on groq, local.');
  });

  it('small talk goes to the cheapest model whatever the estimate (greetings are not tasks)', () => {
    const d = decide(analysis({ local: 0.1, free: 0.1 }, { intent: 'chat', complexity: 'trivial' }), dial(0.9));
    expect(d.chain[0]).toBe(LOCAL);
    expect(d.reasons).toContain('Small talk: the cheapest model answers.');
  });

  it('with the dial off, seed 002 length rules decide as before', () => {
    expect(decide(analysis({ local: 0.99, free: 0.99 }, { complexity: 'complex' }), dial(0.5, false)).chain[0]).toBe(GROQ);
  });

  it('a start floor lifts the first try, and the decision says why', () => {
    const ctx = { ...dial(0.5), startFloor: { tier: 'free' as const, reason: 'the previous turn of this conversation was answered on free' } };
    const d = decide(analysis({ local: 0.9, free: 0.9 }), ctx);
    expect(d.chain[0]).toBe(GROQ);
    expect(d.startFloor).toEqual(ctx.startFloor);
    expect(d.reasons.join(' ')).toContain('The previous turn of this conversation was answered on free: starting at free.');
    // A floor at or below the estimate's tier changes nothing and is not reported.
    const low = decide(analysis({ local: 0.1, free: 0.1 }), ctx);
    expect(low.chain[0]).toBe(DEEPSEEK);
    expect(low.startFloor).toBeUndefined();
  });
});

describe('followUpFloor', () => {
  it('holds a follow-up at the previous tier unless it is clearly simpler', () => {
    expect(followUpFloor({ tier: 'paid', difficulty: 0.8 }, { difficulty: 0.7, smallTalk: false })?.tier).toBe('paid');
    expect(followUpFloor({ tier: 'paid', difficulty: 0.8 }, { difficulty: 0.4, smallTalk: false })).toBeNull();
    expect(followUpFloor({ tier: 'free', difficulty: 0.8 }, { difficulty: 0.79, smallTalk: true })).toBeNull();
    expect(followUpFloor({ tier: 'local', difficulty: 0.2 }, { difficulty: 0.9, smallTalk: false })).toBeNull();
    expect(followUpFloor(null, { difficulty: 0.9, smallTalk: false })).toBeNull();
  });
});
