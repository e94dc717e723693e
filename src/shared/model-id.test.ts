import { describe, expect, it } from 'vitest';
import { isOllamaProvider, parseModelId, providerOf, tierOfProvider } from './model-id';

describe('model ids', () => {
  it('splits at the first slash only, and says what a bad id should look like', () => {
    expect(parseModelId('openrouter/deepseek/deepseek-chat')).toEqual({ provider: 'openrouter', model: 'deepseek/deepseek-chat' });
    expect(() => parseModelId('llama3')).toThrow(/provider\/model/);
    expect(providerOf('ollama-gpu-box/llama3.1:8b')).toBe('ollama-gpu-box');
    expect(providerOf('llama3')).toBe('');
  });

  it('knows an Ollama host: the primary one and the extra ones', () => {
    expect(isOllamaProvider('ollama')).toBe(true);
    expect(isOllamaProvider('ollama-gpu-box')).toBe(true);
    expect(isOllamaProvider('groq')).toBe(false);
    expect(isOllamaProvider('my-ollama')).toBe(false);
  });

  it('gives a model the catalog does not know a tier by its provider', () => {
    expect(tierOfProvider('ollama')).toBe('local');
    expect(tierOfProvider('ollama-gpu-box')).toBe('local');
    expect(tierOfProvider('custom')).toBe('local');
    expect(tierOfProvider('groq')).toBe('free');
    for (const provider of ['openrouter', 'anthropic', 'openai', 'deepseek', 'lmstudio', '']) expect(tierOfProvider(provider), provider).toBe('paid');
  });
});
