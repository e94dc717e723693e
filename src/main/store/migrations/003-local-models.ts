import type { Migration } from '../migrations';

/**
 * Version 3: memory calibration of local models. One row per (model, context, KV cache type) load
 * seen in Ollama's /api/ps: what the load measured (`size`, `size_vram`) against what the estimator
 * predicted for it. The median measured/estimated ratio scales later estimates on this machine.
 * Pull jobs are not stored: Ollama keeps partial blobs, so pulling again after a restart resumes.
 */
export const migration: Migration = {
  version: 3,
  name: 'calibration_samples: measured vs estimated memory of local model loads',
  up(db) {
    db.exec(`
      CREATE TABLE calibration_samples (
        model TEXT NOT NULL,
        context_length INTEGER NOT NULL,
        kv_cache_type TEXT NOT NULL CHECK (kv_cache_type IN ('f16','q8_0','q4_0')),
        measured_bytes INTEGER NOT NULL,
        measured_vram_bytes INTEGER NOT NULL,
        estimated_bytes INTEGER NOT NULL,
        estimated_vram_bytes INTEGER NOT NULL,
        ratio REAL NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (model, context_length, kv_cache_type)
      );
      CREATE INDEX calibration_samples_by_time ON calibration_samples(created_at);
    `);
  },
};
