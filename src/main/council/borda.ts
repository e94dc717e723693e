import type { BordaRanking } from '../../shared/contract';

/** One candidate's row: the contract's BordaRanking (a review stage's `ranking`). */
export type BordaRow = BordaRanking;

/**
 * Borda count over partial ballots (best first). Reviewers rank different sets (nobody ranks its
 * own answer, a dropped reviewer's answer is ranked by everyone), so raw point sums would favour
 * answers that appear on more ballots; we order by the mean normalised score instead, then by
 * points, then by the candidates' given order. Ballots of one candidate carry no preference and
 * are ignored.
 */
export function bordaCount(ballots: ReadonlyArray<readonly string[]>, candidates: readonly string[]): BordaRow[] {
  const rows = new Map(candidates.map((c) => [c, { candidate: c, points: 0, ballots: 0, normalised: 0 }]));
  for (const ballot of ballots) {
    const m = ballot.length;
    if (m < 2) continue;
    ballot.forEach((candidate, position) => {
      const row = rows.get(candidate);
      if (!row) return;
      row.points += m - 1 - position;
      row.normalised += (m - 1 - position) / (m - 1);
      row.ballots += 1;
    });
  }
  const order = new Map(candidates.map((c, i) => [c, i]));
  return [...rows.values()]
    .map((r) => ({ candidate: r.candidate, points: r.points, ballots: r.ballots, score: r.ballots ? r.normalised / r.ballots : 0 }))
    .sort((a, b) => b.score - a.score || b.points - a.points || (order.get(a.candidate) ?? 0) - (order.get(b.candidate) ?? 0))
    .map((r, i) => ({ ...r, rank: i + 1 }));
}
