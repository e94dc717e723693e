import { z } from 'zod';
import { call } from './define';
import { Tier } from './system';

/**
 * The coding workspace (issue #12): a task on a folder runs edit → validate → retry, each attempt
 * on the next model of the router's chain; edits are shown as per-file diffs the user accepts or
 * rejects by file or hunk, and can undo.
 */
export const StepStatus = z.enum(['passed', 'failed', 'skipped']);
export type StepStatus = z.infer<typeof StepStatus>;

export const CodingDiagnostic = z.object({
  file: z.string(),
  line: z.number().int(),
  column: z.number().int().optional(),
  message: z.string(),
  /** The step that found it: syntax, build, test, lint — or edit (a block that did not apply). */
  source: z.string().optional(),
});
export type CodingDiagnostic = z.infer<typeof CodingDiagnostic>;

export const ValidationStatus = z.object({ syntax: StepStatus, build: StepStatus, test: StepStatus, lint: StepStatus });
export type ValidationStatus = z.infer<typeof ValidationStatus>;

export const CodingStep = z.object({
  status: StepStatus,
  reason: z.string().nullable(),
  commands: z.array(z.object({ label: z.string(), exitCode: z.number().nullable(), durationMs: z.number(), timedOut: z.boolean(), truncated: z.boolean() })),
});
export type CodingStep = z.infer<typeof CodingStep>;

export const CodingAttempt = z.object({
  attempt: z.number().int().min(1),
  model: z.string(),
  tier: Tier,
  /** passed: the edit applied and validation passed; failed: otherwise (and the edit was rolled back). */
  status: z.enum(['passed', 'failed']),
  validation: ValidationStatus,
  steps: z.object({ syntax: CodingStep, build: CodingStep, test: CodingStep, lint: CodingStep }).nullable(),
  diagnostics: z.array(CodingDiagnostic),
  /** Why the attempt failed before validation (no edit blocks, a block that matched nothing, the model's error). */
  error: z.string().nullable(),
  filesChanged: z.array(z.string()),
  /** The unified diff the attempt proposed. */
  diff: z.string(),
  costUsd: z.number().nullable(),
  /**
   * While the attempt is being validated: the step running now (null: between steps) and the steps
   * done so far, whose `validation` entries are final. Absent once the attempt has ended.
   */
  progress: z.object({ running: z.enum(['syntax', 'build', 'test', 'lint']).nullable(), done: z.array(z.enum(['syntax', 'build', 'test', 'lint'])) }).optional(),
});
export type CodingAttempt = z.infer<typeof CodingAttempt>;

export const DiffHunkView = z.object({
  oldStart: z.number().int(),
  oldLines: z.number().int(),
  newStart: z.number().int(),
  newLines: z.number().int(),
  lines: z.array(z.string()),
  decision: z.enum(['pending', 'accepted', 'rejected']),
});
export type DiffHunkView = z.infer<typeof DiffHunkView>;

export const FileDiffView = z.object({
  path: z.string(),
  change: z.enum(['created', 'modified']),
  hunks: z.array(DiffHunkView),
});
export type FileDiffView = z.infer<typeof FileDiffView>;

export const CodingRunView = z.object({
  id: z.string(),
  root: z.string(),
  task: z.string(),
  status: z.enum(['running', 'passed', 'failed', 'cancelled']),
  attempts: z.array(CodingAttempt),
  /** The edits left in the working tree (after a passing attempt), for review. */
  files: z.array(FileDiffView),
  contextFiles: z.array(z.string()),
  warnings: z.array(z.string()),
  totalCostUsd: z.number().nullable(),
  /** The edits were undone (all of them, to the bytes they had). */
  undone: z.boolean(),
});
export type CodingRunView = z.infer<typeof CodingRunView>;

const Root = z.string().min(1).max(4096);
const RunId = z.string().min(1).max(100);

const StepLines = z.object({ build: z.array(z.string()).nullable(), test: z.array(z.string()).nullable(), lint: z.array(z.string()).nullable() });
const StepSeconds = z.object({ build: z.number(), test: z.number(), lint: z.number() });

