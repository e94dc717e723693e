import path from 'node:path';
import type { SystemStatus } from '../shared/contract';
import { ChatService } from './chat/chat-service';
import { EventBus } from './events/event-bus';
import { createLogger, type Logger } from './logger';
import { OllamaProvider } from './providers/ollama/ollama-provider';
import { ProviderRegistry } from './providers/registry';
import { createCaller, createDispatcher, type Dispatch } from './rpc/dispatcher';
import { buildHandlers } from './rpc/handlers';
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
    ollama: OllamaProvider;
    chat: ChatService;
    system: SystemService;
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

  const providers = new ProviderRegistry();
  const ollama = new OllamaProvider({ host: () => settings.get().ollamaHost, fetch: options.fetch });
  providers.register(ollama);

  const interrupted = messages.recoverInterrupted();
  if (interrupted.length) logger.warn('replies cut off by the last shutdown were kept and marked', { count: interrupted.length });

  const chat = new ChatService({ conversations, messages, providers, events, logger: logger.child('chat') });
  const system = new SystemService({ db, dataDir, mode: options.mode, ollama, providers, secrets, logger: logger.child('system') });
  const dispatch = createDispatcher(
    buildHandlers({ conversations, messages, chat, settings, secrets, system, events }),
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
    services: { conversations, messages, settings, secrets, providers, ollama, chat, system },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await chat.dispose();
      db.close();
    },
  };
}
