/**
 * The router (issue #5): analyse a request, decide where it goes, run it as a cascade with quality
 * gates, keep spend inside the budget, keep the context small, and record why. Pure library: the
 * composition root (app.ts) wires the runner, catalog, reliability layer, keychain and database in.
 */
export { analyse, complexityOf, fastPromptTokens, splitParts, type AnalyseOptions } from './analyse';
export { analyseWithRouterModel, ROUTER_MODEL_JSON_SCHEMA, RouterModelVerdict, type RouterModelOptions } from './analyse-with-model';
export { answerCostUsd, checkCandidate, tierOfUnknown, type Needs, type RouteContext } from './availability';
export { BudgetLedger, startOfDay, startOfMonth, type BudgetExceeded, type BudgetLedgerOptions, type BudgetLimits, type BudgetState, type PeriodState, type Reservation } from './budget-ledger';
export { DEFAULT_MAX_ESCALATIONS, runCascade, withEscalationNote, type CascadeAttempt, type CascadeEvent, type CascadeOptions, type CascadeResult } from './cascade';
export {
  DEFAULT_ROUTER_CONFIG,
  loadRouterConfigFile,
  mergeRouterPatch,
  resolveRouterConfig,
  RouterConfigSchema,
  TASK_KEYS,
  type RouterConfig,
  type RouterConfigPatch,
  type TaskKey,
} from './config';
export { ContextBudget, type ContextBudgetOptions, type ConversationMessage, type PreparedContext } from './context-budget';
export { decisionRecordFrom, DecisionRecorder, toLlmPerformance, type DecisionOutcome, type DecisionRecord, type LlmPerformanceEntry } from './decision-recorder';
export { decide } from './policy';
export { codeFenceGate, defaultGates, emptyGate, jsonGate, refusalGate, runGates, truncatedGate, type GateInput, type GateResult, type QualityGate } from './quality-gates';
export { routableFromModelInfo } from './routable';
export { MemorySummaryStore, SqliteSummaryStore, type CachedSummary, type SummaryStore } from './summary-store';
export * from './types';
export { VALIDATOR_JSON_SCHEMA, validatorGate, ValidatorVerdict, type ValidatorGateOptions } from './validator-gate';
export { RouterService, type RouteOutcome, type RouteRequest, type RouterServiceOptions } from './router-service';

// The router wired to the app (config from Settings and router.json, budgets on the call log,
// records in SQLite, the installed models and keys it decides on, refreshed by the router itself).
export { budgetView, watchBudget } from './budget-watch';
export { RouterConfigFile } from './config-file';
export { isEmbeddingModel, RouteInputs } from './route-inputs';
export { createRoutingServices, type RoutingServices } from './routing-services';
export { LOCAL_REPLY_BUDGET, NUM_CTX_STEP, OLLAMA_DEFAULT_CONTEXT, formatTokens, planNumCtx, tooLongReason, windowLimit, type LocalWindow, type NumCtxPlan } from './local-context';
export { LocalContextWindows } from './local-context-windows';
export { localContextRunner } from './local-context-runner';
export { HostBalancer, type HostBalancerDeps } from './host-balancer';
