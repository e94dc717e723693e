/**
 * `npm run train:router`: trains the difficulty estimator from the committed derived data
 * (bench/router-data/derived.jsonl, see prepare.ts) and writes resources/router-difficulty.json.
 * Deterministic: the same data gives the same weights, byte for byte.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDerived, trainRouter } from './training';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = path.join(root, 'resources', 'router-difficulty.json');
const { weights } = trainRouter(loadDerived());
writeFileSync(out, JSON.stringify(weights) + '\n');
console.log(JSON.stringify({ defaultThreshold: weights.defaultThreshold, training: weights.training, metrics: weights.metrics }, null, 2));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
