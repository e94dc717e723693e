import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { Logger } from '../logger';
import { parseCompletionRequest, type CompletionRequest } from './completion-request';
import { routeHeader, type ApiCompletions, type CompletionResult, type RouteSummary } from './completions';
import { parseEmbeddingsRequest, type ApiEmbeddings } from './embeddings';
import { anthropicErrorBody, messagesRoutes } from './messages-routes';
import { ApiError, toApiError } from './openai-errors';

/**
 * The largest `/v1` request body: under an editor's full context (files pasted in) but far from
 * memory trouble. Set on the route, so the desktop server and the headless mount take the same.
 */
export const API_BODY_LIMIT = 8 * 1024 * 1024;

export interface OpenAiRoutesOptions {
  completions: ApiCompletions;
  /** The bearer token clients must send. */
  token(): Promise<string>;
  logger: Logger;
  /** `POST /v1/embeddings` (issue #15); without it the route is not served. */
  embeddings?: ApiEmbeddings;
}

/**
 * `/v1/models` and `/v1/chat/completions` in OpenAI's wire format, as a fastify plugin: register it
 * with `{ prefix: '/v1' }` on any server (the desktop ApiServer, the headless server). It checks
 * its own bearer token; the server in front of it checks the Host header.
 */
export async function openAiRoutes(fastify: FastifyInstance, o: OpenAiRoutesOptions): Promise<void> {
  fastify.addHook('onRequest', async (request, reply) => {
    // Anthropic's clients send the token as `x-api-key` (issue #15): the same token either way.
    const apiKey = request.headers['x-api-key'];
    const header = request.headers.authorization ?? (typeof apiKey === 'string' && apiKey ? `Bearer ${apiKey}` : undefined);
    const problem = await checkBearer(header, await o.token());
    if (problem) return reply.code(problem.status).send(request.url.startsWith('/v1/messages') ? anthropicErrorBody(problem) : problem.body());
    return undefined;
  });

  fastify.setErrorHandler((error: FastifyError, _request, reply) => {
    const e = bodyError(error) ?? toApiError(error);
    if (e.status >= 500) o.logger.warn('api request failed', { status: e.status, error: e.message });
    return reply.code(e.status).send(e.body());
  });
  fastify.setNotFoundHandler((request, reply) => {
    const e = new ApiError(404, `Unknown request URL: ${request.method} ${request.url}. Switchboard serves GET /v1/models, POST /v1/chat/completions, POST /v1/embeddings and POST /v1/messages.`, 'invalid_request_error', null, 'unknown_url');
    return reply.code(404).send(e.body());
  });

  fastify.get('/models', async () => ({ object: 'list', data: await o.completions.models() }));

  await fastify.register(messagesRoutes, { completions: o.completions, logger: o.logger, bodyLimit: API_BODY_LIMIT });
  const embeddings = o.embeddings;
  if (embeddings) {
    fastify.post('/embeddings', { bodyLimit: API_BODY_LIMIT }, async (request, reply) => {
      const req = parseEmbeddingsRequest(request.body);
      const controller = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) controller.abort();
      });
      return embeddings.embed(req, controller.signal);
    });
  }

  fastify.post('/chat/completions', { bodyLimit: API_BODY_LIMIT }, async (request, reply) => {
    const req = parseCompletionRequest(request.body);
    const controller = new AbortController();
    // The client went away before the reply was sent: stop the model call too.
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    if (!req.stream) {
      const result = await o.completions.complete(req, { signal: controller.signal });
      reply.header('x-switchboard-route', routeHeader(result.route));
      return completionBody(result);
    }
    return stream(req, reply, o, controller.signal);
  });
}

