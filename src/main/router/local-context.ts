/**
 * How much context a local (Ollama) model gets for one request (issue #13). Ollama runs every
 * request at its default context (4,096 tokens below 24 GiB of VRAM) unless `options.num_ctx` says
 * otherwise, and silently drops the oldest tokens of a longer prompt. So each call asks for
 * what the conversation needs, bounded by what the model was trained on and by what stays on the GPU.
 */

/** Ollama's default `num_ctx` below 24 GiB VRAM (the fit estimator's DEFAULT_CONTEXT). */
export const OLLAMA_DEFAULT_CONTEXT = 4096;
/**
 * num_ctx is rounded up to this step: Ollama reloads a model whose num_ctx changes, so nearby
 * lengths share one size (2K: a few hundred MiB of KV cache for a 7B model at most).
 */
export const NUM_CTX_STEP = 2048;
/** Reply budget when the caller sets no max_tokens: config.replyTokens.complex (2,000) rounded up. */
export const LOCAL_REPLY_BUDGET = 2048;

/** What a local model can hold, from /api/show and the fit estimator (all in tokens). */
export interface LocalWindow {
  /** The trained context, `<arch>.context_length` in /api/show's model_info. */
  trained: number;
  /**
   * The largest context that loads entirely on the GPU (the estimator's maxFullGpuCtx, with this
   * machine's calibration); null when no such bound applies (no GPU, or even the default context
   * does not fit on it, so the model runs partly on the CPU whatever the context).
   */
  gpu: number | null;
  /** The context it is loaded with right now (/api/ps), or null when not loaded. */
  loaded: number | null;
}

/** The most a request may ask of this model. */
export function windowLimit(w: LocalWindow): number {
  return w.gpu === null ? w.trained : Math.min(w.trained, w.gpu);
}

export interface NumCtxPlan {
  /** What to send as options.num_ctx. */
  numCtx: number;
  /** Prompt tokens + reply budget. */
  needed: number;
  /** False when the need is above the limit: the prompt would be cut (the router avoids this). */
  fits: boolean;
  limit: number;
  /** What sets the limit. */
  limitedBy: 'trained' | 'gpu';
}

/**
 * num_ctx = needed, rounded up to the step, at least Ollama's default, at most the trained context
 * and the GPU's limit. A model already loaded with enough context keeps it (a new num_ctx reloads it).
 */
export function planNumCtx(needed: number, w: LocalWindow, step = NUM_CTX_STEP): NumCtxPlan {
  const limit = windowLimit(w);
  const limitedBy = w.gpu !== null && w.gpu < w.trained ? 'gpu' : 'trained';
  const rounded = Math.ceil(Math.max(1, needed) / step) * step;
  let numCtx = Math.min(Math.max(rounded, OLLAMA_DEFAULT_CONTEXT), limit);
  if (w.loaded !== null && w.loaded >= needed && w.loaded <= limit) numCtx = w.loaded;
  return { numCtx, needed, fits: needed <= limit, limit, limitedBy };
}

/** Tokens for humans: 12,288 → "12K", 900 → "900". */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  return n % 1024 === 0 ? `${n / 1024}K` : `${Math.round(n / 1000)}K`;
}

/** "needs ~24K tokens; qwen2.5-coder:14b keeps 12K on your GPU" (or "phi3:mini's trained context is 8K"). */
export function tooLongReason(name: string, plan: NumCtxPlan): string {
  const limit = formatTokens(plan.limit);
  return plan.limitedBy === 'gpu'
    ? `needs ~${formatTokens(plan.needed)} tokens; ${name} keeps ${limit} on your GPU`
    : `needs ~${formatTokens(plan.needed)} tokens; ${name}'s trained context is ${limit}`;
}
