import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CodingWorkspaceSettingsInput, type CodingAttempt, type CodingRunView, type CodingWorkspaceSettings, type FileDiffView } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { ParallelModels } from '../answer';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { RoutingServices } from '../router';
import type { Db } from '../store';
import type { ContextProvider } from '../workspace';
import { restoreFiles } from './apply-edits';
import { CodingRepo, type HunkDecision, type StoredRunFile } from './coding-repo';
import { runCodingTask, type CodingOutcome } from './coding-loop';
import { diffHunks, selectHunks } from './line-diff';
import { DEFAULT_VALIDATION, type ValidationSettings } from './validation/validation-pipeline';
import { toStoredValidation, validationFor, workspaceValidationView } from './workspace-validation';
import { wholeRepoContext } from './whole-repo-context';

/** A coding call's own bound: a long edit reply from a slow local model still fits. */
const CODING_CALL_MS = 300_000;

export interface CodingServiceDeps {
  db: Db;
  events: EventBus;
  models: ParallelModels;
  routing: RoutingServices;
  isOffline: () => boolean;
  logger: Logger;
  /** The workspace index's ranked context where wired; the whole-small-repo fallback otherwise. */
  context?: ContextProvider;
  validation?: ValidationSettings;
}

export interface StartCoding {
  root: string;
  task: string;
  model?: string;
  architectModel?: string;
  /** Allow this workspace's commands now (and remember it: once per workspace). */
  allowCommands?: boolean;
  allowDirty?: boolean;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** A run stored as running that this process does not run: the CLI's, or one cut off by a quit or a crash. */
const ELSEWHERE =
  'This run is not going in this Switchboard: it runs in another one (the command line: stop it there with Ctrl-C), or it was cut off when Switchboard quit — then check its files with git.';

/** A run while it goes: its view, the stop that cancels it, and the loop's end. */
interface LiveRun {
  view: CodingRunView;
  controller: AbortController;
  done: Promise<CodingOutcome | null>;
  error?: unknown;
}

/**
 * The coding workspace's service (issue #12): runs the edit → validate → retry loop with every model
 * call through the answer pipeline, records each attempt (SQLite) and publishes it live
 * (`coding.updated`), can stop a run (its commands killed, its edit rolled back), and keeps the
 * passing edit reviewable (accept/reject per file or hunk) and undoable — from SQLite (migration 021),
 * so a reload or a restart keeps both.
 */
export class CodingService {
  readonly repo: CodingRepo;
  private readonly runs = new Map<string, LiveRun>();

  constructor(private readonly d: CodingServiceDeps) {
    this.repo = new CodingRepo(d.db);
  }

  allowCommands(root: string): { root: string; allowed: boolean } {
    const resolved = this.resolveRoot(root);
    this.repo.allowCommands(resolved);
    return { root: resolved, allowed: true };
  }

  /** A workspace's validation settings: its own commands, retries and timeouts, and what they override. */
  workspaceSettings(root: string): CodingWorkspaceSettings {
    const resolved = this.resolveRoot(root);
    return workspaceValidationView(resolved, this.repo.workspaceValidation(resolved), this.d.validation ?? DEFAULT_VALIDATION);
  }

