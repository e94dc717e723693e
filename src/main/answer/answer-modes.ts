import type { ComposerMode } from '../router';

/** Model ids that choose a routing mode instead of a model (also used by the OpenAI-compatible endpoint). */
export const AUTO_MODEL_ID = 'switchboard/auto';
export const LOCAL_MODEL_ID = 'switchboard/local';
/**
 * Routes like auto, but a stream starts only once an answer has passed every gate (the behaviour of
 * `switchboard/auto` before issue #17, which now streams its first attempt as it is written).
 */
export const AUTO_SAFE_MODEL_ID = 'switchboard/auto-safe';

export function modeFor(model: string): ComposerMode {
  if (model === AUTO_MODEL_ID || model === AUTO_SAFE_MODEL_ID) return 'auto';
  if (model === LOCAL_MODEL_ID) return 'local-only';
  return { model };
}

export function isRoutingMode(model: string): boolean {
  return model === AUTO_MODEL_ID || model === LOCAL_MODEL_ID || model === AUTO_SAFE_MODEL_ID;
}
