import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallOutput } from '../../src/shared/contract';
import { WORKSPACE_FIXTURE, writeWorkspaceFixture } from '../fixtures/workspace-index';
import { createTestApp, tempDir, type TestApp } from '../helpers/app-harness';

let harness: TestApp | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await harness?.close();
  harness = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(prefix: string): string {
  const dir = tempDir(prefix);
  dirs.push(dir);
  return dir;
}

/** A contract call as the headless transport makes it: the `{ ok, data | error }` envelope. */
async function http(channel: string, input: unknown) {
  return harness!.app.dispatch(channel, input, { transport: 'http' });
}

async function ok<T>(channel: string, input: unknown): Promise<T> {
  const result = await http(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.data as T;
}

describe('workspaces through the contract', () => {
  it('headless: refused until an allowed root is set, then opened, indexed and linked to a conversation', async () => {
    harness = createTestApp();
    const allowed = folder('sb-allowed-');
    const root = writeWorkspaceFixture(path.join(allowed, 'shop'));

    const refused = await http('workspaces.open', { path: root });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!refused.ok && refused.error.message).toMatch(/Settings → Workspace/);

    const badSettings = await http('settings.update', { workspace: { allowedRoots: ['relative/dir'], contextBudgetBytes: 10 } });
    expect(badSettings.ok).toBe(false);
    expect(!badSettings.ok && badSettings.error.message).toMatch(/must be an absolute path.*at least 1 KB|at least 1 KB.*must be an absolute path/);

    await ok('settings.update', { workspace: { allowedRoots: [allowed], contextBudgetBytes: 8_000 } });
    const ws = await ok<CallOutput<'workspaces.open'>>('workspaces.open', { path: root, conversationId: 'conv-1' });
    expect(ws).toMatchObject({ root, name: 'shop', git: { isRepo: false } });
    expect(ws.index.files).toBe(Object.keys(WORKSPACE_FIXTURE).length);

    const pick = await ok<CallOutput<'workspaces.pick'>>('workspaces.pick', {});
    expect(pick).toEqual({ supported: false, workspace: null });

    const suggestions = await ok<CallOutput<'workspaces.files'>>('workspaces.files', { id: ws.id, query: 'cart' });
    expect(suggestions.paths).toEqual(['py/shop/cart.py']);

    const sel = await ok<CallOutput<'workspaces.selectContext'>>('workspaces.selectContext', { conversationId: 'conv-1', task: 'Make ShoppingCart.total skip compute_tax for empty carts' });
    expect(sel.files.map((f) => f.path).slice(0, 2).sort()).toEqual(['py/shop/cart.py', 'py/shop/tax.py']);
    expect(sel.totalBytes).toBeLessThanOrEqual(8_000);

    let ctx = await ok<CallOutput<'workspaces.context'>>('workspaces.context', { conversationId: 'conv-1' });
    expect(ctx.workspace?.id).toBe(ws.id);
    expect(ctx.budgetBytes).toBe(8_000);
    // selectContext is a preview: nothing is recorded as sent until a chat reply goes with the files
    // (test/integration/chat-workspace-context.test.ts sends them through the chat; here its selection stands in).
    expect(ctx.files).toEqual([]);
    (await harness.app.services.workspaces.forChat('conv-1', 'Make ShoppingCart.total skip compute_tax for empty carts'))!.markSent();
    ctx = await ok<CallOutput<'workspaces.context'>>('workspaces.context', { conversationId: 'conv-1' });
    expect(ctx.files.map((f) => f.path)).toEqual(expect.arrayContaining(['py/shop/cart.py', 'py/shop/tax.py']));

    ctx = await ok('workspaces.editContext', { conversationId: 'conv-1', add: 'js/util.js', remove: 'py/shop/tax.py' });
    expect(ctx.files.find((f) => f.path === 'js/util.js')).toMatchObject({ pinned: true });
    expect(ctx.files.map((f) => f.path)).not.toContain('py/shop/tax.py');
    expect(ctx.excluded).toEqual(['py/shop/tax.py']);

    const escape = await http('workspaces.editContext', { conversationId: 'conv-1', add: '../../etc/passwd' });
    expect(escape).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!escape.ok && escape.error.message).toMatch(/outside the workspace/);

    // Everything survives a restart: the workspace, the link, the pins and what was sent.
    await harness.restart();
    const again = await ok<CallOutput<'workspaces.selectContext'>>('workspaces.selectContext', { conversationId: 'conv-1', task: 'Make ShoppingCart.total skip compute_tax for empty carts' });
    expect(again.files.map((f) => f.path)).toEqual(['js/util.js']); // the pinned file is new; cart.py was sent and is unchanged
    expect(again.omitted).toContain('py/shop/cart.py');
    expect((await ok<CallOutput<'workspaces.list'>>('workspaces.list', {})).workspaces.map((w) => w.id)).toEqual([ws.id]);
  });

  it('the CLI opens any folder (its own shell); the desktop picker opens the chosen one', async () => {
    const root = writeWorkspaceFixture(folder('sb-cli-ws-'));
    harness = createTestApp({ pickFolder: async () => root });
    const viaCli = await harness.app.call('workspaces.open', { path: root });
    expect(viaCli.root).toBe(root);
    const picked = await ok<CallOutput<'workspaces.pick'>>('workspaces.pick', { conversationId: 'conv-2' });
    expect(picked).toMatchObject({ supported: true, workspace: { id: viaCli.id } });
    expect((await ok<CallOutput<'workspaces.context'>>('workspaces.context', { conversationId: 'conv-2' })).workspace?.id).toBe(viaCli.id);
    const removed = await ok('workspaces.remove', { id: viaCli.id });
    expect(removed).toEqual({ removed: true });
    expect((await ok<CallOutput<'workspaces.context'>>('workspaces.context', { conversationId: 'conv-2' })).workspace).toBeNull();
  });
});
