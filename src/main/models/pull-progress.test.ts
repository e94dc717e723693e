import { describe, expect, it } from 'vitest';
import { PullProgress } from './pull-progress';

describe('PullProgress', () => {
  it('sums every layer and follows the newest line of each', () => {
    const p = new PullProgress();
    p.apply({ status: 'pulling manifest' }, 0);
    p.apply({ status: 'pulling aaa', digest: 'sha256:aaa', total: 1000, completed: 100 }, 0);
    p.apply({ status: 'pulling bbb', digest: 'sha256:bbb', total: 10 }, 0);
    expect([p.completedBytes, p.totalBytes, p.status]).toEqual([100, 1010, 'pulling bbb']);
    p.apply({ digest: 'sha256:aaa', total: 1000, completed: 600 }, 1000);
    expect(p.completedBytes).toBe(600);
  });

  it('measures speed over the last seconds and estimates the time left', () => {
    const p = new PullProgress();
    p.apply({ digest: 'd', total: 10_000_000, completed: 0 }, 0);
    expect(p.bytesPerSecond()).toBe(0);
    expect(p.etaSeconds()).toBeNull();
    p.apply({ digest: 'd', total: 10_000_000, completed: 2_000_000 }, 1000);
    p.apply({ digest: 'd', total: 10_000_000, completed: 4_000_000 }, 2000);
    expect(p.bytesPerSecond()).toBe(2_000_000);
    expect(p.etaSeconds()).toBe(3);
    // Samples older than the window drop out: the speed follows the network.
    p.apply({ digest: 'd', total: 10_000_000, completed: 4_500_000 }, 9000);
    p.apply({ digest: 'd', total: 10_000_000, completed: 5_000_000 }, 10_000);
    expect(p.bytesPerSecond()).toBeCloseTo(500_000 / 1, -3);
  });

  it('starts the speed over on a new connection but keeps the bytes', () => {
    const p = new PullProgress();
    p.apply({ digest: 'd', total: 100, completed: 40 }, 0);
    p.apply({ digest: 'd', total: 100, completed: 50 }, 1000);
    p.restartSpeed();
    expect(p.bytesPerSecond()).toBe(0);
    p.apply({ digest: 'd', total: 100, completed: 50 }, 5000);
    expect(p.completedBytes).toBe(50);
    expect(p.etaSeconds()).toBeNull();
  });
});
