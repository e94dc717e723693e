import { useEffect, useState } from 'react';
import type { CostEstimate } from '../../../shared/contract';
import { errorText } from '../stores/errors';

/** Long enough that picking three models in a row asks once, short enough to feel live. */
export const ESTIMATE_DEBOUNCE_MS = 300;

export interface CostEstimateState {
  /** The newest answer, kept on screen while a newer one is on its way. */
  estimate: CostEstimate | null;
  error: string | null;
  /** The input changed and its estimate has not arrived yet. */
  pending: boolean;
}

/**
 * What a council or a task graph would cost, asked again (debounced) whenever `input` changes by
 * value; null asks nothing. A reply to an older input is dropped, so a slow answer can never
 * overwrite a newer one. `load` must be stable (a module-level function).
 */
export function useCostEstimate<T>(input: T | null, load: (input: T) => Promise<CostEstimate>, delayMs = ESTIMATE_DEBOUNCE_MS): CostEstimateState {
  const key = input === null ? null : JSON.stringify(input);
  const [answer, setAnswer] = useState<{ key: string; estimate: CostEstimate | null; error: string | null } | null>(null);
  useEffect(() => {
    if (key === null) return;
    let stale = false;
    const timer = setTimeout(() => {
      load(JSON.parse(key) as T).then(
        (estimate) => !stale && setAnswer({ key, estimate, error: null }),
        (error: unknown) => !stale && setAnswer({ key, estimate: null, error: errorText(error) }),
      );
    }, delayMs);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [key, load, delayMs]);
  if (key === null) return { estimate: null, error: null, pending: false };
  return { estimate: answer?.estimate ?? null, error: answer?.key === key ? answer.error : null, pending: answer?.key !== key };
}
