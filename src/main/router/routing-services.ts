import type { Logger } from '../logger';
import type { PriceBook } from '../catalog';
import type { ProviderSettingsService } from '../providers/provider-settings-service';
import type { ReliableChat } from '../reliability';
import { SwitchboardError } from '../../shared/errors';
import { isOllamaProvider, providerOf, tierOfProvider } from '../../shared/model-id';
import type { ModelRunner } from '../runner';
import { BudgetLedger } from './budget-ledger';
import { DEFAULT_ROUTER_CONFIG, resolveRouterConfig, type RouterConfig } from './config';
import { ContextBudget } from './context-budget';
import { DecisionRecorder } from './decision-recorder';
import { bundledEstimator, tierRank } from './difficulty';
import { OutcomeMemory, type RequestEmbeddings } from './difficulty/outcome-memory';
import { RouterService } from './router-service';
import { SqliteSummaryStore } from './summary-store';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { Db, WriteBehind } from '../store';
import { SpendTotals } from '../usage';
import type { SystemService } from '../system/system-service';
import type { RouterConfigFile } from './config-file';
import { HostBalancer } from './host-balancer';
import { catalogKey, rankLocalModels, readRoleCandidates, readRoleCatalog, resolveLocalModels, roleForIntent } from './local-roles';
import { RouteInputs } from './route-inputs';
import type { LocalContextWindows } from './local-context-windows';
import { localContextRunner } from './local-context-runner';

export interface RoutingServices {
  router: RouterService;
  inputs: RouteInputs;
  ledger: BudgetLedger;
  decisions: DecisionRecorder;
  /** Ollama hosts serving the same model, balanced (issue #13). */
  balancer: HostBalancer;
  /** Issue #11: what routing learnt from the user's outcomes (SQLite, this machine only). */
  outcomes: OutcomeMemory;
  /** Issue #11: a routed reply is answered again on `model`; a stronger tier than it had is a label. */
  regenerated(messageId: string, model: string): void;
  config(): RouterConfig;
}

