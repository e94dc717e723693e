import type { CostEstimate, Tier } from '../../shared/contract';
import type { CouncilStart } from './council-service';
import { analyse, answerCostUsd, type RouterConfig, type RoutableModel } from '../router';
import type { RoutingServices } from '../routing';
import type { PlannedTask, TaskGraph } from '../tasks';
import { routingMessages } from './task-routes';

type Line = CostEstimate['lines'][number];

/** Tokens of the instructions each stage adds around the question (system prompt, labels, format). */
const STAGE_OVERHEAD_TOKENS = 300;
/** A review is a ranking and a sentence or two of reasons; a vote is one option. */
const REVIEW_TOKENS = 300;
const VOTE_TOKENS = 50;

export interface CostEstimatorDeps {
  routing: Pick<RoutingServices, 'router' | 'config' | 'inputs' | 'ledger'>;
  tierOf(model: string): Tier;
}

/**
 * What a council run or a task graph is expected to cost before it starts (issue #10), from the
 * same prices and reply sizes the router uses: the expected reply length of the request's
 * complexity for the estimate, the output cap every call sends upstream for the worst case. The
 * answers reviewers and the chairman read do not exist yet: they count at the expected length
 * (estimate) and at the cap (worst case). Each call still reserves its own worst case as it starts.
 */
export class CostEstimator {
  constructor(private readonly d: CostEstimatorDeps) {}

  async council(input: CouncilStart): Promise<CostEstimate> {
    const config = await this.config();
    const analysis = analyse([{ role: 'user', content: input.question }]);
    const q = analysis.contextTokens + STAGE_OVERHEAD_TOKENS;
    const reply = config.replyTokens[analysis.complexity];
    const cap = config.replyTokens.max;
    const n = input.models.length;
    const lines: Line[] = [];
    if (input.mode === 'consensus') {
      for (const m of input.models) lines.push(this.line('Vote', m, q, VOTE_TOKENS, q, cap));
    } else {
      for (const m of input.models) lines.push(this.line('Answer', m, q, reply, q, cap));
      // Seed 001's peer review runs when there are more than two answers to rank.
      if (n > 2) for (const m of input.models) lines.push(this.line('Review', m, q + n * reply, REVIEW_TOKENS, q + n * cap, cap));
      // The chairman is the top-ranked member unless one is named: the dearest member is the worst case.
      const chairman = input.chairman ?? this.dearest(input.models);
      lines.push(this.line('Synthesis', chairman, q + n * reply, reply, q + n * cap, cap));
    }
    return this.total(lines);
  }

  /** The graph's tasks that have not finished, each routed as the executor would route it now, and its synthesis. */
  async graph(graph: TaskGraph): Promise<CostEstimate> {
    const config = await this.config();
    const cap = config.replyTokens.max;
    const lines: Line[] = [];
    const outputs = new Map(graph.tasks.map((t) => [t.id, t.output ?? '']));
    for (const task of graph.tasks) {
      if (task.status === 'done') continue;
      const decision = this.d.routing.router.previewCached(routingMessages(task), 'auto');
      if (decision.model === null) continue;
      const reply = config.replyTokens[decision.analysis.complexity];
      const deps = dependencyTokens(task, outputs, reply, cap);
      const q = decision.analysis.contextTokens + STAGE_OVERHEAD_TOKENS;
      const line = this.line(task.title, decision.model, q + deps.expected, reply, q + deps.max, cap);
      // Escalations along the task's chain are part of its worst case (the router's maxCostUsd).
      lines.push({ ...line, maxCostUsd: Math.max(line.maxCostUsd, decision.maxCostUsd) });
    }
    const analysis = analyse([{ role: 'user', content: graph.request }]);
    const reply = config.replyTokens[analysis.complexity];
    const q = analysis.contextTokens + STAGE_OVERHEAD_TOKENS;
    const n = graph.tasks.length;
    lines.push(this.line('Synthesis', graph.synthesisModel, q + n * reply, reply, q + n * cap, cap));
    return this.total(lines);
  }

  /**
   * Why paid calls cannot start now (the budget is at its stop threshold), naming the paid models,
   * or null. Checked before a council, a plan or a re-run starts, so nothing is half done.
   */
  paidRefusal(models: readonly string[]): string | null {
    const state = this.d.routing.ledger.state();
    if (state.level !== 'stopped') return null;
    const paid = [...new Set(models.filter((m) => this.d.tierOf(m) === 'paid'))];
    if (paid.length === 0) return null;
    return `${state.message} ${paid.join(', ')} ${paid.length === 1 ? 'is a paid model' : 'are paid models'}, and no paid call starts until the budget resets or is raised (Settings → Routing → Budget). Choose local or free models instead.`;
  }

  private async config(): Promise<RouterConfig> {
    await this.d.routing.router.preview([{ role: 'user', content: 'estimate' }]); // brings prices, installed models and keys up to date
    return this.d.routing.config();
  }

  private line(label: string, model: string, inTokens: number, outTokens: number, maxIn: number, maxOut: number): Line {
    const info: RoutableModel | undefined = this.d.routing.inputs.model(model);
    return {
      label,
      model,
      tier: info?.tier ?? this.d.tierOf(model),
      estimatedCostUsd: answerCostUsd(info, inTokens, outTokens),
      maxCostUsd: answerCostUsd(info, maxIn, maxOut),
    };
  }

  private dearest(models: readonly string[]): string {
    const cost = (m: string) => answerCostUsd(this.d.routing.inputs.model(m), 1_000_000, 1_000_000);
    return [...models].sort((a, b) => cost(b) - cost(a))[0] as string;
  }

  private total(lines: Line[]): CostEstimate {
    const state = this.d.routing.ledger.state();
    return {
      estimatedCostUsd: lines.reduce((s, l) => s + l.estimatedCostUsd, 0),
      maxCostUsd: lines.reduce((s, l) => s + l.maxCostUsd, 0),
      lines,
      budget: { level: state.level, message: state.message },
      refusal: this.paidRefusal(lines.map((l) => l.model)),
    };
  }
}

/** The outputs a task reads from its dependencies: as they are when finished, else at the expected length / the cap. */
function dependencyTokens(task: PlannedTask, outputs: ReadonlyMap<string, string>, reply: number, cap: number): { expected: number; max: number } {
  let expected = 0;
  let max = 0;
  for (const dep of task.dependsOn) {
    const done = outputs.get(dep);
    const tokens = done ? Math.ceil(done.length / 4) : null;
    expected += tokens ?? reply;
    max += tokens ?? cap;
  }
  return { expected, max };
}
