// The coding workspace's edit → validate → retry loop (issue #12). Workspaces and the index are `workspace/`.
export { applyChanges, EditApplyError, isBinary, prepareEdits, type AppliedEdits, type BlockProblem, type FileChange } from './apply-edits';
export { attemptChain, DEFAULT_CONTEXT_BYTES, runCodingTask, type CodingLoopDeps, type CodingOutcome, type CodingTaskOptions } from './coding-loop';
export { CodingRepo } from './coding-repo';
export { CodingService, type CodingServiceDeps, type StartCoding } from './coding-service';
export { EditParseError, parseEditBlocks, type EditBlock } from './edit-blocks';
export { readGitState, type GitState } from './git-state';
export { diffHunks, selectHunks, unifiedDiff, type DiffHunk } from './line-diff';
export { detectValidation, type ConfiguredCommands, type StepCommand, type ValidationPlan } from './validation/detect-steps';
export { parseDiagnostics, type Diagnostic } from './validation/diagnostics';
export { commandEnv, runCommand, type CommandRun } from './validation/run-command';
export { syntaxCheck } from './validation/syntax-check';
export { DEFAULT_VALIDATION, validateEdits, type StepResult, type ValidationResult, type ValidationSettings } from './validation/validation-pipeline';
export { wholeRepoContext } from './whole-repo-context';
