import { describe, expect, it } from 'vitest';
import { NUM_CTX_STEP, OLLAMA_DEFAULT_CONTEXT, formatTokens, planNumCtx, tooLongReason } from './local-context';

const window = { trained: 32_768, gpu: 12_288, loaded: null };

describe('planNumCtx', () => {
  it('never goes below Ollama default context', () => {
    expect(planNumCtx(700, window)).toMatchObject({ numCtx: OLLAMA_DEFAULT_CONTEXT, fits: true });
  });

  it('rounds the need up to the step', () => {
    expect(planNumCtx(9_000, window).numCtx).toBe(5 * NUM_CTX_STEP);
    expect(planNumCtx(8_192, window).numCtx).toBe(8_192);
  });

  it('stops at the GPU bound and says the need does not fit', () => {
    expect(planNumCtx(24_000, window)).toEqual({ numCtx: 12_288, needed: 24_000, fits: false, limit: 12_288, limitedBy: 'gpu' });
    expect(tooLongReason('qwen2.5-coder:14b', planNumCtx(24_000, window))).toBe('needs ~24K tokens; qwen2.5-coder:14b keeps 12K on your GPU');
  });

  it('stops at the trained context when the GPU holds more, or sets no bound', () => {
    expect(planNumCtx(40_000, { trained: 8_192, gpu: null, loaded: null })).toMatchObject({ numCtx: 8_192, fits: false, limitedBy: 'trained' });
    expect(planNumCtx(40_000, { trained: 8_192, gpu: 65_536, loaded: null })).toMatchObject({ numCtx: 8_192, limitedBy: 'trained' });
    expect(tooLongReason('phi3:mini', planNumCtx(13_000, { trained: 8_192, gpu: null, loaded: null }))).toBe("needs ~13K tokens; phi3:mini's trained context is 8K");
  });

  it('keeps the context a loaded model has when it is enough (a new num_ctx reloads it)', () => {
    expect(planNumCtx(3_000, { ...window, loaded: 8_192 }).numCtx).toBe(8_192);
    expect(planNumCtx(10_000, { ...window, loaded: 8_192 }).numCtx).toBe(10_240);
  });

  it('formats token counts', () => {
    expect([formatTokens(900), formatTokens(12_288), formatTokens(23_500)]).toEqual(['900', '12K', '24K']);
  });
});
