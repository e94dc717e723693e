import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../../shared/errors';
import { estimateFit } from './estimate-fit';
import { LOCAL_CATALOG_RELATIVE_PATH, archOf, modelsForRole, parseLocalCatalog, readLocalCatalog } from './local-catalog';

const CATALOG_PATH = fileURLToPath(new URL(`../../../../${LOCAL_CATALOG_RELATIVE_PATH}`, import.meta.url));

describe('resources/local-models.json', () => {
  it('validates and covers every role', async () => {
    const catalog = await readLocalCatalog(CATALOG_PATH);
    for (const role of ['router', 'coder', 'validator', 'chat', 'embeddings'] as const) {
      expect(modelsForRole(catalog, role).length).toBeGreaterThan(0);
    }
    const tags = catalog.models.map((m) => m.tag);
    for (const tag of ['phi3:mini', 'qwen2.5-coder:7b', 'qwen2.5-coder:14b', 'qwen2.5-coder:32b', 'deepseek-coder:6.7b', 'nomic-embed-text']) {
      expect(tags).toContain(tag);
    }
  });

  it('carries the real architecture numbers', async () => {
    const catalog = await readLocalCatalog(CATALOG_PATH);
    const byTag = new Map(catalog.models.map((m) => [m.tag, m]));
    expect(byTag.get('qwen2.5-coder:7b')?.arch).toMatchObject({ layers: 28, embeddingLength: 3584, headCount: 28, headCountKv: 4 });
    expect(byTag.get('llama3.1:8b')?.arch).toMatchObject({ layers: 32, embeddingLength: 4096, headCount: 32, headCountKv: 8, vocabSize: 128256 });
  });

  it('has sizes and shapes the estimator accepts for every tag', async () => {
    const catalog = await readLocalCatalog(CATALOG_PATH);
    for (const m of catalog.models) {
      const fit = estimateFit({ arch: archOf(m), fileSizeBytes: m.sizeBytes, contextLength: 2048, gpus: [] });
      expect(fit.verdict, m.tag).toBe('cpu-only');
      // Q4 weights are 0.5–0.7 bytes per parameter, F16 embeddings 2.
      const bytesPerParam = m.sizeBytes / m.parameterCount;
      expect(bytesPerParam, m.tag).toBeGreaterThan(0.5);
      expect(bytesPerParam, m.tag).toBeLessThan(2.1);
    }
  });
});

describe('parseLocalCatalog', () => {
  const valid = async () => JSON.parse(await readFile(CATALOG_PATH, 'utf8')) as { models: Array<Record<string, unknown>> };

  it('rejects a role without a quality score', async () => {
    const json = await valid();
    const first = json.models[0] as { quality: Record<string, number> };
    first.quality = {};
    expect(() => parseLocalCatalog(json)).toThrow(/every role needs a quality score/);
  });

  it('rejects duplicate tags', async () => {
    const json = await valid();
    json.models.push(json.models[0] as Record<string, unknown>);
    expect(() => parseLocalCatalog(json)).toThrow(/tags must be unique/);
  });

  it('reports a missing file as not_found', async () => {
    await expect(readLocalCatalog('/nonexistent/local-models.json')).rejects.toMatchObject({ code: 'not_found' });
    await expect(readLocalCatalog('/nonexistent/local-models.json')).rejects.toBeInstanceOf(SwitchboardError);
  });
});
