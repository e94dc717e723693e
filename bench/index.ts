import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCache } from './cache';
import { benchEstimatorError } from './estimator-error';
import { benchParallel } from './parallel';
import { benchPipeline } from './pipeline';
import { benchProviderOverhead, type BenchResult } from './provider-overhead';
import { benchRouter } from './router';
import { benchRouterQuality } from './router-quality';

/** Every benchmark, in the order they run. Add new ones here. */
const BENCHES: Array<() => Promise<BenchResult>> = [benchProviderOverhead, benchPipeline, benchParallel, benchRouter, benchRouterQuality, benchEstimatorError, benchCache];

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const results: BenchResult[] = [];
  for (const bench of BENCHES) {
    const result = await bench();
    results.push(result);
    console.log(`\n${result.name}`);
    console.table(result.rows);
    console.table([result.summary]);
  }
  const out = path.join(here, 'results', 'latest.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ startedAt, node: process.version, platform: `${process.platform}-${process.arch}`, results }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
