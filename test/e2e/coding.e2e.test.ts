// The coding workspace page (issue #12) in Chromium against the headless server and a fake Ollama:
// a run with a failed first attempt, the kept edit as per-file diffs, per-hunk reject, per-file
// accept, and Undo edits — checked on disk.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { launchChromium, screenshotPath } from '../helpers/browser';
import { tempDir } from '../helpers/app-harness';
import { ROOT } from '../helpers/cli-harness';
import { RENDERER_DIR, startHeadless, type HeadlessHarness } from '../helpers/headless-harness';
import { startHeadlessServer } from '../../src/main/headless/server';

let ollama: FakeOllama;
let h: HeadlessHarness;
let browser: Browser;
let page: Page;
let dir: string;

const LONG = Array.from({ length: 20 }, (_, i) => `export const value${i + 1} = ${i + 1};`).join('\n') + '\n';
const BROKEN = 'src/cart.ts\n```ts\n<<<<<<< SEARCH\n  return lines.reduce((sum, line) => sum + line.cents, 0);\n=======\n  return lines.reduce((sum, line) => sum + line.cents * (line.quantity, 0);\n>>>>>>> REPLACE\n```\n';
const FIX = [
  'src/cart.ts\n```ts\n<<<<<<< SEARCH\n  return lines.reduce((sum, line) => sum + line.cents, 0);\n=======\n  return lines.reduce((sum, line) => sum + line.cents * line.quantity, 0);\n>>>>>>> REPLACE\n```',
  'src/long.ts\n```ts\n<<<<<<< SEARCH\nexport const value2 = 2;\n=======\nexport const value2 = 200;\n>>>>>>> REPLACE\n```',
  'src/long.ts\n```ts\n<<<<<<< SEARCH\nexport const value18 = 18;\n=======\nexport const value18 = 1800;\n>>>>>>> REPLACE\n```',
  'src/discount.ts\n```ts\n<<<<<<< SEARCH\n=======\nexport const DISCOUNT = 0.1;\n>>>>>>> REPLACE\n```',
].join('\n\n');

