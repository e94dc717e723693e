import type { ApiStatus, Settings } from '../../shared/contract';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../logger';
import { ApiServer } from './api-server';
import type { ApiTokenStore } from './api-token';
import type { ApiCompletions } from './completions';
import type { ApiEmbeddings } from './embeddings';
import type { OpenAiRoutesOptions } from './openai-routes';

export interface ApiServiceOptions {
  completions: ApiCompletions;
  /** `POST /v1/embeddings` (issue #15). */
  embeddings?: ApiEmbeddings;
  tokens: ApiTokenStore;
  settings: () => Settings;
  events: EventBus;
  logger: Logger;
  /** Run the desktop server from Settings → API (the desktop app; headless mode mounts the routes instead). */
  serveDesktop: boolean;
}

/**
 * The OpenAI-compatible endpoint as the app runs it: the routes (for the headless server to mount),
 * the token, and in the desktop app the ApiServer that Settings → API starts, moves and stops.
 */
export class ApiService {
  private readonly server: ApiServer | null;
  private headlessUrl: string | null = null;
  private error: string | null = null;
  private applying: Promise<void> = Promise.resolve();
  private readonly unsubscribe: () => void;

  constructor(private readonly o: ApiServiceOptions) {
    const logger = o.logger.child('api');
    this.server = o.serveDesktop ? new ApiServer({ routes: this.routes(), logger }) : null;
    let last = JSON.stringify(o.settings().apiServer);
    this.unsubscribe = o.events.subscribe((envelope) => {
      if (envelope.event !== 'settings.changed') return;
      const next = JSON.stringify(envelope.payload.settings.apiServer);
      if (next === last) return;
      last = next;
      void this.apply();
    });
  }

  /** What a server needs to mount `/v1`. */
  routes(): OpenAiRoutesOptions {
    return { completions: this.o.completions, embeddings: this.o.embeddings, token: async () => (await this.o.tokens.get()).token, logger: this.o.logger.child('api') };
  }

  /** The headless server serves `/v1` itself, always; Settings shows this URL. */
  mountedOn(url: string): void {
    this.headlessUrl = url;
  }

  /** Starts, moves or stops the desktop server to match Settings; resolves when it has. */
  apply(): Promise<void> {
    this.applying = this.applying.then(() => this.applyNow());
    return this.applying;
  }

  async status(): Promise<ApiStatus> {
    await this.applying;
    const { token, source } = await this.o.tokens.get();
    const settings = this.o.settings().apiServer;
    const desktopUrl = this.server?.url ?? null;
    const base = this.headlessUrl ?? desktopUrl;
    return {
      baseUrl: base ? `${base}/v1` : null,
      mount: this.headlessUrl ? 'headless' : desktopUrl ? 'desktop' : null,
      running: base !== null,
      settings,
      token,
      tokenSource: source,
      error: this.error,
    };
  }

  async rotateToken(): Promise<ApiStatus> {
    await this.o.tokens.rotate();
    return this.status();
  }

  async dispose(): Promise<void> {
    this.unsubscribe();
    await this.applying;
    await this.server?.stop();
  }

  private async applyNow(): Promise<void> {
    if (!this.server) return;
    const { enabled, port } = this.o.settings().apiServer;
    try {
      if (enabled) {
        await this.o.tokens.get(); // made (and stored) before the first client can ask
        await this.server.start(port);
      } else await this.server.stop();
      this.error = null;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
      this.o.logger.warn('the OpenAI-compatible endpoint did not start', { error: this.error });
    }
  }
}
