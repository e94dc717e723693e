export { OllamaProvider, type OllamaProviderOptions, type OllamaVersion } from './ollama-provider';
export { OllamaHostPool, ollamaHostProviderId, type OllamaHostConfig, type OllamaHostPoolOptions, type PoolModelList } from './ollama-host-pool';
export { toOllamaError } from './ollama-errors';
