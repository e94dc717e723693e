import path from 'node:path';
import type { SystemStatus } from '../shared/contract';
import { providerOf, tierOfProvider } from '../shared/model-id';
import { ApiCompletions, ApiEmbeddings, ApiService, ApiTokenStore } from './api';
import { createAppCache, type AppCache } from './cache/app-cache';
import { AvailableModels, LiveModels, PriceBook, readBundledCatalog, savedPricesRow } from './catalog';
import { ChatService } from './chat/chat-service';
import { AnswerPipeline, CostEstimator, ParallelModels, ReplyCache } from './answer';
import { CouncilService } from './council';
import { TaskGraphService } from './tasks';
import { CodingService } from './coding';
import { EventBus } from './events/event-bus';
import { createLogger, type Logger } from './logger';
import { OllamaProvider } from './providers/ollama/ollama-provider';

import { ProviderSettingsService } from './providers/provider-settings-service';
import { ProviderRegistry } from './providers/registry';
import { ProviderHealth, RateLimitTracker, ReliableChat, reliableRunner } from './reliability';
import type { ModelRunner } from './runner';
import { createCaller, createDispatcher, type Dispatch } from './rpc/dispatcher';
import { buildHandlers } from './rpc/handlers';
import { buildApiHandlers } from './rpc/handlers-api';
import { buildCacheHandlers } from './rpc/handlers-cache';
import { buildLibraryHandlers } from './rpc/handlers-library';
import { ChatAttachments, LibraryService } from './library';
import { createNetwork, type Network } from './net';
import { createRoutingServices, isEmbeddingModel, LocalContextWindows, RouterConfigFile, watchBudget, type RoutingServices } from './router';
import { MetricsService } from './metrics';
import { buildRoutingHandlers } from './rpc/handlers-routing';
import { buildProviderHandlers, localModels, pickerModels } from './rpc/handlers-providers';
import { buildSetupHandlers } from './rpc/handlers-setup';
import { createSetupServices, type SetupServices, type SetupServicesOptions } from './models';
import { buildParallelHandlers } from './rpc/handlers-parallel';
import { buildCodingHandlers } from './rpc/handlers-coding';
import { loadKeytar, type KeychainBackend } from './secrets/keychain';
import { SECRET_PROVIDERS, SecretStore } from './secrets/secret-store';
import { SettingsService } from './settings/settings-service';
import { ChatLibraryRepo, ConversationsRepo, MessagesRepo, SettingsRepo, WriteBehind, checkpointOutsideRequests, openDatabase, type Db } from './store';
import { SystemService } from './system/system-service';
import { CallRecorder } from './usage';
import { WorkspaceService } from './workspace';
import { buildWorkspaceHandlers } from './rpc/handlers-workspace';

export interface AppOptions {
  dataDir: string;
  mode: SystemStatus['mode'];
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Native builds for Electron's ABI (from scripts/electron-natives.mjs); Node uses the packages' own. */
  native?: { betterSqlite3?: string; keytar?: string };
  /** Inject a keychain (tests); `null` means "no keychain on this machine". Default: keytar. */
  keychain?: KeychainBackend | null;
  /** Every outbound HTTP request of the providers goes through this. */
  fetch?: typeof fetch;
  /**
   * Start background work at once (OpenRouter price refresh when OpenRouter has a key and the last one is a
   * day old; `ollama serve` when Settings' ollamaAutoStart is on and Ollama is installed here but not
   * running): the desktop app and headless mode do; the CLI and tests don't.
   */
  background?: boolean;
  /** Offline mode for this process only, whatever the setting says (`cli --offline`); never saved. */
  offline?: boolean;
  /** Hardware probes, Ollama spawn and pull retry timing for tests (see src/main/models/setup-services.ts). */
  setup?: SetupServicesOptions;
  /** Run the OpenAI-compatible server of Settings → API. Default: the desktop app only (headless mounts /v1 itself). */
  apiServer?: boolean;
  /** Resume task graphs the last process left running. Default: yes, except in the CLI (which may run beside the app). */
  resumeTaskGraphs?: boolean;
  /** Resume Ollama pulls the last process left running (issue #13). Default: yes, except in the CLI. */
  resumePulls?: boolean;
  /** The desktop folder picker (issue #12; src/main/electron passes Electron's dialog): the chosen folder, or null when cancelled. */
  pickFolder?: () => Promise<string | null>;
}

