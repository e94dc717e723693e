// `npm test`'s test phase: unit and integration tests in parallel, then the end-to-end files one at
// a time (Chromium, the app and the fakes share CI's two cores; running e2e files side by side made
// UI timing flaky under load). Prints one closing line for the whole run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const summaryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'switchboard-tests-')), 'summary.jsonl');
const env = { ...process.env, SWITCHBOARD_TEST_SUMMARY: summaryFile };
const vitest = path.resolve(import.meta.dirname, '../node_modules/vitest/vitest.mjs');
const extra = process.argv.slice(2);

const phases = [
  ['run', '--exclude', 'test/e2e/**', ...extra],
  ['run', 'test/e2e', '--no-file-parallelism', '--maxWorkers=1', ...extra],
];
let failed = false;
for (const args of phases) {
  const result = spawnSync(process.execPath, [vitest, ...args], { stdio: 'inherit', env });
  if (result.status !== 0) failed = true;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
if (fs.existsSync(summaryFile)) {
  for (const line of fs.readFileSync(summaryFile, 'utf8').split('\n').filter(Boolean)) {
    const t = JSON.parse(line);
    totals.passed += t.passed;
    totals.failed += t.failed;
    totals.skipped += t.skipped;
  }
}
if (totals.passed + totals.failed === 0) failed = true;
process.stdout.write(`\nAll tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
