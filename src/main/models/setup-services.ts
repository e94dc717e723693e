import type { EventBus } from '../events/event-bus';
import { HardwareService, type HardwareDeps } from '../hardware';
import type { Logger } from '../logger';
import type { OllamaProvider } from '../providers/ollama';
import { findResource } from '../resources';
import type { Db } from '../store';
import { CalibrationRepo } from './calibration-repo';
import { CalibrationService } from './calibration-service';
import { LOCAL_CATALOG_RELATIVE_PATH, readLocalCatalog, type LocalCatalog } from './fit';
import { LocalModelsService } from './local-models-service';
import { OllamaLibrarySearch } from './ollama-library';
import { OllamaLifecycle, nodeLifecycleDeps, type OllamaLifecycleDeps } from './ollama-lifecycle';
import { PullManager, type PullRetryOptions } from './pull-manager';
import { PullStore } from './pull-store';

/** What tests (and a packaged build) may swap in. */
export interface SetupServicesOptions {
  hardwareDeps?: HardwareDeps;
  /** Overrides for finding and starting Ollama: a fake spawn, a fake file system. */
  lifecycle?: Partial<Pick<OllamaLifecycleDeps, 'spawn' | 'platform' | 'homedir' | 'isExecutable' | 'exists' | 'startTimeoutMs' | 'pollIntervalMs'>>;
  pullRetry?: Partial<PullRetryOptions>;
  pullProgressIntervalMs?: number;
  catalogPath?: string;
}

export interface SetupServices {
  hardware: HardwareService;
  localModels: LocalModelsService;
  calibration: CalibrationService;
  pulls: PullManager;
  /** Suggestions from ollama.com/library for the pull box. */
  library: OllamaLibrarySearch;
  lifecycle: OllamaLifecycle;
  dispose(): Promise<void>;
}

export function createSetupServices(d: {
  db: Db;
  env: NodeJS.ProcessEnv;
  events: EventBus;
  ollama: OllamaProvider;
  logger: Logger;
  /** Offline mode: pulls are refused (the Ollama daemon would download from the internet). */
  isOffline?: () => boolean;
  /** The guarded fetch for Hugging Face GGUF headers (fit before pulling an hf.co/… name). */
  huggingFaceFetch?: typeof globalThis.fetch;
  /** The guarded fetch for ollama.com's search page (suggestions in the pull box). */
  ollamaLibraryFetch?: typeof globalThis.fetch;
  options?: SetupServicesOptions;
}): SetupServices {
  const options = d.options ?? {};
  const hardware = new HardwareService({ env: d.env, deps: options.hardwareDeps, logger: d.logger.child('hardware') });
  let catalog: Promise<LocalCatalog> | null = null;
  const loadCatalog = (): Promise<LocalCatalog> => {
    // resources/local-models.json, found upwards from here (src/main/models, or out/main when built).
    catalog ??= Promise.resolve()
      .then(() => readLocalCatalog(options.catalogPath ?? findResource(LOCAL_CATALOG_RELATIVE_PATH)))
      .catch((error: unknown) => {
        catalog = null;
        throw error;
      });
    return catalog;
  };
  const repo = new CalibrationRepo(d.db);
  const localModels = new LocalModelsService({
    ollama: d.ollama,
    hardware,
    catalog: loadCatalog,
    calibration: () => repo.factor(),
    env: d.env,
    logger: d.logger.child('local-models'),
    isOffline: d.isOffline,
    // SWITCHBOARD_HF_BASE_URL: tests point this at a loopback fake of huggingface.co.
    ...(d.huggingFaceFetch ? { huggingFace: { fetch: d.huggingFaceFetch, baseUrl: d.env.SWITCHBOARD_HF_BASE_URL?.trim() || undefined } } : {}),
  });
  const calibration = new CalibrationService({ repo, localModels, logger: d.logger.child('calibration') });
  const unwatch = calibration.watch(d.events);
  const pulls = new PullManager({
    ollama: d.ollama,
    events: d.events,
    logger: d.logger.child('pulls'),
    isOffline: d.isOffline,
    store: new PullStore(d.db),
    retry: options.pullRetry,
    progressIntervalMs: options.pullProgressIntervalMs,
  });
  // SWITCHBOARD_OLLAMA_LIBRARY_URL: tests point this at a loopback fake of ollama.com.
  const library = new OllamaLibrarySearch({ fetch: d.ollamaLibraryFetch, baseUrl: d.env.SWITCHBOARD_OLLAMA_LIBRARY_URL?.trim() || undefined, isOffline: d.isOffline });
  const lifecycle = new OllamaLifecycle({
    ...nodeLifecycleDeps(),
    ...options.lifecycle,
    host: () => d.ollama.host,
    version: (signal) => d.ollama.version(signal),
    env: d.env,
    logger: d.logger.child('ollama-lifecycle'),
  });
  return {
    hardware,
    localModels,
    calibration,
    pulls,
    library,
    lifecycle,
    async dispose() {
      unwatch();
      await pulls.dispose();
      await calibration.dispose();
      await lifecycle.dispose();
    },
  };
}