export interface App {
  dataDir: string;
  db: Db;
  events: EventBus;
  logger: Logger;
  dispatch: Dispatch;
  call: ReturnType<typeof createCaller>;
  services: {
    conversations: ConversationsRepo;
    messages: MessagesRepo;
    settings: SettingsService;
    secrets: SecretStore;
    /** Every provider by id; ReliableChat resolves `provider/model` through it. */
    providers: ProviderRegistry;
    /** Settings → Providers and Ollama hosts: switched on or off, base URLs, endpoints, extra hosts. */
    providerSettings: ProviderSettingsService;
    /** The cloud catalog with refreshed prices and Settings' overrides; each model's price and tier. */
    prices: PriceBook;
    /** Every model that could be called, and whether it can be now (the catalog, the picker, `models`). */
    availableModels: AvailableModels;
    /** The call log: one `calls` row per model call. */
    calls: CallRecorder;
    /** The reliability layer every model call goes through (timeouts, retries, breakers, concurrency). */
    reliable: ReliableChat;
    /** The ModelRunner on the reliability layer (the answer pipeline and the router's own calls use it). */
    runner: ModelRunner;
    /** Breaker state and latency per model, for Settings. */
    health: ProviderHealth;
    network: Network;
    routing: RoutingServices;
    metrics: MetricsService;
    ollama: OllamaProvider;
    chat: ChatService;
    /** The response cache (issue #6) with its embedding-model sync. */
    cache: AppCache;
    /** The one answer pipeline (issue #10): every model answer of every caller goes through it. */
    pipeline: AnswerPipeline;
    /** The OpenAI-compatible endpoint (issue #6). */
    api: ApiService;
    system: SystemService;
    setup: SetupServices;
    /** Council runs (issue #7), every call through the answer pipeline. */
    council: CouncilService;
    /** Task graphs (issue #7), every call through the answer pipeline. */
    tasks: TaskGraphService;
    /** The coding workspace's edit → validate → retry loop (issue #12), every call through the answer pipeline. */
    coding: CodingService;
    /** Coding workspaces, their symbol index and context selection (issue #12). */
    workspaces: WorkspaceService;
    /** Search, export and import of conversations (issue #14). */
    library: LibraryService;
  };
  dispose(): Promise<void>;
}

/**
 * The composition root: builds every service once, wires them by constructor, and disposes them in
 * reverse order. Electron, the headless server, the CLI and the tests all start here.
 */
