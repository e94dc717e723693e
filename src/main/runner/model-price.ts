import { z } from 'zod';

/**
 * USD per 1M tokens. A missing cache price means those tokens are billed at the input price.
 * Defined here, under the catalog that lists prices and the reliability layer that prices each
 * call, so both read one definition.
 */
export const ModelPrice = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cacheRead: z.number().nonnegative().optional(),
  cacheWrite: z.number().nonnegative().optional(),
});
export type ModelPrice = z.infer<typeof ModelPrice>;
