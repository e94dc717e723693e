import fs from 'node:fs';
import path from 'node:path';

export type StepName = 'build' | 'test' | 'lint';

/** One command of a step: an argv array, never a shell string. */
export interface StepCommand {
  argv: string[];
  /** What it is, for the user ("npm run typecheck", "pytest on tests/test_calc.py"). */
  label: string;
}

export interface StepPlan {
  /** The commands, in order; empty when the step does not apply. */
  commands: StepCommand[];
  /** The affected tests alone, run first when the tool supports it (test step only). */
  affected?: StepCommand[];
  /** Why the step has no command (shown as the step's "skipped" reason). */
  none?: string;
}

export type ValidationPlan = Record<StepName, StepPlan>;

/** A workspace's own choice of commands (stored per workspace); absent keys are detected. */
export interface ConfiguredCommands {
  build?: string[][];
  test?: string[][];
  lint?: string[][];
}

function exists(root: string, ...parts: string[]): boolean {
  return fs.existsSync(path.join(root, ...parts));
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** A tool in the workspace's node_modules/.bin (or an ancestor's, as npm run finds them). */
function nodeBin(root: string, name: string): string | null {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const bin = path.join(dir, 'node_modules', '.bin', name);
    if (fs.existsSync(bin)) return bin;
    if (path.dirname(dir) === dir) return null;
  }
}

/** A program on PATH. */
export function onPath(program: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, program))) return true;
  }
  return false;
}

const cmd = (argv: string[], label?: string): StepCommand => ({ argv, label: label ?? argv.join(' ') });
const JS_SOURCE = /\.[cm]?[jt]sx?$/;

function nodePlan(root: string, edited: readonly string[]): Partial<ValidationPlan> {
  const pkg = readJson(path.join(root, 'package.json'));
  const scripts = (pkg?.scripts ?? {}) as Record<string, string>;
  const deps = { ...((pkg?.dependencies ?? {}) as object), ...((pkg?.devDependencies ?? {}) as object) } as Record<string, string>;
  const plan: Partial<ValidationPlan> = {};
  const build: StepCommand[] = [];
  if (scripts.typecheck) build.push(cmd(['npm', 'run', '--silent', 'typecheck'], 'npm run typecheck'));
  else if (exists(root, 'tsconfig.json')) {
    const tsc = nodeBin(root, 'tsc');
    if (tsc) build.push(cmd([tsc, '--noEmit', '-p', 'tsconfig.json'], 'tsc --noEmit'));
  }
  if (scripts.build) build.push(cmd(['npm', 'run', '--silent', 'build'], 'npm run build'));
  plan.build = build.length ? { commands: build } : { commands: [], none: 'no build or typecheck script and no tsconfig.json with tsc installed' };
  if (scripts.test) {
    const vitest = 'vitest' in deps ? nodeBin(root, 'vitest') : null;
    const sources = edited.filter((f) => JS_SOURCE.test(f));
    plan.test = {
      commands: [cmd(['npm', 'test', '--silent'], 'npm test')],
      // vitest's `related` runs the tests that import the edited files.
      affected: vitest && sources.length ? [cmd([vitest, 'related', '--run', ...sources.map(fileArg)], `vitest related ${sources.join(' ')}`)] : undefined,
    };
  } else plan.test = { commands: [], none: 'package.json has no test script' };
  if (scripts.lint) plan.lint = { commands: [cmd(['npm', 'run', '--silent', 'lint'], 'npm run lint')] };
  else {
    const configured = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', '.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json'].some((f) => exists(root, f));
    const eslint = configured ? nodeBin(root, 'eslint') : null;
    const sources = edited.filter((f) => JS_SOURCE.test(f));
    if (eslint && sources.length) plan.lint = { commands: [cmd([eslint, ...sources.map(fileArg)], `eslint ${sources.join(' ')}`)] };
    else plan.lint = { commands: [], none: configured ? (eslint ? 'no JavaScript or TypeScript file was edited' : 'eslint is configured but not installed') : 'no lint script and no eslint config' };
  }
  return plan;
}

/**
 * A file name as a command argument: one the model named `-x` or `--rulesdir=…` would be read as an
 * option, so it goes as `./-x` (paths here are workspace-relative; only the first segment can look like one).
 */
function fileArg(rel: string): string {
  return rel.startsWith('-') ? `./${rel}` : rel;
}

/** Test files that match the edited Python modules: tests/test_calc.py for calc.py, and edited tests. */
function pythonTests(root: string, edited: readonly string[]): string[] {
  const wanted = new Set(edited.filter((f) => f.endsWith('.py')).map((f) => path.basename(f, '.py').replace(/^test_/, '').replace(/_test$/, '')));
  const found = new Set(edited.filter((f) => /(^|\/)(test_[^/]+|[^/]+_test)\.py$/.test(f)));
  const walk = (dir: string, depth: number): void => {
    if (depth > 6) return;
    for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === '__pycache__' || e.name === 'venv') continue;
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel, depth + 1);
      else {
        const m = /^test_(.+)\.py$|^(.+)_test\.py$/.exec(e.name);
        if (m && wanted.has((m[1] ?? m[2]) as string)) found.add(rel);
      }
    }
  };
  walk('', 0);
  return [...found].sort();
}

