import type { RoutingConfigState } from '../../shared/contract';
import { AUTO_MODEL_ID, modeFor } from '../answer';
import type { MetricsService } from '../metrics';
import { DEFAULT_ROUTER_CONFIG, mergeRouterPatch, resolveRouterConfig } from '../router';
import { budgetView, type RoutingServices } from '../router';
import type { Network } from '../net';
import type { SettingsService } from '../settings/settings-service';
import { SwitchboardError } from '../../shared/errors';
import type { DomainHandlers } from './dispatcher';

export interface RoutingHandlerDeps {
  routing: RoutingServices;
  network: Network;
  settings: SettingsService;
  metrics: MetricsService;
}

type RoutingHandlers = DomainHandlers<'routing'> & DomainHandlers<'budget'> & DomainHandlers<'metrics'> & DomainHandlers<'network'>;

/** `routing.*` (decisions, preview, config), `budget.state`, `metrics.*` (dashboard, export), `network.log`. */
export function buildRoutingHandlers(d: RoutingHandlerDeps): RoutingHandlers {
  const configState = (): RoutingConfigState => ({ config: d.routing.config(), patch: d.settings.get().router, defaults: DEFAULT_ROUTER_CONFIG });
  return {
    // A reply retried in place has several records: the newest is the one its text came from.
    'routing.decision': ({ messageId }) => d.routing.decisions.list({ messageId, limit: 1_000 }).at(-1) ?? null,
    'routing.preview': ({ content, model }) => d.routing.router.preview([{ role: 'user', content }], modeFor(model ?? AUTO_MODEL_ID)),
    'routing.config': () => configState(),
    'routing.updateConfig': ({ patch, replace }) => {
      const next = replace ? patch : mergeRouterPatch(d.settings.get().router, patch);
      resolveRouterConfig(next); // refuses with invalid_input naming the first problems; nothing is stored
      d.settings.update({ router: next });
      return configState();
    },
    'routing.feedback': ({ messageId, verdict }) => {
      const decision = d.routing.decisions.list({ messageId, limit: 1_000 }).at(-1);
      if (!decision?.tier) throw new SwitchboardError('not_found', 'This reply was not routed by Auto, so there is nothing for routing to learn from it.');
      // Off means nothing is kept: a rating given then is not stored for later either.
      if (d.routing.config().difficulty?.learnFromOutcomes === false) {
        throw new SwitchboardError('invalid_input', 'Learning from outcomes is off (Settings → Routing → Learn from outcomes), so this rating was not kept.');
      }
      return { verdict, learned: d.routing.outcomes.feedback(messageId, verdict, decision.tier) };
    },
    'routing.learning': () => ({ outcomes: d.routing.outcomes.count() }),
    'routing.forgetLearning': () => ({ forgotten: d.routing.outcomes.reset() }),
    'budget.state': () => budgetView(d.routing.ledger),
    'metrics.dashboard': ({ days }) => d.metrics.dashboard(days),
    'metrics.export': ({ days }) => d.metrics.export(days),
    'network.log': ({ limit }) => d.network.history(limit ?? 200),
  };
}
