import path from 'node:path';
import type { SystemStatus } from '../shared/contract';
import { ChatService } from './chat/chat-service';
import { EventBus } from './events/event-bus';
import { createLogger, type Logger } from './logger';
import { OllamaProvider } from './providers/ollama/ollama-provider';
import { ProviderServices } from './providers/provider-services';
import type { ProviderRegistry } from './providers/registry';
import { createCaller, createDispatcher, type Dispatch } from './rpc/dispatcher';
import { buildHandlers } from './rpc/handlers';
import { createNetwork, createRoutingServices, type Network, type RoutingServices } from './routing';
import { buildProviderHandlers, pickerModels } from './rpc/handlers-providers';
import { buildSetupHandlers } from './rpc/handlers-setup';
import { createSetupServices, type SetupServices, type SetupServicesOptions } from './models';
import { loadKeytar, type KeychainBackend } from './secrets/keychain';
import { SecretStore } from './secrets/secret-store';
import { SettingsService } from './settings/settings-service';
import { ConversationsRepo, MessagesRepo, SettingsRepo, openDatabase, type Db } from './store';
import { SystemService } from './system/system-service';

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
  /** Hardware probes, Ollama spawn and pull retry timing for tests (see src/main/models/setup-services.ts). */
  setup?: SetupServicesOptions;
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
    providers: ProviderRegistry;
    /** The catalog, the reliability layer, the call log and the ModelRunner every caller uses. */
    models: ProviderServices;
    network: Network;
    routing: RoutingServices;
    ollama: OllamaProvider;
    chat: ChatService;
    system: SystemService;
    setup: SetupServices;
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
  const events = new EventBus();
  const conversations = new ConversationsRepo(db);
  const messages = new MessagesRepo(db);
  const settings = new SettingsService(new SettingsRepo(db), env, events);

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
  const network = createNetwork({ db, settings, logger, base: options.fetch });
  const ollama = new OllamaProvider({ host: () => settings.get().ollamaHost, fetch: network.fetch });
  const models = new ProviderServices({ db, env, settings, secrets, ollama, fetch: network.fetch, logger });
  const providers = models.registry;

  const interrupted = messages.recoverInterrupted();
  if (interrupted.length) logger.warn('replies cut off by the last shutdown were kept and marked', { count: interrupted.length });

  const system = new SystemService({ db, dataDir, mode: options.mode, ollama, secrets, logger: logger.child('system') });
  const routing = createRoutingServices({ db, settings, models, system, secrets, logger });
  const chat = new ChatService({ conversations, messages, providers, router: routing.router, routeInputs: routing.inputs, events, logger: logger.child('chat') });
  const setup = createSetupServices({ db, env, events, ollama, logger, options: options.setup });
  const dispatch = createDispatcher(
    {
      ...buildHandlers({ conversations, messages, chat, settings, secrets, system, events, listModels: () => pickerModels(models, system) }),
      ...buildSetupHandlers(setup),
      ...buildProviderHandlers(models, system),
    },
    logger.child('rpc'),
  );

  let disposed = false;
  return {
    dataDir,
    db,
    events,
    logger,
    dispatch,
    call: createCaller(dispatch, { transport: 'cli' }),
    services: { conversations, messages, settings, secrets, providers, models, network, routing, ollama, chat, system, setup },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await setup.dispose();
      await chat.dispose();
      db.close();
    },
  };
}
