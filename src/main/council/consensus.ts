import { z } from 'zod';
import type { ChatMessage } from '../runner';
import type { ConsensusVerdict, MemberResponse, Vote } from './types';

/** Seed 004: "consensus_validation … threshold: 2/3_agreement". */
export const MAJORITY_THRESHOLD = 2 / 3;
export const DEFAULT_VERDICT_OPTIONS = ['approve', 'reject'] as const;

export function voteSchema(options: readonly string[]): z.ZodType<Vote> {
  const lower = options.map((o) => o.toLowerCase());
  return z.object({
    verdict: z
      .string()
      .transform((v) => v.trim().toLowerCase())
      .refine((v) => lower.includes(v), { message: `verdict must be one of: ${options.join(', ')}` })
      .transform((v) => options[lower.indexOf(v)] as string),
    reason: z.string().min(1, 'give a reason'),
  });
}

/** Provider-side schema: an enum, so structured output cannot pick anything else. */
export function voteJsonSchema(options: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: { verdict: { type: 'string', enum: [...options] }, reason: { type: 'string' } },
    required: ['verdict', 'reason'],
    additionalProperties: false,
  };
}

export function voteMessages(question: string, options: readonly string[]): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        'You are one of several models voting independently on a question. Decide on your own, then reply with only a JSON ' +
        `object: {"verdict": one of ${options.map((o) => JSON.stringify(o)).join(' | ')}, "reason": "one or two sentences"}.`,
    },
    { role: 'user', content: question },
  ];
}

/**
 * Unanimous when every valid vote agrees, majority when the leading option has at least 2/3 of
 * them, split otherwise. Only valid votes count: a model that was cut off, timed out or failed
 * has no say (the record shows how many voted out of how many were asked).
 */
export function tallyVotes(responses: readonly MemberResponse[], options: readonly string[]): ConsensusVerdict {
  const cast = responses.filter((r): r is MemberResponse & { vote: Vote } => r.status === 'answered' && r.vote !== null);
  const tally: Record<string, number> = Object.fromEntries(options.map((o) => [o, 0]));
  for (const r of cast) tally[r.vote.verdict] = (tally[r.vote.verdict] ?? 0) + 1;
  const votes = cast.length;
  const ordered = Object.entries(tally).sort((a, b) => b[1] - a[1]);
  const [leading, leadingCount] = ordered[0] ?? [null, 0];
  const tied = ordered.length > 1 && ordered[1]?.[1] === leadingCount;
  const agreement = votes ? leadingCount / votes : 0;
  let outcome: ConsensusVerdict['outcome'] = 'split';
  if (votes > 0 && leadingCount === votes) outcome = 'unanimous';
  else if (votes > 0 && !tied && agreement >= MAJORITY_THRESHOLD - 1e-9) outcome = 'majority';
  const verdict = outcome === 'split' ? null : leading;
  const against = outcome === 'split' && tied ? null : leading;
  const dissent = cast
    .filter((r) => against === null || r.vote.verdict !== against)
    .map((r) => ({ model: r.model, verdict: r.vote.verdict, reason: r.vote.reason }));
  return { outcome, verdict, tally, votes, agreement, dissent };
}

/** The verdict as the user reads it. */
export function describeVerdict(v: ConsensusVerdict, asked: number): string {
  const counts = Object.entries(v.tally).filter(([, n]) => n > 0).map(([o, n]) => `${o} ${n}`).join(', ');
  const head =
    v.votes === 0
      ? 'No valid votes.'
      : v.outcome === 'split'
        ? `Split: no option reached 2/3 (${counts}; ${v.votes} of ${asked} models voted).`
        : `${v.outcome === 'unanimous' ? 'Unanimous' : 'Majority'}: ${v.verdict} (${counts}; ${v.votes} of ${asked} models voted).`;
  if (!v.dissent.length) return head;
  const label = v.outcome === 'split' ? 'Positions' : 'Dissent';
  return `${head}\n\n${label}:\n${v.dissent.map((d) => `- ${d.model} (${d.verdict}): ${d.reason}`).join('\n')}`;
}
