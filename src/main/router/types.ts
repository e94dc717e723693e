import type { Tier } from '../../shared/contract';
import type { LocalWindow } from './local-context';

/**
 * The router's wire types have one definition, the zod schemas in src/shared/contract/routing-types.ts
 * (issue #10); re-exported here so the router keeps one import path.
 */
export { COMPLEXITIES, INTENTS } from '../../shared/contract';
export type {
  BudgetLevel,
  BudgetStatus,
  Complexity,
  ComposerMode,
  Intent,
  QualityRequirement,
  RequestAnalysis,
  RequestPart,
  RouteCandidate,
  RouteDecision,
  RouteRefusal,
} from '../../shared/contract';

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
  /** Ollama models on this machine: trained, GPU and loaded context (issue #13); contextWindow is its limit. */
  localWindow?: LocalWindow;
}
