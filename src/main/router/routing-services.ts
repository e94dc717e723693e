import type { Logger } from '../logger';
import type { PriceBook } from '../catalog';
import type { ProviderSettingsService } from '../providers/provider-settings-service';
import type { ReliableChat } from '../reliability';
import { SwitchboardError } from '../../shared/errors';
import { providerOf, tierOfProvider } from '../../shared/model-id';
import type { ModelRunner } from '../runner';
import { BudgetLedger } from './budget-ledger';
import { resolveRouterConfig, type RouterConfig } from './config';
import { ContextBudget } from './context-budget';
import { DecisionRecorder } from './decision-recorder';
import { bundledEstimator, tierRank } from './difficulty';
import { OutcomeMemory } from './difficulty/outcome-memory';
import { RouterService } from './router-service';
import { SqliteSummaryStore } from './summary-store';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { Db } from '../store';
import { SpendTotals } from '../usage';
import type { SystemService } from '../system/system-service';
import type { RouterConfigFile } from './config-file';
import { readRoleCandidates, resolveLocalModels } from './local-roles';
import { RouteInputs } from './route-inputs';

export interface RoutingServices {
  router: RouterService;
  inputs: RouteInputs;
  ledger: BudgetLedger;
  decisions: DecisionRecorder;
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
  providers: Pick<ProviderSettingsService, 'extraOllamaModels' | 'extraOllamaHosts'>;
  system: SystemService;
  secrets: SecretStore;
  logger: Logger;
  /** Offline mode as the network guard applies it (the setting, or forced for one CLI run). */
  isOffline: () => boolean;
  /** router.json: between the defaults and Settings. */
  configFile?: RouterConfigFile;
}): RoutingServices {
  let cached: { patch: unknown; file: RouterConfig | null; installed: string; config: RouterConfig } | null = null;
  const inputs = new RouteInputs({ system: d.system, providers: d.providers, prices: d.prices, secrets: d.secrets, settings: d.settings });
  const roles = readRoleCandidates();
  // The configured config, with its local router/validator/summariser resolved to installed models.
  const config = (): RouterConfig => {
    const patch = d.settings.get().router;
    const installed = inputs.installedLocal();
    const key = installed.join('\n');
    const file = d.configFile?.current() ?? null;
    if (cached?.patch !== patch || cached.installed !== key || cached.file !== file) {
      const base = resolveRouterConfig(patch as never, file ?? undefined);
      cached = { patch, file, installed: key, config: { ...base, localModels: resolveLocalModels(base.localModels, installed, roles) } };
    }
    return cached.config;
  };
  // Spend is kept running (SpendTotals): the check every request makes does not grow with the call log.
  const spend = new SpendTotals(d.db);
  const ledger = new BudgetLedger({ db: d.db, limits: () => config().cost, spentSince: (ts) => spend.costSince(ts) });
  const decisions = new DecisionRecorder(d.db, d.logger.child('decisions'));
  const outcomes = new OutcomeMemory(d.db);
  // The summariser runs outside the budget (before a request is reserved): it may only be a local
  // model. A cloud one configured by hand is refused here, and the context keeps the newest turns.
  const localRunner: ModelRunner = {
    stream: (r) => {
      const tier = inputs.model(r.model)?.tier ?? tierOfProvider(providerOf(r.model));
      if (tier === 'local') return d.runner.stream(r);
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
    runner: d.runner,
    model: (id) => inputs.model(id),
    installedLocal: () => inputs.installedLocal(),
    hasKey: (p) => inputs.hasKey(p),
    isOffline: d.isOffline,
    ledger,
    recorder: decisions,
    contextBudget,
    health: d.reliable.health,
    // Settling the budget and writing the decision record commit together: one write, not two.
    atomically: (fn) => d.db.transaction(fn)(),
    rateLimits: d.reliable.rateLimits,
    refreshInputs: () => inputs.refresh(),
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
  return { router, inputs, ledger, decisions, outcomes, regenerated, config };
}
