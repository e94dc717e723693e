import type { App } from '../main/app';

export interface CliIO {
  /** Where `-` reads a prompt from (process.stdin); absent, `-` is a usage mistake. */
  stdin?: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

export interface CommandContext {
  io: CliIO;
  /** Builds the app lazily: `--help` and usage errors never open the database. */
  app(): App;
  /** Aborted on Ctrl-C. */
  signal: AbortSignal;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Options in node:util parseArgs form. */
  options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;
  /** How many positional arguments it takes (default none): a prompt's words are any number. */
  maxPositionals?: number;
  run(args: { positionals: string[]; values: Record<string, unknown> }, ctx: CommandContext): Promise<number>;
}

/** A mistake in how the command was called: printed with the usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
