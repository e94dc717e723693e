import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PullJob } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL, createTestApp, waitFor, type TestApp } from '../helpers/app-harness';
import { FAST_PULLS, RTX_4060_TI_FIXTURE, catalogSpec } from '../helpers/setup-fixtures';

let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [{ name: 'llama3.2:3b', family: 'llama', parameterSize: '3.2B', sizeBytes: 2_019_393_189 }] });
});
afterAll(() => ollama.close());
afterEach(() => h?.close());

function app(): TestApp {
  h = createTestApp({ ollamaUrl: ollama.url, env: { SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE }, setup: FAST_PULLS });
  return h;
}

function pullEvents(t: TestApp, model: string): PullJob[] {
  const jobs: PullJob[] = [];
  t.app.events.subscribe((e) => {
    if (e.event === 'localModels.pull' && e.payload.job.model === model) jobs.push(e.payload.job);
  });
  return jobs;
}

describe('pulling models', () => {
  it('reports bytes, speed and ETA as events, then the model is installed', async () => {
    const t = app();
    ollama.setPullSpec('qwen2.5-coder:7b', { totalBytes: 4_000_000, chunkBytes: 400_000, chunkDelayMs: 5, spec: catalogSpec('qwen2.5-coder:7b', 'qwen2', '7.6B', 4_683_087_332) });
    const events = pullEvents(t, 'qwen2.5-coder:7b');
    const changed: string[] = [];
    t.app.events.subscribe((e) => e.event === 'localModels.changed' && changed.push(`${e.payload.change} ${e.payload.model}`));

    const started = await t.app.call('localModels.pull', { model: 'qwen2.5-coder:7b' });
    expect(started).toMatchObject({ state: 'pulling', attempt: 1 });
    // Asking again while it runs joins the same pull.
    expect((await t.app.call('localModels.pull', { model: 'ollama/qwen2.5-coder:7b' })).id).toBe(started.id);
    const done = await t.app.services.setup.pulls.wait(started.id);

    expect(done).toMatchObject({ state: 'completed', status: 'success', error: null, etaSeconds: 0 });
    expect(done.totalBytes).toBeGreaterThanOrEqual(4_000_000);
    expect(done.completedBytes).toBe(done.totalBytes);
    const progress = events.filter((j) => j.state === 'pulling' && j.completedBytes > 0);
    expect(progress.length).toBeGreaterThan(5);
    const bytes = progress.map((j) => j.completedBytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(progress.some((j) => j.bytesPerSecond > 0 && j.etaSeconds !== null)).toBe(true);
    expect(changed).toEqual(['pulled qwen2.5-coder:7b']);

    const overview = await t.app.call('localModels.overview', {});
    expect(overview.installed.map((m) => m.name)).toContain('qwen2.5-coder:7b');
    expect(overview.catalog.find((m) => m.tag === 'qwen2.5-coder:7b')?.installed).toBe(true);
    expect((await t.app.call('localModels.pulls', {}))[0]?.id).toBe(started.id);
  });

  it('cancel aborts the HTTP request', async () => {
    const t = app();
    ollama.setPullSpec('qwen2.5-coder:14b', { totalBytes: 9_000_000, chunkBytes: 300_000, chunkDelayMs: 30 });
    const events = pullEvents(t, 'qwen2.5-coder:14b');
    const before = ollama.abortedRequests().length;
    const job = await t.app.call('localModels.pull', { model: 'qwen2.5-coder:14b' });
    await waitFor(() => events.some((j) => j.completedBytes > 0), 'first bytes');
    expect(await t.app.call('localModels.cancelPull', { id: job.id })).toEqual({ cancelled: true });
    const end = await t.app.services.setup.pulls.wait(job.id);
    expect(end).toMatchObject({ state: 'cancelled', error: { code: 'cancelled' } });
    expect(end.completedBytes).toBeLessThan(9_000_000);
    await ollama.waitForIdle();
    const aborted = ollama.abortedRequests().slice(before);
    expect(aborted.map((r) => `${r.path} ${r.model}`)).toEqual(['/api/pull qwen2.5-coder:14b']);
    expect(await t.app.call('localModels.cancelPull', { id: job.id })).toEqual({ cancelled: false });
  });

  it('resumes after a dropped connection from the bytes already downloaded', async () => {
    const t = app();
    ollama.setPullSpec('gemma3:4b', { totalBytes: 1_000_000, chunkBytes: 100_000, dropAfterBytes: 350_000 });
    const events = pullEvents(t, 'gemma3:4b');
    const pullsBefore = ollama.requests.filter((r) => r.path === '/api/pull').length;
    const job = await t.app.call('localModels.pull', { model: 'gemma3:4b' });
    const done = await t.app.services.setup.pulls.wait(job.id);

    expect(done).toMatchObject({ state: 'completed', attempt: 2 });
    expect(ollama.requests.filter((r) => r.path === '/api/pull').length - pullsBefore).toBe(2);
    const retry = events.findIndex((j) => j.state === 'retrying');
    expect(retry).toBeGreaterThan(0);
    expect(events[retry]).toMatchObject({ attempt: 1, error: { code: 'network' } });
    const droppedAt = events[retry]!.completedBytes;
    expect(droppedAt).toBe(350_000);
    // Every report after the reconnect starts from what Ollama kept, not from zero.
    const after = events.slice(retry + 1).filter((j) => j.completedBytes > 0);
    expect(after[0]).toMatchObject({ state: 'pulling', attempt: 2 });
    expect(Math.min(...after.map((j) => j.completedBytes))).toBeGreaterThanOrEqual(droppedAt);
  });

  it('fails at once, without retrying, for a name the library does not have', async () => {
    const t = app();
    const pullsBefore = ollama.requests.filter((r) => r.path === '/api/pull').length;
    const job = await t.app.call('localModels.pull', { model: 'no-such-model:1b' });
    const end = await t.app.services.setup.pulls.wait(job.id);
    expect(end).toMatchObject({ state: 'failed', attempt: 1, error: { code: 'model_not_found' } });
    expect(end.error?.message).toMatch(/no model "no-such-model:1b".*ollama.com\/library/);
    expect(ollama.requests.filter((r) => r.path === '/api/pull').length - pullsBefore).toBe(1);
  });

  it('deletes a model, and says so when there is nothing to delete', async () => {
    const t = app();
    ollama.addModel({ name: 'tinyllama:1.1b', parameterSize: '1.1B' });
    expect(await t.app.call('localModels.delete', { model: 'tinyllama:1.1b' })).toEqual({ deleted: true });
    expect((await t.app.call('localModels.overview', {})).installed.map((m) => m.name)).not.toContain('tinyllama:1.1b');
    await expect(t.app.call('localModels.delete', { model: 'tinyllama:1.1b' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('fit, overview and recommendations', () => {
  it('fits installed models from /api/show and others from the catalog', async () => {
    const t = app();
    const installed = await t.app.call('localModels.fit', { model: 'llama3.2:3b', contextLength: 8192 });
    expect(installed).toMatchObject({ model: 'llama3.2:3b', archSource: 'installed', fileSizeBytes: 2_019_393_189, contextLength: 8192, verdict: 'full-gpu', calibration: null });
    const shows = ollama.requests.filter((r) => r.path === '/api/show').length;
    await t.app.call('localModels.fit', { model: 'llama3.2:3b', kvCacheType: 'q8_0' });
    expect(ollama.requests.filter((r) => r.path === '/api/show').length).toBe(shows); // cached per digest

    const big = await t.app.call('localModels.fit', { model: 'qwen2.5-coder:32b', contextLength: 8192 });
    expect(big).toMatchObject({ archSource: 'catalog', verdict: 'partial' });
    expect(big.gpuLayers).toBeLessThan(big.totalLayers);
    await expect(t.app.call('localModels.fit', { model: 'mystery:7b' })).rejects.toMatchObject({ code: 'model_not_found' });
  });

  it('lists installed, loaded and catalog models with fits at the chosen context', async () => {
    const t = app();
    const { id } = await t.app.call('conversations.create', {});
    await t.app.call('chat.send', { conversationId: id, content: 'hi', model: 'ollama/llama3.2:3b' });
    await t.app.services.chat.idle();
    const o = await t.app.call('localModels.overview', { contextLength: 32768, kvCacheType: 'q4_0' });
    expect(o).toMatchObject({ ollama: { reachable: true }, contextLength: 32768, kvCacheType: 'q4_0', hardware: { gpuName: 'NVIDIA GeForce RTX 4060 Ti' } });
    expect(o.installed.find((m) => m.name === 'llama3.2:3b')?.fit).toMatchObject({ contextLength: 32768, kvCacheType: 'q4_0' });
    expect(o.loaded).toEqual([expect.objectContaining({ name: 'llama3.2:3b', gpuPercent: 100 })]);
    expect(o.catalog.length).toBeGreaterThan(10);
    expect(o.catalog.every((m) => m.fit.kvCacheType === 'q4_0')).toBe(true);
  });

  it('recommends a set for this machine, and still answers with Ollama down', async () => {
    const t = app();
    const r = await t.app.call('localModels.recommend', {});
    expect(r.tier).toBe('mid-gpu');
    expect(r.roles.map((x) => x.role)).toEqual(['router', 'coder', 'validator', 'chat', 'embeddings']);
    expect(r.roles.every((x) => x.model === null || x.downloadBytes! > 0)).toBe(true);
    t.app.services.settings.update({ ollamaHost: NOTHING_LISTENING_URL });
    expect((await t.app.call('localModels.recommend', {})).roles.length).toBe(5);
    const o = await t.app.call('localModels.overview', {});
    expect(o.ollama).toMatchObject({ reachable: false, error: expect.stringMatching(/not running/) });
    expect(o.catalog.length).toBeGreaterThan(10);
  });
});

describe('calibration', () => {
  it('records /api/ps after a reply on an Ollama model and applies the median to later estimates', async () => {
    const t = app();
    const before = await t.app.call('localModels.fit', { model: 'llama3.2:3b' });
    const { id } = await t.app.call('conversations.create', {});
    await t.app.call('chat.send', { conversationId: id, content: 'hello', model: 'ollama/llama3.2:3b' });
    await t.app.services.chat.idle();
    const calibration = t.app.services.setup.calibration;
    await waitFor(() => calibration.sampleCount() === 1, 'a calibration sample');

    const [row] = calibration.samples();
    // The fake's /api/ps reports the blob size as `size` (all on the GPU).
    expect(row).toMatchObject({ model: 'llama3.2:3b', contextLength: 4096, kvCacheType: 'f16', measuredBytes: 2_019_393_189, measuredVramBytes: 2_019_393_189, estimatedBytes: before.totalBytes });
    expect(row!.ratio).toBeCloseTo(2_019_393_189 / before.totalBytes, 6);

    const after = await t.app.call('localModels.fit', { model: 'llama3.2:3b' });
    expect(after.calibration).toBeCloseTo(row!.ratio, 6);
    expect(after.weightsBytes).toBeCloseTo(before.weightsBytes * row!.ratio, -2);
    expect(after.reasons.join(' ')).toMatch(/calibration ×0\.\d{3}/);

    // On demand, and kept across a restart (it is in SQLite).
    const onDemand = await t.app.call('localModels.calibrate', { model: 'llama3.2:3b' });
    expect(onDemand).toMatchObject({ samples: 1, recorded: [expect.objectContaining({ model: 'llama3.2:3b' })] });
    const restarted = await t.restart();
    expect((await restarted.call('localModels.recommend', {})).calibration).toBeCloseTo(row!.ratio, 6);
  });
});
