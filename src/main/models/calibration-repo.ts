import type { CalibrationSample, KvCacheType } from '../../shared/contract';
import type { Db } from '../store';

interface Row {
  model: string;
  context_length: number;
  kv_cache_type: KvCacheType;
  measured_bytes: number;
  measured_vram_bytes: number;
  estimated_bytes: number;
  estimated_vram_bytes: number;
  ratio: number;
  created_at: number;
}

/** The newest loads decide: hardware, drivers and Ollama versions change under a machine. */
const MEDIAN_OVER = 25;

/** Measured vs estimated memory of local model loads (migration 3). */
export class CalibrationRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      upsert: db.prepare(
        `INSERT INTO calibration_samples (model, context_length, kv_cache_type, measured_bytes, measured_vram_bytes,
           estimated_bytes, estimated_vram_bytes, ratio, created_at)
         VALUES (@model, @context_length, @kv_cache_type, @measured_bytes, @measured_vram_bytes,
           @estimated_bytes, @estimated_vram_bytes, @ratio, @created_at)
         ON CONFLICT(model, context_length, kv_cache_type) DO UPDATE SET
           measured_bytes = excluded.measured_bytes, measured_vram_bytes = excluded.measured_vram_bytes,
           estimated_bytes = excluded.estimated_bytes, estimated_vram_bytes = excluded.estimated_vram_bytes,
           ratio = excluded.ratio, created_at = excluded.created_at`,
      ),
      recent: db.prepare<[number], Row>('SELECT * FROM calibration_samples ORDER BY created_at DESC LIMIT ?'),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM calibration_samples'),
    };
  }

  record(sample: CalibrationSample): void {
    this.stmts.upsert.run({
      model: sample.model,
      context_length: sample.contextLength,
      kv_cache_type: sample.kvCacheType,
      measured_bytes: sample.measuredBytes,
      measured_vram_bytes: sample.measuredVramBytes,
      estimated_bytes: sample.estimatedBytes,
      estimated_vram_bytes: sample.estimatedVramBytes,
      ratio: sample.ratio,
      created_at: sample.createdAt,
    });
  }

  recent(limit = MEDIAN_OVER): CalibrationSample[] {
    return this.stmts.recent.all(limit).map((r) => ({
      model: r.model,
      contextLength: r.context_length,
      kvCacheType: r.kv_cache_type,
      measuredBytes: r.measured_bytes,
      measuredVramBytes: r.measured_vram_bytes,
      estimatedBytes: r.estimated_bytes,
      estimatedVramBytes: r.estimated_vram_bytes,
      ratio: r.ratio,
      createdAt: r.created_at,
    }));
  }

  count(): number {
    return this.stmts.count.get()?.n ?? 0;
  }

  /** Median measured/estimated over the newest loads; null before the first one. */
  factor(): number | null {
    return median(this.recent().map((s) => s.ratio));
  }
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
