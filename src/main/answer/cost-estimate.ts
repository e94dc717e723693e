import type { CostEstimate, Tier } from '../../shared/contract';
import { answerCostUsd, type RoutableModel, type RouterConfig } from '../router';
import type { RoutingServices } from '../router';

export type CostLine = CostEstimate['lines'][number];

/** Tokens of the instructions each stage adds around the question (system prompt, labels, format). */
export const STAGE_OVERHEAD_TOKENS = 300;

export interface CostEstimatorDeps {
  routing: Pick<RoutingServices, 'router' | 'config' | 'inputs' | 'ledger'>;
  tierOf(model: string): Tier;
}

/**
 * The pieces of a cost estimate before a council run or a task graph starts (issue #10; the
 * council's and the graph's own shapes are in council/council-estimate.ts and
 * tasks/graph-estimate.ts): the same prices and reply sizes the router uses, the expected reply
 * length for the estimate and the output cap every call sends upstream for the worst case, and the
 * budget's refusal of paid models at the stop threshold. Each call still reserves its own worst
 * case as it starts.
 */
export class CostEstimator {
  constructor(private readonly d: CostEstimatorDeps) {}

  /** The router's config with prices, installed models and keys brought up to date. */
  async config(): Promise<RouterConfig> {
    await this.d.routing.router.preview([{ role: 'user', content: 'estimate' }]);
    return this.d.routing.config();
  }

  get router(): CostEstimatorDeps['routing']['router'] {
    return this.d.routing.router;
  }

  line(label: string, model: string, tokens: { in: number; out: number; maxIn: number; maxOut: number }): CostLine {
    const info: RoutableModel | undefined = this.d.routing.inputs.model(model);
    return {
      label,
      model,
      tier: info?.tier ?? this.d.tierOf(model),
      estimatedCostUsd: answerCostUsd(info, tokens.in, tokens.out),
      maxCostUsd: answerCostUsd(info, tokens.maxIn, tokens.maxOut),
    };
  }

  /** The model whose tokens cost most: the worst case where the caller does not know which model will take a part. */
  dearest(models: readonly string[]): string {
    const cost = (m: string) => answerCostUsd(this.d.routing.inputs.model(m), 1_000_000, 1_000_000);
    return [...models].sort((a, b) => cost(b) - cost(a))[0] as string;
  }

  total(lines: CostLine[]): CostEstimate {
    const state = this.d.routing.ledger.state();
    return {
      estimatedCostUsd: lines.reduce((s, l) => s + l.estimatedCostUsd, 0),
      maxCostUsd: lines.reduce((s, l) => s + l.maxCostUsd, 0),
      lines,
      budget: { level: state.level, message: state.message },
      refusal: this.paidRefusal(lines.map((l) => l.model)),
    };
  }

  /**
   * Why these models cannot start now (the budget is at its stop threshold, where the router lets
   * only local models run: availability.ts), naming them, or null. Checked before a council, a plan,
   * a graph run or a re-run starts, so nothing is half done.
   */
  paidRefusal(models: readonly string[]): string | null {
    const state = this.d.routing.ledger.state();
    if (state.level !== 'stopped') return null;
    const cloud = [...new Set(models.filter((m) => this.d.tierOf(m) !== 'local'))];
    if (cloud.length === 0) return null;
    const allPaid = cloud.every((m) => this.d.tierOf(m) === 'paid');
    const what = allPaid ? (cloud.length === 1 ? 'is a paid model' : 'are paid models') : cloud.length === 1 ? 'is a cloud model' : 'are cloud models';
    return `${state.message} ${cloud.join(', ')} ${what}, and only local models run until the budget resets or is raised (Settings → Routing → Budget). Choose local models instead.`;
  }
}
