import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTER_CONFIG } from './config';
import { readRoleCandidates, resolveLocalModels } from './local-roles';

const roles = readRoleCandidates();

describe('resolveLocalModels', () => {
  it('keeps configured models that are installed', () => {
    const installed = ['ollama/phi3:mini', 'ollama/deepseek-coder:6.7b', 'ollama/qwen2.5-coder:7b'];
    expect(resolveLocalModels(DEFAULT_ROUTER_CONFIG.localModels, installed, roles)).toEqual(DEFAULT_ROUTER_CONFIG.localModels);
  });

  it('uses what the setup wizard installed when the defaults are missing', () => {
    const installed = ['ollama/phi4-mini', 'ollama/qwen2.5-coder:14b', 'ollama/nomic-embed-text'];
    expect(resolveLocalModels(DEFAULT_ROUTER_CONFIG.localModels, installed, roles)).toEqual({
      router: 'ollama/phi4-mini',
      validator: 'ollama/qwen2.5-coder:14b',
      summariser: 'ollama/qwen2.5-coder:14b',
    });
  });

  it('prefers the best installed model of a role, and leaves the config alone when nothing fits', () => {
    expect(resolveLocalModels(DEFAULT_ROUTER_CONFIG.localModels, ['ollama/llama3.2:3b', 'ollama/qwen2.5:3b'], roles).router).toBe('ollama/qwen2.5:3b');
    expect(resolveLocalModels(DEFAULT_ROUTER_CONFIG.localModels, [], roles)).toEqual(DEFAULT_ROUTER_CONFIG.localModels);
  });
});
