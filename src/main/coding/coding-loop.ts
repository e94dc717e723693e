import fs from 'node:fs';
import type { CodingAttempt, Tier, ValidationStatus } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import { callOnce, costFor, sumCosts, type ChatMessage, type CostOf, type ModelRunner } from '../runner';
import type { ContextPack, ContextProvider } from '../workspace';
import { applyChanges, EditApplyError, prepareEdits, type AppliedEdits, type FileChange } from './apply-edits';
import { applyFeedback, architectMessages, editMessages, validationFeedback } from './coding-prompt';
import { EditParseError, parseEditBlocks } from './edit-blocks';
import { readGitState } from './git-state';
import { unifiedDiff } from './line-diff';
import type { ConfiguredCommands } from './validation/detect-steps';
import { DEFAULT_VALIDATION, validateEdits, type ValidationResult, type ValidationSettings } from './validation/validation-pipeline';

/** Seed 002's context budget: "under 20 KB" ([context] max_context_tokens = 20000 is the token form). */
export const DEFAULT_CONTEXT_BYTES = 20_000;

export interface CodingLoopDeps {
  /** Every call is an answer of the one pipeline (budget, gates, call log): pipelineRunner in the app. */
  runner: ModelRunner;
  /** The router's decision for the task: its model and the chain to escalate along. */
  route: (messages: ChatMessage[]) => Promise<{ model: string | null; chain: string[]; refusal: string | null }>;
  tierOf: (model: string) => Tier;
  costOf: CostOf;
  context: ContextProvider;
}

export interface CodingTaskOptions {
  root: string;
  task: string;
  /** Start on this model instead of the router's pick; retries still climb the router's chain. */
  model?: string;
  /** Architect/editor mode: this (strong) model plans, the routed (cheap) model writes the blocks. */
  architectModel?: string;
  settings?: ValidationSettings;
  configured?: ConfiguredCommands;
  commandsAllowed: boolean;
  offline: boolean;
  /** Edit files that hold uncommitted changes too (default: refuse them). */
  allowDirty?: boolean;
  budgetBytes?: number;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Called whenever an attempt starts, finishes a step, or ends (the same object, updated). */
  onAttempt?: (attempt: CodingAttempt) => void;
  onWarning?: (warning: string) => void;
}

export interface CodingOutcome {
  status: 'passed' | 'failed' | 'cancelled';
  attempts: CodingAttempt[];
  filesChanged: string[];
  contextFiles: string[];
  totalCostUsd: number | null;
  warnings: string[];
  /** The passing attempt's changes (bytes before, text after), left in the working tree. */
  changes: FileChange[];
  applied: AppliedEdits | null;
}

/**
 * Files that define how validation runs: an edit to one can make a failing change "pass" (a test
 * script emptied, a lint rule switched off). Such edits are allowed — tasks need them — but said.
 */
const VALIDATION_FILES = /(^|\/)(package\.json|pyproject\.toml|setup\.cfg|pytest\.ini|tox\.ini|\.flake8|\.?ruff\.toml|Cargo\.toml|go\.mod|tsconfig(\.[\w-]+)?\.json|(eslint|vitest|vite|jest)\.config\.[cm]?[jt]s|\.eslintrc(\.\w+)?)$/;

const NO_VALIDATION: ValidationStatus = { syntax: 'skipped', build: 'skipped', test: 'skipped', lint: 'skipped' };

function statusOf(result: ValidationResult): ValidationStatus {
  return { syntax: result.steps.syntax.status, build: result.steps.build.status, test: result.steps.test.status, lint: result.steps.lint.status };
}

/** The models to try, in order: the first pick, then the router's chain above it. */
export function attemptChain(first: string, chain: readonly string[]): string[] {
  const at = chain.indexOf(first);
  return at >= 0 ? chain.slice(at) : [first, ...chain.filter((m) => m !== first)];
}

function checkWorkspace(root: string): void {
  const stat = fs.statSync(root, { throwIfNoEntry: false });
  if (!stat) throw new SwitchboardError('invalid_input', `The workspace ${root} does not exist.`);
  if (!stat.isDirectory()) throw new SwitchboardError('invalid_input', `The workspace ${root} is not a folder.`);
}

