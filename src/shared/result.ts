import { z } from 'zod';
import { SerializedError, serializeError } from './errors';

/** Every call across the renderer/main boundary answers with this envelope. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: SerializedError };

export function ok<T>(data: T): Result<T> {
  return { ok: true, data };
}

export function fail(error: unknown): Result<never> {
  return { ok: false, error: serializeError(error) };
}

export const ResultEnvelope = z.union([
  z.object({ ok: z.literal(true), data: z.unknown() }),
  z.object({ ok: z.literal(false), error: SerializedError }),
]);
