import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import { openAiRoutes } from '../api';
import type { App } from '../app';
import { redactor } from '../secrets/redactor';
import { isLoopbackHostHeader } from '../net';
import { AccessGuard } from './access-guard';
import { HTTP_STATUS_BY_CODE } from './status-codes';

export interface HeadlessServerOptions {
  app: App;
  /** 0 picks a free port. */
  port?: number;
  /** Default: a random 32-byte token per run. */
  token?: string;
  /** The built renderer (out/renderer). */
  rendererDir: string;
}

export interface HeadlessServer {
  url: string;
  /** The URL with the token: what a user opens. */
  openUrl: string;
  port: number;
  token: string;
  fastify: FastifyInstance;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** A contract call's input: a chat message is at most 400K characters (routing.preview, chat.send). */
const RPC_BODY_LIMIT = 4 * 1024 * 1024;
/**
 * Calls that carry files take more (issue #14): an import file (IMPORT_MAX_CHARS, 60 MB of text,
 * JSON-escaped), a file to attach (a 20 MB PDF as base64), a message with its files (ATTACHMENT_LIMITS).
 */
const LARGE_BODY_LIMITS: Record<string, number> = {
  'library.import': 128 * 1024 * 1024,
  'attachments.prepare': 32 * 1024 * 1024,
  'chat.send': 80 * 1024 * 1024,
};

/**
 * The same services as the desktop app, over HTTP + WebSocket on 127.0.0.1 only:
 * `POST /rpc/<channel>` carries a contract call, `GET /events` (WebSocket) carries events, and `/`
 * serves the built renderer. Used through an SSH tunnel on a headless GPU box, and by the e2e tests.
 */
export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const { app } = options;
  const token = options.token ?? randomBytes(32).toString('base64url');
  const indexFile = path.join(options.rendererDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    throw new Error(`The renderer is not built (${indexFile} is missing). Run: npm run build:renderer`);
  }
  // Masked wherever it might reach a log line (a refused request's URL, an error message).
  redactor.add(token);
  let port = options.port ?? 0;
  const guard = new AccessGuard({ token, port: () => port });
  // forceCloseConnections: shutting down must not wait for idle keep-alive sockets or refused upgrades.
  // /v1 sets its own limit on its route (API_BODY_LIMIT, the same as the desktop server's).
  const fastify = Fastify({ logger: false, bodyLimit: RPC_BODY_LIMIT, forceCloseConnections: true });

  fastify.addHook('onRequest', async (request, reply) => {
    if (request.url === '/v1' || request.url.startsWith('/v1/')) {
      // The OpenAI-compatible endpoint checks its own bearer token (not the page's cookie); the Host check stays.
      if (isLoopbackHostHeader(request.headers.host, port)) return undefined;
      const message = `Host "${request.headers.host ?? ''}" is not allowed; connect through 127.0.0.1:${port}.`;
      return reply.code(403).send({ error: { message, type: 'invalid_request_error', param: null, code: 'host_not_allowed' } });
    }
    const query = request.query as Record<string, unknown>;
    const decision = guard.check({
      host: request.headers.host,
      origin: request.headers.origin,
      authorization: request.headers.authorization,
      cookie: request.headers.cookie,
      // `?token=a&token=b` and `?token[]=a` are no token.
      queryToken: typeof query.token === 'string' ? query.token : undefined,
    });
    if (!decision.allow) {
      app.logger.warn('headless request refused', { status: decision.status, method: request.method, ...loggableUrl(request.url) });
      return reply.code(decision.status).send({ ok: false, error: { code: 'auth', message: decision.message, retryable: false } });
    }
    if (decision.setCookie) reply.header('set-cookie', decision.setCookie);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    return undefined;
  });

