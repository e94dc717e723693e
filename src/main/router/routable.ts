import type { ModelInfo } from '../../shared/contract';
import { windowLimit, type LocalWindow } from './local-context';
import type { RoutableModel } from './types';

/**
 * A listed model (an installed Ollama model, say) as the policy sees it. Local models cost nothing;
 * quality on seed 002's 1–10 scale by size: its table puts Qwen2.5-Coder 7B on code edits, 14B on
 * refactors and 32B at "near-Sonnet quality". `contextLength` null means unknown: `fallbackContext`
 * (default 8192, a conservative num_ctx) unless `window` says what /api/show and the fit estimator
 * allow (issue #13): then the window is the most a request may ask of it.
 */
export function routableFromModelInfo(info: ModelInfo, fallbackContext = 8192, window?: LocalWindow): RoutableModel {
  const billions = Number.parseFloat(info.parameterSize ?? '');
  const quality = !Number.isFinite(billions) ? 5 : billions >= 30 ? 7.5 : billions >= 13 ? 6.5 : billions >= 6 ? 5.5 : 4.5;
  return {
    id: info.id,
    provider: info.provider,
    tier: info.tier,
    contextWindow: window ? windowLimit(window) : (info.contextLength ?? fallbackContext),
    price: { input: 0, output: 0 },
    quality,
    strengths: [],
    ...(window ? { localWindow: window } : {}),
  };
}
