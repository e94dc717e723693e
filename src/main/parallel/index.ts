// Council runs and task graphs wired to the app (issue #7): background runs with progress on the
// event bus, cancel, history; the libraries themselves are src/main/council and src/main/tasks.
import type { AnswerPipeline } from '../answer';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import type { OllamaProvider } from '../providers/ollama/ollama-provider';
import type { ProviderServices } from '../providers/provider-services';
import type { RoutingServices } from '../routing';
import type { Db } from '../store';
import { CouncilService } from './council-service';
import { ParallelModels } from './parallel-models';
import { TaskGraphService } from './task-graph-service';

export { CouncilService, type CouncilStart } from './council-service';
export { ParallelModels } from './parallel-models';
export { TaskGraphService } from './task-graph-service';

export interface ParallelServices {
  council: CouncilService;
  tasks: TaskGraphService;
  models: ParallelModels;
  /** Stops running councils and graphs and waits for their last writes. */
  dispose(): Promise<void>;
}

export function createParallelServices(d: {
  db: Db;
  events: EventBus;
  models: ProviderServices;
  routing: RoutingServices;
  pipeline: AnswerPipeline;
  ollama: OllamaProvider;
  logger: Logger;
}): ParallelServices {
  const models = new ParallelModels({ models: d.models, routing: d.routing, pipeline: d.pipeline, ollama: d.ollama, logger: d.logger.child('parallel') });
  const council = new CouncilService({ db: d.db, events: d.events, models, logger: d.logger.child('council') });
  const tasks = new TaskGraphService({ db: d.db, events: d.events, models, routing: d.routing, logger: d.logger.child('tasks') });
  return {
    council,
    tasks,
    models,
    async dispose() {
      await Promise.all([council.dispose(), tasks.dispose()]);
    },
  };
}
