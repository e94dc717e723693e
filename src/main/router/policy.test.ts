import { describe, expect, it } from 'vitest';
import { resolveRouterConfig } from './config';
import { decide } from './policy';
import { testContext } from './testing';
import { INTENTS, type Intent, type RequestAnalysis } from './types';

function analysis(overrides: Partial<RequestAnalysis> = {}): RequestAnalysis {
  return {
    intent: 'question',
    complexity: 'simple',
    contextTokens: 1_000,
    requestTokens: 30,
    qualityRequirement: 'standard',
    parallelizable: false,
    parts: [{ text: 'x', dependsOnPrevious: false }],
    filesMentioned: [],
    codeBlocks: 0,
    wantsJson: false,
    confidence: 0.9,
    signals: [],
    source: 'heuristic',
    ...overrides,
  };
}

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const GROQ_8B = 'groq/llama-3.1-8b-instant';
const DEEPSEEK = 'deepseek/deepseek-chat';
const HAIKU = 'anthropic/claude-haiku-4-5';
const SONNET = 'anthropic/claude-sonnet-5-5';
const GEMINI = 'openrouter/google/gemini-3.8-flash';
const RUNG: Record<string, string> = { local: LOCAL, groq: GROQ, deepseek: DEEPSEEK, haiku: HAIKU, sonnet: SONNET };

describe('decide: tiers per task type (seed 002 [tiers])', () => {
  it.each([
    ['simple_edit', [LOCAL, GROQ, DEEPSEEK]],
    ['refactor', [GROQ, DEEPSEEK, HAIKU]],
    ['architecture', [GROQ, SONNET]],
  ] as const)('%s follows the seed verbatim', (intent, chain) => {
    expect(decide(analysis({ intent }), testContext()).chain).toEqual(chain);
  });

  it.each(INTENTS.map((i) => [i]))('%s uses its configured rungs, first eligible model of each', (intent: Intent) => {
    const ctx = testContext();
    const d = decide(analysis({ intent }), ctx);
    expect(d.chain).toEqual(ctx.config.tiers[intent].map((r) => RUNG[r]));
    expect(d.model).toBe(d.chain[0]);
    expect(d.refusal).toBeNull();
  });

  it('sends critical work to Sonnet only, and says why', () => {
    const d = decide(analysis({ intent: 'bug_fix', qualityRequirement: 'critical', signals: ['critical: security'] }), testContext());
    expect(d.chain).toEqual([SONNET]);
    expect(d.tier).toBe('paid');
    expect(d.reasons[0]).toContain('Critical work (security)');
    expect(d.estimatedCostUsd).toBeCloseTo((1_000 * 2 + 400 * 10) / 1e6, 9);
  });

  it('puts the local model first for trivial requests and skips it for complex ones (seed 002)', () => {
    expect(decide(analysis({ intent: 'refactor', complexity: 'trivial' }), testContext()).chain).toEqual([LOCAL, GROQ, DEEPSEEK, HAIKU]);
    expect(decide(analysis({ intent: 'simple_edit', complexity: 'complex' }), testContext()).chain).toEqual([GROQ, DEEPSEEK]);
  });

  it('sends contexts over 100K tokens to the long-context model first; smaller windows drop out', () => {
    const d = decide(analysis({ intent: 'research', contextTokens: 150_000 }), testContext());
    expect(d.chain).toEqual([GEMINI, SONNET]);
    expect(d.candidates.find((c) => c.model === GROQ)?.reason).toMatch(/does not fit its 128K window/);
    expect(d.candidates.find((c) => c.model === DEEPSEEK)?.eligible).toBe(false);
  });

  it('orders by preference: quality puts the best first, speed the fastest', () => {
    const a = analysis({ intent: 'code_generation' });
    // Quality 8.5 (Haiku 4.5), 8 (DeepSeek-V3), 7.5 (Groq 70B), 5.5 (the local 7B coder).
    expect(decide(a, testContext({ config: resolveRouterConfig({ preference: 'quality' }) })).chain).toEqual([HAIKU, DEEPSEEK, GROQ, LOCAL]);
    const speed = resolveRouterConfig({ preference: 'speed', tiers: { code_generation: ['haiku', 'groq', 'local'] } });
    expect(decide(a, testContext({ config: speed })).chain).toEqual([LOCAL, GROQ, HAIKU]);
  });

  it('estimates the worst case over the attempts the cascade may make', () => {
    const d = decide(analysis({ intent: 'refactor', contextTokens: 10_000 }), testContext());
    // groq is free; deepseek and haiku at (10,080 in + 4,096 out) each.
    const expected = (10_080 * 0.27 + 4_096 * 1.1) / 1e6 + (10_080 * 1 + 4_096 * 5) / 1e6;
    expect(d.maxCostUsd).toBeCloseTo(expected, 9);
    expect(d.estimatedCostUsd).toBe(0);
  });
});

