import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readHfGgufHeader } from '../../src/main/models/hf-gguf';
import { llama32Header } from '../fixtures/gguf-bytes';
import { startFakeHuggingFace, type FakeHuggingFace } from '../fixtures/fake-huggingface';
import { createTestApp, NOTHING_LISTENING_URL, type TestApp } from '../helpers/app-harness';
import { RTX_4060_TI_FIXTURE } from '../helpers/setup-fixtures';

// Issue #13 item 4: the fit of an hf.co/{user}/{repo}:{quant} model from its GGUF header, before the pull.
const REPO = 'bartowski/Llama-3.2-3B-Instruct-GGUF';
const FILE = 'Llama-3.2-3B-Instruct-Q4_K_M.gguf';
const SIZE = 2_019_377_696;

let hf: FakeHuggingFace;
let h: TestApp | undefined;

beforeAll(async () => {
  hf = await startFakeHuggingFace();
  // An 80k-token vocabulary makes the metadata longer than the first 1 MiB read.
  const big = llama32Header(80_000);
  hf.setRepo(REPO, {
    'Llama-3.2-3B-Instruct-Q4_K_L.gguf': { header: llama32Header(), sizeBytes: 2_100_000_000 },
    [FILE]: { header: big, sizeBytes: SIZE },
    'Llama-3.2-3B-Instruct-Q8_0.gguf': { header: llama32Header(), sizeBytes: 3_421_899_104 },
  });
  hf.setRepo('someone/no-ggufs', { 'model.safetensors': { header: Buffer.alloc(8), sizeBytes: 8 } });
});
afterAll(() => hf.close());
afterEach(() => h?.close());

function app(extra: NodeJS.ProcessEnv = {}): TestApp {
  h = createTestApp({ ollamaUrl: NOTHING_LISTENING_URL, env: { SWITCHBOARD_HARDWARE_FIXTURE: RTX_4060_TI_FIXTURE, SWITCHBOARD_HF_BASE_URL: hf.url, ...extra } });
  return h;
}

describe('GGUF header from Hugging Face', () => {
  it('finds the quantization file and reads its header with growing Range requests', async () => {
    hf.requests.length = 0;
    const header = await readHfGgufHeader(`hf.co/${REPO}:q4_k_m`, { fetch, baseUrl: hf.url });
    expect(header.file).toBe(FILE);
    expect(header.sizeBytes).toBe(SIZE);
    expect(header.modelInfo).toMatchObject({ 'general.architecture': 'llama', 'llama.block_count': 28, 'llama.attention.head_count_kv': 8 });
    const ranges = hf.requests.filter((r) => r.path.startsWith('/cdn/')).map((r) => r.range);
    expect(ranges.length).toBeGreaterThan(1);
    expect(ranges[0]).toBe('bytes=0-1048575');
    expect(hf.requests[0]).toMatchObject({ path: `/api/models/${REPO}` });
  });

  it('estimates the fit before the pull through localModels.fit', async () => {
    const t = app();
    const fit = await t.app.call('localModels.fit', { model: `hf.co/${REPO}:Q4_K_M`, contextLength: 8192 });
    expect(fit).toMatchObject({ model: `hf.co/${REPO}:Q4_K_M`, archSource: 'gguf', file: FILE, fileSizeBytes: SIZE });
    expect(fit.totalBytes).toBeGreaterThan(SIZE);
    expect(fit.verdict).toBe('full-gpu');
    expect(fit.reasons.join(' ')).toContain('28 layers × 8 KV heads');
  });

  it('only an explicit fit asks Hugging Face: resolving for routing does not', async () => {
    const t = app();
    hf.requests.length = 0;
    await expect(t.app.services.setup.localModels.resolve(`hf.co/${REPO}:Q8_0`)).rejects.toMatchObject({ code: 'model_not_found' });
    expect(hf.requests).toEqual([]);
  });

  it('says clearly when the repository or the quantization does not exist', async () => {
    const t = app();
    await expect(t.app.call('localModels.fit', { model: 'hf.co/nobody/missing-GGUF:Q4_K_M' })).rejects.toMatchObject({ code: 'model_not_found', message: expect.stringContaining('no public repository nobody/missing-GGUF') });
    await expect(t.app.call('localModels.fit', { model: `hf.co/${REPO}:IQ2_XXS` })).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/has no IQ2_XXS file; it has Q4_K_L, Q4_K_M, Q8_0/) });
    await expect(t.app.call('localModels.fit', { model: 'hf.co/someone/no-ggufs:Q4_K_M' })).rejects.toMatchObject({ message: expect.stringContaining('has no .gguf file') });
  });

  it('asks nothing in offline mode: the fit is known after the pull', async () => {
    const t = app();
    t.app.services.settings.update({ offlineMode: true });
    hf.requests.length = 0;
    await expect(t.app.call('localModels.fit', { model: `hf.co/${REPO}:Q8_0` })).rejects.toMatchObject({ code: 'offline', message: expect.stringContaining('known after the pull') });
    expect(hf.requests).toEqual([]);
  });
});