const git = (...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
const read = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');

beforeAll(async () => {
  dir = path.join(tempDir(), 'shop');
  fs.cpSync(path.join(ROOT, 'test/fixtures/sample-ts-pkg'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/long.ts'), LONG);
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'shop');
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b' }] });
  // The first reply breaks the syntax; told so, the model sends the fix.
  ollama.setBehavior('qwen2.5-coder:7b', {
    reply: (req) => (req.messages.some((m) => m.role === 'user' && String(m.content).includes('rolled back')) ? FIX : BROKEN),
    tokenDelayMs: 2,
  });
  h = await startHeadless({ ollamaUrl: ollama.url });
  // The page takes a typed folder only under an allowed root (Settings → Workspace), as workspaces do.
  h.harness.app.services.settings.update({ setupCompleted: true, workspace: { allowedRoots: [path.dirname(dir)] } });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
  await ollama?.close();
});

describe('the Code page', () => {
  it('runs a task, shows the attempts live and the diffs, and reviews them by hunk and file, then undoes', async () => {
    const original = { cart: read('src/cart.ts'), long: read('src/long.ts') };
    await page.goto(`${h.server.openUrl}#/code`);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Code' }).click();
    const form = page.getByRole('form', { name: 'Coding task' });
    // A folder outside every allowed root is refused, and nothing runs.
    await form.getByRole('textbox', { name: 'Workspace folder' }).fill(ROOT);
    await form.getByRole('textbox', { name: 'Task' }).fill('Anything');
    await form.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => page.getByText(/is not under an allowed root/).count()).toBeGreaterThan(0);
    expect(ollama.requests.filter((r) => r.path === '/api/chat')).toEqual([]);
    await form.getByRole('textbox', { name: 'Workspace folder' }).fill(dir);
    await form.getByRole('textbox', { name: 'Task' }).fill('Fix totalCents in src/cart.ts to multiply by the quantity, and scale value2 and value18 in src/long.ts by 100.');
    await form.getByRole('textbox', { name: 'Start on model (optional)' }).fill('ollama/qwen2.5-coder:7b');
    await form.getByRole('button', { name: 'Run' }).click();

    const run = page.getByRole('region', { name: 'Coding run' });
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 60_000 }).toBe('passed');
    const first = page.getByRole('listitem', { name: 'Attempt 1' });
    expect(await first.getAttribute('data-status')).toBe('failed');
    expect(await first.getByRole('list', { name: 'Validation of attempt 1' }).textContent()).toContain('syntax: failed');
    expect(await first.getByRole('list', { name: 'Diagnostics of attempt 1' }).textContent()).toMatch(/src\/cart\.ts:9 syntax error/);
    const second = page.getByRole('listitem', { name: 'Attempt 2' });
    expect(await second.getAttribute('data-status')).toBe('passed');
    expect(await second.getByRole('list', { name: 'Validation of attempt 2' }).textContent()).toContain('build: skipped');
    // The heading does not overstate what ran.
    expect(await run.getByRole('heading', { level: 2 }).textContent()).toBe('Validation passed — build, test, lint skipped');
    // Commands were not allowed: the step says what it would have run.
    expect(await second.locator('.step-skipped').first().getAttribute('title')).toMatch(/not allowed in this workspace yet/);

    const longDiff = page.getByRole('article', { name: 'Diff of src/long.ts' });
    expect(await longDiff.locator('.hunk').count()).toBe(2);
    expect(await page.getByRole('article', { name: 'Diff of src/discount.ts' }).textContent()).toContain('new file');
    await page.screenshot({ path: screenshotPath('coding-1280x800'), fullPage: false });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('coding-800x600'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Reject hunk 2 of src/long.ts: reverted on disk, hunk 1 kept.
    await page.getByRole('button', { name: 'Reject hunk 2 of src/long.ts' }).click();
    await expect.poll(() => longDiff.locator('.hunk').nth(1).getAttribute('data-decision')).toBe('rejected');
    expect(read('src/long.ts')).toBe(original.long.replace('value2 = 2;', 'value2 = 200;'));
    await page.getByRole('button', { name: 'Accept src/cart.ts' }).click();
    await expect.poll(() => page.getByRole('article', { name: 'Diff of src/cart.ts' }).locator('.hunk').first().getAttribute('data-decision')).toBe('accepted');
    expect(read('src/cart.ts')).toContain('line.cents * line.quantity');
    await page.screenshot({ path: screenshotPath('coding-reviewed'), fullPage: true });

    // A reload keeps the review: the page opens on the last run (stored in SQLite), Undo still there.
    await page.reload();
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Code' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Coding run' }).getAttribute('data-status')).toBe('passed');
    expect(await longDiff.locator('.hunk').nth(1).getAttribute('data-decision')).toBe('rejected');
    expect(await form.getByRole('textbox', { name: 'Workspace folder' }).inputValue()).toBe(fs.realpathSync(dir));
    expect(await page.getByRole('article', { name: 'Diff of src/cart.ts' }).locator('.hunk').first().getAttribute('data-decision')).toBe('accepted');

    // Undo: every byte back, the created file gone, the tree clean.
    await page.getByRole('button', { name: 'Undo edits' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Edits undone' }).count()).toBe(1);
    expect(read('src/cart.ts')).toBe(original.cart);
    expect(read('src/long.ts')).toBe(original.long);
    expect(fs.existsSync(path.join(dir, 'src/discount.ts'))).toBe(false);
    expect(git('status', '--porcelain')).toBe('');
  }, 120_000);

  it('stops a task whose test command hangs: the command is killed, the edit rolled back, the run shown as stopped', async () => {
    const stopDir = path.join(path.dirname(dir), 'shop-stop');
    fs.cpSync(path.join(ROOT, 'test/fixtures/sample-ts-pkg'), stopDir, { recursive: true });
    const gitStop = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: stopDir, encoding: 'utf8' });
    gitStop('init', '-q');
    gitStop('add', '.');
    gitStop('commit', '-q', '-m', 'shop');
    const original = fs.readFileSync(path.join(stopDir, 'src/cart.ts'), 'utf8');
    const pidFile = path.join(tempDir(), 'test.pid');
    // This workspace's test step hangs (Settings → Workspace's own commands); build and lint are off.
    h.harness.app.services.coding.setWorkspaceSettings({
      root: stopDir, commands: { build: [], test: [`sh -c 'echo $$ > ${pidFile}; exec sleep 600'`], lint: [] }, maxRetries: null, timeoutsSec: { build: null, test: null, lint: null }, commandsAllowed: true,
    });
    ollama.setBehavior('qwen2.5-coder:7b', { reply: FIX.split('\n\n')[0] as string });

    const form = page.getByRole('form', { name: 'Coding task' });
    await form.getByRole('textbox', { name: 'Workspace folder' }).fill(stopDir);
    await form.getByRole('textbox', { name: 'Task' }).fill('Fix totalCents in src/cart.ts to multiply by the quantity.');
    await form.getByRole('textbox', { name: 'Start on model (optional)' }).fill('ollama/qwen2.5-coder:7b');
    await form.getByRole('button', { name: 'Run' }).click();
    const run = page.getByRole('region', { name: 'Coding run' });
    await expect.poll(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '', { timeout: 30_000 }).toBe(true);
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    expect(fs.readFileSync(path.join(stopDir, 'src/cart.ts'), 'utf8')).toContain('line.cents * line.quantity');
    expect(await run.getAttribute('data-status')).toBe('running');
    // The step that hangs is shown running, the ones after it waiting.
    await expect.poll(() => page.getByRole('list', { name: 'Validation of attempt 1' }).textContent()).toBe('syntax: passedbuild: skippedtest: running…lint: waiting');
    expect(await form.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    await page.screenshot({ path: screenshotPath('coding-running-1280x800'), fullPage: false });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('coding-running-800x600'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });

    await run.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    expect(await run.getByRole('heading', { level: 2 }).textContent()).toBe('Stopped — every file is as it was');
    expect(await page.getByRole('listitem', { name: 'Attempt 1' }).textContent()).toContain('Stopped before it finished; its edit was rolled back.');
    expect(await run.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    expect(fs.readFileSync(path.join(stopDir, 'src/cart.ts'), 'utf8')).toBe(original);
    expect(gitStop('status', '--porcelain')).toBe('');
    expect(() => process.kill(pid, 0)).toThrow();
    await page.screenshot({ path: screenshotPath('coding-stopped-1280x800'), fullPage: false });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('coding-stopped-800x600'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it('after a restart of Switchboard the page opens on the last run, with its diff, and Undo still restores the files', async () => {
    const restartDir = path.join(path.dirname(dir), 'shop-restart');
    fs.cpSync(path.join(ROOT, 'test/fixtures/sample-ts-pkg'), restartDir, { recursive: true });
    const gitR = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: restartDir, encoding: 'utf8' });
    gitR('init', '-q');
    gitR('add', '.');
    gitR('commit', '-q', '-m', 'shop');
    const original = fs.readFileSync(path.join(restartDir, 'src/cart.ts'), 'utf8');
    ollama.setBehavior('qwen2.5-coder:7b', { reply: FIX.split('\n\n')[0] as string });
    const started = await h.harness.app.call('coding.run', { root: restartDir, task: 'Fix totalCents', model: 'ollama/qwen2.5-coder:7b' });
    await expect.poll(() => h.harness.app.services.coding.get(started.id).status, { timeout: 30_000 }).toBe('passed');
    expect(fs.readFileSync(path.join(restartDir, 'src/cart.ts'), 'utf8')).toContain('line.cents * line.quantity');

    // Quit and start again on the same data folder (a new app and server: nothing kept in memory).
    await h.server.close();
    await h.harness.restart();
    h.server = await startHeadlessServer({ app: h.harness.app, port: 0, rendererDir: RENDERER_DIR });
    await page.goto(`${h.server.openUrl}#/code`);
    await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Code' }).click();
    const run = page.getByRole('region', { name: 'Coding run' });
    await expect.poll(() => run.getAttribute('data-status'), { timeout: 20_000 }).toBe('passed');
    expect(await page.getByRole('article', { name: 'Diff of src/cart.ts' }).textContent()).toContain('line.cents * line.quantity');
    expect(await run.textContent()).toContain('Fix totalCents');
    await page.screenshot({ path: screenshotPath('coding-after-restart-1280x800'), fullPage: false });
    await page.setViewportSize({ width: 800, height: 600 });
    await page.screenshot({ path: screenshotPath('coding-after-restart-800x600'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Undo edits' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Edits undone' }).count()).toBe(1);
    expect(fs.readFileSync(path.join(restartDir, 'src/cart.ts'), 'utf8')).toBe(original);
    expect(gitR('status', '--porcelain')).toBe('');
  }, 120_000);
});
