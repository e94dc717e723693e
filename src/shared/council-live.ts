import type { CouncilLive, CouncilModeName, CouncilPoolName, CouncilProgress } from './contract/parallel-types';

export interface CouncilLiveStart {
  runId: string;
  question: string;
  mode: CouncilModeName;
  pool: CouncilPoolName;
  models: string[];
  minResponses: number;
  perModelTimeoutMs: number;
  startedAt: number;
}

/** A run that has just started: every member waiting. */
export function startLive(s: CouncilLiveStart): CouncilLive {
  return {
    ...s,
    models: [...s.models],
    stage: 'generation',
    members: Object.fromEntries(s.models.map((m) => [m, { status: 'waiting' as const, text: '', latencyMs: null }])),
    reviews: [],
    synthesis: null,
    stageNotes: [],
  };
}

/**
 * Folds one progress event into the live view (a new object; the input is not changed). The main
 * process keeps one per running run for `council.get`; the renderer folds the same events.
 */
export function applyCouncilProgress(live: CouncilLive, e: CouncilProgress): CouncilLive {
  if (e.runId !== live.runId) return live;
  switch (e.type) {
    case 'stage':
      return {
        ...live,
        stage: e.state === 'started' ? e.stage : live.stage,
        stageNotes: e.note && !live.stageNotes.includes(e.note) ? [...live.stageNotes, e.note] : live.stageNotes,
      };
    case 'answer-delta': {
      const m = live.members[e.model] ?? { status: 'waiting' as const, text: '', latencyMs: null };
      // A delta after the member settled (a straggler's last bytes) does not reopen it.
      const status = m.status === 'waiting' ? 'streaming' : m.status;
      return { ...live, members: { ...live.members, [e.model]: { ...m, status, text: m.text + e.text } } };
    }
    case 'member-done': {
      const m = live.members[e.model] ?? { status: 'waiting' as const, text: '', latencyMs: null };
      return { ...live, members: { ...live.members, [e.model]: { ...m, status: e.status, latencyMs: e.latencyMs } } };
    }
    case 'review-done':
      return { ...live, reviews: [...live.reviews, { reviewer: e.reviewer, status: e.status, note: e.note }] };
    case 'synthesis-delta':
      return { ...live, synthesis: { model: e.model, text: (live.synthesis?.text ?? '') + e.text } };
    case 'council-done':
      return live;
  }
}
