// Issue #17: the CLI and headless mode run built JavaScript (out/node, scripts/build-node.mjs), not
// tsx. These run the build output with plain `node` — which cannot load TypeScript — as a user's
// `npx switchboard …`, `npm run cli` and `npm run headless` do.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI } from '../fixtures/fake-openai';
import { tempDir } from '../helpers/app-harness';
import { writeWorkspaceFixture } from '../fixtures/workspace-index';
import { ROOT } from '../helpers/cli-harness';
import { MIGRATIONS } from '../../src/main/store/migrations';

const BIN = path.join(ROOT, 'bin/switchboard.mjs');
const HEADLESS = path.join(ROOT, 'out/node/headless.mjs');

let ollama: FakeOllama;
beforeAll(async () => {
  // What `npm ci` does through `prepare`; a no-op when the build is newer than the sources.
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-node.mjs'), '--if-stale'], { cwd: ROOT, stdio: 'pipe', timeout: 120_000 });
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }], version: '0.12.6' });
}, 150_000);
afterAll(() => ollama?.close());

function run(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [file, ...args], { cwd: tempDir(), env: { ...process.env, NODE_OPTIONS: '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('the built CLI (package.json bin)', () => {
  it('declares the bin, and the build has no TypeScript left in it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    expect(pkg.bin.switchboard).toBe('bin/switchboard.mjs');
    expect(pkg.scripts.cli).not.toMatch(/tsx/);
    expect(pkg.scripts.headless).not.toMatch(/tsx/);
    expect(fs.readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    for (const file of fs.readdirSync(path.join(ROOT, 'out/node')).filter((f) => f.endsWith('.mjs'))) {
      expect(fs.readFileSync(path.join(ROOT, 'out/node', file), 'utf8')).not.toMatch(/from ['"][^'"]+\.ts['"]/);
    }
  });

  it('doctor --json and route --json answer from the build, with their stable fields', async () => {
    const env = { SWITCHBOARD_DATA_DIR: tempDir(), OLLAMA_HOST: ollama.url };
    const doctor = await run(BIN, ['doctor', '--json'], env);
    const report = JSON.parse(doctor.stdout);
    expect(report).toMatchObject({ dataDir: env.SWITCHBOARD_DATA_DIR, schemaVersion: MIGRATIONS.at(-1)!.version, ollama: { reachable: true, version: '0.12.6' } });
    expect(doctor.code).toBe(report.ok ? 0 : 1);

    const route = await run(BIN, ['route', 'hello there', '--json', '--offline'], env);
    expect(route.code).toBe(0);
    expect(JSON.parse(route.stdout)).toMatchObject({ model: 'ollama/llama3.2:3b', tier: 'local', refusal: null });

    // zod's error messages come from its English locale, the only one the build keeps (scripts/build-node.mjs).
    const planFile = path.join(tempDir(), 'bad-plan.json');
    fs.writeFileSync(planFile, JSON.stringify({ nodes: 5 }));
    const badPlan = await run(BIN, ['run-plan', planFile], env);
    expect(badPlan.code).toBe(1);
    expect(badPlan.stderr).toContain('goal: Invalid input: expected string, received undefined');

    const usage = await run(BIN, ['frobnicate'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command "frobnicate"/);
  });
});

describe('built headless mode', () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('starts, answers /v1/models and a chat completion with its token, and stops cleanly on SIGTERM', async () => {
    const openai = await startFakeOpenAI({ apiKey: 'sk-built-headless-0123456789', models: ['gpt-4o-mini'] });
    openai.setBehavior('*', { reply: 'built and answering' });
    child = spawn(process.execPath, [HEADLESS, '--port', '0', '--data-dir', tempDir()], {
      cwd: tempDir(),
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        OLLAMA_HOST: ollama.url,
        SWITCHBOARD_API_TOKEN: 'sb-built-headless-token',
        OPENAI_API_KEY: 'sk-built-headless-0123456789',
        OPENAI_BASE_URL: `${openai.url}/v1`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const apiUrl = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /OpenAI-compatible API: (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child!.on('exit', (code) => reject(new Error(`headless exited with ${code}: ${err}`)));
    });
    expect(out).toMatch(/Switchboard \(headless\) is running\.\n {2}Open: http:\/\/127\.0\.0\.1:\d+\/\?token=/);

    const models = await fetch(`${apiUrl}/models`, { headers: { authorization: 'Bearer sb-built-headless-token' } });
    expect(models.status).toBe(200);
    const body = (await models.json()) as { object: string; data: Array<{ id: string }> };
    expect(body.object).toBe('list');
    expect(body.data.map((m) => m.id)).toEqual(expect.arrayContaining(['switchboard/auto', 'ollama/llama3.2:3b']));
    expect((await fetch(`${apiUrl}/models`)).status).toBe(401);

    const completion = await fetch(`${apiUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sb-built-headless-token', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] }),
    });
    expect(completion.status).toBe(200);
    expect(((await completion.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('built and answering');
    // The build keeps names as written: the OpenAI SDK builds its User-Agent from its class name.
    expect(String(openai.requests.at(-1)?.headers['user-agent'])).toMatch(/^OpenAI\/JS /);
    await openai.close();

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;
  }, 60_000);

  // Issue #12: the bundle finds web-tree-sitter's and the grammars' .wasm files in node_modules at run time.
  it('indexes a workspace with tree-sitter from the build', async () => {
    const allowed = tempDir();
    const root = writeWorkspaceFixture(path.join(allowed, 'proj'));
    child = spawn(process.execPath, [HEADLESS, '--port', '0', '--data-dir', tempDir()], {
      cwd: tempDir(),
      env: { ...process.env, NODE_OPTIONS: '', OLLAMA_HOST: ollama.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const openUrl = await new Promise<URL>((resolve, reject) => {
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const match = /Open: (\S+)/.exec(out);
        if (match) resolve(new URL(match[1]!));
      });
      child!.on('exit', (code) => reject(new Error(`headless exited with ${code}: ${err}`)));
    });
    const rpc = async (channel: string, input: unknown) => {
      const res = await fetch(new URL(`/rpc/${channel}`, openUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${openUrl.searchParams.get('token')}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      return (await res.json()) as { ok: boolean; data?: Record<string, unknown>; error?: { message: string } };
    };
    expect((await rpc('settings.update', { workspace: { allowedRoots: [allowed] } })).ok).toBe(true);
    const opened = await rpc('workspaces.open', { path: root, conversationId: 'built-1' });
    expect(opened.error).toBeUndefined();
    expect((opened.data!.index as { symbols: number }).symbols).toBeGreaterThan(10);
    const selected = await rpc('workspaces.selectContext', { conversationId: 'built-1', task: 'Fix compute_tax rounding' });
    expect((selected.data!.files as Array<{ path: string }>).map((f) => f.path)).toContain('py/shop/tax.py');

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    child = null;
  }, 60_000);
});
