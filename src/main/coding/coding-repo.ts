import type { CodingAttempt, CodingRunView } from '../../shared/contract';
import type { Db } from '../store';
import type { ConfiguredCommands, StepName } from './validation/detect-steps';

/** A hunk's review decision; a hunk not rejected stays in the working tree. */
export type HunkDecision = 'pending' | 'accepted' | 'rejected';

/** One file a passing run left in the working tree, with what review and undo need (migration 021). */
export interface StoredRunFile {
  path: string;
  /** The bytes before the run (null: the run created the file). */
  before: Buffer | null;
  /** The file's mode before the run (null: created). */
  mode: number | null;
  /** The edit's text. */
  after: string;
  /** What the run (or a review of it) last wrote there; null: the file was deleted (a created file rejected). */
  current: string | null;
  decisions: HunkDecision[];
}

export interface StoredReview {
  files: StoredRunFile[];
  createdDirs: string[];
  undone: boolean;
  /** The run changed files but their review state is gone (before migration 021, or pruned). */
  lost: boolean;
}

/** A workspace's own validation choices (Settings → Workspace); null and absent keys: the defaults. */
export interface WorkspaceValidationRow {
  commands: ConfiguredCommands;
  maxRetries: number | null;
  timeoutsMs: Partial<Record<StepName, number>>;
  commandsAllowed: boolean;
}

/** The review state of this many newest runs is kept (each holds the files' bytes before the run). */
export const KEPT_REVIEWS = 20;

interface RunRow {
  id: string; root: string; task: string; status: CodingRunView['status']; created_at: number; finished_at: number | null;
  files_changed_json: string; context_files_json: string; total_cost_usd: number | null;
  warnings_json: string; created_dirs_json: string; undone_at: number | null;
}
interface FileRow { path: string; before: Buffer | null; mode: number | null; after: string; current: string | null; decisions_json: string }
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

  workspaceValidation(root: string): WorkspaceValidationRow {
    const row = this.db.prepare('SELECT commands_allowed_at, validation_json, max_retries, timeouts_json FROM coding_workspaces WHERE root = ?').get(root) as
      | { commands_allowed_at: number | null; validation_json: string | null; max_retries: number | null; timeouts_json: string | null }
      | undefined;
    return {
      commands: row?.validation_json ? (JSON.parse(row.validation_json) as ConfiguredCommands) : {},
      maxRetries: row?.max_retries ?? null,
      timeoutsMs: row?.timeouts_json ? (JSON.parse(row.timeouts_json) as Partial<Record<StepName, number>>) : {},
      commandsAllowed: row?.commands_allowed_at != null,
    };
  }

  /** Replaces the workspace's commands, retries and timeouts at once (the permission is kept unless given). */
  setWorkspaceValidation(root: string, v: Omit<WorkspaceValidationRow, 'commandsAllowed'> & { commandsAllowed?: boolean }, now = Date.now()): void {
    this.db.transaction(() => {
      this.db
        .prepare(`INSERT INTO coding_workspaces (root, validation_json, max_retries, timeouts_json) VALUES (?, ?, ?, ?)
                  ON CONFLICT(root) DO UPDATE SET validation_json = excluded.validation_json, max_retries = excluded.max_retries, timeouts_json = excluded.timeouts_json`)
        .run(root, JSON.stringify(v.commands), v.maxRetries, JSON.stringify(v.timeoutsMs));
      if (v.commandsAllowed === true) this.db.prepare('UPDATE coding_workspaces SET commands_allowed_at = COALESCE(commands_allowed_at, ?) WHERE root = ?').run(now, root);
      if (v.commandsAllowed === false) this.db.prepare('UPDATE coding_workspaces SET commands_allowed_at = NULL WHERE root = ?').run(root);
    })();
  }

  createRun(run: { id: string; root: string; task: string; createdAt: number }): void {
    this.db.prepare("INSERT INTO coding_runs (id, root, task, status, created_at) VALUES (?, ?, ?, 'running', ?)").run(run.id, run.root, run.task, run.createdAt);
  }

  /**
   * Records the run's end and, for a passing run, what its review and undo need: in one transaction,
   * so a restart never finds a finished run without its files. Only the newest KEPT_REVIEWS runs keep
   * their files' bytes.
   */
  finishRun(
    id: string,
    r: { status: CodingRunView['status']; finishedAt: number; filesChanged: string[]; contextFiles: string[]; totalCostUsd: number | null; warnings?: string[]; files?: StoredRunFile[]; createdDirs?: string[] },
  ): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE coding_runs SET status = ?, finished_at = ?, files_changed_json = ?, context_files_json = ?, total_cost_usd = ?, warnings_json = ?, created_dirs_json = ? WHERE id = ?')
        .run(r.status, r.finishedAt, JSON.stringify(r.filesChanged), JSON.stringify(r.contextFiles), r.totalCostUsd, JSON.stringify(r.warnings ?? []), JSON.stringify(r.createdDirs ?? []), id);
      const insert = this.db.prepare('INSERT INTO coding_run_files (run_id, seq, path, before, mode, after, current, decisions_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      (r.files ?? []).forEach((f, i) => insert.run(id, i, f.path, f.before, f.mode, f.after, f.current, JSON.stringify(f.decisions)));
      this.db.prepare(`DELETE FROM coding_run_files WHERE run_id NOT IN (SELECT id FROM coding_runs ORDER BY created_at DESC, rowid DESC LIMIT ${KEPT_REVIEWS})`).run();
    })();
  }

  review(id: string): StoredReview | null {
    const run = this.db.prepare('SELECT files_changed_json, created_dirs_json, undone_at FROM coding_runs WHERE id = ?').get(id) as Pick<RunRow, 'files_changed_json' | 'created_dirs_json' | 'undone_at'> | undefined;
    if (!run) return null;
    const rows = this.db.prepare('SELECT path, before, mode, after, current, decisions_json FROM coding_run_files WHERE run_id = ? ORDER BY seq').all(id) as FileRow[];
    const files = rows.map((r): StoredRunFile => ({ path: r.path, before: r.before, mode: r.mode, after: r.after, current: r.current, decisions: JSON.parse(r.decisions_json) as HunkDecision[] }));
    const changed = (JSON.parse(run.files_changed_json) as string[]).length;
    return { files, createdDirs: JSON.parse(run.created_dirs_json) as string[], undone: run.undone_at !== null, lost: changed > 0 && files.length === 0 && run.undone_at === null };
  }

  saveReviewedFile(id: string, file: Pick<StoredRunFile, 'path' | 'current' | 'decisions'>): void {
    this.db.prepare('UPDATE coding_run_files SET current = ?, decisions_json = ? WHERE run_id = ? AND path = ?').run(file.current, JSON.stringify(file.decisions), id, file.path);
  }

  markUndone(id: string, now = Date.now()): void {
    this.db.prepare('UPDATE coding_runs SET undone_at = ? WHERE id = ?').run(now, id);
  }

  /** The newest run (any workspace): the Code page shows it again after a reload or a restart. */
  latestRunId(): string | null {
    return this.latestRuns(1)[0]?.id ?? null;
  }

  /** The newest runs, newest first, with their workspace. */
  latestRuns(limit: number): Array<{ id: string; root: string }> {
    return this.db.prepare('SELECT id, root FROM coding_runs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as Array<{ id: string; root: string }>;
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

  /** A run as stored: its attempts and warnings; its files' review state is `review()`. */
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
      warnings: JSON.parse(run.warnings_json) as string[], totalCostUsd: run.total_cost_usd, undone: run.undone_at !== null,
    };
  }
}
