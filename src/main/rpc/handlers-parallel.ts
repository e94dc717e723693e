import type { CouncilService } from '../council';
import type { TaskGraphService } from '../tasks';
import type { DomainHandlers } from './dispatcher';

/** `council.*` and `tasks.*`: the two kinds of parallel run. */
export function buildParallelHandlers({ council, tasks }: { council: CouncilService; tasks: TaskGraphService }): DomainHandlers<'council' | 'tasks'> {
  return {
    'council.options': () => council.options(),
    'council.start': (input) => council.start(input),
    'council.estimate': (input) => council.estimate(input),
    'council.cancel': ({ runId }) => ({ cancelled: council.cancel(runId) }),
    'council.list': ({ limit }) => council.list(limit),
    'council.get': ({ id }) => council.get(id),
    'council.delete': ({ id }) => ({ deleted: council.delete(id) }),
    'council.export': ({ since }) => council.repo.exportPerformance({ since }),
    'tasks.options': async () => {
      const { model, reason } = await tasks.options();
      return { plannerModel: model, reason };
    },
    'tasks.plan': (input) => tasks.plan(input),
    'tasks.cancelPlan': ({ planId }) => ({ cancelled: tasks.cancelPlan(planId) }),
    'tasks.validate': ({ plan }) => tasks.validate(plan),
    'tasks.create': (input) => tasks.create(input),
    'tasks.run': ({ graphId, synthesisModel }) => tasks.run(graphId, { synthesisModel }),
    'tasks.estimate': ({ graphId, synthesisModel }) => tasks.estimate(graphId, { synthesisModel }),
    'tasks.cancel': ({ graphId }) => ({ cancelled: tasks.cancel(graphId) }),
    'tasks.rerun': ({ graphId, taskId, model, higher, synthesisModel }) => tasks.rerun(graphId, taskId, { model, higher, synthesisModel }),
    'tasks.list': ({ limit }) => tasks.list(limit),
    'tasks.get': ({ graphId }) => tasks.get(graphId),
    'tasks.delete': ({ graphId }) => ({ deleted: tasks.delete(graphId) }),
  };
}
