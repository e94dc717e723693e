// Issue #16 item 7: prompts from stdin (`-`) and `--file`, strict numeric flags, no stray arguments.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { tempDir } from '../helpers/app-harness';
import { cli, npmCli } from '../helpers/cli-harness';

type Req = { model: string; messages: Array<{ role: string; content: string }>; format?: unknown };

let ollama: FakeOllama;
const dirs: string[] = [];
const PLAN = { goal: 'A guide', tasks: [{ id: 'a', title: 'Write it', instructions: 'Write the guide.', kind: 'docs', complexity: 'simple', dependsOn: [] }] };

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'a:1b' }, { name: 'b:1b' }, { name: 'c:1b' }] });
  // Answers, ranks (by label order), chairs and plans: whatever the CLI asks of it.
  ollama.setBehavior('*', {
    reply: (req: Req) => {
      const schema = req.format as { properties?: Record<string, unknown> } | undefined;
      if (schema?.properties?.tasks) return JSON.stringify(PLAN);
      if (schema?.properties?.ranking) {
        const labels = [...(req.messages.find((m) => m.role === 'user')?.content ?? '').matchAll(/### Answer ([A-Z]+)/g)].map((m) => m[1]);
        return JSON.stringify({ ranking: labels, reasons: 'in order' });
      }
      return `Answer from ${req.model}.`;
    },
  });
});
afterAll(async () => {
  await ollama.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => {
  const dir = tempDir();
  dirs.push(dir);
  return { SWITCHBOARD_DATA_DIR: dir, OLLAMA_HOST: ollama.url };
};

function promptFile(text: string): string {
  const dir = tempDir();
  dirs.push(dir);
  const file = path.join(dir, 'prompt.txt');
  fs.writeFileSync(file, text);
  return file;
}

/** Did a generation request carry `text` in a user message? */
const sent = (text: string): boolean =>
  ollama.requests.some((r) => (r.path === '/api/chat' || r.path === '/api/generate') && JSON.stringify(r.body).includes(JSON.stringify(text).slice(1, -1)));

/** Longer than one argument may be on Linux (MAX_ARG_STRLEN, 128 KiB), shorter than chat's 400K limit. */
const LONG = `Summarise this log, line by line:\n${'2026-01-02 03:04:05 INFO request served in 12 ms\n'.repeat(3_000)}`;

describe('the prompt from standard input or a file', () => {
  it('chat reads `-` from stdin and --file from a file', async () => {
    const piped = await cli(['chat', '-', '--model', 'ollama/a:1b'], env(), 'What is piped in?\n');
    expect(piped).toMatchObject({ code: 0, stdout: 'Answer from a:1b.\n' });
    expect(sent('What is piped in?')).toBe(true);

    const fromFile = await cli(['chat', '--file', promptFile('What is in the file?\n'), '--model', 'ollama/a:1b'], env());
    expect(fromFile).toMatchObject({ code: 0, stdout: 'Answer from a:1b.\n' });
    expect(sent('What is in the file?')).toBe(true);
  });

  it('route, plan and council take them too', async () => {
    const route = await cli(['route', '--file', promptFile('Refactor the session store into modules'), '--json', '--model', 'ollama/a:1b'], env());
    expect(route.code).toBe(0);
    expect(JSON.parse(route.stdout)).toMatchObject({ model: 'ollama/a:1b', analysis: { intent: 'refactor' } });
    const routePiped = await cli(['route', '-', '--json'], env(), 'Refactor the session store into modules');
    expect(JSON.parse(routePiped.stdout)).toMatchObject({ analysis: { intent: 'refactor' } });

    const plan = await cli(['plan', '-', '--model', 'ollama/b:1b', '--json'], env(), 'Plan a guide from stdin');
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout)).toEqual(PLAN);
    expect(sent('Plan a guide from stdin')).toBe(true);

    const council = await cli(['council', '--file', promptFile('A council question from a file'), '--models', 'ollama/a:1b,ollama/b:1b,ollama/c:1b', '--json'], env());
    expect(council.code).toBe(0);
    expect(JSON.parse(council.stdout)).toMatchObject({ status: 'completed', question: 'A council question from a file' });
  });

  it('a prompt over the argv limit goes through a real process on stdin', async () => {
    const { code, stdout } = await npmCli(['route', '-', '--json', '--model', 'ollama/a:1b'], env(), LONG);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).analysis.contextTokens).toBeGreaterThan(30_000);
  });

  it('a missing file, an empty prompt or words with --file are usage errors', async () => {
    const missing = await cli(['chat', '--file', '/nonexistent/prompt.txt'], env());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^switchboard chat: cannot read the prompt from --file \/nonexistent\/prompt\.txt: no such file\nUsage: /);
    expect((await cli(['plan', '--file', path.dirname(promptFile('x'))], env())).stderr).toMatch(/it is a directory/);
    const empty = await cli(['council', '-', '--models', 'ollama/a:1b,ollama/b:1b'], env(), '  \n');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/council needs a prompt: standard input was empty/);
    expect((await cli(['route', 'words', '--file', promptFile('file')], env())).code).toBe(2);
    expect((await cli(['chat', '--file', promptFile('')], env())).stderr).toMatch(/is empty/);
    // `-` among other words is a word (5 - 3), not stdin.
    expect((await cli(['route', 'what', 'is', '5', '-', '3', '--json'], env())).code).toBe(0);
  });
});

describe('numeric flags and positional arguments', () => {
  const models = ['--models', 'ollama/a:1b,ollama/b:1b,ollama/c:1b'];

  it('reject exponents, hex, fractions, signs and values out of range with exit 2', async () => {
    for (const value of ['1e308', '0x10', '1.5', '-1', '+2', '99', '0', '', 'two']) {
      const r = await cli(['council', 'q', ...models, `--min-responses=${value}`], env());
      expect({ value, code: r.code }).toEqual({ value, code: 2 });
      expect(r.stderr).toMatch(/--min-responses must be a whole number from 1 to 3/);
    }
    for (const value of ['1e308', '0x10', '1.5', '3601', '0']) {
      expect({ value, code: (await cli(['council', 'q', ...models, '--timeout', value], env())).code }).toEqual({ value, code: 2 });
    }
    for (const value of ['1e308', '0x1000', '4096.5', '2e3', '9999999999']) {
      const r = await cli(['fit', 'llama3.2:3b', '--ctx', value], env());
      expect({ value, code: r.code }).toEqual({ value, code: 2 });
      expect(r.stderr).toMatch(/--ctx must be a whole number of tokens from 256 to 1048576/);
    }
  });

  it('refuse extra positional arguments where a command takes none or one', async () => {
    const cases: string[][] = [['doctor', 'now'], ['models', 'all'], ['hardware', 'gpu'], ['recommend', 'fast'], ['pull', 'a:1b', 'b:1b'], ['fit', 'a:1b', 'b:1b'], ['run-plan', 'a.json', 'b.json']];
    for (const argv of cases) {
      const r = await cli(argv, env());
      expect({ argv, code: r.code }).toEqual({ argv, code: 2 });
      expect(r.stderr).toMatch(new RegExp(`^switchboard ${argv[0]}: `));
    }
    expect((await cli(['doctor', 'now'], env())).stderr).toMatch(/doctor takes no arguments; unexpected "now"/);
  });
});
