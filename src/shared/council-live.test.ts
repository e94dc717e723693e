import { describe, expect, it } from 'vitest';
import { applyCouncilProgress, startLive } from './council-live';

const start = () => startLive({ runId: 'r', question: 'q', mode: 'synthesis', pool: 'balanced', models: ['a/x', 'b/y'], minResponses: 1, perModelTimeoutMs: 90_000, startedAt: 0 });

describe('the live council view', () => {
  it('follows members from waiting to streaming to their outcome, and the stages', () => {
    let live = start();
    expect(live.members['a/x']).toEqual({ status: 'waiting', text: '', latencyMs: null });
    live = applyCouncilProgress(live, { type: 'answer-delta', runId: 'r', model: 'a/x', text: 'Hel' });
    live = applyCouncilProgress(live, { type: 'answer-delta', runId: 'r', model: 'a/x', text: 'lo' });
    expect(live.members['a/x']).toEqual({ status: 'streaming', text: 'Hello', latencyMs: null });
    live = applyCouncilProgress(live, { type: 'member-done', runId: 'r', model: 'a/x', status: 'answered', latencyMs: 120 });
    live = applyCouncilProgress(live, { type: 'member-done', runId: 'r', model: 'b/y', status: 'cut-off', latencyMs: 130 });
    // A straggler's last bytes after it was cut off do not reopen it.
    live = applyCouncilProgress(live, { type: 'answer-delta', runId: 'r', model: 'b/y', text: 'late' });
    expect(live.members['b/y']).toMatchObject({ status: 'cut-off', latencyMs: 130 });
    live = applyCouncilProgress(live, { type: 'stage', runId: 'r', stage: 'review', state: 'skipped', note: 'only one answer' });
    live = applyCouncilProgress(live, { type: 'stage', runId: 'r', stage: 'synthesis', state: 'started' });
    live = applyCouncilProgress(live, { type: 'synthesis-delta', runId: 'r', model: 'a/x', text: 'Final' });
    expect(live).toMatchObject({ stage: 'synthesis', stageNotes: ['only one answer'], synthesis: { model: 'a/x', text: 'Final' } });
  });

  it('ignores events of another run and never changes its input', () => {
    const live = start();
    expect(applyCouncilProgress(live, { type: 'answer-delta', runId: 'other', model: 'a/x', text: 'x' })).toBe(live);
    applyCouncilProgress(live, { type: 'answer-delta', runId: 'r', model: 'a/x', text: 'x' });
    expect(live.members['a/x']!.text).toBe('');
  });
});
