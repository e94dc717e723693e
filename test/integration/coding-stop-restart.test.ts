import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/main/app';
import { createCaller } from '../../src/main/rpc/dispatcher';
import { silentLogger } from '../../src/main/logger';
import { MemoryKeychain } from '../../src/main/secrets/keychain';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, tempDir, type TestApp } from '../helpers/app-harness';

/**
 * Issue #12 follow-up: a running coding task can be stopped (its hanging validation command killed
 * with its process group, the edit in flight rolled back, the run recorded as cancelled), a run's
 * review and undo survive a restart (a second app on the same database), and a workspace's own
 * retries and timeouts are what the loop uses.
 */
const MODEL = 'ollama/qwen2.5-coder:7b';
const EDIT = [
  'src/a.ts\n```ts\n<<<<<<< SEARCH\nexport const a = 1;\n=======\nexport const a = 2;\n>>>>>>> REPLACE\n```',
  'src/new/b.ts\n```ts\n<<<<<<< SEARCH\n=======\nexport const b = 1;\n>>>>>>> REPLACE\n```',
].join('\n\n');
const A = 'export const a = 1;\n// line 2\n// line 3\n// line 4\n// line 5\n// line 6\n// line 7\n// line 8\n// line 9\n// line 10\nexport const z = 1;\n';
const EDIT_TWO_HUNKS = [
  'src/a.ts\n```ts\n<<<<<<< SEARCH\nexport const a = 1;\n=======\nexport const a = 2;\n>>>>>>> REPLACE\n```',
  'src/a.ts\n```ts\n<<<<<<< SEARCH\nexport const z = 1;\n=======\nexport const z = 26;\n>>>>>>> REPLACE\n```',
  'src/new/b.ts\n```ts\n<<<<<<< SEARCH\n=======\nexport const b = 1;\n>>>>>>> REPLACE\n```',
].join('\n\n');

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

function repo(content = 'export const a = 1;\n'): string {
  const dir = path.join(tempDir(), 'repo');
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/a.ts'), content);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'a');
  return dir;
}

const status = (dir: string): string => execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' });

