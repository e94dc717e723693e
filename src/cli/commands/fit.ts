import { KvCacheType } from '../../shared/contract';
import { VERDICT_LABEL, formatContext, formatGiB } from '../../shared/format';
import { integerFlag } from '../args';
import type { Command } from '../command';
import { UsageError, writeJson } from '../command';

export function parseKvCache(value: unknown): KvCacheType | undefined {
  if (value === undefined) return undefined;
  const parsed = KvCacheType.safeParse(value);
  if (!parsed.success) throw new UsageError(`--kv-cache must be one of ${KvCacheType.options.join(', ')}`);
  return parsed.data;
}

/** The contract's bounds of a context length (localModels.fit). */
const parseCtx = (value: unknown): number | undefined => integerFlag(value, 'ctx', { min: 256, max: 1_048_576, unit: 'tokens' });

/** `fit <model> [--ctx N] [--kv-cache f16|q8_0|q4_0] [--json]`: will it load here, and where? */
export const fitCommand: Command = {
  name: 'fit',
  usage: 'fit <model> [--ctx N] [--kv-cache f16|q8_0|q4_0] [--json]',
  summary: 'Estimate the memory a local model needs at a context length, and whether it fits this machine.',
  options: { ctx: { type: 'string' }, 'kv-cache': { type: 'string' }, json: { type: 'boolean' } },
  maxPositionals: 1,
  async run({ positionals, values }, ctx) {
    const [model, ...extra] = positionals;
    if (!model || extra.length > 0) throw new UsageError('fit needs one model name, for example: fit qwen2.5-coder:7b');
    const fit = await ctx.app().call('localModels.fit', { model, contextLength: parseCtx(values.ctx), kvCacheType: parseKvCache(values['kv-cache']) });
    if (values.json) {
      writeJson(ctx.io, fit);
      return 0;
    }
    const w = (text: string) => ctx.io.stdout.write(`${text}\n`);
    w(`${fit.model} at ${formatContext(fit.contextLength)} context, ${fit.kvCacheType} KV cache: ${VERDICT_LABEL[fit.verdict]} (${fit.gpuLayers} of ${fit.totalLayers} layers on the GPU)`);
    w(`  weights   ${formatGiB(fit.weightsBytes, 2)}`);
    w(`  KV cache  ${formatGiB(fit.kvCacheBytes, 2)}`);
    w(`  graph     ${formatGiB(fit.graphBytes, 2)}`);
    w(`  overhead  ${formatGiB(fit.overheadBytes, 2)}`);
    w(`  total     ${formatGiB(fit.totalBytes, 2)}  (in VRAM ${formatGiB(fit.vramBytes, 2)}, in RAM ${formatGiB(fit.cpuBytes, 2)})`);
    w(fit.maxFullGpuCtx > 0 ? `Largest context that stays entirely on the GPU: ${fit.maxFullGpuCtx}` : 'No context length keeps it entirely on the GPU.');
    w(`Architecture from ${fit.archSource === 'installed' ? "Ollama's metadata" : fit.archSource === 'gguf' ? `the GGUF header of ${fit.file ?? 'the Hugging Face file'}` : 'the catalog'}; calibration ${fit.calibration === null ? 'none yet' : `×${fit.calibration.toFixed(3)}`}.`);
    for (const reason of fit.reasons) w(`  · ${reason}`);
    return 0;
  },
};