describe('decide: availability, each with a reason', () => {
  const refactor = analysis({ intent: 'refactor' });

  it('skips a provider without a key, and uses another route to the same model', () => {
    const d = decide(refactor, testContext({ hasKey: (p) => p !== 'groq' && p !== 'deepseek' }));
    expect(d.chain).toEqual(['openrouter/deepseek/deepseek-chat', HAIKU]);
    expect(d.candidates.find((c) => c.model === GROQ)).toMatchObject({ eligible: false, reason: 'no API key for groq (add one in Settings → API keys)' });
  });

  it('skips a model whose circuit breaker is open', () => {
    const d = decide(refactor, testContext({ health: { isOpen: (id) => id === GROQ } }));
    expect(d.chain[0]).toBe(GROQ_8B);
    expect(d.candidates.find((c) => c.model === GROQ)?.reason).toMatch(/circuit breaker open/);
  });

  it('skips a free tier whose quota is nearly used up', () => {
    const d = decide(refactor, testContext({ rateLimits: { isNearlyExhausted: (id) => id.startsWith('groq/') } }));
    expect(d.chain).toEqual([DEEPSEEK, HAIKU]);
    expect(d.candidates.find((c) => c.model === GROQ_8B)?.reason).toMatch(/free-tier quota nearly used up/);
  });

  it('offline: only local models, falling back along the escalation path when the task has none', () => {
    const d = decide(analysis({ intent: 'architecture' }), testContext({ offline: true }));
    expect(d.chain).toEqual([LOCAL]);
    expect(d.candidates.find((c) => c.model === SONNET)?.reason).toBe('offline mode: only local models');
    expect(d.reasons.join(' ')).toMatch(/falling back along the escalation path/);
  });

  it('offline with nothing installed: refused with code offline', () => {
    const d = decide(refactor, testContext({ offline: true, installedLocal: [] }));
    expect(d.model).toBeNull();
    expect(d.refusal?.code).toBe('offline');
  });

  it('warn: the same route, and the warning among the reasons', () => {
    const d = decide(refactor, testContext({ budget: { level: 'warn', message: "Today's spend $4.10 passed the warning threshold $4.00." } }));
    expect(d.chain).toEqual([GROQ, DEEPSEEK, HAIKU]);
    expect(d.reasons[0]).toMatch(/warning threshold/);
  });

  it('over budget: local and free models go before paid ones', () => {
    const config = resolveRouterConfig({ tiers: { math: ['deepseek', 'groq', 'local'] } });
    const d = decide(analysis({ intent: 'math' }), testContext({ config, budget: { level: 'over-budget', message: 'over' } }));
    expect(d.chain).toEqual([GROQ, LOCAL, DEEPSEEK]);
    expect(d.candidates.find((c) => c.model === DEEPSEEK)?.reason).toMatch(/tried after local and free/);
  });

  it('stopped: only local, with the budget named as the reason', () => {
    const budget = { level: 'stopped' as const, message: "Today's spend $6.02 reached the stop threshold $6.00." };
    const d = decide(analysis({ intent: 'bug_fix', qualityRequirement: 'critical' }), testContext({ budget }));
    expect(d.chain).toEqual([LOCAL]);
    expect(d.candidates.find((c) => c.model === SONNET)?.reason).toMatch(/stop threshold \$6\.00\. Only local models run/);
    const none = decide(refactor, testContext({ budget, installedLocal: [] }));
    expect(none.refusal?.code).toBe('budget_exceeded');
  });

  it('skips a model whose context window is too small', () => {
    const d = decide(analysis({ intent: 'simple_edit', contextTokens: 40_000 }), testContext());
    expect(d.candidates.find((c) => c.model === LOCAL)).toMatchObject({ eligible: false, reason: expect.stringMatching(/does not fit its 32K window/) });
    expect(d.chain[0]).toBe(GROQ);
  });

  it('falls back to another installed local model, or not, as configured', () => {
    const installed = ['ollama/llama3.2:3b'];
    const d = decide(analysis({ intent: 'chat' }), testContext({ installedLocal: installed }));
    expect(d.chain[0]).toBe('ollama/llama3.2:3b');
    expect(d.candidates.find((c) => c.model === LOCAL)?.reason).toBe('not installed (ollama pull qwen2.5-coder:7b)');
    const strict = resolveRouterConfig({ localFallbackToInstalled: false });
    expect(decide(analysis({ intent: 'chat' }), testContext({ installedLocal: installed, config: strict })).chain[0]).toBe(GROQ);
  });

  it('lists a second eligible model of a rung as standing by', () => {
    const d = decide(refactor, testContext());
    expect(d.candidates.find((c) => c.model === GROQ_8B)).toMatchObject({ eligible: true, reason: expect.stringMatching(/standing by/) });
  });
});

describe('decide: composer modes', () => {
  it('local-only keeps every installed local model in the chain and no cloud model', () => {
    const d = decide(analysis({ intent: 'architecture' }), testContext({ mode: 'local-only' }));
    expect(d.chain).toEqual([LOCAL, 'ollama/llama3.2:3b']);
    expect(d.candidates.every((c) => c.tier === 'local')).toBe(true);
  });

  it('a chosen model is used when available', () => {
    const d = decide(analysis(), testContext({ mode: { model: SONNET } }));
    expect(d.chain).toEqual([SONNET]);
    expect(d.candidates).toHaveLength(1);
  });

  it('a chosen model is still checked, and refused with the reason', () => {
    const noKey = decide(analysis(), testContext({ mode: { model: SONNET }, hasKey: (p) => p !== 'anthropic' }));
    expect(noKey.model).toBeNull();
    expect(noKey.refusal).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/no API key for anthropic/) });
    const offline = decide(analysis(), testContext({ mode: { model: SONNET }, offline: true }));
    expect(offline.refusal?.code).toBe('offline');
    const missing = decide(analysis(), testContext({ mode: { model: 'ollama/mistral:7b' } }));
    expect(missing.candidates[0]?.reason).toBe('not installed (ollama pull mistral:7b)');
    const unknown = decide(analysis(), testContext({ mode: { model: 'openai/gpt-9' } }));
    expect(unknown.candidates[0]?.reason).toMatch(/not in the model catalog/);
  });
});
