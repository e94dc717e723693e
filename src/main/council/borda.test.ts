import { describe, expect, it } from 'vitest';
import { bordaCount } from './borda';

describe('bordaCount', () => {
  it('gives m-1 points for first place down to 0 for last', () => {
    const rows = bordaCount([['a', 'b', 'c'], ['a', 'c', 'b'], ['b', 'a', 'c']], ['a', 'b', 'c']);
    expect(rows.map((r) => [r.candidate, r.points, r.rank])).toEqual([['a', 5, 1], ['b', 3, 2], ['c', 1, 3]]);
  });

  it('orders by mean normalised score, so appearing on fewer ballots (own answer excluded) is no penalty', () => {
    // Four members rank the other three. d is first on all three ballots it appears on; raw points
    // alone would tie it with c, which appears on three ballots too but once in second place.
    const ballots = [
      ['d', 'c', 'b'], // by a
      ['d', 'c', 'a'], // by b
      ['d', 'b', 'a'], // by c
      ['c', 'b', 'a'], // by d
    ];
    const rows = bordaCount(ballots, ['a', 'b', 'c', 'd']);
    expect(rows.map((r) => r.candidate)).toEqual(['d', 'c', 'b', 'a']);
    expect(rows[0]).toMatchObject({ candidate: 'd', points: 6, ballots: 3, score: 1 });
    expect(rows.find((r) => r.candidate === 'a')).toMatchObject({ points: 0, score: 0 });
  });

  it('breaks ties by the candidates\' given order and ignores single-candidate ballots', () => {
    const rows = bordaCount([['a', 'b'], ['b', 'a'], ['a']], ['b', 'a']);
    expect(rows.map((r) => r.candidate)).toEqual(['b', 'a']);
    expect(rows.every((r) => r.ballots === 2)).toBe(true);
  });
});
