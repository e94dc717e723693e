import type { CostEstimate } from '../../shared/contract';
import { STAGE_OVERHEAD_TOKENS, type CostEstimator, type CostLine } from '../answer';
import { analyse } from '../router';
import type { CouncilStart } from './council-service';
import { MIN_ANSWERS_FOR_REVIEW } from './review';

/** A review is a ranking and a sentence or two of reasons; a vote is one option. */
const REVIEW_TOKENS = 300;
const VOTE_TOKENS = 50;

/**
 * What a council run is expected to cost before it starts: each member's answer (or vote), the
 * peer reviews when there are enough answers to rank, and the chairman's synthesis. Reviewers and
 * the chairman read answers that do not exist yet: they count at the expected reply length
 * (estimate) and at the cap (worst case). The chairman is the top-ranked member unless one is
 * named, so the worst case takes the dearest member.
 */
export async function estimateCouncil(estimator: CostEstimator, input: CouncilStart): Promise<CostEstimate> {
  const config = await estimator.config();
  const analysis = analyse([{ role: 'user', content: input.question }]);
  const q = analysis.contextTokens + STAGE_OVERHEAD_TOKENS;
  const reply = config.replyTokens[analysis.complexity];
  const cap = config.replyTokens.max;
  const n = input.models.length;
  const lines: CostLine[] = [];
  if (input.mode === 'consensus') {
    for (const m of input.models) lines.push(estimator.line('Vote', m, { in: q, out: VOTE_TOKENS, maxIn: q, maxOut: cap }));
    return estimator.total(lines);
  }
  for (const m of input.models) lines.push(estimator.line('Answer', m, { in: q, out: reply, maxIn: q, maxOut: cap }));
  if (n >= MIN_ANSWERS_FOR_REVIEW) {
    for (const m of input.models) lines.push(estimator.line('Review', m, { in: q + n * reply, out: REVIEW_TOKENS, maxIn: q + n * cap, maxOut: cap }));
  }
  const chairman = input.chairman ?? estimator.dearest(input.models);
  lines.push(estimator.line('Synthesis', chairman, { in: q + n * reply, out: reply, maxIn: q + n * cap, maxOut: cap }));
  return estimator.total(lines);
}
