import { describe, expect, it } from 'vitest';
import { fakeDeps, fixture, fixtureJson, ok } from '../../../test/fixtures/hardware/fake-deps';
import { appleDefaultWorkingSet, parseSystemProfilerDisplays, probeAppleSilicon } from './apple-silicon';

const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const sysctl = fixtureJson<Record<string, string>>('macos-sysctl.json');

function sysctlCommands(values: Record<string, string>) {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [`sysctl -n ${key}`, ok(value)]));
}

describe('appleDefaultWorkingSet', () => {
  it('matches the published recommendedMaxWorkingSetSize readings (2/3 up to 36 GB)', () => {
    // 16 GB → 10922.67 MB (llama-cpp-python#687); 32 GB → 21845.34 MB (ollama#434).
    expect(appleDefaultWorkingSet(16 * GIB) / MIB).toBeCloseTo(10922.67, 1);
    expect(appleDefaultWorkingSet(32 * GIB) / MIB).toBeCloseTo(21845.33, 1);
  });

  it('gives 3/4 above 36 GB', () => {
    expect(appleDefaultWorkingSet(64 * GIB)).toBe(48 * GIB);
  });
});

describe('probeAppleSilicon', () => {
  it('uses the default share when iogpu.wired_limit_mb is 0', async () => {
    const result = await probeAppleSilicon(fakeDeps({ platform: 'darwin', arch: 'arm64', commands: sysctlCommands(sysctl) }));
    expect(result.ramBytes).toBe(32 * GIB);
    expect(result.workingSetBytes).toBe(appleDefaultWorkingSet(32 * GIB));
    expect(result.gpus[0]).toMatchObject({ vendor: 'apple', name: 'Apple M2 Pro', freeVramBytes: null, source: 'sysctl' });
  });

  it('honours a raised wired limit', async () => {
    const commands = sysctlCommands({ ...sysctl, 'iogpu.wired_limit_mb': '28672\n' });
    const result = await probeAppleSilicon(fakeDeps({ platform: 'darwin', arch: 'arm64', commands }));
    expect(result.workingSetBytes).toBe(28672 * MIB);
    expect(result.notes.join()).toMatch(/wired_limit_mb/);
  });

  it('takes the chip name from system_profiler when the brand string is missing', async () => {
    const commands = {
      ...sysctlCommands({ 'hw.memsize': sysctl['hw.memsize'] ?? '' }),
      'system_profiler SPDisplaysDataType -json': ok(fixture('macos-system-profiler-displays.json')),
    };
    const result = await probeAppleSilicon(fakeDeps({ platform: 'darwin', arch: 'arm64', commands }));
    expect(result.gpus[0]?.name).toBe('Apple M2 Pro (19-core GPU)');
  });

  it('parses system_profiler output', () => {
    expect(parseSystemProfilerDisplays(fixture('macos-system-profiler-displays.json'))).toEqual({ name: 'Apple M2 Pro', gpuCores: 19 });
    expect(parseSystemProfilerDisplays('not json')).toEqual({ name: null, gpuCores: null });
  });
});
