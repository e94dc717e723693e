import { serializeError } from '../../shared/errors';
import { type ModelRunner, startBounded, callOnce, costFor, type CallProgress, type CostOf } from '../runner';
import type { ReviewStage, SynthesisRecord } from './types';

export interface SynthesisOptions {
  question: string;
  chairman: string;
  answers: ReadonlyArray<{ model: string; text: string }>;
  review: ReviewStage | null;
  runner: ModelRunner;
  timeoutMs: number;
  signal?: AbortSignal;
  costOf?: CostOf;
  now?: () => number;
  onDelta?: (text: string) => void;
}

const CHAIRMAN_SYSTEM =
  'You chair a council of models. Several members answered the question below and reviewed each other anonymously. ' +
  'Write the single best final answer for the user: keep what the answers get right, resolve their disagreements, ' +
  'drop their mistakes. Do not mention the council, the reviews or the answer numbers.';

/** The chairman sees answers in review order (best first) with their scores and the reviewers' reasons. */
export function chairmanPrompt(question: string, answers: SynthesisOptions['answers'], review: ReviewStage | null): string {
  const rank = new Map(review?.ranking.map((r) => [r.candidate, r]) ?? []);
  const ordered = [...answers].sort((a, b) => (rank.get(a.model)?.rank ?? 1e9) - (rank.get(b.model)?.rank ?? 1e9));
  const blocks = ordered.map((a, i) => {
    const r = rank.get(a.model);
    const score = r ? ` (peer-review rank ${r.rank} of ${ordered.length}, score ${r.score.toFixed(2)})` : '';
    return `### Answer ${i + 1}${score}\n${a.text.trim()}`;
  });
  const reasons = review?.reviews.filter((r) => r.status === 'ranked' && r.reasons.trim()).map((r) => `- ${r.reasons.trim()}`) ?? [];
  const reviewNote = reasons.length ? `\n\nWhat the reviewers said:\n${reasons.join('\n')}` : '';
  return `Question:\n${question}\n\n${blocks.join('\n\n')}${reviewNote}`;
}

/** Stage 3: one streamed call to the chairman, under the same per-model timeout. */
export async function synthesise(o: SynthesisOptions): Promise<SynthesisRecord> {
  const now = o.now ?? Date.now;
  const progress: CallProgress = { text: '', firstTokenAt: null };
  const run = startBounded({
    timeoutMs: o.timeoutMs,
    signal: o.signal,
    now,
    run: (signal) =>
      callOnce({
        runner: o.runner,
        model: o.chairman,
        messages: [
          { role: 'system', content: CHAIRMAN_SYSTEM },
          { role: 'user', content: chairmanPrompt(o.question, o.answers, o.review) },
        ],
        signal,
        purpose: 'council.synthesis',
        progress,
        onDelta: o.onDelta,
        now,
      }),
  });
  const b = await run.promise;
  const reply = b.value;
  const usage = reply?.usage ?? null;
  const base = {
    model: o.chairman,
    text: reply?.text ?? progress.text,
    latencyMs: b.endedAt - b.startedAt,
    firstTokenMs: progress.firstTokenAt === null ? null : progress.firstTokenAt - b.startedAt,
    usage,
    costUsd: costFor(o.costOf, reply?.servedBy ?? o.chairman, usage),
  };
  if (b.status === 'timeout') {
    return { ...base, status: 'timeout', error: { code: 'timeout', message: `The chairman ${o.chairman} did not finish within ${Math.round(o.timeoutMs / 1000)} s.`, retryable: true } };
  }
  if (b.status !== 'done' || !reply) return { ...base, status: 'cancelled', error: { code: 'cancelled', message: 'The council was stopped.', retryable: false } };
  if (reply.error) return { ...base, status: 'failed', error: serializeError(reply.error) };
  if (!reply.text.trim()) return { ...base, status: 'failed', error: { code: 'internal', message: `The chairman ${o.chairman} returned an empty answer.`, retryable: true } };
  return { ...base, status: 'answered', error: null };
}
