import { beforeEach, describe, expect, it } from 'vitest';
import type { ConversationContext, Workspace } from '../../../shared/contract';
import { setClient } from '../client/switchboard-client';
import { FakeClient } from './fake-client';
import { useWorkspace } from './workspace-store';

const ws: Workspace = {
  id: 'w1', root: '/code/shop', name: 'shop', openedAt: 1,
  git: { isRepo: true, branch: 'main', dirty: [], note: null }, index: { files: 3, symbols: 9, skipped: 0, indexedAt: 2 },
};
const ctx = (patch: Partial<ConversationContext> = {}): ConversationContext => ({ workspace: ws, files: [], excluded: [], budgetBytes: 20_000, ...patch });

let fake: FakeClient;
beforeEach(() => {
  fake = new FakeClient();
  setClient(fake);
  useWorkspace.setState({ byConversation: {}, workspaces: [], canPick: null, busy: false, error: null });
});

describe('workspace store', () => {
  it('headless: pick says there is no dialog, so the path form is shown; nothing is opened', async () => {
    fake.handle('workspaces.pick', () => ({ supported: false, workspace: null }));
    expect(await useWorkspace.getState().pick('c1')).toBe(false);
    expect(useWorkspace.getState().canPick).toBe(false);
    expect(useWorkspace.getState().byConversation).toEqual({});
  });

  it("opening a typed folder shows main's message when refused, and the workspace when opened", async () => {
    fake.handle('workspaces.open', () => {
      throw FakeClient.error('invalid_input', '/etc is not under an allowed root');
    });
    expect(await useWorkspace.getState().open('c1', '/etc')).toBe(false);
    expect(useWorkspace.getState().error).toBe('/etc is not under an allowed root');

    fake.handle('workspaces.open', () => ws).handle('workspaces.context', () => ctx()).handle('workspaces.list', () => ({ workspaces: [ws] }));
    expect(await useWorkspace.getState().open('c1', '/code/shop')).toBe(true);
    expect(useWorkspace.getState()).toMatchObject({ error: null, workspaces: [ws], byConversation: { c1: { workspace: { id: 'w1' } } } });
    expect(fake.inputsOf('workspaces.open')).toEqual([{ path: '/etc', conversationId: 'c1' }, { path: '/code/shop', conversationId: 'c1' }]);
  });

  it('add and remove send the path and keep what main returns', async () => {
    fake.handle('workspaces.editContext', ({ add, remove }) =>
      ctx(add ? { files: [{ path: add, bytes: 10, reason: 'added by you', pinned: true }] } : { excluded: [remove!] }),
    );
    await useWorkspace.getState().add('c1', 'src/a.ts');
    expect(useWorkspace.getState().byConversation.c1!.files.map((f) => f.path)).toEqual(['src/a.ts']);
    await useWorkspace.getState().remove('c1', 'src/a.ts');
    expect(useWorkspace.getState().byConversation.c1!.excluded).toEqual(['src/a.ts']);
    expect(fake.inputsOf('workspaces.editContext')).toEqual([{ conversationId: 'c1', add: 'src/a.ts' }, { conversationId: 'c1', remove: 'src/a.ts' }]);
  });
});
