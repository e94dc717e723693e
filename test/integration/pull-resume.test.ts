import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PullJob } from '../../src/shared/contract';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { createTestApp, waitFor, type TestApp } from '../helpers/app-harness';
import { FAST_PULLS, RTX_4060_TI_FIXTURE, catalogSpec } from '../helpers/setup-fixtures';

// Issue #13: a pull in progress survives the app stopping (quit or crash) and resumes at the next start.
let ollama: FakeOllama;
let h: TestApp;

beforeAll(async () => {
  ollama = await startFakeOllama({ models: [] });
});
afterAll(() => ollama.close());
afterEach(() => h?.close());

function app(): TestApp {
  h = createTestApp({ ollamaUrl: ollama.url, env: { SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE }, setup: FAST_PULLS });
  return h;
}

function watch(t: TestApp, model: string): PullJob[] {
  const jobs: PullJob[] = [];
  t.app.events.subscribe((e) => {
    if (e.event === 'localModels.pull' && e.payload.job.model === model) jobs.push(e.payload.job);
  });
  return jobs;
}

const storedPulls = (t: TestApp): Array<{ id: string; model: string; completed_bytes: number }> =>
  t.app.db.prepare('SELECT id, model, completed_bytes FROM model_pulls').all() as Array<{ id: string; model: string; completed_bytes: number }>;

const pullRequests = (): number => ollama.requests.filter((r) => r.path === '/api/pull').length;

describe('pulls survive restarts', () => {
  it('a pull cut off by the app stopping resumes at the next start from the bytes already downloaded', async () => {
    const t = app();
    ollama.setPullSpec('gemma3:12b', { totalBytes: 4_000_000, chunkBytes: 100_000, chunkDelayMs: 15, spec: catalogSpec('gemma3:12b', 'gemma3', '12.2B', 8_149_190_253) });
    const first = watch(t, 'gemma3:12b');
    const job = await t.app.call('localModels.pull', { model: 'gemma3:12b' });
    await waitFor(() => first.some((j) => j.completedBytes >= 500_000), 'half a megabyte');
    expect(storedPulls(t)).toEqual([expect.objectContaining({ id: job.id, model: 'gemma3:12b' })]);

    // The process goes away mid-download; the row stays, and Ollama keeps the partial blob.
    const before = pullRequests();
    const restarted = await t.restart();
    const after = watch(h, 'gemma3:12b');
    const resumed = restarted.services.setup.pulls.get(job.id);
    expect(resumed).toMatchObject({ id: job.id, model: 'gemma3:12b', state: 'pulling' });
    expect(resumed!.completedBytes).toBeGreaterThanOrEqual(500_000);
    const done = await restarted.services.setup.pulls.wait(job.id);
    expect(done).toMatchObject({ state: 'completed', status: 'success', error: null });
    expect(pullRequests() - before).toBe(1);
    // The resumed request started from the bytes on disk, not from zero.
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((j) => j.id === job.id && j.completedBytes >= 500_000)).toBe(true);
    expect(storedPulls(h)).toEqual([]);
    expect((await restarted.call('localModels.overview', {})).installed.map((m) => m.name)).toContain('gemma3:12b');
    ollama.removeModel('gemma3:12b');
  });

  it('a cancelled pull is forgotten: nothing resumes at the next start', async () => {
    const t = app();
    ollama.setPullSpec('qwen2.5:14b', { totalBytes: 9_000_000, chunkBytes: 100_000, chunkDelayMs: 20 });
    const events = watch(t, 'qwen2.5:14b');
    const job = await t.app.call('localModels.pull', { model: 'qwen2.5:14b' });
    await waitFor(() => events.some((j) => j.completedBytes > 0), 'first bytes');
    expect(await t.app.call('localModels.cancelPull', { id: job.id })).toEqual({ cancelled: true });
    expect(await t.app.services.setup.pulls.wait(job.id)).toMatchObject({ state: 'cancelled' });
    expect(storedPulls(t)).toEqual([]);
    const before = pullRequests();
    const restarted = await t.restart();
    expect(restarted.services.setup.pulls.list()).toEqual([]);
    expect(pullRequests()).toBe(before);
  });

  it('offline at start, an interrupted pull waits (and is kept) instead of failing', async () => {
    const t = app();
    ollama.setPullSpec('gemma3:4b', { totalBytes: 6_000_000, chunkBytes: 100_000, chunkDelayMs: 20 });
    const events = watch(t, 'gemma3:4b');
    const job = await t.app.call('localModels.pull', { model: 'gemma3:4b' });
    await waitFor(() => events.some((j) => j.completedBytes > 0), 'first bytes');
    await t.app.services.setup.pulls.dispose();
    await t.app.call('settings.update', { offlineMode: true });
    const restarted = await t.restart();
    expect(restarted.services.setup.pulls.list()).toEqual([]);
    expect(storedPulls(h).map((r) => r.id)).toEqual([job.id]);
  });
});
