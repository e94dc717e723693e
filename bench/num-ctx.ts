import { LOCAL_CATALOG_RELATIVE_PATH, archOf, estimateFit, readLocalCatalog, type FitInput } from '../src/main/models/fit';
import { findResource } from '../src/main/resources';
import { LOCAL_REPLY_BUDGET, planNumCtx, windowLimit, type LocalWindow } from '../src/main/router';
import type { BenchResult } from './provider-overhead';

/** A 16 GB card with 15.3 GiB free (the RTX 4060 Ti fixture) and one with 24 GB. */
const GPUS = [
  { name: '16GB', vramBytes: 17_175_674_880, freeVramBytes: 16_462_643_200 },
  { name: '24GB', vramBytes: 25_769_803_776, freeVramBytes: 25_000_000_000 },
];
const MODELS = ['qwen2.5-coder:7b', 'qwen2.5-coder:14b', 'gemma3:12b', 'llama3.1:8b', 'phi4-mini'];
/** Conversation lengths in prompt tokens: a question, a chat, a long file, a long session, a book chapter. */
const LENGTHS = [300, 3_500, 11_000, 24_000, 60_000];

/**
 * Issue #13: the num_ctx each Ollama call carries, against the tokens it needs (prompt + reply
 * budget). Per model and GPU: the window from the estimator (trained context, largest context that
 * loads entirely on the GPU), then the plan per conversation length. A plan that fits must hold the
 * need (no truncation) and load full-gpu at its num_ctx (re-checked with the estimator); one that
 * does not is what the router turns down with "needs ~X; M keeps Y on your GPU".
 */
export async function benchNumCtx(): Promise<BenchResult> {
  const catalog = await readLocalCatalog(findResource(LOCAL_CATALOG_RELATIVE_PATH));
  const rows: BenchResult['rows'] = [];
  let planNs = 0;
  let plans = 0;
  for (const gpu of GPUS) {
    for (const tag of MODELS) {
      const entry = catalog.models.find((m) => m.tag === tag);
      if (!entry) throw new Error(`${tag} is not in the catalog`);
      const input: FitInput = { arch: archOf(entry), fileSizeBytes: entry.sizeBytes, contextLength: archOf(entry).contextLength, gpus: [gpu], ramBytes: 32 * 1024 ** 3 };
      const onGpu = estimateFit(input).maxFullGpuCtx;
      const window: LocalWindow = { trained: archOf(entry).contextLength, gpu: onGpu >= 4096 ? onGpu : null, loaded: null };
      for (const tokens of LENGTHS) {
        const needed = tokens + LOCAL_REPLY_BUDGET;
        const started = process.hrtime.bigint();
        const plan = planNumCtx(needed, window);
        planNs += Number(process.hrtime.bigint() - started);
        plans += 1;
        const verdict = estimateFit({ ...input, contextLength: plan.numCtx }).verdict;
        rows.push({
          gpu: gpu.name,
          model: tag,
          promptTokens: tokens,
          needed,
          numCtx: plan.numCtx,
          limit: windowLimit(window),
          limitedBy: plan.limitedBy,
          fits: plan.fits ? 'yes' : 'no: routed elsewhere',
          verdictAtNumCtx: verdict,
          headroomPct: plan.fits ? Number((((plan.numCtx - needed) / needed) * 100).toFixed(1)) : 0,
        });
      }
    }
  }
  const fitting = rows.filter((r) => r.fits === 'yes');
  return {
    name: 'num_ctx chosen vs tokens needed (issue #13)',
    rows,
    summary: {
      cases: rows.length,
      fitting: fitting.length,
      noTruncation: fitting.every((r) => (r.numCtx as number) >= (r.needed as number)),
      neverAboveGpuLimit: rows.every((r) => (r.numCtx as number) <= (r.limit as number)),
      // Re-checked with the estimator at the num_ctx chosen: nothing spills to the CPU.
      fittingPlansLoadFullGpu: fitting.every((r) => r.verdictAtNumCtx === 'full-gpu'),
      meanHeadroomPct: Number((fitting.reduce((s, r) => s + (r.headroomPct as number), 0) / Math.max(1, fitting.length)).toFixed(1)),
      meanPlanMicros: Number((planNs / plans / 1000).toFixed(3)),
    },
  };
}
