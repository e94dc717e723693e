// The coding workspace (issue #12) end to end through the CLI: a real sample package, its own
// typecheck and tests, scripted models behind the fake Ollama and the fake Groq (OpenAI protocol).
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { tempDir } from '../helpers/app-harness';
import { onPath } from '../../src/main/coding/validation/detect-steps';
import { cli, ROOT } from '../helpers/cli-harness';

const LOCAL = 'ollama/qwen2.5-coder:7b';
const GROQ = 'groq/llama-3.3-70b-versatile';
const TASK = 'Fix totalCents in src/cart.ts so that it multiplies each price by its quantity.';

let ollama: FakeOllama;
let groq: FakeOpenAI;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'qwen2.5-coder:7b' }] });
  groq = await startFakeOpenAI({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'], apiKey: 'gsk_coding_1234' });
});
afterAll(async () => {
  await Promise.all([ollama.close(), groq.close()]);
});
beforeEach(() => {
  ollama.requests.length = 0;
  groq.requests.length = 0;
});

const edit = (search: string, replace: string): string =>
  `The total must use the quantity.\n\nsrc/cart.ts\n\`\`\`ts\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;
const BUGGY = '  return lines.reduce((sum, line) => sum + line.cents, 0);';
const WRONG_FIX = edit(BUGGY, '  return lines.reduce((sum, line) => sum + line.cents + line.quantity, 0);');
const RIGHT_FIX = edit(BUGGY, '  return lines.reduce((sum, line) => sum + line.cents * line.quantity, 0);');

const git = (dir: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });

/** The TypeScript sample package in a fresh git repository, with the repository's node_modules linked in (ignored by git). */
function workspace(): string {
  const dir = path.join(tempDir(), 'sample-ts-pkg');
  fs.cpSync(path.join(ROOT, 'test/fixtures/sample-ts-pkg'), dir, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'sample');
  return dir;
}

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['src/cart.ts', 'src/format.ts', 'test/cart.spec.ts', 'package.json']) out[f] = fs.readFileSync(path.join(dir, f), 'utf8');
  return out;
}

const env = (): NodeJS.ProcessEnv => {
  const routerJson = path.join(tempDir(), 'router.json');
  fs.writeFileSync(routerJson, JSON.stringify({ difficulty: { enabled: false } }));
  return { SWITCHBOARD_DATA_DIR: tempDir(), SWITCHBOARD_ROUTER_CONFIG: routerJson, OLLAMA_HOST: ollama.url, GROQ_API_KEY: 'gsk_coding_1234', GROQ_BASE_URL: `${groq.url}/v1`, PATH: process.env.PATH };
};

const lastUserText = (messages: Array<{ role: string; content: unknown }>): string => String(messages.filter((m) => m.role === 'user').at(-1)?.content ?? '');

describe('cli code', () => {
  it('wrong fix → its test fails → rolled back → the feedback reaches the escalated model → the right fix passes', async () => {
    const dir = workspace();
    ollama.setBehavior('qwen2.5-coder:7b', { reply: WRONG_FIX });
    groq.setBehavior('llama-3.3-70b-versatile', { reply: RIGHT_FIX });
    const { code, stdout, stderr } = await cli(['code', '--workspace', dir, '--model', LOCAL, '--allow-commands', '--json', TASK], env());
    expect(stderr).toBe('');
    const out = JSON.parse(stdout);
    expect(Object.keys(out).sort()).toEqual(['attempts', 'contextFiles', 'filesChanged', 'status', 'totalCostUsd']);
    expect(out.status).toBe('passed');
    expect(code).toBe(0);
    expect(out.attempts).toHaveLength(2);
    expect(out.attempts[0]).toMatchObject({ model: LOCAL, tier: 'local', validation: { syntax: 'passed', build: 'passed', test: 'failed', lint: 'skipped' }, costUsd: 0 });
    expect(out.attempts[0].diagnostics).toContainEqual(expect.objectContaining({ file: 'test/cart.spec.ts', source: 'test' }));
    expect(out.attempts[1]).toMatchObject({ model: GROQ, tier: 'free', validation: { syntax: 'passed', build: 'passed', test: 'passed', lint: 'skipped' }, diagnostics: [] });
    expect(Object.keys(out.attempts[1]).sort()).toEqual(['costUsd', 'diagnostics', 'model', 'tier', 'validation']);
    expect(out.filesChanged).toEqual(['src/cart.ts']);
    expect(out.contextFiles).toEqual(expect.arrayContaining(['src/cart.ts', 'test/cart.spec.ts']));

    // The local model saw the file; the escalated one saw the failed reply and the test's failure.
    const localPrompt = lastUserText((ollama.requests.find((r) => r.path === '/api/chat')?.body as { messages?: Array<{ role: string; content: unknown }> } | undefined)?.messages ?? []);
    expect(localPrompt).toContain(BUGGY);
    const groqChat = groq.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(groqChat).toHaveLength(1);
    const feedback = lastUserText(groqChat[0]?.body.messages ?? []);
    expect(feedback).toMatch(/rolled back, because validation failed/);
    expect(feedback).toMatch(/The test step failed: vitest related src\/cart\.ts exited with code 1/);
    expect(feedback).toMatch(/expected \d+ to be 800/);
    expect(groqChat[0]?.body.messages.some((m: { role: string; content: string }) => m.role === 'assistant' && m.content.includes('line.cents + line.quantity'))).toBe(true);

    // The right fix is in the working tree, uncommitted; nothing else changed.
    expect(fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8')).toContain('sum + line.cents * line.quantity');
    expect(git(dir, 'status', '--porcelain')).toBe(' M src/cart.ts\n');
  }, 300_000);

  it('every attempt failing leaves the files byte-identical, and exits 1', async () => {
    const dir = workspace();
    const before = files(dir);
    ollama.setBehavior('qwen2.5-coder:7b', { reply: WRONG_FIX });
    groq.setBehavior('llama-3.3-70b-versatile', { reply: edit(BUGGY, '  return lines.reduce((sum, line) => sum + line.cents, 0) +;') });
    const { code, stdout } = await cli(['code', '--workspace', dir, '--model', LOCAL, '--allow-commands', '--json', TASK], env());
    const out = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(out.status).toBe('failed');
    expect(out.attempts).toHaveLength(3); // the first try and max_retries = 2, the last two on the top of the chain
    expect(out.attempts[1].validation).toEqual({ syntax: 'failed', build: 'skipped', test: 'skipped', lint: 'skipped' });
    expect(out.attempts[1].diagnostics[0]).toMatchObject({ file: 'src/cart.ts', line: 9, source: 'syntax' });
    expect(out.filesChanged).toEqual([]);
    expect(files(dir)).toEqual(before);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  }, 300_000);

  it('refuses a path outside the workspace and a reply without edit blocks, touching nothing', async () => {
    const dir = workspace();
    const outside = path.join(path.dirname(dir), 'outside.txt');
    fs.writeFileSync(outside, 'keep me\n');
    const before = files(dir);
    ollama.setBehavior('qwen2.5-coder:7b', { reply: 'You should multiply by the quantity.' });
    groq.setBehavior('llama-3.3-70b-versatile', { reply: '../outside.txt\n<<<<<<< SEARCH\nkeep me\n=======\nstolen\n>>>>>>> REPLACE\n' });
    const { code, stdout } = await cli(['code', '--workspace', dir, '--model', LOCAL, '--json', TASK], env());
    const out = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(out.attempts.map((a: { validation: object }) => a.validation)).toEqual(Array(3).fill({ syntax: 'skipped', build: 'skipped', test: 'skipped', lint: 'skipped' }));
    expect(out.attempts[1].diagnostics[0]).toMatchObject({ file: '../outside.txt', source: 'edit', message: expect.stringMatching(/outside the workspace/) });
    // The second request was told why the first reply did nothing.
    expect(lastUserText(groq.requests.find((r) => r.path === '/v1/chat/completions')?.body.messages ?? [])).toMatch(/has no SEARCH\/REPLACE blocks/);
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep me\n');
    expect(files(dir)).toEqual(before);
  }, 120_000);

  it('without --allow-commands the commands are skipped with the reason; a dirty file is not edited', async () => {
    const dir = workspace();
    fs.appendFileSync(path.join(dir, 'src/cart.ts'), '// my work in progress\n');
    const dirty = fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8');
    ollama.setBehavior('qwen2.5-coder:7b', { reply: RIGHT_FIX });
    groq.setBehavior('llama-3.3-70b-versatile', { reply: RIGHT_FIX });
    const r = await cli(['code', '--workspace', dir, '--model', LOCAL, TASK], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/warning: Uncommitted changes in src\/cart\.ts: those files will not be edited/);
    expect(r.stderr).toMatch(/Attempt 1 · ollama\/qwen2\.5-coder:7b \(local\) · .*failed: Refused src\/cart\.ts: it has uncommitted changes/);
    expect(fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8')).toBe(dirty);

    const allowed = await cli(['code', '--workspace', dir, '--model', LOCAL, '--allow-dirty', '--json', TASK], env());
    const out = JSON.parse(allowed.stdout);
    expect(out.status).toBe('passed');
    expect(out.attempts[0].validation).toEqual({ syntax: 'passed', build: 'skipped', test: 'skipped', lint: 'skipped' });
    expect(fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8')).toContain('line.cents * line.quantity, 0);\n}\n// my work in progress\n');
  }, 120_000);

  it('usage mistakes and a missing workspace get a clear message', async () => {
    expect((await cli(['code', TASK], env())).stderr).toMatch(/code needs --workspace <dir>/);
    const missing = await cli(['code', '--workspace', path.join(tempDir(), 'nope'), TASK], env());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is not a folder that exists/);
  });

  it('runs from the build (bin/switchboard.mjs): the bundle finds the tree-sitter grammars in node_modules', async () => {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-node.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
    const dir = workspace();
    ollama.setBehavior('qwen2.5-coder:7b', { reply: edit(BUGGY, '  return lines.reduce((sum, line) => sum + line.cents * (line.quantity, 0);') });
    groq.setBehavior('llama-3.3-70b-versatile', { reply: RIGHT_FIX });
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(ROOT, 'bin/switchboard.mjs'), 'code', '--workspace', dir, '--model', LOCAL, '--json', TASK], { cwd: tempDir(), env: { ...env(), NODE_OPTIONS: '' }, timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(out.attempts.map((a: { validation: { syntax: string } }) => a.validation.syntax)).toEqual(['failed', 'passed']);
    expect(out.attempts[0].diagnostics[0]).toMatchObject({ file: 'src/cart.ts', line: 9, source: 'syntax' });
    expect(out.filesChanged).toEqual(['src/cart.ts']);
  }, 300_000);
});

describe('run-plan --workspace (a plan\'s code tasks run the coding loop)', () => {
  it('fixes first, then continues: the code task applies and validates its edit, its dependent reads the result', async () => {
    const dir = workspace();
    const plan = {
      goal: 'Fix the cart total, then write release notes',
      tasks: [
        { id: 'fix', title: 'Fix totalCents', instructions: TASK, kind: 'code', complexity: 'simple', dependsOn: [] },
        { id: 'notes', title: 'Write release notes', instructions: 'Write one line of release notes for the fix.', kind: 'docs', complexity: 'simple', dependsOn: ['fix'] },
      ],
    };
    const planFile = path.join(tempDir(), 'plan.json');
    fs.writeFileSync(planFile, JSON.stringify(plan));
    // Whichever model the router picks answers by what it is asked: edit blocks (broken, then right once told), notes, or the final answer.
    const answer = ({ messages }: { messages: Array<{ role: string; content: unknown }> }): string => {
      const text = messages.map((m) => String(m.content)).join('\n');
      if (text.includes('<<<<<<< SEARCH')) return text.includes('rolled back') ? RIGHT_FIX : edit(BUGGY, '  return lines.reduce((sum, line) => sum + line.cents * (line.quantity, 0);');
      if (text.includes('release notes')) return text.includes('validation passed') ? 'Totals now count each quantity (verified by the tests).' : 'No verified change to describe.';
      return 'Fixed the cart total; release notes written.';
    };
    ollama.setBehavior('qwen2.5-coder:7b', { reply: answer });
    for (const m of ['*', 'llama-3.3-70b-versatile', 'llama-3.1-8b-instant']) groq.setBehavior(m, { reply: answer });
    const { code, stdout, stderr } = await cli(['run-plan', planFile, '--workspace', dir, '--json'], env());
    expect(stderr).toBe('');
    const out = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(out.tasks.map((t: { id: string; status: string }) => `${t.id}:${t.status}`)).toEqual(['fix:done', 'notes:done']);
    expect(out.tasks[0].attempts).toBe(2); // the syntax error was rolled back and fixed
    expect(fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8')).toContain('sum + line.cents * line.quantity');
    expect(git(dir, 'status', '--porcelain')).toBe(' M src/cart.ts\n');
    // The notes task was told what the code task changed and that it passed.
    const all = [...ollama.requests, ...groq.requests].map((r) => JSON.stringify((r.body as { messages?: unknown } | undefined)?.messages ?? ''));
    expect(all.some((m) => m.includes('Write one line of release notes') && m.includes('validation passed') && m.includes('src/cart.ts'))).toBe(true);
  }, 300_000);
});

describe.runIf(onPath('flake8') || onPath('ruff') || process.env.CI === 'true')('cli code on the Python sample (pytest and a linter)', () => {
  it('a lint error fails the edit; told the diagnostic, the next model removes the unused import', async () => {
    const dir = path.join(tempDir(), 'sample-py-pkg');
    fs.cpSync(path.join(ROOT, 'test/fixtures/sample-py-pkg'), dir, { recursive: true });
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'sample');
    const docstring = '    """The arithmetic mean of a non-empty list."""\n';
    const guard = '    if not values:\n        raise ValueError("mean() of an empty list")\n';
    ollama.setBehavior('qwen2.5-coder:7b', { reply: `calc/stats.py\n<<<<<<< SEARCH\n${docstring}=======\n${docstring}${guard}>>>>>>> REPLACE\n` });
    groq.setBehavior('llama-3.3-70b-versatile', {
      reply: `calc/stats.py\n<<<<<<< SEARCH\nimport os\n\n\ndef mean(values):\n${docstring}=======\ndef mean(values):\n${docstring}${guard}>>>>>>> REPLACE\n`,
    });
    const { code, stdout } = await cli(['code', '--workspace', dir, '--model', LOCAL, '--allow-commands', '--json', 'Make mean() raise ValueError on an empty list.'], env());
    const out = JSON.parse(stdout);
    expect(out.attempts[0].validation).toEqual({ syntax: 'passed', build: 'skipped', test: 'passed', lint: 'failed' });
    expect(out.attempts[0].diagnostics).toContainEqual(expect.objectContaining({ file: 'calc/stats.py', line: 1, source: 'lint', message: expect.stringMatching(/F401/) }));
    expect(out.attempts[1].validation).toEqual({ syntax: 'passed', build: 'skipped', test: 'passed', lint: 'passed' });
    expect(code).toBe(0);
    expect(lastUserText(groq.requests.find((r) => r.path === '/v1/chat/completions')?.body.messages ?? [])).toMatch(/The lint step failed[\s\S]*F401/);
    expect(fs.readFileSync(path.join(dir, 'calc/stats.py'), 'utf8')).not.toContain('import os');
  }, 300_000);
});

