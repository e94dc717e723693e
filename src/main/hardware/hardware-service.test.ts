import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeDeps } from '../../../test/fixtures/hardware/fake-deps';
import { HARDWARE_FIXTURE_ENV, HardwareService } from './hardware-service';

const fixture = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/hardware/${name}`, import.meta.url));

describe('HardwareService', () => {
  it('probes once and caches until asked to refresh', async () => {
    const deps = fakeDeps();
    const service = new HardwareService({ env: {}, deps });
    const first = await service.detect();
    await service.detect();
    const probes = deps.calls.length;
    expect(probes).toBeGreaterThan(0);
    expect(await service.detect()).toBe(first);
    expect(deps.calls.length).toBe(probes);
    await service.detect({ refresh: true });
    expect(deps.calls.length).toBe(2 * probes);
  });

  it(`reads a report from ${HARDWARE_FIXTURE_ENV} instead of probing`, async () => {
    const deps = fakeDeps();
    const service = new HardwareService({ env: { [HARDWARE_FIXTURE_ENV]: fixture('report-rtx4060ti-16gb.json') }, deps });
    const report = await service.detect();
    expect(report.gpus[0]?.name).toBe('NVIDIA GeForce RTX 4060 Ti');
    expect(deps.calls).toEqual([]);
  });

  it('says what is wrong with a bad fixture, and does not cache the failure', async () => {
    const bad = new HardwareService({ env: { [HARDWARE_FIXTURE_ENV]: fixture('nvidia-smi-one-gpu.csv') } });
    await expect(bad.detect()).rejects.toThrow(/is not JSON.*hardware --json/);
    const wrong = new HardwareService({ env: { [HARDWARE_FIXTURE_ENV]: fixture('amd-sysfs.json') } });
    await expect(wrong.detect()).rejects.toThrow(/is not a hardware report \(/);
    await expect(wrong.detect()).rejects.toThrow(/is not a hardware report/);
  });
});
