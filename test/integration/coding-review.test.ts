import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, tempDir, type TestApp } from '../helpers/app-harness';

/**
 * Issue #12, review and undo of a run's edits through the app: neither ever writes over a change the
 * user made after the run (an editor's save), undo restores exactly, and a run once undone cannot be
 * reviewed back into the tree.
 */
const EDIT = 'src/a.ts\n```ts\n<<<<<<< SEARCH\nexport const a = 1;\n=======\nexport const a = 2;\n>>>>>>> REPLACE\n```\n';

let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b' }] });
  ollama.setBehavior('qwen2.5-coder:7b', { reply: EDIT });
  h = createTestApp({ ollamaUrl: ollama.url });
});
afterAll(async () => {
  await h?.close();
  await ollama?.close();
});

function repo(): string {
  const dir = path.join(tempDir(), 'repo');
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/a.ts'), 'export const a = 1;\n');
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'a');
  return dir;
}

async function run(dir: string) {
  const started = await h.app.call('coding.run', { root: dir, task: 'Set a to 2 in src/a.ts', model: 'ollama/qwen2.5-coder:7b' });
  await expect.poll(() => h.app.services.coding.get(started.id).status, { timeout: 20_000 }).not.toBe('running');
  return h.app.services.coding.get(started.id);
}

describe('coding review and undo (issue #12)', () => {
  it('undo restores the file exactly; a run once undone cannot be reviewed back in', async () => {
    const dir = repo();
    const done = await run(dir);
    expect(done.status).toBe('passed');
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 2;\n');
    await h.app.call('coding.undo', { runId: done.id });
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    await expect(h.app.call('coding.review', { runId: done.id, path: 'src/a.ts', decision: 'accepted' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.call('coding.undo', { runId: done.id })).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  });

  it('neither undo nor a review writes over a change saved after the run', async () => {
    const dir = repo();
    const done = await run(dir);
    expect(done.status).toBe('passed');
    const mine = 'export const a = 3; // my own change\n';
    fs.writeFileSync(path.join(dir, 'src/a.ts'), mine);
    await expect(h.app.call('coding.undo', { runId: done.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/src\/a\.ts changed after this run wrote it/) });
    await expect(h.app.call('coding.review', { runId: done.id, path: 'src/a.ts', decision: 'rejected' })).rejects.toMatchObject({ code: 'conflict' });
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(mine);
  });
});
