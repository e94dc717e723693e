import type { Tier } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';

/** What the request asks for. Seed 002's "Task Categories" across its three tiers, plus chat/other. */
export const INTENTS = [
  'question',
  'chat',
  'code_generation',
  'simple_edit',
  'refactor',
  'bug_fix',
  'review',
  'test_generation',
  'docs',
  'architecture',
  'research',
  'summarisation',
  'translation',
  'math',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

/** Seed 002's `enum Complexity`: Trivial <20 tokens, Simple <50, Medium <100, Complex >100. */
export const COMPLEXITIES = ['trivial', 'simple', 'medium', 'complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

/** Seed 002's `Quality`: critical work (security, production, payments …) goes to the top model. */
export type QualityRequirement = 'standard' | 'critical';

/** One sub-task of a multi-part request (seed 002: separators "and", "also", "then"; numbered lists). */
export interface RequestPart {
  /** The part's words; a single part of a very long request is cut to its first 200 characters. */
  text: string;
  /** "then", "after that", "once … done": this part waits for the one before it. */
  dependsOnPrevious: boolean;
}

export interface RequestAnalysis {
  intent: Intent;
  complexity: Complexity;
  /** Estimated prompt tokens of the whole conversation as it would be sent. */
  contextTokens: number;
  /** Estimated tokens of the instruction itself (the last user message, code blocks left out). */
  requestTokens: number;
  qualityRequirement: QualityRequirement;
  /** Two or more parts of which at least one does not wait for the previous one. */
  parallelizable: boolean;
  parts: RequestPart[];
  filesMentioned: string[];
  codeBlocks: number;
  wantsJson: boolean;
  /** 0–1: how sure the analyser is of `intent`. */
  confidence: number;
  /** Why: one short line per rule that fired, for the decision record and the UI. */
  signals: string[];
  source: 'heuristic' | 'router-model';
}

/**
 * What the policy needs to know of a model. The catalog's `CloudModelEntry` satisfies it as is;
 * local models are adapted from the installed list (price 0, tier `local`).
 */
export interface RoutableModel {
  id: string;
  provider: string;
  tier: Tier;
  contextWindow: number;
  /** USD per 1M tokens. */
  price: { input: number; output: number };
  /** 1–10, seed 002's scale. */
  quality: number;
  strengths: readonly string[];
}

/** The composer's model menu: let the router choose, stay on this machine, or use this model. */
export type ComposerMode = 'auto' | 'local-only' | { model: string };

export interface RouteCandidate {
  model: string;
  tier: Tier;
  /** The escalation rung this candidate came from (`local`, `groq`, `deepseek` … or `chosen`). */
  rung: string;
  eligible: boolean;
  /** Why it is (or is not) in the chain, in words the user can act on. */
  reason: string;
  /** Expected cost of answering with this model alone (USD). */
  estimatedCostUsd: number;
}

export interface RouteRefusal {
  code: ErrorCode;
  message: string;
}

export interface RouteDecision {
  analysis: RequestAnalysis;
  mode: ComposerMode;
  /** Tier and model of the first attempt; null when nothing may answer (see `refusal`). */
  tier: Tier | null;
  model: string | null;
  candidates: RouteCandidate[];
  /** Eligible models in escalation order: the cascade tries them left to right. */
  chain: string[];
  /** Expected cost of the first attempt (USD). */
  estimatedCostUsd: number;
  /** Worst case over the attempts the cascade may make, at the reply cap: what to reserve. */
  maxCostUsd: number;
  reasons: string[];
  refusal: RouteRefusal | null;
}

/** Where spend stands against the budgets (the BudgetLedger's `state()`; seed 002 `[cost]`). */
export type BudgetLevel = 'ok' | 'warn' | 'over-budget' | 'stopped';

export interface BudgetStatus {
  level: BudgetLevel;
  /** One sentence for the user, e.g. "Today's spend $6.02 reached the stop threshold $6.00." */
  message: string;
}