/** The router wired to the app: config from Settings, budgets on the call log, records in SQLite. */
export function createRoutingServices(d: {
  db: Db;
  settings: SettingsService;
  /** The runner on the reliability layer, for the router's own calls (classifier, validator, summaries). */
  runner: ModelRunner;
  /** Breakers and rate limits: a paused model or a nearly exhausted free tier is not routed to. */
  reliable: Pick<ReliableChat, 'health' | 'rateLimits'>;
  prices: PriceBook;
  providers: Pick<ProviderSettingsService, 'extraOllamaModels' | 'extraOllamaHosts' | 'capabilities'>;
  system: SystemService;
  secrets: SecretStore;
  logger: Logger;
  /** Offline mode as the network guard applies it (the setting, or forced for one CLI run). */
  isOffline: () => boolean;
  /** router.json: between the defaults and Settings. */
  configFile?: RouterConfigFile;
  /** Decision records are written off the response path through it (issue #17). */
  writes?: WriteBehind;
  /** Local models' context windows (issue #13): sizes num_ctx per call and the router's windows. */
  windows?: LocalContextWindows;
  /** Issue #11: request embeddings from the installed local embedding model, for learnt floors by meaning. */
  embeddings?: RequestEmbeddings;
}): RoutingServices {
  let cached: { patch: unknown; file: RouterConfig | null; installed: string; roles: unknown; config: RouterConfig } | null = null;
  const inputs = new RouteInputs({ system: d.system, providers: d.providers, prices: d.prices, secrets: d.secrets, settings: d.settings, windows: d.windows, logger: d.logger.child('route-inputs') });
  // Several Ollama hosts serving a model share its requests: least loaded, then fastest, breaker per host.
  const balancer = new HostBalancer({
    replicas: (id) => {
      const key = catalogKey(id);
      const tier = inputs.model(id)?.tier;
      return inputs.installedLocal().filter((other) => catalogKey(other) === key && isOllamaProvider(providerOf(other)) && inputs.model(other)?.tier === tier);
    },
    isOpen: (id) => d.reliable.health.isOpen(id),
  });
  // Every local call the router makes (answers, classifier, validator, summaries) carries its num_ctx.
  const runner = localContextRunner(balancer.runner(d.runner), { window: (id) => inputs.localWindow(id) });
  const roles = readRoleCandidates();
  const roleCatalog = readRoleCatalog();
  // The configured config, with its local router/validator/summariser resolved to installed models.
  const config = (): RouterConfig => {
    const { router: patch, localRoles } = d.settings.get();
    const installed = inputs.installedLocal();
    const key = installed.join('\n');
    const file = d.configFile?.current() ?? null;
    if (cached?.patch !== patch || cached.installed !== key || cached.file !== file || cached.roles !== localRoles) {
      const base = resolveRouterConfig(patch as never, file ?? undefined);
      cached = { patch, file, installed: key, roles: localRoles, config: { ...base, localModels: resolveLocalModels(base.localModels, installed, roles, localRoles) } };
    }
    return cached.config;
  };
  // Spend is kept running (SpendTotals): the check every request makes does not grow with the call log.
  const spend = new SpendTotals(d.db);
  const ledger = new BudgetLedger({ db: d.db, limits: () => config().cost, spentSince: (ts) => spend.costSince(ts) });
  const decisions = new DecisionRecorder(d.db, d.logger.child('decisions'), d.writes);
  const outcomes = new OutcomeMemory(d.db, d.embeddings);
  // The summariser runs outside the budget (before a request is reserved): it may only be a local
  // model. A cloud one configured by hand is refused here, and the context keeps the newest turns.
  const localRunner: ModelRunner = {
    stream: (r) => {
      const tier = inputs.model(r.model)?.tier ?? tierOfProvider(providerOf(r.model));
      if (tier === 'local') return runner.stream(r);
      return (async function* refused() {
        yield { type: 'error' as const, error: new SwitchboardError('invalid_input', `The summariser ${r.model} is not a local model: summaries run outside the budget, so only a model on this machine may write them (Settings → Routing → local models).`) };
      })();
    },
  };
  const contextBudget = new ContextBudget({
    runner: localRunner,
    model: () => config().localModels.summariser,
    store: new SqliteSummaryStore(d.db),
    targetTokens: config().context.maxContextTokens,
    keepLastTurns: config().context.keepLastTurns,
    logger: d.logger.child('context'),
  });
  const router = new RouterService({
    config,
    runner,
    model: (id) => inputs.model(id),
    installedLocal: () => inputs.installedLocal(),
    hasKey: (p) => inputs.hasKey(p),
    isRetired: (id) => inputs.isRetired(id),
    supportsTools: (id) => inputs.supportsTools(id),
    supportsVision: (id) => inputs.supportsVision(id),
    isOffline: d.isOffline,
    ledger,
    recorder: decisions,
    contextBudget,
    health: d.reliable.health,
    // Settling the budget and writing the decision record commit together: one write, not two.
    atomically: (fn) => d.db.transaction(fn)(),
    rateLimits: d.reliable.rateLimits,
    refreshInputs: () => inputs.refresh(),
    // Issue #13: the request's role picks the local model (Settings' pick, catalog quality, fits the GPU, loaded).
    localOrder: (intent) =>
      rankLocalModels({
        role: roleForIntent(intent),
        installed: inputs.installedLocal(),
        catalog: roleCatalog,
        chosen: d.settings.get().localRoles,
        defaults: config().rungs.local ?? [],
        pinned: !sameList(config().rungs.local, DEFAULT_ROUTER_CONFIG.rungs.local),
        fitsGpu: (id) => (inputs.localWindow(id)?.gpu ?? null) !== null,
        loaded: (id) => (inputs.localWindow(id)?.loaded ?? null) !== null,
      }),
    localProblem: (id) => inputs.localProblem(id),
    // Issue #11: the shipped difficulty weights; a follow-up starts no lower than the previous turn's tier.
    difficulty: bundledEstimator(),
    previousTurn: (conversationId) => {
      const last = decisions.lastInConversation(conversationId);
      return last?.tier ? { tier: last.tier, ...(last.analysis.difficulty !== undefined ? { difficulty: last.analysis.difficulty } : {}) } : null;
    },
    outcomes,
  });
  const regenerated = (messageId: string, model: string): void => {
    const before = decisions.list({ messageId, limit: 1_000 }).at(-1);
    // switchboard/auto and switchboard/local are routing modes, not a stronger model (router must not import answer/).
    if (!before?.tier || !config().difficulty?.learnFromOutcomes || model.startsWith('switchboard/')) return;
    const tier = inputs.model(model)?.tier ?? tierOfProvider(providerOf(model));
    const request = outcomes.requestBefore(messageId);
    if (request === null || tierRank(tier) <= tierRank(before.tier)) return;
    outcomes.record({ kind: 'regenerated', fromTier: before.tier, toTier: tier, request, messageId });
  };
  return { router, inputs, ledger, decisions, balancer, outcomes, regenerated, config };
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  return (a ?? []).join('\n') === (b ?? []).join('\n');
}
