import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCache } from './cache';
import { benchEstimatorError } from './estimator-error';
import { benchNumCtx } from './num-ctx';
import { benchParallel } from './parallel';
import { benchPipeline } from './pipeline';
import { benchProviderOverhead, type BenchResult } from './provider-overhead';
import { benchRouter } from './router';
import { benchRouterQuality } from './router-quality';
import { benchV1Gateway, printV1Targets } from './v1-gateway';
import { benchWorkspaceIndex } from './workspace-index';

/** Every benchmark, in the order they run. Add new ones here. */
const BENCHES: Array<() => Promise<BenchResult>> = [benchV1Gateway, benchProviderOverhead, benchPipeline, benchParallel, benchRouter, benchRouterQuality, benchEstimatorError, benchNumCtx, benchCache, benchWorkspaceIndex];

const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const results: BenchResult[] = [];
  for (const bench of BENCHES) {
    // One bench that fails (a fake's connection reset on a loaded machine) must not lose the others' figures.
    const result = await bench().catch((error: unknown): BenchResult => ({ name: bench.name, rows: [], summary: { failed: true, error: error instanceof Error ? error.message : String(error) } }));
    results.push(result);
    console.log(`\n${result.name}`);
    console.table(result.rows);
    if (bench === benchV1Gateway && result.rows.length > 0) printV1Targets(result);
    else console.table([result.summary]);
  }
  const out = path.join(here, 'results', 'latest.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, JSON.stringify({ startedAt, node: process.version, platform: `${process.platform}-${process.arch}`, results }, null, 2) + '\n');
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  if (results.some((r) => r.summary.failed === true)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
