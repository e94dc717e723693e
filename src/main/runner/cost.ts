import type { Tier } from '../../shared/contract';
import type { ModelPrice } from './model-price';
import type { Usage } from './chat-provider';

/**
 * USD for one call from its usage: uncached input at the input price, cache reads and writes at
 * their own prices (the input price when the catalog has none), output at the output price.
 * Local models and free-tier models cost nothing (a free Groq key is refused with 429 past its
 * limits rather than billed; a paid plan is set by overriding the tier in Settings).
 */
export function costOf(usage: Usage, price: ModelPrice | null | undefined, tier: Tier): number {
  if (tier !== 'paid' || !price) return 0;
  const read = usage.cachedInputTokens ?? 0;
  const write = usage.cacheWriteTokens ?? 0;
  const uncached = Math.max(0, usage.inputTokens - read - write);
  const micro =
    uncached * price.input +
    read * (price.cacheRead ?? price.input) +
    write * (price.cacheWrite ?? price.input) +
    usage.outputTokens * price.output;
  return micro / 1_000_000;
}
