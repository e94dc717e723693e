import type { Diagnostic } from './diagnostics';
import { parseDiagnostics } from './diagnostics';
import { detectValidation, type ConfiguredCommands, type StepCommand, type StepName } from './detect-steps';
import { commandEnv, runCommand, type CommandRun } from './run-command';
import { syntaxCheck } from './syntax-check';

export type StepStatus = 'passed' | 'failed' | 'skipped';

/**
 * Seed 002's `[validation]` keys (enable_syntax_check, enable_build_check, enable_test_execution,
 * enable_lint_check) are the defaults; the seed names `max_retries` without a number — ours is the
 * router's own escalation depth plus the first try (3 attempts). The seed's targets (build 2–5 s,
 * tests 5–30 s for `cargo check`/`cargo test`) are far below a real project's cold build, so the
 * timeouts give a generous multiple of them.
 */
export interface ValidationSettings {
  enableSyntaxCheck: boolean;
  enableBuildCheck: boolean;
  enableTestExecution: boolean;
  enableLintCheck: boolean;
  maxRetries: number;
  timeoutsMs: Record<StepName, number>;
  /** Output kept per command (head and tail); the rest is dropped as it streams. */
  maxOutputBytes: number;
}

export const DEFAULT_VALIDATION: ValidationSettings = {
  enableSyntaxCheck: true,
  enableBuildCheck: true,
  enableTestExecution: true,
  enableLintCheck: true,
  maxRetries: 2,
  timeoutsMs: { build: 120_000, test: 300_000, lint: 120_000 },
  maxOutputBytes: 256 * 1024,
};

export interface CommandSummary {
  label: string;
  argv: string[];
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  truncated: boolean;
  outputBytes: number;
}

export interface StepResult {
  status: StepStatus;
  /** Why a step was skipped or failed, in words ("commands are not allowed in this workspace yet"). */
  reason: string | null;
  commands: CommandSummary[];
  diagnostics: Diagnostic[];
  /** The failing command's output, trimmed for the next request (empty when it passed). */
  output: string;
}

export type ValidationSteps = Record<'syntax' | StepName, StepResult>;

export interface ValidationResult {
  passed: boolean;
  steps: ValidationSteps;
  diagnostics: Diagnostic[];
}

export interface ValidateOptions {
  root: string;
  /** Workspace-relative paths of the edited files, with their new contents (deleted files left out). */
  files: ReadonlyArray<{ path: string; content: string }>;
  settings?: ValidationSettings;
  configured?: ConfiguredCommands;
  /** The user allowed this workspace's commands (once per workspace, or --allow-commands). */
  commandsAllowed: boolean;
  offline: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  onStep?: (step: 'syntax' | StepName, result: StepResult | null) => void;
}

/** The part of a failing output sent back to the model: the last lines, where the errors are. */
export const FEEDBACK_OUTPUT_CHARS = 3_000;

function trimOutput(text: string): string {
  const t = text.trim();
  return t.length <= FEEDBACK_OUTPUT_CHARS ? t : `…${t.slice(t.length - FEEDBACK_OUTPUT_CHARS)}`;
}

const skipped = (reason: string): StepResult => ({ status: 'skipped', reason, commands: [], diagnostics: [], output: '' });

function summary(c: StepCommand, r: CommandRun): CommandSummary {
  return { label: c.label, argv: c.argv, exitCode: r.exitCode, durationMs: r.durationMs, timedOut: r.timedOut, truncated: r.truncated, outputBytes: r.outputBytes };
}

/** Why a command failed, in words. */
function failureReason(c: StepCommand, r: CommandRun, timeoutMs: number): string {
  if (r.spawnError) return `${c.label} could not start: ${r.spawnError}`;
  if (r.timedOut) return `${c.label} did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`;
  if (r.cancelled) return `${c.label} was cancelled`;
  return `${c.label} exited with code ${r.exitCode}${r.truncated ? ` (it printed ${Math.round(r.outputBytes / 1024)} KB; the middle of its output was left out)` : ''}`;
}

/**
 * Seed 002's four-stage validation (issue #12): syntax (tree-sitter) → build/typecheck → tests
 * (the affected tests first, then the full suite) → lint. A failing stage ends the run: the later
 * stages are skipped and say so, as the seed's "early exit".
 */
export async function validateEdits(o: ValidateOptions): Promise<ValidationResult> {
  const settings = o.settings ?? DEFAULT_VALIDATION;
  const steps: Partial<ValidationSteps> = {};
  let failedAt: string | null = null;
  const done = (name: 'syntax' | StepName, result: StepResult): void => {
    steps[name] = result;
    if (result.status === 'failed' && !failedAt) failedAt = name;
    o.onStep?.(name, result);
  };

  if (!settings.enableSyntaxCheck) done('syntax', skipped('switched off (enable_syntax_check = false)'));
  else {
    const { diagnostics, checked } = await syntaxCheck(o.files);
    if (checked.length === 0) done('syntax', skipped('no edited file has a bundled grammar'));
    else done('syntax', { status: diagnostics.length ? 'failed' : 'passed', reason: diagnostics.length ? `${diagnostics.length} syntax error${diagnostics.length === 1 ? '' : 's'}` : null, commands: [], diagnostics, output: '' });
  }

  const plan = detectValidation(o.root, o.files.map((f) => f.path), o.configured, o.env);
  const env = commandEnv(o.env ?? process.env, o.offline);
  const enabled: Record<StepName, boolean> = { build: settings.enableBuildCheck, test: settings.enableTestExecution, lint: settings.enableLintCheck };
  const key: Record<StepName, string> = { build: 'enable_build_check', test: 'enable_test_execution', lint: 'enable_lint_check' };
  for (const name of ['build', 'test', 'lint'] as const) {
    const step = plan[name];
    if (failedAt) {
      done(name, skipped(`not run: the ${failedAt} step failed`));
      continue;
    }
    if (!enabled[name]) {
      done(name, skipped(`switched off (${key[name]} = false)`));
      continue;
    }
    if (step.commands.length === 0) {
      done(name, skipped(step.none ?? 'nothing to run'));
      continue;
    }
    if (!o.commandsAllowed) {
      done(name, skipped(`commands are not allowed in this workspace yet (would run: ${step.commands.map((c) => c.label).join(', ')}); allow them once for this workspace, or pass --allow-commands`));
      continue;
    }
    o.onStep?.(name, null);
    const timeoutMs = settings.timeoutsMs[name];
    const commands: CommandSummary[] = [];
    let result: StepResult | null = null;
    // The affected tests first: a failure there is reported without waiting for the whole suite.
    for (const c of [...(step.affected ?? []), ...step.commands]) {
      const r = await runCommand(c.argv, { cwd: o.root, timeoutMs, maxOutputBytes: settings.maxOutputBytes, env, signal: o.signal });
      commands.push(summary(c, r));
      if (r.exitCode !== 0) {
        const diagnostics = parseDiagnostics(r.output, o.root).map((d) => ({ ...d, source: name }));
        result = { status: 'failed', reason: failureReason(c, r, timeoutMs), commands, diagnostics, output: trimOutput(r.spawnError ?? r.output) };
        break;
      }
      if (o.signal?.aborted) break;
    }
    done(name, result ?? { status: 'passed', reason: null, commands, diagnostics: [], output: '' });
  }
  const all = steps as ValidationSteps;
  return {
    passed: !Object.values(all).some((s) => s.status === 'failed'),
    steps: all,
    diagnostics: Object.values(all).flatMap((s) => s.diagnostics),
  };
}
