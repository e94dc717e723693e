import type { CodingWorkspaceSettings, CodingWorkspaceSettingsInput } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { WorkspaceValidationRow } from './coding-repo';
import { detectValidation, type ConfiguredCommands, type StepName } from './validation/detect-steps';
import type { ValidationSettings } from './validation/validation-pipeline';

const STEPS: readonly StepName[] = ['build', 'test', 'lint'];

/** The seed's validation settings with a workspace's own retry count and timeouts over them. */
export function validationFor(base: ValidationSettings, row: Pick<WorkspaceValidationRow, 'maxRetries' | 'timeoutsMs'>): ValidationSettings {
  return { ...base, maxRetries: row.maxRetries ?? base.maxRetries, timeoutsMs: { ...base.timeoutsMs, ...row.timeoutsMs } };
}

/**
 * One command line as an argv array, as a shell would split it for plain words and quotes
 * ('single', "double", backslash escapes) — but no shell runs it: no pipes, globs or variables.
 */
export function splitCommandLine(line: string): string[] {
  const argv: string[] = [];
  let word: string | null = null;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word += line[++i] as string;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) word = (word ?? '') + (line[++i] as string);
    else if (/\s/.test(ch)) {
      if (word !== null) argv.push(word);
      word = null;
    } else word = (word ?? '') + ch;
  }
  if (quote) throw new Error(`the ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (word !== null) argv.push(word);
  return argv;
}

/** An argv array as one line that splitCommandLine reads back the same. */
export function joinArgv(argv: readonly string[]): string {
  return argv.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'"'"'`)}'`)).join(' ');
}

const MS = 1000;

/** Settings → Workspace's view of a workspace's validation: its own choices, what is detected, the defaults. */
export function workspaceValidationView(root: string, row: WorkspaceValidationRow, base: ValidationSettings, env?: NodeJS.ProcessEnv): CodingWorkspaceSettings {
  const plan = detectValidation(root, [], {}, env);
  const line = (step: StepName) => row.commands[step]?.map(joinArgv) ?? null;
  return {
    root,
    commands: { build: line('build'), test: line('test'), lint: line('lint') },
    detected: {
      build: plan.build.commands.map((c) => c.label),
      test: plan.test.commands.map((c) => c.label),
      lint: plan.lint.commands.map((c) => c.label),
    },
    maxRetries: row.maxRetries,
    timeoutsSec: { build: sec(row.timeoutsMs.build), test: sec(row.timeoutsMs.test), lint: sec(row.timeoutsMs.lint) },
    defaults: { maxRetries: base.maxRetries, timeoutsSec: { build: base.timeoutsMs.build / MS, test: base.timeoutsMs.test / MS, lint: base.timeoutsMs.lint / MS } },
    commandsAllowed: row.commandsAllowed,
  };
}

function sec(ms: number | undefined): number | null {
  return ms === undefined ? null : ms / MS;
}

/** The input as stored: command lines split into argv arrays (a bad line is refused, naming it), seconds as ms. */
export function toStoredValidation(input: CodingWorkspaceSettingsInput): Omit<WorkspaceValidationRow, 'commandsAllowed'> & { commandsAllowed?: boolean } {
  const commands: ConfiguredCommands = {};
  const problems: string[] = [];
  for (const step of STEPS) {
    const lines = input.commands[step];
    if (lines === null || lines === undefined) continue;
    const argvs: string[][] = [];
    lines.forEach((text, i) => {
      try {
        const argv = splitCommandLine(text);
        if (argv.length) argvs.push(argv);
      } catch (error) {
        problems.push(`${step} command ${i + 1} (${text.trim()}): ${(error as Error).message}`);
      }
    });
    commands[step] = argvs;
  }
  if (problems.length) throw new SwitchboardError('invalid_input', `Not saved: ${problems.join('; ')}.`);
  const timeoutsMs: Partial<Record<StepName, number>> = {};
  for (const step of STEPS) {
    const s = input.timeoutsSec[step];
    if (s !== null && s !== undefined) timeoutsMs[step] = Math.round(s * MS);
  }
  return { commands, maxRetries: input.maxRetries, timeoutsMs, commandsAllowed: input.commandsAllowed };
}
