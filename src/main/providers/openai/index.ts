export { OpenAICompatibleProvider, type OpenAICompatibleProviderOptions } from './openai-compatible-provider';
export { OPENAI_COMPATIBLE_PRESETS, customPreset, resolveBaseUrl, type OpenAICompatiblePreset, type OpenAICompatiblePresetId } from './presets';
export { toOpenAIError } from './openai-errors';
