import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from '../logger';
import { routeHeader, type ApiCompletions, type CompletionResult, type RouteSummary } from './completions';
import { parseMessagesRequest, type MessagesRequest } from './messages-request';
import { ApiError, toApiError } from './openai-errors';

/** Anthropic's error body: `{ type: "error", error: { type, message } }`. */
export function anthropicErrorBody(e: ApiError) {
  return { type: 'error', error: { type: anthropicErrorType(e.status), message: e.message } };
}

/** Anthropic's error types by HTTP status (its "Errors" reference). */
function anthropicErrorType(status: number): string {
  if (status === 400 || status === 415) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 503 || status === 529) return 'overloaded_error';
  return 'api_error';
}

/** A tool call as Anthropic's tool_use block (its input an object; arguments that are not one become `{}`). */
function toolUse(call: CompletionResult['toolCalls'][number]) {
  let input: unknown;
  try {
    input = JSON.parse(call.arguments || '{}');
  } catch {
    input = {};
  }
  return { type: 'tool_use', id: call.id, name: call.name, input: input !== null && typeof input === 'object' && !Array.isArray(input) ? input : {} };
}

const STOP_REASON: Record<CompletionResult['finishReason'], string> = { stop: 'end_turn', length: 'max_tokens', content_filter: 'refusal', tool_calls: 'tool_use' };

/**
 * `POST /v1/messages` (issue #15, item 6): the Anthropic Messages API — Claude Code and the Anthropic
 * SDK speak it — on the same router, cache and budget as `/v1/chat/completions` (`switchboard/auto`
 * or any `provider/model`), non-streamed or as Anthropic's SSE events. Registered inside the `/v1`
 * routes, so the same token guards it (sent as `x-api-key` or `Authorization: Bearer`).
 */
export async function messagesRoutes(fastify: FastifyInstance, o: { completions: ApiCompletions; logger: Logger; bodyLimit: number }): Promise<void> {
  fastify.setErrorHandler((error: FastifyError, _request, reply) => {
    const e = error instanceof ApiError ? error : error.statusCode && error.statusCode < 500 ? new ApiError(error.statusCode, error.message, 'invalid_request_error') : toApiError(error);
    if (e.status >= 500) o.logger.warn('api request failed', { status: e.status, error: e.message });
    return reply.code(e.status).send(anthropicErrorBody(e));
  });

  fastify.post('/messages', { bodyLimit: o.bodyLimit }, async (request, reply) => {
    const req = parseMessagesRequest(request.body);
    const controller = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) controller.abort();
    });
    const id = `msg_${randomUUID().replace(/-/g, '')}`;
    if (!req.stream) {
      const result = await o.completions.complete(req, { signal: controller.signal });
      reply.header('x-switchboard-route', routeHeader(result.route));
      return {
        id,
        type: 'message',
        role: 'assistant',
        model: result.model,
        content: [...(result.text || result.toolCalls.length === 0 ? [{ type: 'text', text: result.text }] : []), ...result.toolCalls.map(toolUse)],
        stop_reason: STOP_REASON[result.finishReason],
        stop_sequence: null,
        usage: { input_tokens: result.usage.prompt_tokens, output_tokens: result.usage.completion_tokens },
      };
    }
    return stream(id, req, reply, o.completions, controller.signal);
  });
}

/** Anthropic's event sequence: message_start, content_block_start, ping, deltas, content_block_stop, message_delta, message_stop. */
async function stream(id: string, req: MessagesRequest, reply: FastifyReply, completions: ApiCompletions, signal: AbortSignal): Promise<void> {
  let started = false;
  const send = (event: string, data: Record<string, unknown>): void => {
    if (!reply.raw.destroyed) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  };
  const inputTokens = Math.ceil(req.messages.reduce((s, m) => s + m.content.length, 0) / 4);
  const onStart = (route: RouteSummary): void => {
    started = true;
    reply.hijack();
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-switchboard-route': routeHeader(route),
    });
    send('message_start', {
      message: { id, type: 'message', role: 'assistant', model: route.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: inputTokens, output_tokens: 0 } },
    });
    send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    send('ping', {});
  };
  const onDelta = (text: string): void => send('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });

  let result: CompletionResult;
  try {
    result = await completions.complete(req, { signal, onStart, onDelta });
  } catch (error) {
    // Before the first event: a plain error response with its status. After it: Anthropic's in-band error event.
    if (!started) throw error;
    send('error', { error: anthropicErrorBody(toApiError(error)).error });
    reply.raw.end();
    return;
  }
  send('content_block_stop', { index: 0 });
  // Tool calls as tool_use blocks after the text, each input in one input_json_delta.
  result.toolCalls.forEach((call, i) => {
    const index = i + 1;
    send('content_block_start', { index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } });
    send('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(toolUse(call).input) } });
    send('content_block_stop', { index });
  });
  send('message_delta', { delta: { stop_reason: STOP_REASON[result.finishReason], stop_sequence: null }, usage: { output_tokens: result.usage.completion_tokens } });
  send('message_stop', {});
  reply.raw.end();
}
