import type { Migration } from '../migrations';

/**
 * Version 9: rolled-up aggregates of the two logs every request writes (issue #17: the added
 * latency per request grew with the call log, 201 ms at 100,000 calls, from SUMs over it).
 *
 *  - call_rollups: calls, cost and tokens per quarter hour × model × provider × tier × purpose ×
 *    status × error code. A quarter hour because every time zone offset and DST shift is a multiple
 *    of 15 minutes, so a local day or month is a whole number of buckets.
 *  - decision_rollups: routed requests per quarter hour × outcome × tier, with escalations.
 *  - decision_gate_failures: the first failed gate of each attempt that ran, per quarter hour.
 *  - call_models: every model that has calls, with its last call (the readers' list of models).
 *
 * Triggers keep them in the same transaction as each inserted row, whoever writes it (the app,
 * the CLI beside it, a bulk import); calls and decisions are never updated or deleted. The backfill
 * below runs the same aggregation once over the existing rows. A new index serves "the newest
 * successful calls of one model" (latency percentiles) without touching its failures.
 */
export const BUCKET_MS = 900_000;

/**
 * The gate that failed first in each attempt that ran (an attempt with an error has no verdict),
 * as the dashboard counts them: one row `gate` per failing attempt.
 */
export const FIRST_FAILED_GATE = `(SELECT json_extract(g.value, '$.gate') FROM json_each(a.value, '$.gates') g
    WHERE json_extract(g.value, '$.passed') = 0 ORDER BY g.key LIMIT 1)`;

export const migration: Migration = {
  version: 9,
  name: 'rollups of calls and route decisions',
  up(db) {
    db.exec(`
      CREATE TABLE call_rollups (
        bucket INTEGER NOT NULL,
        model_id TEXT NOT NULL,
        provider TEXT NOT NULL,
        tier TEXT NOT NULL,
        purpose TEXT NOT NULL,
        status TEXT NOT NULL,
        error_code TEXT NOT NULL,
        calls INTEGER NOT NULL,
        estimated_calls INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        input_tokens INTEGER NOT NULL,
        uncached_input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        cache_write_tokens INTEGER NOT NULL,
        PRIMARY KEY (bucket, model_id, purpose, status, error_code, tier, provider)
      ) WITHOUT ROWID;

      CREATE TABLE call_models (
        model_id TEXT PRIMARY KEY,
        tier TEXT NOT NULL,
        last_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE decision_rollups (
        bucket INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        tier TEXT NOT NULL,
        attempted INTEGER NOT NULL,
        escalated INTEGER NOT NULL,
        requests INTEGER NOT NULL,
        escalations INTEGER NOT NULL,
        PRIMARY KEY (bucket, outcome, tier, attempted, escalated)
      ) WITHOUT ROWID;

      CREATE TABLE decision_gate_failures (
        bucket INTEGER NOT NULL,
        gate TEXT NOT NULL,
        failures INTEGER NOT NULL,
        PRIMARY KEY (bucket, gate)
      ) WITHOUT ROWID;

      CREATE INDEX calls_by_model_status_time ON calls(model_id, status, started_at);

      CREATE TRIGGER calls_rollup AFTER INSERT ON calls BEGIN
        INSERT INTO call_rollups VALUES (
          NEW.started_at / ${BUCKET_MS}, NEW.model_id, NEW.provider, NEW.tier, NEW.purpose, NEW.status, COALESCE(NEW.error_code, ''),
          1, NEW.estimated, NEW.cost_usd, NEW.input_tokens, MAX(0, NEW.input_tokens - NEW.cached_input_tokens - NEW.cache_write_tokens),
          NEW.output_tokens, NEW.cached_input_tokens, NEW.cache_write_tokens)
        ON CONFLICT DO UPDATE SET
          calls = calls + 1, estimated_calls = estimated_calls + excluded.estimated_calls, cost_usd = cost_usd + excluded.cost_usd,
          input_tokens = input_tokens + excluded.input_tokens, uncached_input_tokens = uncached_input_tokens + excluded.uncached_input_tokens,
          output_tokens = output_tokens + excluded.output_tokens, cached_input_tokens = cached_input_tokens + excluded.cached_input_tokens,
          cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens;
        INSERT INTO call_models VALUES (NEW.model_id, NEW.tier, NEW.started_at)
        ON CONFLICT DO UPDATE SET tier = excluded.tier, last_at = MAX(last_at, excluded.last_at);
      END;

      CREATE TRIGGER route_decisions_rollup AFTER INSERT ON route_decisions BEGIN
        INSERT INTO decision_rollups VALUES (
          NEW.created_at / ${BUCKET_MS}, NEW.outcome, COALESCE(NEW.tier, ''), json_array_length(NEW.attempts_json) > 0, NEW.escalations > 0, 1, NEW.escalations)
        ON CONFLICT DO UPDATE SET requests = requests + 1, escalations = escalations + excluded.escalations;
        INSERT INTO decision_gate_failures
          SELECT NEW.created_at / ${BUCKET_MS}, ${FIRST_FAILED_GATE} AS gate, COUNT(*) FROM json_each(NEW.attempts_json) a
          WHERE json_extract(a.value, '$.error') IS NULL AND gate IS NOT NULL GROUP BY gate
        ON CONFLICT DO UPDATE SET failures = failures + excluded.failures;
      END;
    `);
    backfill(db);
  },
};

function backfill(db: Parameters<Migration['up']>[0]): void {
  db.exec(`
    INSERT INTO call_rollups
      SELECT started_at / ${BUCKET_MS}, model_id, provider, tier, purpose, status, COALESCE(error_code, ''),
             COUNT(*), SUM(estimated), SUM(cost_usd), SUM(input_tokens), SUM(MAX(0, input_tokens - cached_input_tokens - cache_write_tokens)),
             SUM(output_tokens), SUM(cached_input_tokens), SUM(cache_write_tokens)
      FROM calls GROUP BY 1, 2, 3, 4, 5, 6, 7;
    INSERT INTO call_models
      SELECT model_id, (SELECT c2.tier FROM calls c2 WHERE c2.model_id = c.model_id ORDER BY c2.started_at DESC LIMIT 1), MAX(started_at)
      FROM calls c GROUP BY model_id;
    INSERT INTO decision_rollups
      SELECT created_at / ${BUCKET_MS}, outcome, COALESCE(tier, ''), json_array_length(attempts_json) > 0, escalations > 0, COUNT(*), SUM(escalations)
      FROM route_decisions GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO decision_gate_failures
      SELECT d.created_at / ${BUCKET_MS}, ${FIRST_FAILED_GATE} AS gate, COUNT(*)
      FROM route_decisions d, json_each(d.attempts_json) a
      WHERE json_extract(a.value, '$.error') IS NULL AND gate IS NOT NULL GROUP BY 1, 2;
  `);
}
