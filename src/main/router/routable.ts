import type { ModelInfo } from '../../shared/contract';
import type { RoutableModel } from './types';

/**
 * A listed model (an installed Ollama model, say) as the policy sees it. Local models cost nothing;
 * quality on seed 002's 1–10 scale by size: its table puts Qwen2.5-Coder 7B on code edits, 14B on
 * refactors and 32B at "near-Sonnet quality". `contextLength` null means unknown: `fallbackContext`
 * (default 8192, a conservative num_ctx; the app should pass the num_ctx it sets).
 */
export function routableFromModelInfo(info: ModelInfo, fallbackContext = 8192): RoutableModel {
  const billions = Number.parseFloat(info.parameterSize ?? '');
  const quality = !Number.isFinite(billions) ? 5 : billions >= 30 ? 7.5 : billions >= 13 ? 6.5 : billions >= 6 ? 5.5 : 4.5;
  return {
    id: info.id,
    provider: info.provider,
    tier: info.tier,
    contextWindow: info.contextLength ?? fallbackContext,
    price: { input: 0, output: 0 },
    quality,
    strengths: [],
  };
}
