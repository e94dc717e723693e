import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CodingAttempt, CodingRunView, FileDiffView } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { ParallelModels } from '../answer';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { RoutingServices } from '../router';
import type { Db } from '../store';
import type { ContextProvider } from '../workspace';
import type { AppliedEdits, FileChange } from './apply-edits';
import { CodingRepo } from './coding-repo';
import { runCodingTask, type CodingOutcome } from './coding-loop';
import { diffHunks, selectHunks } from './line-diff';
import { DEFAULT_VALIDATION, type ValidationSettings } from './validation/validation-pipeline';
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

interface LiveRun {
  view: CodingRunView;
  changes: FileChange[];
  applied: AppliedEdits | null;
  /** Per file, per hunk: the user's decision; a hunk not rejected stays in the working tree. */
  decisions: Map<string, Array<'pending' | 'accepted' | 'rejected'>>;
  /** What this run last wrote to each file (null: deleted); absent: the edit's own content. */
  written: Map<string, string | null>;
  done: Promise<CodingOutcome | null>;
}

/**
 * The coding workspace's service (issue #12): runs the edit → validate → retry loop with every model
 * call through the answer pipeline, records each attempt (SQLite) and publishes it live
 * (`coding.updated`), and keeps the passing edit reviewable (accept/reject per file or hunk) and undoable.
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

  get(runId: string): CodingRunView {
    const live = this.runs.get(runId);
    if (live) return live.view;
    const stored = this.repo.getRun(runId);
    if (!stored) throw new SwitchboardError('not_found', `There is no coding run "${runId}".`);
    return stored;
  }

  /** Accepts or rejects a file's edits, or one hunk of them; a rejected hunk is reverted on disk at once. */
  review(runId: string, file: string, decision: 'accepted' | 'rejected', hunk?: number): CodingRunView {
    const live = this.requireLive(runId);
    if (live.view.undone) throw new SwitchboardError('conflict', 'This run was undone: its edits are no longer in the working tree, so there is nothing to review.');
    const change = live.changes.find((c) => c.path === file);
    const decisions = live.decisions.get(file);
    if (!change || !decisions) throw new SwitchboardError('not_found', `The run did not edit ${file}.`);
    this.refuseIfChangedSince(live, [change]);
    if (hunk !== undefined && (hunk < 0 || hunk >= decisions.length)) throw new SwitchboardError('invalid_input', `${file} has ${decisions.length} hunk${decisions.length === 1 ? '' : 's'}; there is no hunk ${hunk + 1}.`);
    for (let i = 0; i < decisions.length; i++) if (hunk === undefined || hunk === i) decisions[i] = decision;
    const before = change.before === null ? '' : change.before.toString('utf8');
    const kept = decisions.map((x) => x !== 'rejected');
    // A change with no line hunks (only the final newline differs) is taken or left as a whole.
    const rejectedWhole = decisions.length === 0 ? decision === 'rejected' : kept.every((k) => !k);
    if (change.before === null && rejectedWhole) {
      fs.rmSync(change.absolute, { force: true });
      live.written.set(change.path, null);
    } else {
      const content = decisions.length === 0 ? (rejectedWhole ? before : change.after) : selectHunks(before, change.after, kept);
      writeAtomically(change.absolute, content);
      live.written.set(change.path, content);
    }
    live.view = { ...live.view, files: this.fileViews(live) };
    this.publish(live);
    return live.view;
  }

  /** Restores every file the run edited to its bytes before the run, deleting files it created. */
  undo(runId: string): CodingRunView {
    const live = this.requireLive(runId);
    if (!live.applied) throw new SwitchboardError('conflict', 'This run left no edits to undo.');
    if (live.view.undone) throw new SwitchboardError('conflict', 'This run was already undone.');
    this.refuseIfChangedSince(live, live.changes);
    live.applied.undo();
    live.view = { ...live.view, undone: true, files: [] };
    this.publish(live);
    return live.view;
  }

  /**
   * Undo and review overwrite files: never over changes made after this run wrote them (an editor's
   * save, another tool). The user is told which file, and nothing is written.
   */
  private refuseIfChangedSince(live: LiveRun, changes: readonly FileChange[]): void {
    const moved = changes.filter((c) => {
      const expected = live.written.has(c.path) ? live.written.get(c.path)! : c.after;
      let actual: string | null;
      try {
        actual = fs.readFileSync(c.absolute, 'utf8');
      } catch {
        actual = null;
      }
      return actual !== expected;
    });
    if (moved.length) {
      const names = moved.map((c) => c.path).join(', ');
      throw new SwitchboardError('conflict', `${names} changed after this run wrote ${moved.length === 1 ? 'it' : 'them'}; Switchboard leaves ${moved.length === 1 ? 'it' : 'them'} as ${moved.length === 1 ? 'it is' : 'they are'} (nothing was written).`);
    }
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.runs.values()].map((r) => r.done));
  }

  private begin(input: StartCoding): LiveRun & { error?: unknown } {
    const root = this.resolveRoot(input.root);
    if (input.allowCommands) this.repo.allowCommands(root);
    const id = randomUUID();
    this.repo.createRun({ id, root, task: input.task, createdAt: Date.now() });
    const live: LiveRun & { error?: unknown } = {
      view: { id, root, task: input.task, status: 'running', attempts: [], files: [], contextFiles: [], warnings: [], totalCostUsd: null, undone: false },
      changes: [], applied: null, decisions: new Map(), written: new Map(), done: Promise.resolve(null),
    };
    this.runs.set(id, live);
    const onAttempt = (attempt: CodingAttempt): void => {
      const attempts = live.view.attempts.filter((a) => a.attempt !== attempt.attempt);
      live.view = { ...live.view, attempts: [...attempts, { ...attempt }].sort((a, b) => a.attempt - b.attempt) };
      this.repo.saveAttempt(id, attempt);
      this.publish(live);
    };
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
        root, task: input.task, model: input.model, architectModel: input.architectModel, settings: this.d.validation ?? DEFAULT_VALIDATION,
        configured: this.repo.configuredCommands(root), commandsAllowed: this.repo.commandsAllowed(root), offline: this.d.isOffline(),
        allowDirty: input.allowDirty, env: input.env, signal: input.signal, onAttempt,
        onWarning: (w) => {
          live.view = { ...live.view, warnings: [...live.view.warnings, w] };
          this.publish(live);
        },
      },
    ).then(
      (outcome) => {
        live.changes = outcome.changes;
        live.applied = outcome.applied;
        for (const c of outcome.changes) live.decisions.set(c.path, diffHunks(c.before === null ? '' : c.before.toString('utf8'), c.after).map(() => 'pending'));
        live.view = {
          ...live.view, status: outcome.status, attempts: outcome.attempts.map((a) => ({ ...a })), contextFiles: outcome.contextFiles, warnings: outcome.warnings,
          totalCostUsd: outcome.totalCostUsd, files: this.fileViews(live),
        };
        for (const a of outcome.attempts) this.repo.saveAttempt(id, a);
        this.repo.finishRun(id, { status: outcome.status, finishedAt: Date.now(), filesChanged: outcome.filesChanged, contextFiles: outcome.contextFiles, totalCostUsd: outcome.totalCostUsd });
        this.publish(live);
        return outcome;
      },
      (error: unknown) => {
        live.error = error;
        const message = error instanceof Error ? error.message : String(error);
        this.d.logger.warn('a coding run stopped with an error', { runId: id, error });
        live.view = { ...live.view, status: 'failed', warnings: [...live.view.warnings, message] };
        this.repo.finishRun(id, { status: 'failed', finishedAt: Date.now(), filesChanged: [], contextFiles: [], totalCostUsd: null });
        this.publish(live);
        return null;
      },
    );
    return live;
  }

  private fileViews(live: LiveRun): FileDiffView[] {
    return live.changes.map((c) => {
      const decisions = live.decisions.get(c.path) ?? [];
      return {
        path: c.path,
        change: c.before === null ? 'created' : 'modified',
        hunks: diffHunks(c.before === null ? '' : c.before.toString('utf8'), c.after).map((h, i) => ({ ...h, decision: decisions[i] ?? 'pending' })),
      };
    });
  }

  private requireLive(runId: string): LiveRun {
    const live = this.runs.get(runId);
    if (!live) throw new SwitchboardError(this.repo.getRun(runId) ? 'conflict' : 'not_found', this.repo.getRun(runId) ? 'This run is from before Switchboard restarted: its edits can no longer be reviewed here (use git to inspect them).' : `There is no coding run "${runId}".`);
    if (live.view.status === 'running') throw new SwitchboardError('conflict', 'The run is still going; review its edits when it ends.');
    return live;
  }

  private resolveRoot(root: string): string {
    const resolved = path.resolve(root);
    const stat = fs.statSync(resolved, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) throw new SwitchboardError('invalid_input', `The workspace ${resolved} is not a folder that exists.`);
    return fs.realpathSync(resolved);
  }

  private publish(live: LiveRun): void {
    this.d.events.emit('coding.updated', { run: live.view });
  }
}

function writeAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.sb-review.tmp`);
  const mode = fs.statSync(file, { throwIfNoEntry: false })?.mode;
  fs.writeFileSync(temp, text, mode === undefined ? undefined : { mode: mode & 0o7777 });
  fs.renameSync(temp, file);
}
