import { z } from 'zod';
import { ModelPrice } from '../runner/model-price';

export { ModelPrice };

/** Published free-plan limits, per model (Groq counts per model and organisation). */
export const FreeTierLimits = z.object({
  requestsPerMinute: z.number().int().positive().optional(),
  requestsPerDay: z.number().int().positive().optional(),
  tokensPerMinute: z.number().int().positive().optional(),
  tokensPerDay: z.number().int().positive().optional(),
});
export type FreeTierLimits = z.infer<typeof FreeTierLimits>;

export const CloudTier = z.enum(['free', 'paid']);
export type CloudTier = z.infer<typeof CloudTier>;

export const CloudModelEntry = z
  .object({
    /** `provider/model`, as the registry resolves it. */
    id: z.string().regex(/^[a-z0-9-]+\/\S+$/, 'must be provider/model'),
    provider: z.string().min(1),
    name: z.string().min(1),
    tier: CloudTier,
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive().optional(),
    price: ModelPrice,
    freeTier: FreeTierLimits.optional(),
    /** 1–10, seed 002's scale. */
    quality: z.number().min(1).max(10),
    strengths: z.array(z.string()).default([]),
    /** Takes images (issue #15: `/v1` sends images only to these). Absent: text only. */
    vision: z.boolean().optional(),
    /** Where the numbers come from. */
    source: z.string().default(''),
  })
  .refine((m) => m.id.startsWith(`${m.provider}/`), { message: 'id must start with the provider', path: ['id'] });
export type CloudModelEntry = z.infer<typeof CloudModelEntry>;

export const CloudCatalogFile = z
  .object({
    version: z.literal(1),
    asOf: z.string(),
    sources: z.array(z.string()).default([]),
    models: z.array(CloudModelEntry).min(1),
  })
  .refine((c) => new Set(c.models.map((m) => m.id)).size === c.models.length, { message: 'ids must be unique', path: ['models'] });
export type CloudCatalogFile = z.infer<typeof CloudCatalogFile>;

/**
 * What Settings may override per model: any price field, and the tier (a paid Groq plan bills
 * from the first token).
 */
export const ModelOverride = ModelPrice.partial().extend({ tier: CloudTier.optional() }).strict();
export type ModelOverride = z.infer<typeof ModelOverride>;
export const PriceOverrides = z.record(z.string(), ModelOverride);
export type PriceOverrides = z.infer<typeof PriceOverrides>;
