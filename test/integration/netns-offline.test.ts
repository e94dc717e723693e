// Issue #16: "no connection is made" proved the house way — the code runs in a network namespace
// that has only a loopback (`unshare -n`, then `ip link set lo up`), where nothing could leave even
// if the code tried, and every socket the process opens is recorded (test/netns/offline-probe.ts).
// Needs root or CAP_SYS_ADMIN and iproute2, as CI has (.ci/run installs iproute2); a missing one
// fails the test rather than skipping it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const PROBE = path.resolve('test/netns/offline-probe.ts');
const TSX = path.resolve('node_modules/tsx/dist/esm/index.mjs');

function runInNamespace(): Record<string, unknown> {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" --import "${TSX}" "${PROBE}"`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  const line = r.stdout.split('\n').find((l) => l.startsWith('NETNS_RESULT '));
  if (!line) throw new Error(`the probe did not report (exit ${r.status}): ${r.error?.message ?? ''}\n${r.stderr.slice(-2000)}`);
  return JSON.parse(line.slice('NETNS_RESULT '.length)) as Record<string, unknown>;
}

const loopbackOnly = (targets: string[]) => targets.filter((t) => !/^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?):\d+$/.test(t) && !t.startsWith('unix:'));

describe('in a network namespace with only a loopback', () => {
  it('start-up with nothing configured and offline mode open no socket but to this machine, and say why they refuse', () => {
    const out = runInNamespace() as {
      startup: string[];
      offline: { results: Record<string, { status?: string; code?: string | null; ok?: boolean; error?: { code: string; message: string } }>; connects: string[]; refusedHosts: string[] };
    };
    // Start-up: only the local Ollama (the auto-start probe); no price list, no update check.
    expect(loopbackOnly(out.startup)).toEqual([]);
    // Offline: the local model answers; a cloud model and endpoints on a public and a private address are refused.
    const { results } = out.offline;
    expect(results['ollama/llama3.2:3b']).toMatchObject({ status: 'complete', code: null });
    for (const model of ['openrouter/anthropic/claude-sonnet-5.5', 'public-box/any-model', 'lan-box/any-model']) expect(results[model]).toMatchObject({ status: 'error', code: 'offline' });
    expect(results['test:public-box']).toMatchObject({ ok: false, error: { code: 'offline' } });
    expect(results['test:lan-box']).toMatchObject({ ok: false, error: { code: 'offline', message: expect.stringContaining('mark it in Settings → Network') } });
    expect(out.offline.refusedHosts).toEqual(expect.arrayContaining(['203.0.113.5:8080', '192.168.77.9:8080', 'openrouter.ai']));
    expect(loopbackOnly(out.offline.connects)).toEqual([]);
    expect(out.offline.connects.length).toBeGreaterThan(0); // the recorder works: the local chat went through it
  });
});