/**
 * The coding loop (issue #12, seed 002 "Validation-Driven Routing"): context → the model's edit
 * blocks → apply → validate; on failure the edit is rolled back, the diagnostics and the trimmed
 * output go into the next request, and the next attempt climbs the router's chain, up to
 * `max_retries` retries. The user's files are as they were unless an attempt passed.
 */
export async function runCodingTask(d: CodingLoopDeps, o: CodingTaskOptions): Promise<CodingOutcome> {
  checkWorkspace(o.root);
  const settings = o.settings ?? DEFAULT_VALIDATION;
  const warnings: string[] = [];
  const warn = (w: string): void => {
    warnings.push(w);
    o.onWarning?.(w);
  };
  const git = await readGitState(o.root);
  if (!git.isRepo) warn(`${o.root} is not a git repository: Switchboard keeps the original files to undo its edits, but nothing else records them. Run "git init" and commit first to keep a history.`);
  const protectedFiles = o.allowDirty ? new Set<string>() : git.dirty;
  if (git.dirty.size > 0) {
    const list = [...git.dirty].slice(0, 5).join(', ') + (git.dirty.size > 5 ? ` and ${git.dirty.size - 5} more` : '');
    warn(o.allowDirty ? `Uncommitted changes in ${list}: edits may change them (--allow-dirty).` : `Uncommitted changes in ${list}: those files will not be edited (commit or stash them, or pass --allow-dirty).`);
  }

  const context: ContextPack = await d.context({ root: o.root, task: o.task, budgetBytes: o.budgetBytes ?? DEFAULT_CONTEXT_BYTES });
  const contextFiles = context.files.map((f) => f.path);
  const costs: Array<number | null> = [];
  const attempts: CodingAttempt[] = [];
  const outcome = (status: CodingOutcome['status'], changes: FileChange[] = [], applied: AppliedEdits | null = null): CodingOutcome => ({
    status, attempts, filesChanged: changes.map((c) => c.path), contextFiles, totalCostUsd: sumCosts(costs), warnings, changes, applied,
  });
  /** Stopped by the user (the Code page's Stop, Ctrl-C in the CLI): the attempt in flight says so. */
  const cancelled = (): CodingOutcome => {
    const last = attempts.at(-1);
    if (last && last.status !== 'passed') {
      last.error ??= last.filesChanged.length ? 'Stopped before it finished; its edit was rolled back.' : 'Stopped before it finished; nothing was changed.';
      o.onAttempt?.(last);
    }
    return outcome('cancelled');
  };
  const signal = o.signal ?? new AbortController().signal;
  const call = async (model: string, messages: ChatMessage[], purpose: 'coding.edit' | 'coding.plan') => {
    const reply = await callOnce({ runner: d.runner, model, messages, signal, purpose });
    const cost = costFor(d.costOf, reply.servedBy, reply.usage);
    costs.push(cost);
    return { ...reply, cost };
  };

  let plan: string | undefined;
  if (o.architectModel) {
    const r = await call(o.architectModel, architectMessages(o.task, context), 'coding.plan');
    if (o.signal?.aborted) return cancelled();
    if (r.error) throw new SwitchboardError(r.error.code, `The architect (${o.architectModel}) could not plan the change: ${r.error.message}`);
    plan = r.text.trim();
  }
  const base = editMessages(o.task, context, plan);
  let models: string[];
  const decision = await d.route(base);
  if (o.model) models = attemptChain(o.model, decision.chain);
  else if (decision.model) models = attemptChain(decision.model, decision.chain);
  else throw new SwitchboardError('unavailable', decision.refusal ?? 'No model can take this task right now.');

  const conversation: ChatMessage[] = [...base];
  for (let i = 0; i <= settings.maxRetries; i++) {
    if (o.signal?.aborted) return cancelled();
    const model = models[Math.min(i, models.length - 1)] as string;
    const attempt: CodingAttempt = {
      attempt: i + 1, model, tier: d.tierOf(model), status: 'failed', validation: NO_VALIDATION, steps: null, diagnostics: [], error: null, filesChanged: [], diff: '', costUsd: null,
    };
    attempts.push(attempt);
    o.onAttempt?.(attempt);
    const reply = await call(model, conversation, 'coding.edit');
    attempt.costUsd = reply.cost;
    if (o.signal?.aborted) return cancelled();
    let feedback: string;
    if (reply.error) {
      attempt.error = `${model} failed: ${reply.error.message}`;
      feedback = '';
    } else {
      let changes: FileChange[] | null = null;
      try {
        const blocks = parseEditBlocks(reply.text);
        if (blocks.length === 0) throw new EditParseError('The reply has no SEARCH/REPLACE blocks, so nothing was changed.');
        changes = prepareEdits(o.root, blocks, { protectedFiles });
        if (changes.length === 0) throw new EditParseError('The blocks change nothing: every REPLACE equals its SEARCH.');
      } catch (error) {
        if (!(error instanceof EditParseError || error instanceof EditApplyError)) throw error;
        attempt.error = error.message;
        if (error instanceof EditApplyError) attempt.diagnostics = error.problems.map((p) => ({ file: p.path, line: 0, message: p.message, source: 'edit' }));
      }
      if (changes) {
        attempt.filesChanged = changes.map((c) => c.path);
        attempt.progress = { running: null, done: [] };
        const config = attempt.filesChanged.filter((f) => VALIDATION_FILES.test(f));
        if (config.length) warn(`Attempt ${attempt.attempt} (${model}) edited ${config.join(', ')}, which define${config.length === 1 ? 's' : ''} how validation runs: review that change before trusting the result.`);
        attempt.diff = changes.map((c) => unifiedDiff(c.path, c.before === null ? null : c.before.toString('utf8'), c.after)).join('');
        const applied = applyChanges(changes);
        let result: ValidationResult;
        try {
          result = await validateEdits({
            root: o.root, files: changes.map((c) => ({ path: c.path, content: c.after })), settings, configured: o.configured,
            commandsAllowed: o.commandsAllowed, offline: o.offline, env: o.env, signal: o.signal,
            onStep: (step, result) => {
              // Shown live: which step runs now (a hanging test is visible before it is stopped).
              const progress = attempt.progress ?? { running: null, done: [] };
              if (result) attempt.validation = { ...attempt.validation, [step]: result.status };
              attempt.progress = result ? { running: null, done: [...progress.done, step] } : { running: step, done: progress.done };
              o.onAttempt?.(attempt);
            },
          });
        } catch (error) {
          applied.undo();
          throw error;
        } finally {
          delete attempt.progress;
        }
        attempt.validation = statusOf(result);
        attempt.steps = Object.fromEntries(Object.entries(result.steps).map(([k, s]) => [k, { status: s.status, reason: s.reason, commands: s.commands.map((c) => ({ label: c.label, exitCode: c.exitCode, durationMs: c.durationMs, timedOut: c.timedOut, truncated: c.truncated })) }])) as CodingAttempt['steps'];
        attempt.diagnostics = result.diagnostics;
        if (o.signal?.aborted) {
          // The stop killed the running command (its whole process group): the edit goes back.
          applied.undo();
          return cancelled();
        }
        if (result.passed) {
          attempt.status = 'passed';
          o.onAttempt?.(attempt);
          return outcome('passed', changes, applied);
        }
        applied.undo();
        attempt.error = Object.entries(result.steps).filter(([, s]) => s.status === 'failed').map(([k, s]) => `${k}: ${s.reason ?? 'failed'}`).join('; ');
        feedback = validationFeedback(result);
      } else feedback = applyFeedback(attempt.error ?? 'unknown problem');
    }
    o.onAttempt?.(attempt);
    // The next attempt sees this reply and what went wrong with it (a model error adds nothing to learn from).
    if (feedback) conversation.push({ role: 'assistant', content: reply.text }, { role: 'user', content: feedback });
  }
  return outcome('failed');
}
