import type { RouteDecision } from '../../shared/contract';
import { LOCAL_MODEL_ID } from '../../main/answer';
import { PROMPT_OPTIONS, readPrompt } from '../args';
import type { CliIO, Command } from '../command';
import { UsageError, writeJson } from '../command';

/**
 * `route "<prompt>" [--model m | --local] [--offline] [--json]`: where a message would go, without sending
 * it: the same decision chat makes (issue #11), difficulty estimate included.
 */
export const routeCommand: Command = {
  name: 'route',
  usage: 'route "<prompt>" | - | --file <path> [--model <provider/model> | --local] [--offline] [--json]',
  summary: 'Show which model the router would pick for a prompt, and why (the decision chat makes), without asking any model to answer.',
  options: { model: { type: 'string', short: 'm' }, local: { type: 'boolean' }, json: { type: 'boolean' }, ...PROMPT_OPTIONS },
  maxPositionals: Infinity,
  async run({ positionals, values }, ctx) {
    if (values.model !== undefined && values.local) throw new UsageError('use either --model or --local, not both');
    const content = await readPrompt(positionals, values, ctx.io, 'route');
    const model = (values.model as string | undefined) ?? (values.local ? LOCAL_MODEL_ID : undefined);
    const decision = await ctx.app().call('routing.preview', { content, model });
    if (values.json) writeJson(ctx.io, decision);
    else printDecision(ctx.io, decision);
    return 0;
  },
};

function usd(n: number): string {
  return n === 0 ? '$0' : n < 0.01 ? `$${n.toFixed(6)}` : `$${n.toFixed(4)}`;
}

function printDecision(io: CliIO, d: RouteDecision): void {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const a = d.analysis;
  if (d.model) out(`Route: ${d.model} (${d.tier}) · expected ${usd(d.estimatedCostUsd)}, at most ${usd(d.maxCostUsd)}`);
  else out(`No model can take this: ${d.refusal?.message ?? 'nothing is available'}`);
  out(`Request: ${a.intent}, ${a.complexity}${a.qualityRequirement === 'critical' ? ', critical' : ''}, ~${a.contextTokens} tokens (${a.source}, confidence ${a.confidence.toFixed(2)})`);
  if (a.difficulty !== undefined && a.predictedQuality) {
    const q = a.predictedQuality;
    out(`Difficulty: ${a.difficulty.toFixed(2)} · likely as good as paid: local ${Math.round(q.local * 100)}%, free ${Math.round(q.free * 100)}%`);
  }
  if (d.chain.length > 1) out(`Escalation chain: ${d.chain.join(' → ')}`);
  out('Candidates:');
  const width = Math.max(...d.candidates.map((c) => c.model.length), 0);
  for (const c of d.candidates) out(`  ${c.eligible ? '✓' : '✗'} ${c.model.padEnd(width)}  ${c.tier.padEnd(5)}  ${c.reason}`);
  out('Why:');
  for (const r of d.reasons) out(`  - ${r}`);
}