  await fastify.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  // Bodies fastify refuses before a handler runs (not JSON, too large, another content type) get
  // the same envelope as every other answer of /rpc. /v1 has its own handler (OpenAI's shape).
  fastify.setErrorHandler((error: FastifyError, request, reply) => {
    const refused = bodyError(error, LARGE_BODY_LIMITS[request.url.replace(/^\/rpc\//, '').split('?')[0]!] ?? RPC_BODY_LIMIT);
    if (!refused) app.logger.error('headless request failed', { method: request.method, ...loggableUrl(request.url), error });
    const { status, message } = refused ?? { status: 500, message: 'The request failed inside Switchboard; the log has the details.' };
    const code = !refused ? 'internal' : status === 404 ? 'not_found' : 'invalid_input';
    return reply.code(status).send({ ok: false, error: { code, message, retryable: false } });
  });

  fastify.post<{ Params: { channel: string } }>('/rpc/:channel', async (request, reply) => {
    const result = await app.dispatch(request.params.channel, request.body ?? {}, { transport: 'http' });
    reply.code(result.ok ? 200 : HTTP_STATUS_BY_CODE[result.error.code]);
    return result;
  });
  // The same handler with a larger body limit (a static route wins over `/rpc/:channel`).
  for (const [channel, bodyLimit] of Object.entries(LARGE_BODY_LIMITS)) {
    fastify.post(`/rpc/${channel}`, { bodyLimit }, async (request, reply) => {
      const result = await app.dispatch(channel, request.body ?? {}, { transport: 'http' });
      reply.code(result.ok ? 200 : HTTP_STATUS_BY_CODE[result.error.code]);
      return result;
    });
  }

  fastify.get('/events', { websocket: true }, (socket) => {
    const unsubscribe = app.events.subscribe((envelope) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(envelope));
    });
    socket.on('close', unsubscribe);
    socket.on('error', unsubscribe);
  });

  await fastify.register(openAiRoutes, { ...app.services.api.routes(), prefix: '/v1' });

  await fastify.register(fastifyStatic, { root: options.rendererDir, index: 'index.html', wildcard: false });
  fastify.setNotFoundHandler((request, reply) => {
    // Client-side routes fall back to the app shell; API paths get a JSON 404.
    if (request.method === 'GET' && !request.url.startsWith('/rpc/')) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ ok: false, error: { code: 'not_found', message: `No route ${request.method} ${request.url}`, retryable: false } });
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', contentSecurityPolicy(port));
    }
    return payload;
  });

  // Upgraded (WebSocket) sockets leave Node's HTTP connection tracking, so close() could wait on
  // one forever (a refused upgrade the client never closed): track every socket and end them.
  const sockets = new Set<Socket>();
  fastify.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await fastify.listen({ host: HOST, port });
  const address = fastify.server.address();
  if (address && typeof address === 'object') port = address.port;
  const url = `http://${HOST}:${port}`;
  app.services.api.mountedOn(url);
  return {
    url,
    openUrl: `${url}/?token=${token}`,
    port,
    token,
    fastify,
    close: async () => {
      for (const client of fastify.websocketServer?.clients ?? []) client.terminate();
      const closed = fastify.close();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** fastify's refusals of a request body, as a status and words that say what to send instead. */
function bodyError(error: FastifyError, limit: number): { status: number; message: string } | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, message: `The request body is not valid JSON (${error.message}). Send the call's input as a JSON object.` };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, message: `The request body is larger than ${limit / (1024 * 1024)} MB.` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, message: 'Send the request body as JSON with Content-Type: application/json.' };
    default:
      return error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? { status: error.statusCode, message: error.message } : null;
  }
}

/**
 * A request's URL for the log: its path and the names of its query parameters, never their values
 * (a `?token[]=…` the guard refused still carries the real token; issue #16).
 */
function loggableUrl(url: string): { path: string; query: string[] } {
  const q = url.indexOf('?');
  if (q < 0) return { path: url, query: [] };
  return { path: url.slice(0, q), query: [...new URLSearchParams(url.slice(q + 1)).keys()] };
}

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}
