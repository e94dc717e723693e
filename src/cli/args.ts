import fs from 'node:fs';
import type { CliIO } from './command';
import { UsageError } from './command';

/**
 * A whole-number flag: digits only, so `1e308`, `0x10`, `1.5`, `-3` and `+3` are usage mistakes
 * (Number() would take the first three), and within the range the command can use.
 */
export function integerFlag(value: unknown, name: string, range: { min: number; max: number; unit?: string }): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value).trim();
  const n = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
    const what = range.unit ? `a whole number of ${range.unit}` : 'a whole number';
    throw new UsageError(`--${name} must be ${what} from ${range.min} to ${range.max}, not "${text}"`);
  }
  return n;
}

/** `--file <path>`: the prompt commands read their prompt from a file (past the argv limit). */
export const PROMPT_OPTIONS = { file: { type: 'string' } } as const;

/**
 * The prompt of `chat`, `route`, `council` and `plan`: the words given, `-` alone for standard
 * input, or `--file <path>` (a prompt can be longer than the OS allows on a command line).
 */
export async function readPrompt(positionals: string[], values: Record<string, unknown>, io: CliIO, command: string): Promise<string> {
  const file = values.file;
  let text: string;
  if (typeof file === 'string') {
    if (positionals.length > 0) throw new UsageError(`give the prompt either as words or with --file, not both (got "${positionals[0]}" too)`);
    text = readPromptFile(file);
  } else if (positionals.length === 1 && positionals[0] === '-') {
    if (!io.stdin) throw new UsageError('"-" reads the prompt from standard input, and there is none here');
    text = await readAll(io.stdin);
  } else {
    text = positionals.join(' ');
  }
  const prompt = text.trim();
  if (!prompt) {
    const from = typeof file === 'string' ? `${file} is empty` : positionals[0] === '-' ? 'standard input was empty' : 'none was given';
    throw new UsageError(`${command} needs a prompt: ${from} (give it as words, "-" for standard input, or --file <path>)`);
  }
  return prompt;
}

function readPromptFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read the prompt from --file ${file}: ${why}`);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
