import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { tempDir, waitFor } from '../helpers/app-harness';
import { cli } from '../helpers/cli-harness';
import { CPU_ONLY_FIXTURE, RTX_4060_TI_FIXTURE, catalogSpec } from '../helpers/setup-fixtures';

let ollama: FakeOllama;
beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 }] });
});
afterAll(() => ollama.close());

const env = (extra: NodeJS.ProcessEnv = {}) => ({
  SWITCHBOARD_DATA_DIR: tempDir(),
  OLLAMA_HOST: ollama.url,
  SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE,
  ...extra,
});

describe('cli hardware', () => {
  it('--json prints the HardwareReport', async () => {
    const { code, stdout } = await cli(['hardware', '--json'], env());
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(fs.readFileSync(RTX_4060_TI_FIXTURE, 'utf8')));
  });

  it('reads as a summary without --json', async () => {
    const { code, stdout } = await cli(['hardware'], env({ SWITCHBOARD_HARDWARE_FIXTURE: CPU_ONLY_FIXTURE }));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^GPU {6}none found/m);
    expect(stdout).toMatch(/^RAM {6}8\.0 GiB/m);
    expect(stdout).toMatch(/^note: GPU: none usable/m);
  });

  it('fails in one line when the fixture is not a report', async () => {
    const { code, stderr } = await cli(['hardware', '--json'], env({ SWITCHBOARD_HARDWARE_FIXTURE: '/nonexistent.json' }));
    expect(code).toBe(1);
    expect(stderr).toMatch(/^switchboard hardware: SWITCHBOARD_HARDWARE_FIXTURE=\/nonexistent\.json cannot be read\. .*\n$/);
  });
});

describe('cli fit', () => {
  it('--json gives the estimate for this machine', async () => {
    const { code, stdout } = await cli(['fit', 'qwen2.5-coder:14b', '--ctx', '16384', '--kv-cache', 'q8_0', '--json'], env());
    expect(code).toBe(0);
    const fit = JSON.parse(stdout);
    expect(fit).toMatchObject({ model: 'qwen2.5-coder:14b', archSource: 'catalog', contextLength: 16384, kvCacheType: 'q8_0', verdict: 'full-gpu', calibration: null });
    for (const key of ['weightsBytes', 'kvCacheBytes', 'graphBytes', 'overheadBytes', 'totalBytes', 'gpuLayers', 'maxFullGpuCtx']) expect(fit[key], key).toBeGreaterThan(0);
    expect(fit.totalBytes).toBe(fit.weightsBytes + fit.kvCacheBytes + fit.graphBytes + fit.overheadBytes);
  });

  it('explains itself without --json, for installed models too', async () => {
    const { code, stdout } = await cli(['fit', 'ollama/llama3.2:3b'], env());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^llama3\.2:3b at 4K context, f16 KV cache: Fits on GPU \(29 of 29 layers on the GPU\)/);
    expect(stdout).toMatch(/Architecture from Ollama's metadata/);
  });

  it('rejects bad options as usage errors and unknown models in one line', async () => {
    expect((await cli(['fit', 'qwen3:8b', '--kv-cache', 'q2'], env())).code).toBe(2);
    expect((await cli(['fit', 'qwen3:8b', '--ctx', 'lots'], env())).code).toBe(2);
    expect((await cli(['fit'], env())).code).toBe(2);
    const unknown = await cli(['fit', 'mystery:7b'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/ollama pull mystery:7b/);
  });
});

describe('cli recommend', () => {
  it('--json gives a model per role', async () => {
    const { code, stdout } = await cli(['recommend', '--json'], env());
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.tier).toBe('mid-gpu');
    expect(r.roles.map((x: { role: string }) => x.role)).toEqual(['router', 'coder', 'validator', 'chat', 'embeddings']);
    expect(r.roles.find((x: { role: string }) => x.role === 'coder').fit.verdict).toBe('full-gpu');
  });

  it('prints a table and the pull commands without --json', async () => {
    const { code, stdout } = await cli(['recommend'], env({ SWITCHBOARD_HARDWARE_FIXTURE: CPU_ONLY_FIXTURE }));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Hardware tier: cpu-only/);
    expect(stdout).toMatch(/^coder {7}— {2}Only 8\.0 GiB of RAM/m);
    expect(stdout).toMatch(/^Pull them with:\n {2}npm run --silent cli -- pull phi4-mini$/m);
  });
});

describe('cli pull', () => {
  it('shows progress on stderr and one line on stdout', async () => {
    ollama.setPullSpec('phi4-mini', { totalBytes: 2_000_000, chunkBytes: 200_000, chunkDelayMs: 80, spec: catalogSpec('phi4-mini', 'phi3', '3.8B', 2_500_000_000) });
    const { code, stdout, stderr } = await cli(['pull', 'phi4-mini'], env());
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Pulled phi4-mini \(2\.0 MB\)\.\n$/);
    const lines = stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => /^phi4-mini: +\d+% {2}[\d.]+ [KM]B of 2\.0 MB/.test(l))).toBe(true);
  });

  it('--json prints the finished job', async () => {
    ollama.setPullSpec('qwen2.5:3b', { totalBytes: 500_000 });
    const { code, stdout } = await cli(['pull', 'qwen2.5:3b', '--json'], env());
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ model: 'qwen2.5:3b', state: 'completed', completedBytes: expect.any(Number), attempt: 1 });
  });

  it('Ctrl-C cancels the pull and its HTTP request', async () => {
    ollama.setPullSpec('qwen3:14b', { totalBytes: 50_000_000, chunkBytes: 500_000, chunkDelayMs: 30 });
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c) => (err += c));
    const controller = new AbortController();
    const before = ollama.abortedRequests().length;
    const running = runCli(['pull', 'qwen3:14b'], { stdout, stderr, env: env() }, controller.signal);
    await waitFor(() => /qwen3:14b: +\d+%/.test(err), 'progress on stderr');
    controller.abort();
    expect(await running).toBe(130);
    expect(err).toMatch(/Cancelled pulling qwen3:14b; pull again to resume/);
    await ollama.waitForIdle();
    expect(ollama.abortedRequests().slice(before).map((r) => r.path)).toEqual(['/api/pull']);
  });

  it('fails in one line for an unknown model', async () => {
    const { code, stdout, stderr } = await cli(['pull', 'nope:0b'], env());
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^switchboard pull: Ollama's library has no model "nope:0b"/);
  });
});