function pythonPlan(root: string, edited: readonly string[], env: NodeJS.ProcessEnv): Partial<ValidationPlan> {
  const pyproject = exists(root, 'pyproject.toml') ? fs.readFileSync(path.join(root, 'pyproject.toml'), 'utf8') : '';
  const python = onPath('python3', env) ? 'python3' : 'python';
  const plan: Partial<ValidationPlan> = { build: { commands: [], none: 'Python has no build step (the syntax check parses every edited file)' } };
  const tests = pythonTests(root, edited);
  plan.test = {
    commands: [cmd([python, '-m', 'pytest', '-q'], 'pytest')],
    affected: tests.length ? [cmd([python, '-m', 'pytest', '-q', ...tests.map(fileArg)], `pytest ${tests.join(' ')}`)] : undefined,
  };
  const pyFiles = edited.filter((f) => f.endsWith('.py'));
  const ruffConfigured = /\[tool\.ruff/.test(pyproject) || exists(root, 'ruff.toml') || exists(root, '.ruff.toml');
  const flake8Configured = exists(root, '.flake8') || (exists(root, 'setup.cfg') && /\[flake8\]/.test(fs.readFileSync(path.join(root, 'setup.cfg'), 'utf8'))) || /\[tool\.flake8\]/.test(pyproject);
  if (pyFiles.length === 0) plan.lint = { commands: [], none: 'no Python file was edited' };
  else if (ruffConfigured && onPath('ruff', env)) plan.lint = { commands: [cmd(['ruff', 'check', '--output-format', 'concise', ...pyFiles.map(fileArg)], `ruff check ${pyFiles.join(' ')}`)] };
  else if (ruffConfigured && onPath('flake8', env)) plan.lint = { commands: [cmd(['flake8', ...pyFiles.map(fileArg)], `flake8 ${pyFiles.join(' ')} (ruff is configured but not installed)`)] };
  else if (flake8Configured && onPath('flake8', env)) plan.lint = { commands: [cmd(['flake8', ...pyFiles.map(fileArg)], `flake8 ${pyFiles.join(' ')}`)] };
  else if (ruffConfigured || flake8Configured) plan.lint = { commands: [], none: `${ruffConfigured ? 'ruff' : 'flake8'} is configured but not installed` };
  else plan.lint = { commands: [], none: 'no ruff or flake8 configuration' };
  return plan;
}

/**
 * What to run for each step, detected from the workspace's files (issue #12): package.json scripts
 * and tsconfig, pyproject/pytest and ruff/flake8, go.mod, Cargo.toml; a workspace's configured
 * commands replace the detected ones step by step.
 */
export function detectValidation(root: string, edited: readonly string[], configured: ConfiguredCommands = {}, env: NodeJS.ProcessEnv = process.env): ValidationPlan {
  let plan: Partial<ValidationPlan> = {};
  if (exists(root, 'package.json')) plan = nodePlan(root, edited);
  else if (exists(root, 'pyproject.toml') || exists(root, 'setup.py') || exists(root, 'pytest.ini') || exists(root, 'setup.cfg')) plan = pythonPlan(root, edited, env);
  else if (exists(root, 'go.mod')) {
    plan = { build: { commands: [cmd(['go', 'build', './...'])] }, test: { commands: [cmd(['go', 'test', './...'])] }, lint: { commands: [cmd(['go', 'vet', './...'])] } };
  } else if (exists(root, 'Cargo.toml')) {
    plan = {
      build: { commands: [cmd(['cargo', 'build', '--quiet'], 'cargo build')] },
      test: { commands: [cmd(['cargo', 'test', '--quiet'], 'cargo test')] },
      lint: onPath('cargo-clippy', env) ? { commands: [cmd(['cargo', 'clippy', '--quiet', '--', '-D', 'warnings'], 'cargo clippy')] } : { commands: [], none: 'clippy is not installed' },
    };
  }
  const none = 'nothing detected in this workspace (no package.json, pyproject.toml, go.mod or Cargo.toml)';
  const result: ValidationPlan = {
    build: plan.build ?? { commands: [], none },
    test: plan.test ?? { commands: [], none },
    lint: plan.lint ?? { commands: [], none },
  };
  for (const step of ['build', 'test', 'lint'] as const) {
    const own = configured[step];
    if (own) result[step] = own.length ? { commands: own.map((argv) => cmd(argv)) } : { commands: [], none: 'switched off for this workspace' };
  }
  return result;
}
