import { COUNCIL_POOL_NAMES, type CostEstimate, type CouncilPoolName } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { defaultMinResponses, formatMs, formatUsd } from '../../shared/parallel-format';
import type { CouncilRecord } from '../../main/council';
import { PROMPT_OPTIONS, integerFlag, readPrompt } from '../args';
import type { Command } from '../command';
import { UsageError, writeJson } from '../command';

/** The contract's longest per-model timeout (perModelTimeoutMs ≤ 3,600,000). */
const MAX_TIMEOUT_S = 3600;

/** The stable `--json` shape (README): one object per run. */
export function councilJson(r: CouncilRecord, estimate?: CostEstimate) {
  return {
    id: r.id,
    status: r.status,
    mode: r.mode,
    question: r.question,
    responses: r.responses.map((m) => ({ model: m.model, status: m.status, latencyMs: m.latencyMs, costUsd: m.costUsd, firstTokenMs: m.firstTokenMs, text: m.text })),
    rankings: (r.review?.ranking ?? []).map((row) => ({ model: row.candidate, rank: row.rank, points: row.points, score: row.score, ballots: row.ballots })),
    reviews: (r.review?.reviews ?? []).map((v) => ({ reviewer: v.reviewer, status: v.status, ranking: v.rankingModels })),
    chairman: r.chairman,
    synthesis: r.mode === 'synthesis' ? r.answer : null,
    ...(r.mode === 'consensus' ? { verdict: r.verdict, answer: r.answer } : {}),
    notes: r.notes,
    wallMs: r.wallMs,
    generationMs: r.generationMs,
    totalCostUsd: r.totalCostUsd,
    error: r.error,
    /** Issue #10: what the run was expected to cost before it started (the worst case at the output caps). */
    ...(estimate ? { estimate: { estimatedCostUsd: estimate.estimatedCostUsd, maxCostUsd: estimate.maxCostUsd } } : {}),
  };
}

/**
 * `council "<prompt>" --models a,b,c`: several models answer in parallel, rank each other, and a
 * chairman writes the answer (or, with --consensus, they vote). Ctrl-C cancels the run.
 */
export const councilCommand: Command = {
  name: 'council',
  usage: 'council "<prompt>" | - | --file <path> --models a,b,c [--min-responses K] [--pool balanced] [--timeout <s>] [--chairman m] [--consensus] [--json]',
  summary: 'Ask several models at once; they review each other and a chairman writes the answer (or they vote).',
  options: {
    models: { type: 'string' },
    'min-responses': { type: 'string' },
    pool: { type: 'string' },
    timeout: { type: 'string' },
    chairman: { type: 'string' },
    consensus: { type: 'boolean' },
    json: { type: 'boolean' },
    ...PROMPT_OPTIONS,
  },
  maxPositionals: Infinity,
  async run({ positionals, values }, ctx) {
    const models = String(values.models ?? '').split(',').map((m) => m.trim()).filter(Boolean);
    if (models.length < 2) throw new UsageError('council needs --models with at least two models, e.g. --models ollama/llama3.2:3b,ollama/qwen2.5:7b');
    const bad = models.find((m) => !m.includes('/'));
    if (bad) throw new UsageError(`"${bad}" is not a model id: write provider/model, e.g. ollama/${bad}`);
    const pool = (values.pool ?? 'balanced') as CouncilPoolName;
    if (!COUNCIL_POOL_NAMES.includes(pool)) throw new UsageError(`--pool must be one of ${COUNCIL_POOL_NAMES.join(', ')}`);
    const minResponses = integerFlag(values['min-responses'], 'min-responses', { min: 1, max: models.length }) ?? defaultMinResponses(models.length);
    const timeoutS = integerFlag(values.timeout, 'timeout', { min: 1, max: MAX_TIMEOUT_S, unit: 'seconds' });
    const question = await readPrompt(positionals, values, ctx.io, 'council');
    const json = values.json === true;
    const consensus = values.consensus === true;

    const app = ctx.app();
    const out = ctx.io.stdout;
    const err = ctx.io.stderr;
    let runId: string | null = null;
    let streamed = false;
    const unsubscribe = app.events.subscribe((e) => {
      if (e.event === 'council.started' && runId === null) runId = e.payload.live.runId;
      if (e.event !== 'council.progress' || json) return;
      const p = e.payload.event;
      if (p.runId !== runId) return;
      if (p.type === 'member-done') err.write(`${p.model}: ${p.status} after ${formatMs(p.latencyMs)}\n`);
      else if (p.type === 'stage' && p.state === 'started' && p.stage !== 'generation') err.write(p.stage === 'review' ? 'Peer review…\n' : 'Synthesis:\n');
      else if (p.type === 'stage' && p.state === 'skipped') err.write(`Review skipped${p.note ? `: ${p.note}` : ''}\n`);
      else if (p.type === 'review-done') err.write(`  ${p.reviewer}: ${p.status}${p.note ? ` (${p.note})` : ''}\n`);
      else if (p.type === 'synthesis-delta') {
        out.write(p.text);
        streamed = true;
      }
    });
    const onAbort = () => runId && app.services.council.cancel(runId);
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const input = {
        question, models, minResponses, pool, mode: consensus ? ('consensus' as const) : ('synthesis' as const),
        ...(timeoutS ? { perModelTimeoutMs: timeoutS * 1000 } : {}),
        ...(typeof values.chairman === 'string' ? { chairman: values.chairman } : {}),
      };
      const estimate = await app.call('council.estimate', input);
      if (!json && estimate.maxCostUsd > 0) err.write(`Estimated cost ${formatUsd(estimate.estimatedCostUsd)} (at most ${formatUsd(estimate.maxCostUsd)})\n`);
      const started = await app.call('council.start', input);
      runId = started.runId;
      if (ctx.signal.aborted) app.services.council.cancel(runId);
      const record = await app.services.council.wait(runId);
      if (!record) throw new SwitchboardError('internal', 'The council could not start; run again with SWITCHBOARD_LOG_LEVEL=debug for details.');
      if (record.status === 'cancelled') {
        err.write(`${streamed ? '\n' : ''}Cancelled the council.\n`);
        return 130;
      }
      if (json) writeJson(ctx.io, councilJson(record, estimate));
      if (record.status === 'failed') throw new SwitchboardError(record.error?.code ?? 'unavailable', record.error?.message ?? 'The council failed.');
      if (!json) {
        if (!streamed) out.write(record.answer);
        if (!record.answer.endsWith('\n')) out.write('\n');
        printSummary(record, (line) => err.write(`${line}\n`));
      }
      return 0;
    } finally {
      unsubscribe();
      ctx.signal.removeEventListener('abort', onAbort);
    }
  },
};

function printSummary(r: CouncilRecord, line: (s: string) => void): void {
  if (r.review?.ranking.length) line(`Ranking (Borda): ${r.review.ranking.map((row) => `${row.rank}. ${row.candidate}`).join('  ')}`);
  for (const note of r.notes) line(`Note: ${note}`);
  const answered = r.responses.filter((m) => m.status === 'answered').length;
  line(`[council · ${answered} of ${r.models.length} answered · ${formatMs(r.wallMs)} · ${formatUsd(r.totalCostUsd)}${r.chairman ? ` · chairman ${r.chairman}` : ''}]`);
}