  /** Replaces a workspace's validation settings (a run already going keeps the ones it started with). */
  setWorkspaceSettings(input: CodingWorkspaceSettingsInput): CodingWorkspaceSettings {
    const parsed = CodingWorkspaceSettingsInput.safeParse(input);
    if (!parsed.success) throw new SwitchboardError('invalid_input', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const resolved = this.resolveRoot(input.root);
    this.repo.setWorkspaceValidation(resolved, toStoredValidation(parsed.data));
    return this.workspaceSettings(resolved);
  }

  /** Starts a run and returns it at once; `coding.updated` events follow it. */
  start(input: StartCoding): CodingRunView {
    return this.begin(input).view;
  }

  /** Runs to the end (the CLI): the outcome, or the loop's error. */
  async run(input: StartCoding): Promise<{ view: CodingRunView; outcome: CodingOutcome }> {
    const live = this.begin(input);
    const outcome = await live.done;
    if (!outcome) throw live.error ?? new SwitchboardError('internal', 'The coding run ended without an outcome.');
    return { view: live.view, outcome };
  }

  /**
   * Stops a running task (the Code page's Stop): its model call is aborted, a running validation
   * command is killed with its whole process group, the edit in flight is rolled back, and the run is
   * recorded as cancelled. Resolves with the run once it has stopped.
   */
  async cancel(runId: string): Promise<CodingRunView> {
    const live = this.runs.get(runId);
    if (!live) {
      if (this.get(runId).status === 'running') throw new SwitchboardError('conflict', ELSEWHERE);
      throw new SwitchboardError('conflict', 'This run has already ended; there is nothing to stop.');
    }
    live.controller.abort();
    await live.done;
    return this.get(runId);
  }

  get(runId: string): CodingRunView {
    const live = this.runs.get(runId);
    if (live) return live.view;
    const stored = this.repo.getRun(runId);
    if (!stored) throw new SwitchboardError('not_found', `There is no coding run "${runId}".`);
    const review = this.repo.review(runId);
    const warnings = stored.status === 'running' ? [...stored.warnings, ELSEWHERE] : stored.warnings;
    return { ...stored, warnings, files: review && !review.undone ? review.files.map(fileView) : [] };
  }

  /**
   * The newest run, as `get` shows it (null: none yet): the Code page opens on it after a reload or a
   * restart. `visible` leaves out runs of folders the caller may not see (the browser: allowed roots only).
   */
  latest(visible: (root: string) => boolean = () => true): CodingRunView | null {
    const run = this.repo.latestRuns(50).find((r) => visible(r.root));
    return run ? this.get(run.id) : null;
  }

  /** Accepts or rejects a file's edits, or one hunk of them; a rejected hunk is reverted on disk at once. */
  review(runId: string, file: string, decision: 'accepted' | 'rejected', hunk?: number): CodingRunView {
    const { root, review } = this.requireReview(runId);
    if (review.undone) throw new SwitchboardError('conflict', 'This run was undone: its edits are no longer in the working tree, so there is nothing to review.');
    const change = review.files.find((c) => c.path === file);
    if (!change) throw new SwitchboardError('not_found', `The run did not edit ${file}.`);
    this.refuseIfChangedSince(root, [change]);
    const decisions = change.decisions;
    if (hunk !== undefined && (hunk < 0 || hunk >= decisions.length)) throw new SwitchboardError('invalid_input', `${file} has ${decisions.length} hunk${decisions.length === 1 ? '' : 's'}; there is no hunk ${hunk + 1}.`);
    for (let i = 0; i < decisions.length; i++) if (hunk === undefined || hunk === i) decisions[i] = decision;
    const before = change.before === null ? '' : change.before.toString('utf8');
    const kept = decisions.map((x) => x !== 'rejected');
    // A change with no line hunks (only the final newline differs) is taken or left as a whole.
    const rejectedWhole = decisions.length === 0 ? decision === 'rejected' : kept.every((k) => !k);
    const absolute = path.join(root, change.path);
    if (change.before === null && rejectedWhole) {
      fs.rmSync(absolute, { force: true });
      change.current = null;
    } else {
      const content = decisions.length === 0 ? (rejectedWhole ? before : change.after) : selectHunks(before, change.after, kept);
      writeAtomically(absolute, content, change.mode);
      change.current = content;
    }
    this.repo.saveReviewedFile(runId, change);
    return this.publish(this.get(runId));
  }

  /** Restores every file the run edited to its bytes before the run, deleting files it created. */
  undo(runId: string): CodingRunView {
    const { root, review } = this.requireReview(runId);
    if (review.undone) throw new SwitchboardError('conflict', 'This run was already undone.');
    if (review.files.length === 0) throw new SwitchboardError('conflict', 'This run left no edits to undo.');
    this.refuseIfChangedSince(root, review.files);
    restoreFiles(review.files.map((f) => ({ absolute: path.join(root, f.path), before: f.before, mode: f.mode })), review.createdDirs);
    this.repo.markUndone(runId);
    return this.publish(this.get(runId));
  }

  /**
   * Undo and review overwrite files: never over changes made after this run wrote them (an editor's
   * save, another tool). The user is told which file, and nothing is written.
   */
  private refuseIfChangedSince(root: string, files: readonly StoredRunFile[]): void {
    const moved = files.filter((f) => {
      let actual: string | null;
      try {
        actual = fs.readFileSync(path.join(root, f.path), 'utf8');
      } catch {
        actual = null;
      }
      return actual !== f.current;
    });
    if (moved.length) {
      const names = moved.map((c) => c.path).join(', ');
      throw new SwitchboardError('conflict', `${names} changed after this run wrote ${moved.length === 1 ? 'it' : 'them'}; Switchboard leaves ${moved.length === 1 ? 'it' : 'them'} as ${moved.length === 1 ? 'it is' : 'they are'} (nothing was written).`);
    }
  }

  /** Stops every running task (each rolls its edit back) and waits for their last writes. */
  async dispose(): Promise<void> {
    for (const r of this.runs.values()) r.controller.abort();
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  private begin(input: StartCoding): LiveRun {
    const root = this.resolveRoot(input.root);
    if (input.allowCommands) this.repo.allowCommands(root);
    const id = randomUUID();
    this.repo.createRun({ id, root, task: input.task, createdAt: Date.now() });
    const controller = new AbortController();
    if (input.signal?.aborted) controller.abort();
    else input.signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const live: LiveRun = {
      view: { id, root, task: input.task, status: 'running', attempts: [], files: [], contextFiles: [], warnings: [], totalCostUsd: null, undone: false },
      controller, done: Promise.resolve(null),
    };
    this.runs.set(id, live);
    const onAttempt = (attempt: CodingAttempt): void => {
      const attempts = live.view.attempts.filter((a) => a.attempt !== attempt.attempt);
      live.view = { ...live.view, attempts: [...attempts, { ...attempt }].sort((a, b) => a.attempt - b.attempt) };
      this.repo.saveAttempt(id, attempt);
      this.publish(live.view);
    };
    const workspace = this.repo.workspaceValidation(root);
    live.done = runCodingTask(
      {
        runner: this.d.models.runner('high', CODING_CALL_MS),
        route: async (messages) => {
          const decision = await this.d.routing.router.preview(messages, 'auto');
          return { model: decision.model, chain: decision.chain, refusal: decision.refusal?.message ?? null };
        },
        tierOf: (m) => this.d.models.tierOf(m),
        costOf: this.d.models.costOf,
        context: this.d.context ?? wholeRepoContext,
      },
      {
        root, task: input.task, model: input.model, architectModel: input.architectModel, settings: validationFor(this.d.validation ?? DEFAULT_VALIDATION, workspace),
        configured: workspace.commands, commandsAllowed: workspace.commandsAllowed, offline: this.d.isOffline(),
        allowDirty: input.allowDirty, env: input.env, signal: controller.signal, onAttempt,
        onWarning: (w) => {
          live.view = { ...live.view, warnings: [...live.view.warnings, w] };
          this.publish(live.view);
        },
      },
    ).then(
      (outcome) => {
        const files: StoredRunFile[] = outcome.changes.map((c) => ({
          path: c.path, before: c.before, mode: outcome.applied?.modes.get(c.path) ?? null, after: c.after, current: c.after,
          decisions: diffHunks(c.before === null ? '' : c.before.toString('utf8'), c.after).map((): HunkDecision => 'pending'),
        }));
        for (const a of outcome.attempts) this.repo.saveAttempt(id, a);
        this.repo.finishRun(id, {
          status: outcome.status, finishedAt: Date.now(), filesChanged: outcome.filesChanged, contextFiles: outcome.contextFiles, totalCostUsd: outcome.totalCostUsd,
          warnings: outcome.warnings, files, createdDirs: [...(outcome.applied?.createdDirs ?? [])],
        });
        live.view = {
          ...live.view, status: outcome.status, attempts: outcome.attempts.map((a) => ({ ...a })), contextFiles: outcome.contextFiles, warnings: outcome.warnings,
          totalCostUsd: outcome.totalCostUsd, files: files.map(fileView),
        };
        this.runs.delete(id);
        this.publish(live.view);
        return outcome;
      },
      (error: unknown) => {
        live.error = error;
        const message = error instanceof Error ? error.message : String(error);
        const status = controller.signal.aborted ? 'cancelled' : 'failed';
        this.d.logger.warn('a coding run stopped with an error', { runId: id, error });
        live.view = { ...live.view, status, warnings: [...live.view.warnings, message] };
        this.repo.finishRun(id, { status, finishedAt: Date.now(), filesChanged: [], contextFiles: [], totalCostUsd: null, warnings: live.view.warnings });
        this.runs.delete(id);
        this.publish(live.view);
        return null;
      },
    );
    return live;
  }

  /** A finished run's review state, or why there is none. */
  private requireReview(runId: string): { root: string; review: NonNullable<ReturnType<CodingRepo['review']>> } {
    if (this.runs.has(runId)) throw new SwitchboardError('conflict', 'The run is still going; review its edits when it ends.');
    const run = this.repo.getRun(runId);
    const review = this.repo.review(runId);
    if (!run || !review) throw new SwitchboardError('not_found', `There is no coding run "${runId}".`);
    if (review.lost) throw new SwitchboardError('conflict', 'This run is too old to review or undo here: Switchboard keeps the edits of its last 20 runs (use git to inspect or revert it).');
    return { root: run.root, review };
  }

  private resolveRoot(root: string): string {
    const resolved = path.resolve(root);
    const stat = fs.statSync(resolved, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) throw new SwitchboardError('invalid_input', `The workspace ${resolved} is not a folder that exists.`);
    return fs.realpathSync(resolved);
  }

  private publish(view: CodingRunView): CodingRunView {
    this.d.events.emit('coding.updated', { run: view });
    return view;
  }
}

function fileView(f: StoredRunFile): FileDiffView {
  return {
    path: f.path,
    change: f.before === null ? 'created' : 'modified',
    hunks: diffHunks(f.before === null ? '' : f.before.toString('utf8'), f.after).map((h, i) => ({ ...h, decision: f.decisions[i] ?? 'pending' })),
  };
}

function writeAtomically(file: string, text: string, mode: number | null): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.sb-review.tmp`);
  const current = fs.statSync(file, { throwIfNoEntry: false })?.mode;
  const keep = current === undefined ? mode : current & 0o7777;
  fs.writeFileSync(temp, text, keep === null || keep === undefined ? undefined : { mode: keep });
  fs.renameSync(temp, file);
}