/** SSE exactly as OpenAI sends it: role chunk, content chunks, finish chunk, usage chunk, [DONE]. */
async function stream(req: CompletionRequest, reply: FastifyReply, o: OpenAiRoutesOptions, signal: AbortSignal): Promise<void> {
  let head: { id: string; created: number; model: string } | null = null;
  const write = (data: unknown): void => {
    if (!reply.raw.destroyed) reply.raw.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id: head?.id,
    object: 'chat.completion.chunk',
    created: head?.created,
    model: head?.model,
    choices,
    ...(req.includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const onStart = (route: RouteSummary, meta: { id: string; created: number }): void => {
    head = { ...meta, model: route.model };
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-switchboard-route': routeHeader(route),
    });
    write(chunk([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]));
  };
  const onDelta = (text: string): void => write(chunk([{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }]));

  let result: CompletionResult;
  try {
    result = await o.completions.complete(req, { signal, streaming: true, onStart, onDelta });
  } catch (error) {
    // Before the first chunk the client gets a plain error response with its status; after it,
    // OpenAI's in-band error event (the SDKs raise it), and no [DONE].
    if (!head) throw error;
    write(toApiError(error).body());
    reply.raw.end();
    return;
  }
  // Tool calls go out whole, in one delta (OpenAI streams them as fragments by `index`; clients join them either way).
  if (result.toolCalls.length) {
    if (!head) onStart(result.route, { id: result.id, created: result.created });
    write(chunk([{ index: 0, delta: { tool_calls: result.toolCalls.map(toolCallOut) }, logprobs: null, finish_reason: null }]));
  }
  // How the answer fared at the gates, known only now for a streamed auto answer (README: "/v1
  // streaming on switchboard/auto"): a field on the finish chunk, and an SSE comment every parser skips.
  const verdict = switchboardVerdict(result.route);
  write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: result.finishReason }], { x_switchboard: verdict }));
  if (req.includeUsage) write(chunk([], { usage: result.usage }));
  if (!reply.raw.destroyed) reply.raw.write(`: x-switchboard ${JSON.stringify(verdict)}\n\n`);
  reply.raw.end('data: [DONE]\n\n');
}

function switchboardVerdict(r: RouteSummary) {
  return {
    model: r.model,
    tier: r.tier,
    escalations: r.escalations,
    cached: r.cached,
    gates: r.gatesFailed ? 'failed' : 'passed',
    failed_gate: r.failedGate?.gate ?? null,
    reason: r.failedGate?.reason ?? null,
    decision: r.decisionId,
  };
}

function completionBody(r: CompletionResult) {
  return {
    id: r.id,
    object: 'chat.completion',
    created: r.created,
    model: r.model,
    choices: [
      {
        index: 0,
        message: r.toolCalls.length
          ? { role: 'assistant', content: r.text || null, refusal: null, tool_calls: r.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })) }
          : { role: 'assistant', content: r.text, refusal: null },
        logprobs: null,
        finish_reason: r.finishReason,
      },
    ],
    usage: r.usage,
  };
}

/** A tool call in OpenAI's shape (`index` is for stream deltas). */
function toolCallOut(c: CompletionResult['toolCalls'][number], index: number) {
  return { index, id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } };
}

async function checkBearer(header: string | undefined, token: string): Promise<ApiError | null> {
  const given = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim();
  if (!given) {
    return ApiError.unauthorized(
      "You didn't provide an API token. Send it as `Authorization: Bearer <token>`: Settings → API shows it, headless mode prints it at start, or set SWITCHBOARD_API_TOKEN.",
    );
  }
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return ApiError.unauthorized('Incorrect API token provided. Settings → API shows the current one.');
  return null;
}

/** fastify's own body errors (bad JSON, wrong content type, too large) in OpenAI's shape. */
function bodyError(error: FastifyError): ApiError | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ApiError.invalid(`We could not parse the JSON body of your request (${error.message}). Send a JSON object with Content-Type: application/json.`, null);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'Send the request body as JSON with Content-Type: application/json.', 'invalid_request_error');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, `The request body is larger than ${API_BODY_LIMIT / (1024 * 1024)} MB.`, 'invalid_request_error');
    default:
      return error.statusCode === 400 && !(error instanceof ApiError) ? ApiError.invalid(error.message, null) : null;
  }
}
