import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDiagnostics } from './diagnostics';
import { detectValidation, onPath } from './detect-steps';
import { commandEnv, runCommand } from './run-command';
import { syntaxCheck } from './syntax-check';
import { DEFAULT_VALIDATION, validateEdits } from './validation-pipeline';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of a fixture package in a temp folder, with the repository's node_modules linked in. */
function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(tmpdir(), `sb-${name}-`));
  dirs.push(dir);
  fs.cpSync(path.join(ROOT, 'test/fixtures', name), dir, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

describe('runCommand', () => {
  it('stops a command that hangs, with its whole process group', async () => {
    const r = await runCommand(['node', '-e', 'require("child_process").spawn("sleep", ["60"], { stdio: "inherit" }); setInterval(() => {}, 1000)'], {
      cwd: tmpdir(), timeoutMs: 500, maxOutputBytes: 1024,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBeNull();
  });

  it('keeps the head and tail of a command that prints megabytes, not the whole output', async () => {
    const script = 'process.stdout.write("START\\n"); for (let i = 0; i < 40000; i++) process.stdout.write("x".repeat(99) + "\\n"); process.stdout.write("END error here\\n")';
    const r = await runCommand(['node', '-e', script], { cwd: tmpdir(), timeoutMs: 60_000, maxOutputBytes: 8192 });
    expect(r.exitCode).toBe(0);
    expect(r.outputBytes).toBeGreaterThan(4_000_000);
    expect(r.truncated).toBe(true);
    expect(r.output.length).toBeLessThan(9000);
    expect(r.output.startsWith('START\n')).toBe(true);
    expect(r.output.endsWith('END error here\n')).toBe(true);
    expect(r.output).toMatch(/bytes of output left out/);
  });

  it('says when a program is not installed, and passes arguments without a shell', async () => {
    const missing = await runCommand(['no-such-program-sb'], { cwd: tmpdir(), timeoutMs: 5000, maxOutputBytes: 1024 });
    expect(missing.spawnError).toMatch(/not installed/);
    const literal = await runCommand(['node', '-e', 'console.log(process.argv[1])', '$(touch /tmp/sb-injected); echo hi'], { cwd: tmpdir(), timeoutMs: 5000, maxOutputBytes: 1024 });
    expect(literal.output.trim()).toBe('$(touch /tmp/sb-injected); echo hi');
  });

  it('offline: proxies point at a closed loopback port and package managers are told to stay offline', () => {
    const env = commandEnv({ PATH: '/bin', NO_PROXY: 'example.com' }, true);
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://127.0.0.1:9', npm_config_offline: 'true', GOPROXY: 'off', PIP_NO_INDEX: '1', CARGO_NET_OFFLINE: 'true' });
    expect(env.NO_PROXY).toBeUndefined();
    expect(commandEnv({ PATH: '/bin' }, false).HTTPS_PROXY).toBeUndefined();
  });
});

describe('parseDiagnostics', () => {
  it('reads tsc, eslint stylish and unix, ruff/flake8, pytest, go and cargo output', () => {
    const root = '/work/p';
    expect(parseDiagnostics("src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", root)).toEqual([
      { file: 'src/a.ts', line: 3, column: 7, message: "TS2322: Type 'string' is not assignable to type 'number'." },
    ]);
    expect(parseDiagnostics('/work/p/src/b.ts\n  4:9  error  \'x\' is assigned a value but never used  no-unused-vars\n\n✖ 1 problem', root)).toEqual([
      { file: 'src/b.ts', line: 4, column: 9, message: "'x' is assigned a value but never used (no-unused-vars)" },
    ]);
    expect(parseDiagnostics('/work/p/src/c.js:2:1: Unexpected var [Error/no-var]', root)[0]).toEqual({ file: 'src/c.js', line: 2, column: 1, message: 'Unexpected var [Error/no-var]' });
    expect(parseDiagnostics('calc/stats.py:1:1: F401 `os` imported but unused', root)[0]).toEqual({ file: 'calc/stats.py', line: 1, column: 1, message: 'F401 `os` imported but unused' });
    const pytest = parseDiagnostics('tests/test_stats.py:5: AssertionError\n=== short test summary info ===\nFAILED tests/test_stats.py::test_mean - assert 2.5 == 3', root);
    expect(pytest).toContainEqual({ file: 'tests/test_stats.py', line: 5, message: 'test_mean failed: assert 2.5 == 3' });
    expect(parseDiagnostics('# example.com/m\n./main.go:12:3: undefined: x', root)[0]).toEqual({ file: 'main.go', line: 12, column: 3, message: 'undefined: x' });
    expect(parseDiagnostics('error[E0308]: mismatched types\n  --> src/main.rs:4:18\n   |', root)[0]).toEqual({ file: 'src/main.rs', line: 4, column: 18, message: 'error[E0308]: mismatched types' });
    expect(parseDiagnostics('everything is fine\n3 passed', root)).toEqual([]);
  });
});

describe('syntaxCheck', () => {
  it('reports ERROR and MISSING nodes with their line, per language', async () => {
    const { diagnostics, checked } = await syntaxCheck([
      { path: 'a.ts', content: 'export const a: number = 1;\nfunction f( {\n' },
      { path: 'b.py', content: 'def f():\n    return 1\n' },
      { path: 'c.py', content: 'def f(:\n    return 1\n' },
      { path: 'd.go', content: 'package main\nfunc main() {}\n' },
      { path: 'e.rs', content: 'fn main() { let x = ; }\n' },
      { path: 'notes.md', content: '# anything' },
    ]);
    expect(checked).toEqual(['a.ts', 'b.py', 'c.py', 'd.go', 'e.rs']);
    expect(diagnostics.map((d) => `${d.file}:${d.line}`)).toEqual(expect.arrayContaining(['a.ts:2', 'c.py:1', 'e.rs:1']));
    expect(diagnostics.some((d) => d.file === 'b.py' || d.file === 'd.go')).toBe(false);
  });
});

describe('detectValidation', () => {
  it('finds the TypeScript package scripts and vitest related for the edited files', () => {
    const dir = copyFixture('sample-ts-pkg');
    const plan = detectValidation(dir, ['src/cart.ts']);
    expect(plan.build.commands.map((c) => c.label)).toEqual(['npm run typecheck']);
    expect(plan.test.commands.map((c) => c.label)).toEqual(['npm test']);
    expect(plan.test.affected?.[0]?.argv.slice(-3)).toEqual(['related', '--run', 'src/cart.ts']);
    expect(plan.lint.none).toMatch(/no lint script/);
  });

  it('a file the model named like an option goes to the tools as a path, never as an option', () => {
    const dir = copyFixture('sample-ts-pkg');
    const plan = detectValidation(dir, ['--reporter=./evil.ts', 'src/cart.ts']);
    expect(plan.test.affected?.[0]?.argv.slice(-2)).toEqual(['./--reporter=./evil.ts', 'src/cart.ts']);
  });

  it('finds pytest on the tests of the edited module, and a configured linter', () => {
    const dir = copyFixture('sample-py-pkg');
    const plan = detectValidation(dir, ['calc/stats.py']);
    expect(plan.test.affected?.[0]?.label).toBe('pytest tests/test_stats.py');
    expect(plan.lint.commands.length > 0 || /configured but not installed/.test(plan.lint.none ?? '')).toBe(true);
    expect(detectValidation(dir, ['calc/stats.py'], { lint: [] }).lint.none).toBe('switched off for this workspace');
  });
});

describe('validateEdits', () => {
  it('skips commands until the workspace allows them', async () => {
    const dir = copyFixture('sample-ts-pkg');
    const r = await validateEdits({ root: dir, files: [{ path: 'src/cart.ts', content: fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8') }], commandsAllowed: false, offline: false });
    expect(r.steps.syntax.status).toBe('passed');
    expect(r.steps.build).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/not allowed in this workspace yet.*npm run typecheck.*--allow-commands/) });
    expect(r.passed).toBe(true);
  });

  it('runs the TypeScript package: typecheck passes, the affected test fails with a diagnostic, lint is skipped', async () => {
    const dir = copyFixture('sample-ts-pkg');
    const r = await validateEdits({ root: dir, files: [{ path: 'src/cart.ts', content: fs.readFileSync(path.join(dir, 'src/cart.ts'), 'utf8') }], commandsAllowed: true, offline: true });
    expect(r.steps.build.status).toBe('passed');
    expect(r.steps.test.status).toBe('failed');
    expect(r.steps.test.commands).toHaveLength(1); // the affected tests failed: the full suite was not needed
    expect(r.steps.test.commands[0]?.label).toMatch(/^vitest related/);
    expect(r.steps.test.diagnostics.some((d) => d.file === 'test/cart.spec.ts')).toBe(true);
    expect(r.steps.test.output).toMatch(/expected 550 to be 800/);
    expect(r.steps.lint).toMatchObject({ status: 'skipped', reason: 'not run: the test step failed' });
    expect(r.passed).toBe(false);
  }, 180_000);

  it.runIf(onPath('flake8') || onPath('ruff') || process.env.CI === 'true')('runs the Python package: pytest passes and the linter finds the unused import', async () => {
    const dir = copyFixture('sample-py-pkg');
    const r = await validateEdits({ root: dir, files: [{ path: 'calc/stats.py', content: fs.readFileSync(path.join(dir, 'calc/stats.py'), 'utf8') }], commandsAllowed: true, offline: true, settings: DEFAULT_VALIDATION });
    expect(r.steps.test.status).toBe('passed');
    expect(r.steps.lint.status).toBe('failed');
    expect(r.diagnostics).toContainEqual(expect.objectContaining({ file: 'calc/stats.py', line: 1, message: expect.stringMatching(/F401/) }));
  }, 120_000);

  it('a hanging test command fails the step with a clear reason', async () => {
    const dir = copyFixture('sample-ts-pkg');
    const r = await validateEdits({
      root: dir, files: [], commandsAllowed: true, offline: false,
      configured: { build: [], lint: [], test: [['node', '-e', 'setInterval(() => {}, 1000)']] },
      settings: { ...DEFAULT_VALIDATION, timeoutsMs: { build: 1000, test: 500, lint: 1000 } },
    });
    expect(r.steps.test).toMatchObject({ status: 'failed', reason: expect.stringMatching(/did not finish within 1 s and was stopped/) });
  });
});
