import type { CodingAttempt } from '../../shared/contract';
import { unifiedDiff } from '../../main/coding';
import { PROMPT_OPTIONS, readPrompt } from '../args';
import { type Command, UsageError, writeJson } from '../command';

/**
 * `code --workspace DIR "<task>"` (issue #12): the whole edit → validate → retry loop, non-interactive.
 * The passing edit is left in the working tree (not committed); a failing run leaves every file as
 * it was. Exit 0 when validation passed, 1 when it did not.
 */
export const codeCommand: Command = {
  name: 'code',
  usage: 'code --workspace <dir> "<task>" | - | --file <path> [--model <provider/model>] [--architect <provider/model>] [--allow-commands] [--allow-dirty] [--json]',
  summary: 'Edit a repository to do a task, proving it with its own build, tests and lint; escalates until they pass.',
  options: {
    workspace: { type: 'string', short: 'w' },
    model: { type: 'string', short: 'm' },
    architect: { type: 'string' },
    'allow-commands': { type: 'boolean' },
    'allow-dirty': { type: 'boolean' },
    json: { type: 'boolean' },
    ...PROMPT_OPTIONS,
  },
  maxPositionals: Infinity,
  async run({ positionals, values }, ctx) {
    const workspace = values.workspace;
    if (typeof workspace !== 'string' || workspace.trim() === '') throw new UsageError('code needs --workspace <dir>: the repository to edit');
    const task = await readPrompt(positionals, values, ctx.io, 'code');
    const app = ctx.app();
    const json = values.json === true;
    const say = (line: string): void => {
      if (!json) ctx.io.stderr.write(`${line}\n`);
    };
    const shown = new Map<number, string>();
    const unsubscribe = app.events.subscribe((e) => {
      if (e.event !== 'coding.updated' || json) return;
      for (const a of e.payload.run.attempts) {
        const line = attemptLine(a);
        if (shown.get(a.attempt) !== line) {
          shown.set(a.attempt, line);
          say(line);
        }
      }
    });
    try {
      const { outcome } = await app.services.coding.run({
        root: workspace, task, model: values.model as string | undefined, architectModel: values.architect as string | undefined,
        allowCommands: values['allow-commands'] === true, allowDirty: values['allow-dirty'] === true, signal: ctx.signal, env: ctx.io.env,
      });
      if (json) {
        writeJson(ctx.io, {
          status: outcome.status === 'passed' ? 'passed' : 'failed',
          attempts: outcome.attempts.map((a) => ({ model: a.model, tier: a.tier, validation: a.validation, diagnostics: a.diagnostics, costUsd: a.costUsd })),
          filesChanged: outcome.filesChanged,
          contextFiles: outcome.contextFiles,
          totalCostUsd: outcome.totalCostUsd,
        });
      } else {
        for (const w of outcome.warnings) say(`warning: ${w}`);
        for (const c of outcome.changes) ctx.io.stdout.write(unifiedDiff(c.path, c.before === null ? null : c.before.toString('utf8'), c.after));
        const cost = outcome.totalCostUsd === null ? 'cost unknown' : `$${outcome.totalCostUsd.toFixed(4)}`;
        say(
          outcome.status === 'passed'
            ? `Validation passed after ${outcome.attempts.length} attempt${outcome.attempts.length === 1 ? '' : 's'}; edited ${outcome.filesChanged.join(', ')} (left uncommitted) · ${cost}`
            : `Validation did not pass after ${outcome.attempts.length} attempt${outcome.attempts.length === 1 ? '' : 's'}; every file is as it was · ${cost}`,
        );
      }
      if (outcome.status === 'cancelled') return 130;
      return outcome.status === 'passed' ? 0 : 1;
    } finally {
      unsubscribe();
    }
  },
};

function attemptLine(a: CodingAttempt): string {
  const steps = (['syntax', 'build', 'test', 'lint'] as const).map((s) => `${s} ${a.validation[s]}`).join(' · ');
  const end = a.status === 'passed' ? 'passed' : a.error ? `failed: ${a.error.split('\n')[0]}` : 'running';
  return `Attempt ${a.attempt} · ${a.model} (${a.tier}) · ${steps} · ${end}`;
}
