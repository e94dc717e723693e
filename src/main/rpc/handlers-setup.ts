import type { SetupServices } from '../models';
import type { DomainHandlers } from './dispatcher';

/** `hardware.*`: the machine, cached; `refresh` probes again. */
export function buildHardwareHandlers(s: Pick<SetupServices, 'hardware'>): DomainHandlers<'hardware'> {
  return {
    'hardware.detect': ({ refresh }) => s.hardware.detect({ refresh }),
  };
}

/** `localModels.*`: fit, recommendations, the Models page, pulls, deletes and calibration. */
export function buildLocalModelHandlers(s: Pick<SetupServices, 'localModels' | 'pulls' | 'calibration' | 'library'>): DomainHandlers<'localModels'> {
  return {
    'localModels.fit': (input) => s.localModels.fit(input),
    'localModels.recommend': (input) => s.localModels.recommend(input),
    'localModels.overview': (input) => s.localModels.overview(input),
    'localModels.pull': ({ model }) => s.pulls.pull(model),
    'localModels.cancelPull': ({ id }) => ({ cancelled: s.pulls.cancel(id) }),
    'localModels.pulls': () => s.pulls.list(),
    'localModels.searchLibrary': ({ query }) => s.library.search(query),
    'localModels.delete': async ({ model }) => ({ deleted: await s.pulls.delete(model) }),
    'localModels.calibrate': async ({ model }) => {
      const recorded = await s.calibration.sampleLoaded(model);
      return { recorded, calibration: s.calibration.factor(), samples: s.calibration.sampleCount() };
    },
  };
}

/** `ollama.*`: is it installed and running; start it. */
export function buildOllamaLifecycleHandlers(s: Pick<SetupServices, 'lifecycle'>): DomainHandlers<'ollama'> {
  return {
    'ollama.status': () => s.lifecycle.status(),
    'ollama.start': () => s.lifecycle.start(),
  };
}

export function buildSetupHandlers(s: SetupServices): DomainHandlers<'hardware'> & DomainHandlers<'localModels'> & DomainHandlers<'ollama'> {
  return { ...buildHardwareHandlers(s), ...buildLocalModelHandlers(s), ...buildOllamaLifecycleHandlers(s) };
}
