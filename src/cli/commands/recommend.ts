import { VERDICT_LABEL, formatBytes, formatContext } from '../../shared/format';
import type { Command } from '../command';
import { writeJson } from '../command';
import { parseKvCache } from './fit';

/** `recommend [--kv-cache …] [--resident] [--json]`: the local model for each role on this machine. */
export const recommendCommand: Command = {
  name: 'recommend',
  usage: 'recommend [--kv-cache f16|q8_0|q4_0] [--resident] [--json]',
  summary: 'Recommend a local model for each role (router, coder, validator, chat, embeddings) that fits this machine.',
  options: { 'kv-cache': { type: 'string' }, resident: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values }, ctx) {
    const r = await ctx.app().call('localModels.recommend', { kvCacheType: parseKvCache(values['kv-cache']), preferResident: values.resident === true ? true : undefined });
    if (values.json) {
      writeJson(ctx.io, r);
      return 0;
    }
    const w = (text: string) => ctx.io.stdout.write(`${text}\n`);
    w(`Hardware tier: ${r.tier}; ${r.kvCacheType} KV cache${r.calibration !== null ? `; calibration ×${r.calibration.toFixed(3)}` : ''}`);
    for (const role of r.roles) {
      if (!role.model) {
        w(`${role.role.padEnd(11)} —  ${role.reason}`);
        continue;
      }
      const size = role.downloadBytes !== null ? formatBytes(role.downloadBytes) : '?';
      const verdict = role.fit ? VERDICT_LABEL[role.fit.verdict] : '';
      w(`${role.role.padEnd(11)} ${role.model.padEnd(20)} ${size.padStart(7)}  ${formatContext(role.contextLength).padStart(4)} ctx  ${verdict}${role.installed ? ' · installed' : ''}`);
      w(`${''.padEnd(12)}${role.reason}`);
    }
    if (r.swapNote) w(`Note: ${r.swapNote}`);
    const missing = [...new Set(r.roles.filter((x) => x.model && !x.installed).map((x) => x.model!))];
    if (missing.length > 0) {
      w('Pull them with:');
      for (const m of missing) w(`  npm run --silent cli -- pull ${m}`);
    }
    return 0;
  },
};
