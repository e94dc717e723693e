import type { CodingAttempt, CodingRunView } from '../../shared/contract';
import type { Db } from '../store';
import type { ConfiguredCommands } from './validation/detect-steps';

interface RunRow {
  id: string; root: string; task: string; status: CodingRunView['status']; created_at: number; finished_at: number | null;
  files_changed_json: string; context_files_json: string; total_cost_usd: number | null;
}
interface AttemptRow {
  attempt: number; model: string; tier: CodingAttempt['tier']; status: CodingAttempt['status']; validation_json: string; diagnostics_json: string;
  diff: string; error: string | null; cost_usd: number | null;
}

/** The coding workspace's records (migration 016): per-workspace permission and commands, runs and attempts. */
export class CodingRepo {
  constructor(private readonly db: Db) {}

  commandsAllowed(root: string): boolean {
    const row = this.db.prepare('SELECT commands_allowed_at FROM coding_workspaces WHERE root = ?').get(root) as { commands_allowed_at: number | null } | undefined;
    return row?.commands_allowed_at != null;
  }

  allowCommands(root: string, now = Date.now()): void {
    this.db
      .prepare('INSERT INTO coding_workspaces (root, commands_allowed_at) VALUES (?, ?) ON CONFLICT(root) DO UPDATE SET commands_allowed_at = excluded.commands_allowed_at')
      .run(root, now);
  }

  configuredCommands(root: string): ConfiguredCommands {
    const row = this.db.prepare('SELECT validation_json FROM coding_workspaces WHERE root = ?').get(root) as { validation_json: string | null } | undefined;
    return row?.validation_json ? (JSON.parse(row.validation_json) as ConfiguredCommands) : {};
  }

  setConfiguredCommands(root: string, commands: ConfiguredCommands): void {
    this.db
      .prepare('INSERT INTO coding_workspaces (root, validation_json) VALUES (?, ?) ON CONFLICT(root) DO UPDATE SET validation_json = excluded.validation_json')
      .run(root, JSON.stringify(commands));
  }

  createRun(run: { id: string; root: string; task: string; createdAt: number }): void {
    this.db.prepare("INSERT INTO coding_runs (id, root, task, status, created_at) VALUES (?, ?, ?, 'running', ?)").run(run.id, run.root, run.task, run.createdAt);
  }

  finishRun(id: string, r: { status: CodingRunView['status']; finishedAt: number; filesChanged: string[]; contextFiles: string[]; totalCostUsd: number | null }): void {
    this.db
      .prepare('UPDATE coding_runs SET status = ?, finished_at = ?, files_changed_json = ?, context_files_json = ?, total_cost_usd = ? WHERE id = ?')
      .run(r.status, r.finishedAt, JSON.stringify(r.filesChanged), JSON.stringify(r.contextFiles), r.totalCostUsd, id);
  }

  saveAttempt(runId: string, a: CodingAttempt, now = Date.now()): void {
    this.db
      .prepare(`INSERT INTO coding_attempts (run_id, attempt, model, tier, status, validation_json, diagnostics_json, diff, error, cost_usd, created_at)
                VALUES (@runId, @attempt, @model, @tier, @status, @validation, @diagnostics, @diff, @error, @costUsd, @now)
                ON CONFLICT(run_id, attempt) DO UPDATE SET status = excluded.status, validation_json = excluded.validation_json,
                  diagnostics_json = excluded.diagnostics_json, diff = excluded.diff, error = excluded.error, cost_usd = excluded.cost_usd`)
      .run({
        runId, attempt: a.attempt, model: a.model, tier: a.tier, status: a.status, validation: JSON.stringify({ validation: a.validation, steps: a.steps }),
        diagnostics: JSON.stringify(a.diagnostics), diff: a.diff, error: a.error, costUsd: a.costUsd, now,
      });
  }

  /** A run as stored (after a restart: no review state, the files are whatever is on disk now). */
  getRun(id: string): CodingRunView | null {
    const run = this.db.prepare('SELECT * FROM coding_runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!run) return null;
    const rows = this.db.prepare('SELECT * FROM coding_attempts WHERE run_id = ? ORDER BY attempt').all(id) as AttemptRow[];
    const attempts = rows.map((r): CodingAttempt => {
      const v = JSON.parse(r.validation_json) as Pick<CodingAttempt, 'validation' | 'steps'>;
      return {
        attempt: r.attempt, model: r.model, tier: r.tier, status: r.status, validation: v.validation, steps: v.steps,
        diagnostics: JSON.parse(r.diagnostics_json) as CodingAttempt['diagnostics'], error: r.error, filesChanged: [], diff: r.diff, costUsd: r.cost_usd,
      };
    });
    return {
      id: run.id, root: run.root, task: run.task, status: run.status, attempts, files: [], contextFiles: JSON.parse(run.context_files_json) as string[],
      warnings: [], totalCostUsd: run.total_cost_usd, undone: false,
    };
  }
}