export function createApp(options: AppOptions): App {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger();
  const dataDir = path.resolve(options.dataDir);

  const db = openDatabase(path.join(dataDir, 'switchboard.db'), { nativeBinding: options.native?.betterSqlite3 });
  // Issue #17: records no answer waits for are written off the response path; WAL checkpoints between requests.
  const writes = new WriteBehind(db, logger.child('store'));
  const stopCheckpoints = checkpointOutsideRequests(db, { nativeBinding: options.native?.betterSqlite3, logger: logger.child('store') });
  const events = new EventBus();
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const settingsRepo = new SettingsRepo(db);
  const settings = new SettingsService(settingsRepo, env, events, logger.child('settings'));

  let keychain: KeychainBackend | null;
  let keychainError: string | null = null;
  if (options.keychain !== undefined) {
    keychain = options.keychain;
    if (!keychain) keychainError = 'no keychain was given to this process';
  } else {
    const loaded = loadKeytar(options.native?.keytar);
    keychain = loaded.backend;
    keychainError = loaded.error;
  }
  const secrets = new SecretStore({ keychain, keychainError, env, logger: logger.child('secrets') });

  // One guarded path for all outbound HTTP (offline mode, outbound log), built before any client.
  const isOffline = () => options.offline === true || settings.get().offlineMode;
  const network = createNetwork({ db, settings, logger, base: options.fetch, isOffline, writes });
  const ollama = new OllamaProvider({
    host: () => settings.get().ollamaHost, fetch: network.fetch.forPurpose('ollama'), networkHosts: () => settings.get().networkHosts,
    keepAlive: () => settings.get().ollamaKeepAlive ?? undefined,
  });
  // The model layer, bottom up: the registry the providers fill, prices and tiers, the call log, the
  // reliability layer every call goes through, and the runner on top of it.
  const providers = new ProviderRegistry();
  const rateLimits = new RateLimitTracker();
  // Stops the start-up refreshes (prices, model lists) when the app closes.
  const stopPriceRefresh = new AbortController();
  // What each cloud provider serves now, read with its key (issue #15); the catalog stays the default.
  const live = new LiveModels({
    db, providers: SECRET_PROVIDERS, isOffline, logger: logger.child('catalog'),
    askable: async (id) => providerSettings.enabled(id) && (await secrets.status(id as (typeof SECRET_PROVIDERS)[number])).configured,
    list: async (id, signal) => (await providers.get(id)?.listModels(signal)) ?? [],
  });
  const prices = new PriceBook({
    live,
    base: readBundledCatalog(),
    overrides: () => settings.get().priceOverrides,
    // The user's own servers (endpoints, Ollama hosts) at the tier their address allows (issue #16).
    endpointTier: (id) => providerSettings.ownTier(id),
    openRouterModelsUrl: (): string => `${providerSettings.baseUrl('openrouter')}/models`,
    fetch: network.fetch.forPurpose('catalog.refresh'),
    isOffline,
    saved: savedPricesRow(settingsRepo),
  });
  const calls = new CallRecorder(db, logger.child('usage'));
  const reliable = new ReliableChat({
    providers, rateLimits, recorder: calls, tierOf: (id) => prices.tierOf(id), pricing: (id) => prices.priceOf(id), fallbackPricing: (id) => prices.highestPriceOf(providerOf(id)), logger: logger.child('reliability'),
  });
  const runner = reliableRunner(reliable);
  const health = new ProviderHealth({ live: reliable, calls });
  const providerSettings = new ProviderSettingsService({
    registry: providers, settings, secrets, env, ollama, rateLimits, fetch: network.fetch, logger,
    setConcurrency: (id, slots) => reliable.setConcurrency(id, slots),
    maxOutputTokens: (id): number | undefined => prices.catalog().get(id)?.maxOutputTokens,
  });
  const availableModels = new AvailableModels({
    prices, providers: providerSettings, secrets, isOffline, live,
    refreshStale: options.background ? () => void live.refreshIfStale(stopPriceRefresh.signal) : undefined,
  });
  // Extra Ollama hosts follow Settings however they change (providers.addOllamaHost or settings.update).
  const unwatchOllamaHosts = events.subscribe((e) => {
    if (e.event === 'settings.changed') providerSettings.syncOllamaHosts();
  });

  const interrupted = messages.recoverInterrupted();
  if (interrupted.length) logger.warn('replies cut off by the last shutdown were kept and marked', { count: interrupted.length });

  const system = new SystemService({ db, dataDir, mode: options.mode, ollama, secrets, logger: logger.child('system') });
  const modelLists = { providers: providerSettings, models: availableModels, system };
  const routerConfigFile = new RouterConfigFile(env.SWITCHBOARD_ROUTER_CONFIG ? path.resolve(env.SWITCHBOARD_ROUTER_CONFIG) : path.join(dataDir, 'router.json'), logger.child('router'));
  // Before the router: it sizes each local model's context with the fit estimator (issue #13).
  const setup = createSetupServices({ db, env, events, ollama, logger, isOffline, huggingFaceFetch: network.fetch.forPurpose('huggingface'), ollamaLibraryFetch: network.fetch.forPurpose('ollama-library'), options: options.setup });
  const windows = new LocalContextWindows({ localModels: setup.localModels, calibration: () => setup.calibration.factor(), logger: logger.child('context-windows') });
  // Before the router: learnt floors compare requests by meaning with the cache's local embedding model (issue #11).
  const cache = createAppCache({ db, settings: () => settings.get(), ollama, events, logger });
  const routing = createRoutingServices({
    db, settings, runner, reliable, prices, providers: providerSettings, system, secrets, logger, isOffline, configFile: routerConfigFile, windows, writes,
    embeddings: {
      // Known once the cache has looked for one (its first lookup); asked for here when it has not.
      model: () => {
        const model = cache.service.embeddingModel();
        if (!model) void cache.sync.refresh().catch(() => undefined);
        return model;
      },
      embed: async (text, signal) => {
        await cache.sync.refresh();
        return cache.service.embedPrompt(text, signal);
      },
    },
  });
  const metrics = new MetricsService({
    db, decisions: routing.decisions, ledger: routing.ledger, calls, priceOf: (id) => prices.priceOf(id), referenceModel: () => routing.config().referenceModel,
  });
  const unwatchBudget = watchBudget({ ledger: routing.ledger, events });
  const unwatchNetwork = network.log.subscribe((entry) => events.emit('network.request', { entry }));
  const replyCache = new ReplyCache({ cache: cache.service, sync: cache.sync, logger: logger.child('cache') });
  const pipeline = new AnswerPipeline({ router: routing.router, cache: replyCache });
  const chat = new ChatService({
    conversations, messages, providers, pipeline, events, logger: logger.child('chat'), temperature: () => settings.get().chatTemperature,
    onRegenerate: ({ messageId, model }) => routing.regenerated(messageId, model),
    defaultModel: () => settings.get().defaultModel,
    tierOf: (id) => routing.inputs.model(id)?.tier ?? tierOfProvider(providerOf(id)),
    attachments: new ChatAttachments(db, routing.inputs),
    // Issue #12: a reply in a conversation with an active workspace carries its selected files.
    workspaceContext: (conversationId, task, options) => workspaces.forChat(conversationId, task, options),
  });
  const embeddingCosts = new CostEstimator({ routing, tierOf: (id) => prices.tierOf(id) });
  const api = new ApiService({
    completions: new ApiCompletions({
      pipeline, inputs: routing.inputs, providers, logger: logger.child('api'),
      listModels: async () => (await pickerModels(modelLists)).models,
      defaultTemperature: () => settings.get().chatTemperature,
    }),
    // Installed embedding models (issue #15): the same rule the picker uses to leave them out.
    // Budgeted and logged like every model call (purpose `embedding`).
    embeddings: new ApiEmbeddings({
      providers,
      localEmbeddingModels: async () => (await localModels(modelLists)).models.filter(isEmbeddingModel).map((m) => m.id),
      tierOf: (id) => prices.tierOf(id),
      priceOf: (id) => prices.priceOf(id),
      highestPriceOf: (provider) => prices.highestPriceOf(provider),
      ledger: routing.ledger,
      paidRefusal: (models) => embeddingCosts.paidRefusal(models),
      recorder: calls,
      isOffline,
    }),
    tokens: new ApiTokenStore({ env, secrets, repo: settingsRepo }),
    settings: () => settings.get(),
    events,
    logger,
    serveDesktop: options.apiServer ?? options.mode === 'electron',
  });
  const parallelModels = new ParallelModels({ prices, routing, pipeline, ollama, logger: logger.child('parallel') });
  const council = new CouncilService({ db, events, models: parallelModels, logger: logger.child('council') });
  const workspaces = new WorkspaceService({ db, settings: () => settings.get().workspace, logger: logger.child('workspace'), pickFolder: options.pickFolder });
  // The coding loop's context is the workspace index's selection (issue #12: tree-sitter, repo map, differential).
  const coding = new CodingService({ db, events, models: parallelModels, routing, isOffline, logger: logger.child('coding'), context: workspaces.provider });
  const tasks = new TaskGraphService({ db, events, models: parallelModels, routing, logger: logger.child('tasks'), coding });
  const library = new LibraryService({
    db, conversations, messages, events, decisionsFor: (messageId) => routing.decisions.list({ messageId, limit: 1_000 }),
  });
  const dispatch = createDispatcher(
    {
      ...buildHandlers({ conversations, messages, library: new ChatLibraryRepo(db), chat, settings, secrets, system, events, listModels: () => pickerModels(modelLists) }),
      ...buildSetupHandlers(setup),
      ...buildProviderHandlers({ ...modelLists, prices, health, live }),
      ...buildRoutingHandlers({ routing, network, settings, metrics }),
      ...buildParallelHandlers({ council, tasks }),
      ...buildCacheHandlers(cache),
      ...buildApiHandlers(api),
      ...buildCodingHandlers(coding, workspaces),
      ...buildWorkspaceHandlers(workspaces),
      ...buildLibraryHandlers(library),
    },
    logger.child('rpc'),
  );

  // Nothing is fetched at start unless a configured feature needs it (issue #16, item 3): OpenRouter's
  // prices only with its key (and the provider switched on), online, at most once a day.
  const priceRefresh = options.background
    ? prices
        .refreshIfDue(
          async () => providerSettings.enabled('openrouter') && (await secrets.status('openrouter')).configured,
          AbortSignal.any([stopPriceRefresh.signal, AbortSignal.timeout(20_000)]),
        )
        .then(
          (r) => (r.refreshed ? logger.info('OpenRouter prices refreshed', r) : logger.debug('OpenRouter prices not refreshed at start', r)),
          (error: unknown) => logger.warn('OpenRouter prices not refreshed; the last refreshed or bundled prices stay in use', { error }),
        )
    : null;

  // The providers' model lists (issue #15): read at start when a day old, for providers with a key, online only.
  // After the price refresh: that one reads OpenRouter's list too, so OpenRouter is not asked twice.
  const liveRefresh = options.background ? (priceRefresh ?? Promise.resolve()).then(() => live.refreshIfStale(stopPriceRefresh.signal)) : null;

  // The Ollama lifecycle issue: start a local, installed, stopped Ollama without waiting for a click.
  // Not awaited (app start must not wait on it); it logs its outcome and never rejects.
  const ollamaAutoStart = options.background && settings.get().ollamaAutoStart ? setup.lifecycle.startAtLaunch() : null;

  if (options.resumeTaskGraphs ?? options.mode !== 'cli') tasks.resumeInterrupted();
  if (options.resumePulls ?? options.mode !== 'cli') setup.pulls.resumeInterrupted();
  void api.apply(); // Settings → API: the desktop server, when it is switched on

  let disposed = false;
  return {
    dataDir,
    db,
    events,
    logger,
    dispatch,
    call: createCaller(dispatch, { transport: 'cli' }),
    services: {
      conversations, messages, settings, secrets, providers, providerSettings, prices, availableModels, calls, reliable, runner, health,
      network, routing, metrics, ollama, chat, cache, pipeline, api, system, setup, council, tasks, coding, workspaces, library,
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      unwatchNetwork();
      unwatchOllamaHosts();
      unwatchBudget();
      await Promise.all([council.dispose(), tasks.dispose(), coding.dispose()]); // stops running councils and graphs, waits for their last writes
      await api.dispose();
      await setup.dispose(); // stops the ollama serve we started, and cancels one still starting
      await ollamaAutoStart; // so nothing of it touches the database after it closes
      stopPriceRefresh.abort();
      await priceRefresh; // a refresh writes its prices to the database
      await liveRefresh; // and a model list its rows
      await chat.dispose();
      await workspaces.dispose(); // an index run under way stops before the database closes
      await pipeline.idle(); // answers still being stored in the cache
      await cache.dispose(); // pending hit counts are written before the database closes
      await stopCheckpoints();
      writes.dispose(); // deferred records too
      db.close();
    },
  };
}
