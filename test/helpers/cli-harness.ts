import { execFile } from 'node:child_process';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/cli/index';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Runs the CLI in this process with captured output; `stdin`, when given, is what `-` reads. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const input = stdin === undefined ? undefined : Readable.from([Buffer.from(stdin)]);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await runCli(argv, { stdin: input, stdout, stderr, env });
  return { code, stdout: out, stderr: err };
}

/** Runs `npm run --silent cli -- …` as a user would; `stdin`, when given, is piped in. */
export function npmCli(argv: string[], env: NodeJS.ProcessEnv, stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('npm', ['run', '--silent', 'cli', '--', ...argv], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr.split('\n').filter((l) => !l.includes('npm warn')).join('\n') });
    });
    child.stdin?.end(stdin ?? '');
  });
}
