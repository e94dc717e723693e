import { describe, expect, it } from 'vitest';
import { describeVerdict, tallyVotes, voteSchema } from './consensus';
import type { MemberResponse } from './types';

const vote = (model: string, verdict: string, reason = `${model} says ${verdict}`): MemberResponse => ({
  model, status: 'answered', text: '', vote: { verdict, reason }, startedAt: 0, latencyMs: 1, firstTokenMs: 1, usage: null, costUsd: null,
  attempts: 1, servedBy: null, error: null, settledOrder: 1,
});
const OPTIONS = ['approve', 'reject'];

describe('tallyVotes', () => {
  it('is unanimous when every valid vote agrees', () => {
    const v = tallyVotes([vote('a', 'approve'), vote('b', 'approve'), vote('c', 'approve')], OPTIONS);
    expect(v).toMatchObject({ outcome: 'unanimous', verdict: 'approve', votes: 3, agreement: 1, dissent: [] });
  });

  it('is a majority at 2/3 and lists the dissent with its reason', () => {
    const v = tallyVotes([vote('a', 'approve'), vote('b', 'reject', 'the tests are missing'), vote('c', 'approve')], OPTIONS);
    expect(v).toMatchObject({ outcome: 'majority', verdict: 'approve', tally: { approve: 2, reject: 1 } });
    expect(v.dissent).toEqual([{ model: 'b', verdict: 'reject', reason: 'the tests are missing' }]);
    expect(describeVerdict(v, 3)).toContain('b (reject): the tests are missing');
  });

  it('is split below 2/3 (3 of 5) and on a tie, with no verdict', () => {
    const threeOfFive = tallyVotes(['approve', 'approve', 'approve', 'reject', 'reject'].map((v, i) => vote(`m${i}`, v)), OPTIONS);
    expect(threeOfFive).toMatchObject({ outcome: 'split', verdict: null, agreement: 0.6 });
    expect(threeOfFive.dissent.map((d) => d.model)).toEqual(['m3', 'm4']);
    const tie = tallyVotes([vote('a', 'approve'), vote('b', 'reject')], OPTIONS);
    expect(tie).toMatchObject({ outcome: 'split', verdict: null });
    expect(tie.dissent).toHaveLength(2);
    expect(describeVerdict(tie, 2)).toMatch(/^Split/);
  });

  it('counts only valid votes of members that answered', () => {
    const cut: MemberResponse = { ...vote('c', 'reject'), status: 'cut-off', vote: null };
    const v = tallyVotes([vote('a', 'approve'), vote('b', 'approve'), cut], OPTIONS);
    expect(v).toMatchObject({ outcome: 'unanimous', votes: 2 });
    expect(describeVerdict(v, 3)).toContain('2 of 3 models voted');
  });
});

describe('voteSchema', () => {
  it('accepts options in any case and rejects others', () => {
    const schema = voteSchema(['yes', 'no']);
    expect(schema.parse({ verdict: ' YES ', reason: 'r' })).toEqual({ verdict: 'yes', reason: 'r' });
    expect(schema.safeParse({ verdict: 'maybe', reason: 'r' }).success).toBe(false);
  });
});
