import type { FastifyInstance } from 'fastify';
import { isLoopbackHostHeader } from '../net';
import type { Logger } from '../logger';
import { ApiError } from './openai-errors';
import { API_BODY_LIMIT, openAiRoutes, type OpenAiRoutesOptions } from './openai-routes';

const HOST = '127.0.0.1';

/**
 * The desktop app's OpenAI-compatible endpoint: a small fastify server on 127.0.0.1 that serves
 * only `/v1`. Plain Node, so it is tested without Electron; app.ts starts and stops it from
 * Settings → API. Requests need the bearer token and a loopback Host header (DNS rebinding).
 */
export class ApiServer {
  private fastify: FastifyInstance | null = null;
  private port = 0;

  constructor(private readonly options: { routes: OpenAiRoutesOptions; logger: Logger }) {}

  /** `http://127.0.0.1:<port>` while running. */
  get url(): string | null {
    return this.fastify ? `http://${HOST}:${this.port}` : null;
  }

  /** Starts on `port` (0 = any free one); a running server on another port is stopped first. */
  async start(port: number): Promise<string> {
    if (this.fastify && (port === this.port || port === 0)) return this.url as string;
    await this.stop();
    // fastify loads when the endpoint first starts: CLI commands that never serve skip it (issue #17).
    const { default: Fastify } = await import('fastify');
    const fastify = Fastify({ logger: false, bodyLimit: API_BODY_LIMIT, forceCloseConnections: true });
    // This server's own port, known once it is bound (not `this.port`, which names the previous one
    // while a restart on another port is under way).
    let bound = port;
    fastify.addHook('onRequest', async (request, reply) => {
      if (isLoopbackHostHeader(request.headers.host, bound)) return undefined;
      const e = new ApiError(403, `Host "${request.headers.host ?? ''}" is not allowed; connect through 127.0.0.1:${bound}.`, 'invalid_request_error', null, 'host_not_allowed');
      return reply.code(403).send(e.body());
    });
    await fastify.register(openAiRoutes, { ...this.options.routes, prefix: '/v1' });
    try {
      await fastify.listen({ host: HOST, port });
    } catch (error) {
      await fastify.close();
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE') throw new Error(`Port ${port} on 127.0.0.1 is already in use: choose another port in Settings → API.`, { cause: error });
      throw error;
    }
    const address = fastify.server.address();
    bound = address && typeof address === 'object' ? address.port : port;
    this.port = bound;
    this.fastify = fastify;
    this.options.logger.info('OpenAI-compatible endpoint listening', { url: this.url });
    return this.url as string;
  }

  async stop(): Promise<void> {
    const fastify = this.fastify;
    this.fastify = null;
    if (fastify) await fastify.close();
  }
}
