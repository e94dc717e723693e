import { beforeEach, describe, expect, it } from 'vitest';
import type { CodingRunView } from '../../../../shared/contract';
import { setClient } from '../../client/switchboard-client';
import { FakeClient } from '../../stores/fake-client';
import { useCoding } from './coding-store';

const view = (patch: Partial<CodingRunView> = {}): CodingRunView => ({
  id: 'r1', root: '/repo', task: 'Fix it', status: 'running', attempts: [], files: [], contextFiles: [], warnings: [], totalCostUsd: null, undone: false, ...patch,
});

let fake: FakeClient;
beforeEach(() => {
  fake = new FakeClient();
  setClient(fake);
  useCoding.setState({ run: null, busy: false, stopping: false, error: null });
});

describe('coding store', () => {
  it('starts a run with the form values (an empty model means Auto) and follows its updates', async () => {
    fake.handle('coding.run', () => view());
    await useCoding.getState().start({ root: '/repo', task: 'Fix it', model: '', allowCommands: true, allowDirty: false });
    expect(fake.inputsOf('coding.run')).toEqual([{ root: '/repo', task: 'Fix it', model: undefined, allowCommands: true, allowDirty: false }]);
    useCoding.getState().applyUpdated(view({ id: 'other', status: 'passed' }));
    expect(useCoding.getState().run?.status).toBe('running');
    useCoding.getState().applyUpdated(view({ status: 'passed' }));
    expect(useCoding.getState().run?.status).toBe('passed');
  });

  it('keeps an update that arrived before the start call returned', async () => {
    fake.handle('coding.run', () => {
      useCoding.getState().applyUpdated(view({ status: 'failed' }));
      return view();
    });
    await useCoding.getState().start({ root: '/repo', task: 'Fix it', allowCommands: false, allowDirty: false });
    expect(useCoding.getState().run?.status).toBe('failed');
  });

  it('sends reviews and undo for the open run, and shows an error the user can read', async () => {
    useCoding.setState({ run: view({ status: 'passed' }) });
    fake.handle('coding.review', ({ path, hunk, decision }) => view({ status: 'passed', warnings: [`${decision} ${path} ${hunk ?? 'all'}`] }));
    await useCoding.getState().review('src/a.ts', 'rejected', 1);
    expect(fake.inputsOf('coding.review')).toEqual([{ runId: 'r1', path: 'src/a.ts', decision: 'rejected', hunk: 1 }]);
    expect(useCoding.getState().run?.warnings).toEqual(['rejected src/a.ts 1']);
    fake.handle('coding.undo', () => {
      throw FakeClient.error('conflict', 'This run left no edits to undo.');
    });
    await useCoding.getState().undo();
    expect(useCoding.getState().error).toBe('This run left no edits to undo.');
    expect(useCoding.getState().busy).toBe(false);
  });

  it('stops the running task and shows it cancelled; a stop of a run already ended is a readable error', async () => {
    useCoding.setState({ run: view() });
    fake.handle('coding.cancel', ({ runId }) => {
      expect(useCoding.getState().stopping).toBe(true);
      return view({ id: runId, status: 'cancelled' });
    });
    await useCoding.getState().stop();
    expect(fake.inputsOf('coding.cancel')).toEqual([{ runId: 'r1' }]);
    expect(useCoding.getState().run?.status).toBe('cancelled');
    expect(useCoding.getState().stopping).toBe(false);
    // Nothing running: nothing is sent.
    await useCoding.getState().stop();
    expect(fake.inputsOf('coding.cancel')).toHaveLength(1);
    useCoding.setState({ run: view() });
    fake.handle('coding.cancel', () => {
      throw FakeClient.error('conflict', 'This run has already ended; there is nothing to stop.');
    });
    await useCoding.getState().stop();
    expect(useCoding.getState().error).toBe('This run has already ended; there is nothing to stop.');
  });

  it('opens on the newest stored run after a reload, but never replaces a run already open', async () => {
    fake.handle('coding.latest', () => ({ run: view({ id: 'stored', status: 'passed' }) }));
    await useCoding.getState().loadLatest();
    expect(useCoding.getState().run?.id).toBe('stored');
    useCoding.setState({ run: view({ id: 'mine' }) });
    await useCoding.getState().loadLatest();
    expect(useCoding.getState().run?.id).toBe('mine');
    useCoding.setState({ run: null });
    fake.handle('coding.latest', () => ({ run: null }));
    await useCoding.getState().loadLatest();
    expect(useCoding.getState().run).toBeNull();
  });
});
