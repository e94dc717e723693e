import { beforeEach, describe, expect, it } from 'vitest';
import type { TaskGraphView } from '../../../shared/contract';
import { setClient } from '../client/switchboard-client';
import { FakeClient } from './fake-client';
import { useTasks } from './tasks-store';

const LOCAL_WRITER = 'ollama/qwen2.5:3b';
const PAID_WRITER = 'openrouter/anthropic/claude-sonnet-5.5';

const graphView = (patch: Partial<TaskGraphView> = {}): TaskGraphView => ({
  id: 'g1', request: 'A guide to green tea', goal: 'Green tea', status: 'pending', plannerModel: null, planningCostUsd: null,
  synthesisModel: PAID_WRITER, answer: null, synthesisMs: null, synthesisCostUsd: null, error: null, createdAt: 1, updatedAt: 1, finishedAt: null, wallMs: 0,
  tasks: [],
  metrics: { wallMs: 0, synthesisMs: null, sequentialMs: 0, criticalPath: { taskIds: [], ms: 0 }, speedup: null, overhead: null, tasks: [], totalCostUsd: null },
  running: false, runStartedAt: null, version: 1,
  ...patch,
});

let fake: FakeClient;
beforeEach(() => {
  fake = new FakeClient();
  setClient(fake);
  useTasks.setState({ graph: graphView(), graphs: [], deltas: {}, busy: false, error: null });
});

describe('tasks store: start', () => {
  it('sends the picked writer of the final answer to tasks.run and shows the graph it returns', async () => {
    fake.handle('tasks.run', ({ graphId, synthesisModel }) => graphView({ id: graphId, synthesisModel: synthesisModel ?? PAID_WRITER, status: 'running', running: true, version: 2 }));
    await useTasks.getState().start('g1', LOCAL_WRITER);
    expect(fake.inputsOf('tasks.run')).toEqual([{ graphId: 'g1', synthesisModel: LOCAL_WRITER }]);
    const { graph, graphs, busy, error } = useTasks.getState();
    expect(graph).toMatchObject({ synthesisModel: LOCAL_WRITER, running: true, version: 2 });
    expect(graphs.map((g) => g.id)).toEqual(['g1']);
    expect({ busy, error }).toEqual({ busy: false, error: null });
  });

  it('leaves the graph\'s own writer when none is picked', async () => {
    fake.handle('tasks.run', ({ graphId }) => graphView({ id: graphId, running: true, version: 2 }));
    await useTasks.getState().start('g1');
    expect(fake.inputsOf('tasks.run')).toEqual([{ graphId: 'g1' }]);
  });

  it('shows the budget\'s refusal and leaves the graph as it was', async () => {
    fake.handle('tasks.run', () => {
      throw FakeClient.error('budget_exceeded', 'Cannot run the task graph: Today\'s spend reached the stop threshold. Choose local or free models instead.');
    });
    await useTasks.getState().start('g1', PAID_WRITER);
    const { graph, busy, error } = useTasks.getState();
    expect(error).toMatch(/^Cannot run the task graph: .*Choose local or free models instead\.$/);
    expect(busy).toBe(false);
    expect(graph).toMatchObject({ status: 'pending', running: false, version: 1 });
  });
});
