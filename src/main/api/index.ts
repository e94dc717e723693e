/**
 * The OpenAI-compatible endpoint (issue #6): `GET /v1/models` and `POST /v1/chat/completions` on
 * Switchboard's router, cache and budget. The desktop app runs it on its own port (ApiServer, from
 * Settings → API); the headless server mounts the same routes. Both need the bearer token.
 */
export { ApiServer } from './api-server';
export { ApiService, type ApiServiceOptions } from './api-service';
export { API_TOKEN_ENV, ApiTokenStore, type ApiToken } from './api-token';
export { ApiCompletions, routeHeader, type ApiCompletionsDeps, type CompletionResult, type RouteSummary } from './completions';
export { parseCompletionRequest, type CompletionRequest } from './completion-request';
export { ApiError, toApiError } from './openai-errors';
export { API_BODY_LIMIT, openAiRoutes, type OpenAiRoutesOptions } from './openai-routes';
export { ApiEmbeddings, parseEmbeddingsRequest, type ApiEmbeddingsDeps, type EmbeddingsRequest } from './embeddings';
export { parseMessagesRequest, type MessagesRequest } from './messages-request';
export { anthropicErrorBody, messagesRoutes } from './messages-routes';
