/**
 * The Switchboard CLI: `npm run --silent cli -- <command> [options]`. Commands use the same services
 * as the app. `--json` output is a stable interface (see README). Errors: one line on stderr and a
 * non-zero exit code (2 for usage mistakes).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createApp, type App } from '../main/app';
import { defaultDataDir } from '../main/data-dir';
import { createLogger } from '../main/logger';
import { redactor } from '../main/secrets/redactor';
import { type CliIO, type Command, UsageError } from './command';
import { chatCommand } from './commands/chat';
import { codeCommand } from './commands/code';
import { councilCommand } from './commands/council';
import { doctorCommand } from './commands/doctor';
import { exportCommand, importCommand } from './commands/library';
import { modelsCommand } from './commands/models';
import { fitCommand } from './commands/fit';
import { hardwareCommand } from './commands/hardware';
import { planCommand } from './commands/plan';
import { pullCommand } from './commands/pull';
import { recommendCommand } from './commands/recommend';
import { runPlanCommand } from './commands/run-plan';
import { routeCommand } from './commands/route';

export const COMMANDS: Command[] = [doctorCommand, chatCommand, hardwareCommand, fitCommand, recommendCommand, pullCommand, modelsCommand, routeCommand, councilCommand, planCommand, runPlanCommand, codeCommand, exportCommand, importCommand];

const GLOBAL_OPTIONS = {
  'data-dir': { type: 'string' },
  /** Offline mode for this run only (not saved): nothing leaves this machine. */
  offline: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function usage(): string {
  const lines = COMMANDS.map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`);
  return `Usage: npm run --silent cli -- <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nGlobal options: --data-dir <dir> (default: SWITCHBOARD_DATA_DIR or the app's data folder), --offline (only local models, this run only)\n`;
}

/** The CLI logs only errors unless SWITCHBOARD_LOG_LEVEL names a real level. */
function cliLogLevel(value: string | undefined): 'debug' | 'info' | 'warn' | 'error' {
  return value === 'debug' || value === 'info' || value === 'warn' || value === 'error' ? value : 'error';
}

export async function runCli(argv: string[], io: CliIO, signal: AbortSignal = new AbortController().signal, hooks: { onApp?: (app: App) => void } = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(`switchboard: unknown command "${name}". Run with --help to list commands.\n`);
    return 2;
  }
  let app: App | null = null;
  try {
    const { positionals, values } = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout.write(`Usage: npm run --silent cli -- ${command.usage}\n${command.summary}\n`);
      return 0;
    }
    const maxPositionals = command.maxPositionals ?? 0;
    if (positionals.length > maxPositionals) {
      const takes = maxPositionals === 0 ? 'takes no arguments' : `takes ${maxPositionals} argument${maxPositionals === 1 ? '' : 's'}`;
      throw new UsageError(`${name} ${takes}; unexpected "${positionals[maxPositionals]}"`);
    }
    const dataDir = typeof values['data-dir'] === 'string' ? path.resolve(values['data-dir']) : defaultDataDir(io.env);
    const ctx = {
      io,
      signal,
      app: () => {
        if (app) return app;
        const logger = createLogger({ level: cliLogLevel(io.env.SWITCHBOARD_LOG_LEVEL) });
        app = createApp({ dataDir, mode: 'cli', env: io.env, logger, offline: values.offline === true });
        hooks.onApp?.(app);
        return app;
      },
    };
    return await command.run({ positionals, values }, ctx);
  } catch (error) {
    // Provider text is masked where it enters the app; this line may also carry text from elsewhere.
    const message = redactor.text(error instanceof Error ? error.message : String(error));
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`switchboard ${name}: ${message}\nUsage: npm run --silent cli -- ${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`switchboard ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  } finally {
    if (app) await (app as App).dispose();
  }
}
