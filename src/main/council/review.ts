import { z } from 'zod';
import { bordaCount } from './borda';
import { startBounded, costFor, type CostOf, askJson, type ModelRunner } from '../runner';
import { answerLabel, shuffled, type Random } from './random';
import type { ReviewRecord, ReviewStage } from './types';

export interface ReviewOptions {
  question: string;
  answers: ReadonlyArray<{ model: string; text: string }>;
  reviewers: readonly string[];
  runner: ModelRunner;
  random: Random;
  timeoutMs: (model: string) => number;
  signal?: AbortSignal;
  costOf?: CostOf;
  now?: () => number;
  onReviewed?: (review: ReviewRecord) => void;
}

export const RANKING_SCHEMA = z.object({ ranking: z.array(z.string()), reasons: z.string() });

/** Below three answers each member could only rank one other answer: no ranking worth the calls. */
export const MIN_ANSWERS_FOR_REVIEW = 3;

const normaliseLabel = (label: string): string => label.trim().replace(/^answer\s+/i, '').toUpperCase();

/** A valid ranking names every label shown exactly once. */
export function rankingErrors(ranking: readonly string[], labels: readonly string[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const raw of ranking) {
    const label = normaliseLabel(raw);
    if (!labels.includes(label)) errors.push(`"${raw}" is not one of the answers (${labels.join(', ')}).`);
    else if (seen.has(label)) errors.push(`${label} is listed more than once.`);
    seen.add(label);
  }
  const missing = labels.filter((l) => !seen.has(l));
  if (missing.length) errors.push(`The ranking must include every answer; missing: ${missing.join(', ')}.`);
  return errors;
}

function reviewPrompt(question: string, shown: ReadonlyArray<{ label: string; text: string }>): string {
  const answers = shown.map((s) => `### Answer ${s.label}\n${s.text.trim()}`).join('\n\n');
  return `Question:\n${question}\n\n${answers}\n\nRank all ${shown.length} answers, best first.`;
}

const REVIEW_SYSTEM =
  'You review anonymous answers to a question written by different models. Judge accuracy first, then completeness and ' +
  'clarity. Reply with only a JSON object: {"ranking": [the answer labels, best first, each exactly once], "reasons": "a few sentences"}.';

/**
 * Stage 2 (seed 001): reviewers rank the anonymised answers in parallel. Each reviewer sees its own
 * random order, labelled A, B, C… in the order shown (so a label means nothing across reviewers),
 * and never its own answer. An invalid ranking is sent back once, then the reviewer is dropped.
 */
export async function reviewAnswers(o: ReviewOptions): Promise<ReviewStage> {
  if (o.answers.length < MIN_ANSWERS_FOR_REVIEW) {
    return {
      skipped: true,
      reason: `Peer review skipped: only ${o.answers.length} answer${o.answers.length === 1 ? '' : 's'} arrived, and nobody ranks its own answer.`,
      reviews: [],
      ranking: [],
    };
  }
  const now = o.now ?? Date.now;
  // Shuffle every reviewer's view before any call starts, so a seeded Random gives fixed orders.
  const plans = o.reviewers.map((reviewer) => {
    const others = o.answers.filter((a) => a.model !== reviewer);
    const shown = shuffled(others, o.random).map((a, i) => ({ label: answerLabel(i), model: a.model, text: a.text }));
    return { reviewer, shown };
  });
  const reviews = await Promise.all(
    plans.map(async ({ reviewer, shown }): Promise<ReviewRecord> => {
      const labels = shown.map((s) => s.label);
      const timeoutMs = o.timeoutMs(reviewer);
      const run = startBounded({
        timeoutMs,
        signal: o.signal,
        now,
        run: (signal) =>
          askJson({
            runner: o.runner,
            model: reviewer,
            messages: [
              { role: 'system', content: REVIEW_SYSTEM },
              { role: 'user', content: reviewPrompt(o.question, shown) },
            ],
            schema: RANKING_SCHEMA,
            jsonSchema: {
              type: 'object',
              properties: {
                ranking: { type: 'array', items: { type: 'string', enum: labels }, minItems: labels.length, maxItems: labels.length },
                reasons: { type: 'string' },
              },
              required: ['ranking', 'reasons'],
              additionalProperties: false,
            },
            check: (value) => rankingErrors(value.ranking, labels),
            signal,
            purpose: 'council.review',
            now,
          }),
      });
      const b = await run.promise;
      const reply = b.value;
      const base = {
        reviewer,
        shown: shown.map(({ label, model }) => ({ label, model })),
        attempts: reply?.attempts ?? 1,
        latencyMs: b.endedAt - b.startedAt,
        usage: reply?.usage ?? null,
        costUsd: costFor(o.costOf, reviewer, reply?.usage ?? null),
      };
      let record: ReviewRecord;
      if (reply?.ok) {
        const ranking = reply.value.ranking.map(normaliseLabel);
        const byLabel = new Map(shown.map((s) => [s.label, s.model]));
        const rankingModels = ranking.map((l) => byLabel.get(l) as string);
        record = { ...base, status: 'ranked', ranking, rankingModels, reasons: reply.value.reasons, note: null };
      } else {
        const note =
          b.status === 'timeout'
            ? `${reviewer} was dropped: it did not finish its review within ${Math.round(timeoutMs / 1000)} s.`
            : b.status === 'cancelled'
              ? `${reviewer} was stopped with the council.`
              : reply?.reason === 'invalid'
                ? `${reviewer} was dropped: its ranking was still invalid after ${reply.attempts} tries (${reply.errors.join(' ')}).`
                : `${reviewer} was dropped: ${reply?.reason === 'error' ? reply.error.message : 'no review'}.`;
        record = { ...base, status: 'dropped', ranking: [], rankingModels: [], reasons: '', note };
      }
      o.onReviewed?.(record);
      return record;
    }),
  );
  const ballots = reviews.filter((r) => r.status === 'ranked').map((r) => r.rankingModels);
  const ranking = ballots.length ? bordaCount(ballots, o.answers.map((a) => a.model)) : [];
  return { skipped: false, reason: ballots.length ? null : 'No reviewer produced a valid ranking.', reviews, ranking };
}