/**
 * Settings → Workspace, one workspace's validation (issue #12): its own build/test/lint commands
 * (one command line each; null: the detected ones), its retry count and step timeouts (null: the
 * seed's defaults), and whether its commands may run. Stored per workspace (coding_workspaces).
 */
export const CodingWorkspaceSettings = z.object({
  root: z.string(),
  commands: StepLines,
  /** What Switchboard detects for each step (labels), used where `commands` is null. */
  detected: z.object({ build: z.array(z.string()), test: z.array(z.string()), lint: z.array(z.string()) }),
  maxRetries: z.number().int().nullable(),
  timeoutsSec: z.object({ build: z.number().nullable(), test: z.number().nullable(), lint: z.number().nullable() }),
  defaults: z.object({ maxRetries: z.number().int(), timeoutsSec: StepSeconds }),
  commandsAllowed: z.boolean(),
});
export type CodingWorkspaceSettings = z.infer<typeof CodingWorkspaceSettings>;

const CommandLines = z.array(z.string().max(4096)).max(20, 'at most 20 commands per step').nullable();
/** Seed 002 names max_retries without a bound; more than 10 retries climbs past any router chain. */
const Retries = z.number({ message: 'must be a whole number' }).int('must be a whole number').min(0, 'cannot be negative').max(10, 'must be at most 10').nullable();
/** A step's timeout in seconds: at least 1 s, at most an hour. */
const TimeoutSec = z.number({ message: 'must be a number of seconds' }).min(1, 'must be at least 1 second').max(3600, 'must be at most 3600 seconds (an hour)').nullable();

export const CodingWorkspaceSettingsInput = z
  .object({
    root: Root,
    commands: z.object({ build: CommandLines, test: CommandLines, lint: CommandLines }).strict(),
    maxRetries: Retries,
    timeoutsSec: z.object({ build: TimeoutSec, test: TimeoutSec, lint: TimeoutSec }).strict(),
    commandsAllowed: z.boolean().optional(),
  })
  .strict();
export type CodingWorkspaceSettingsInput = z.infer<typeof CodingWorkspaceSettingsInput>;

export const codingCalls = {
  /** Starts a coding task on a workspace; progress arrives as `coding.updated` events. */
  'coding.run': call(
    z.object({ root: Root, task: z.string().min(1).max(20_000), model: z.string().max(200).optional(), allowCommands: z.boolean().optional(), allowDirty: z.boolean().optional() }).strict(),
    CodingRunView,
  ),
  'coding.get': call(z.object({ runId: RunId }).strict(), CodingRunView),
  /** Keeps or reverts one file's edits (all its hunks), or one hunk of it (`hunk`, 0-based). */
  'coding.review': call(z.object({ runId: RunId, path: z.string().min(1).max(4096), hunk: z.number().int().min(0).optional(), decision: z.enum(['accepted', 'rejected']) }).strict(), CodingRunView),
  /** Restores every edited file to its bytes before the run, deleting the files it created. */
  'coding.undo': call(z.object({ runId: RunId }).strict(), CodingRunView),
  /** Stops a running task: its commands are killed, its edit rolled back, the run recorded as cancelled. */
  'coding.cancel': call(z.object({ runId: RunId }).strict(), CodingRunView),
  /** The newest run (null: none yet), for the Code page after a reload or a restart. */
  'coding.latest': call(z.object({}).strict(), z.object({ run: CodingRunView.nullable() })),
  /** A workspace's validation settings (Settings → Workspace). */
  'coding.workspaceSettings': call(z.object({ root: Root }).strict(), CodingWorkspaceSettings),
  /** Replaces a workspace's validation settings; returns them as stored. */
  'coding.setWorkspaceSettings': call(CodingWorkspaceSettingsInput, CodingWorkspaceSettings),
  /** Lets this workspace run its build, test and lint commands from now on. */
  'coding.allowCommands': call(z.object({ root: Root }).strict(), z.object({ root: z.string(), allowed: z.boolean() })),
};

export const codingEvents = {
  /** A run changed (an attempt started, a step finished, the user reviewed a hunk): the whole run. */
  'coding.updated': z.object({ run: CodingRunView }),
};
