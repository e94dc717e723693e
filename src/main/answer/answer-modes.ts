import type { ComposerMode } from '../router';

/** Model ids that choose a routing mode instead of a model (also used by the OpenAI-compatible endpoint). */
export const AUTO_MODEL_ID = 'switchboard/auto';
export const LOCAL_MODEL_ID = 'switchboard/local';

export function modeFor(model: string): ComposerMode {
  if (model === AUTO_MODEL_ID) return 'auto';
  if (model === LOCAL_MODEL_ID) return 'local-only';
  return { model };
}

export function isRoutingMode(model: string): boolean {
  return model === AUTO_MODEL_ID || model === LOCAL_MODEL_ID;
}