/** Running: it exists and is not a zombie (an orphan's exit status waits for whoever reaps it: not running). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('stopping a coding run', () => {
  it('kills the hanging test command, rolls the edit back and records the run as cancelled', async () => {
    const dir = repo();
    const pids = tempDir();
    const pidFile = path.join(pids, 'test.pid');
    // The test step hangs: it starts a child that sleeps ten minutes, writes both pids (outside the workspace) and waits.
    await h.app.call('coding.setWorkspaceSettings', {
      root: dir, commands: { build: null, test: [`sh -c 'sleep 600 & echo $! > ${pids}/child.pid; echo $$ > ${pidFile}; wait'`], lint: null }, maxRetries: null,
      timeoutsSec: { build: null, test: null, lint: null }, commandsAllowed: true,
    });
    const started = await h.app.call('coding.run', { root: dir, task: 'Set a to 2', model: MODEL });
    // The edit is on disk while its test runs.
    await expect.poll(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', { timeout: 20_000 }).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 2;\n');
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    const child = Number(fs.readFileSync(path.join(pids, 'child.pid'), 'utf8').trim());
    expect(alive(pid)).toBe(true);
    expect(alive(child)).toBe(true);
    expect(h.app.services.coding.get(started.id).status).toBe('running');

    const stopped = await h.app.call('coding.cancel', { runId: started.id });
    expect(stopped.status).toBe('cancelled');
    expect(stopped.attempts[0]?.error).toMatch(/Stopped before it finished; its edit was rolled back/);
    expect(stopped.files).toEqual([]);
    expect(alive(pid)).toBe(false);
    // The command's own child went with it (the whole process group is killed).
    await expect.poll(() => alive(child)).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
    expect(fs.existsSync(path.join(dir, 'src/new'))).toBe(false);
    expect(status(dir)).toBe('');
    expect(h.app.services.coding.repo.getRun(started.id)?.status).toBe('cancelled');
    // Nothing left to stop, undo or review.
    await expect(h.app.call('coding.cancel', { runId: started.id })).rejects.toMatchObject({ code: 'conflict', message: /already ended/ });
    await expect(h.app.call('coding.undo', { runId: started.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(h.app.call('coding.cancel', { runId: 'no-such-run' })).rejects.toMatchObject({ code: 'not_found' });
    // A run stored as running that this app does not run (another process's, or cut off by a quit) says so.
    h.app.services.coding.repo.createRun({ id: 'elsewhere', root: fs.realpathSync(dir), task: 't', createdAt: Date.now() });
    expect(h.app.services.coding.get('elsewhere').warnings.at(-1)).toMatch(/not going in this Switchboard/);
    await expect(h.app.call('coding.cancel', { runId: 'elsewhere' })).rejects.toMatchObject({ code: 'conflict', message: /not going in this Switchboard/ });
  }, 60_000);
});

describe('stopping a coding run while the model writes', () => {
  it('aborts the model call: no edit is made and the run is cancelled', async () => {
    const dir = repo();
    // The reply stalls after a few tokens, the connection kept open: only a stop ends it.
    ollama.setBehavior('qwen2.5-coder:7b', { reply: EDIT, stallAfterTokens: 3 });
    try {
      const started = await h.app.call('coding.run', { root: dir, task: 'Set a to 2', model: MODEL });
      await expect.poll(() => h.app.services.coding.get(started.id).attempts.length, { timeout: 20_000 }).toBe(1);
      const stopped = await h.app.call('coding.cancel', { runId: started.id });
      expect(stopped.status).toBe('cancelled');
      expect(stopped.attempts).toHaveLength(1);
      expect(stopped.attempts[0]?.diff).toBe('');
      expect(stopped.attempts[0]?.error).toBe('Stopped before it finished; nothing was changed.');
      expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
      expect(status(dir)).toBe('');
      expect(h.app.services.coding.repo.getRun(started.id)?.status).toBe('cancelled');
    } finally {
      ollama.setBehavior('qwen2.5-coder:7b', { reply: EDIT });
    }
  }, 60_000);
});

describe("a workspace's own validation settings", () => {
  it('are used by the next run: one attempt (max_retries 0), the test step stopped at its 1 s timeout', async () => {
    const dir = repo();
    const saved = await h.app.call('coding.setWorkspaceSettings', {
      root: dir, commands: { build: null, test: ['sleep 600'], lint: null }, maxRetries: 0, timeoutsSec: { build: null, test: 1, lint: null }, commandsAllowed: true,
    });
    expect(saved).toMatchObject({ commands: { build: null, test: ['sleep 600'], lint: null }, maxRetries: 0, timeoutsSec: { build: null, test: 1, lint: null }, commandsAllowed: true });
    expect(saved.defaults).toEqual({ maxRetries: 2, timeoutsSec: { build: 120, test: 300, lint: 120 } });
    const started = await h.app.call('coding.run', { root: dir, task: 'Set a to 2', model: MODEL });
    await expect.poll(() => h.app.services.coding.get(started.id).status, { timeout: 30_000 }).toBe('failed');
    const run = h.app.services.coding.get(started.id);
    expect(run.attempts).toHaveLength(1);
    expect(run.attempts[0]?.steps?.test.reason).toBe('sleep 600 did not finish within 1 s and was stopped');
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  }, 60_000);

  it('refuse bad values with a clear message and keep what was stored', async () => {
    const dir = repo();
    const none = { build: null, test: null, lint: null };
    await h.app.call('coding.setWorkspaceSettings', { root: dir, commands: { ...none, lint: ['npx eslint "src dir"'] }, maxRetries: 1, timeoutsSec: none });
    await expect(h.app.call('coding.setWorkspaceSettings', { root: dir, commands: none, maxRetries: 1, timeoutsSec: { ...none, test: -5 } })).rejects.toMatchObject({
      code: 'invalid_input', message: expect.stringMatching(/at least 1 second/),
    });
    await expect(h.app.call('coding.setWorkspaceSettings', { root: dir, commands: { ...none, build: ['npm run "build'] }, maxRetries: 1, timeoutsSec: none })).rejects.toMatchObject({
      code: 'invalid_input', message: expect.stringMatching(/build command 1 \(npm run "build\): the double quote is not closed/),
    });
    const kept = await h.app.call('coding.workspaceSettings', { root: dir });
    expect(kept.commands.lint).toEqual(["npx eslint 'src dir'"]);
    expect(h.app.services.coding.repo.workspaceValidation(fs.realpathSync(dir)).commands.lint).toEqual([['npx', 'eslint', 'src dir']]);
    expect(kept.maxRetries).toBe(1);
    expect(kept.commandsAllowed).toBe(false);
  });
});

describe('review and undo after a restart', () => {
  it('a second app on the same database shows the last run with its review, and undoes it exactly', async () => {
    const dir = repo(A);
    ollama.setBehavior('qwen2.5-coder:7b', { reply: EDIT_TWO_HUNKS });
    const first = createTestApp({ ollamaUrl: ollama.url });
    let second: App | null = null;
    try {
      const started = await first.app.call('coding.run', { root: dir, task: 'Set a to 2 and z to 26', model: MODEL });
      await expect.poll(() => first.app.services.coding.get(started.id).status, { timeout: 20_000 }).toBe('passed');
      await first.app.call('coding.review', { runId: started.id, path: 'src/a.ts', hunk: 1, decision: 'rejected' });
      const reviewed = A.replace('export const a = 1;', 'export const a = 2;');
      expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(reviewed);
      await first.app.dispose();

      second = createApp({ mode: 'headless', logger: silentLogger, keychain: new MemoryKeychain(), dataDir: first.dataDir, env: { OLLAMA_HOST: ollama.url } });
      const { run } = await second.call('coding.latest', {});
      expect(run?.id).toBe(started.id);
      expect(run?.status).toBe('passed');
      expect(run?.files.map((f) => [f.path, f.change, f.hunks.map((x) => x.decision)])).toEqual([
        ['src/a.ts', 'modified', ['pending', 'rejected']],
        ['src/new/b.ts', 'created', ['pending']],
      ]);
      // A review goes on from where it was.
      await second.call('coding.review', { runId: started.id, path: 'src/a.ts', hunk: 0, decision: 'accepted' });
      expect((await second.call('coding.get', { runId: started.id })).files[0]?.hunks.map((x) => x.decision)).toEqual(['accepted', 'rejected']);
      const undone = await second.call('coding.undo', { runId: started.id });
      expect(undone.undone).toBe(true);
      expect(undone.files).toEqual([]);
      expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(A);
      expect(fs.existsSync(path.join(dir, 'src/new'))).toBe(false);
      expect(status(dir)).toBe('');
      await expect(second.call('coding.undo', { runId: started.id })).rejects.toMatchObject({ code: 'conflict', message: /already undone/ });
    } finally {
      await second?.dispose();
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('after a restart, undo is still refused for a file changed since the run wrote it', async () => {
    const dir = repo();
    ollama.setBehavior('qwen2.5-coder:7b', { reply: EDIT });
    const first = createTestApp({ ollamaUrl: ollama.url });
    let second: App | null = null;
    try {
      const started = await first.app.call('coding.run', { root: dir, task: 'Set a to 2', model: MODEL });
      await expect.poll(() => first.app.services.coding.get(started.id).status, { timeout: 20_000 }).toBe('passed');
      await first.app.dispose();
      const mine = 'export const a = 3; // my own change\n';
      fs.writeFileSync(path.join(dir, 'src/a.ts'), mine);
      second = createApp({ mode: 'headless', logger: silentLogger, keychain: new MemoryKeychain(), dataDir: first.dataDir, env: { OLLAMA_HOST: ollama.url } });
      await expect(second.call('coding.undo', { runId: started.id })).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/src\/a\.ts changed after this run wrote it/) });
      expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe(mine);
      expect(fs.readFileSync(path.join(dir, 'src/new/b.ts'), 'utf8')).toBe('export const b = 1;\n');
      expect((await second.call('coding.get', { runId: started.id })).undone).toBe(false);
    } finally {
      await second?.dispose();
      fs.rmSync(first.dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('runs seen from the browser', () => {
  it('show, stop, review and undo only runs under an allowed root', async () => {
    const dir = repo();
    ollama.setBehavior('qwen2.5-coder:7b', { reply: EDIT });
    const started = await h.app.call('coding.run', { root: dir, task: 'Set a to 2', model: MODEL });
    await expect.poll(() => h.app.services.coding.get(started.id).status, { timeout: 20_000 }).toBe('passed');
    const browser = createCaller(h.app.dispatch, { transport: 'http' });
    h.app.services.settings.update({ workspace: { allowedRoots: [tempDir()] } });
    expect((await browser('coding.latest', {})).run).toBeNull();
    for (const call of [() => browser('coding.get', { runId: started.id }), () => browser('coding.undo', { runId: started.id }), () => browser('coding.cancel', { runId: started.id })]) {
      await expect(call()).rejects.toMatchObject({ code: 'invalid_input', message: /is not under an allowed root/ });
    }
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 2;\n');
    h.app.services.settings.update({ workspace: { allowedRoots: [path.dirname(dir)] } });
    expect((await browser('coding.latest', {})).run?.id).toBe(started.id);
    await browser('coding.undo', { runId: started.id });
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('export const a = 1;\n');
  }, 60_000);
});
