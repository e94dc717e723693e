import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../store';
import { CalibrationRepo, median } from './calibration-repo';

const sample = (model: string, ratio: number, createdAt: number, contextLength = 4096) => ({
  model, contextLength, kvCacheType: 'f16' as const, measuredBytes: Math.round(ratio * 1e9), measuredVramBytes: Math.round(ratio * 1e9),
  estimatedBytes: 1e9, estimatedVramBytes: 1e9, ratio, createdAt,
});

describe('CalibrationRepo (migration 3)', () => {
  it('keeps one sample per model, context and KV type, and the median of the newest', () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(3);
    const repo = new CalibrationRepo(db);
    expect(repo.factor()).toBeNull();
    repo.record(sample('a', 1.1, 1));
    repo.record(sample('b', 0.9, 2));
    repo.record(sample('c', 1.3, 3));
    expect(repo.factor()).toBeCloseTo(1.1);
    repo.record(sample('c', 1.0, 4)); // the same load seen again replaces its row
    expect(repo.count()).toBe(3);
    expect(repo.factor()).toBeCloseTo(1.0);
    expect(repo.recent(1)[0]).toMatchObject({ model: 'c', ratio: 1.0 });
    db.close();
  });

  it('median', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});
