import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTER_CONFIG } from './config';
import { rankLocalModels, readRoleCandidates, readRoleCatalog, resolveLocalModels, roleForIntent } from './local-roles';

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

describe('rankLocalModels (issue #13)', () => {
  const catalog = readRoleCatalog();
  const base = { catalog, chosen: {}, defaults: ['ollama/qwen2.5-coder:7b'], fitsGpu: () => true, loaded: () => false };

  it('maps intents to roles', () => {
    expect(['code_generation', 'bug_fix', 'refactor', 'review'].map((i) => roleForIntent(i as never))).toEqual(['coder', 'coder', 'coder', 'coder']);
    expect(['question', 'chat', 'docs', 'summarisation', 'other'].map((i) => roleForIntent(i as never))).toEqual(['chat', 'chat', 'chat', 'chat', 'chat']);
  });

  it('picks the best installed model of the role, never the uninstalled default', () => {
    const installed = ['ollama/gemma3:12b', 'ollama/qwen2.5-coder:14b'];
    expect(rankLocalModels({ ...base, role: 'coder', installed })).toEqual({ ids: ['ollama/qwen2.5-coder:14b', 'ollama/gemma3:12b'], note: null });
    expect(rankLocalModels({ ...base, role: 'chat', installed })).toEqual({ ids: ['ollama/gemma3:12b', 'ollama/qwen2.5-coder:14b'], note: null });
  });

  it('ranks by catalog quality, a model that fits the GPU before one that does not, a loaded one on a tie', () => {
    const installed = ['ollama/qwen2.5-coder:7b', 'ollama/qwen2.5-coder:32b', 'ollama/qwen3:14b'];
    expect(rankLocalModels({ ...base, role: 'coder', installed }).ids).toEqual(['ollama/qwen2.5-coder:32b', 'ollama/qwen2.5-coder:7b', 'ollama/qwen3:14b']);
    const fits = (id: string): boolean => id !== 'ollama/qwen2.5-coder:32b';
    expect(rankLocalModels({ ...base, role: 'coder', installed, fitsGpu: fits }).ids).toEqual(['ollama/qwen2.5-coder:7b', 'ollama/qwen3:14b', 'ollama/qwen2.5-coder:32b']);
    const loaded = (id: string): boolean => id === 'ollama/qwen3:14b';
    expect(rankLocalModels({ ...base, role: 'coder', installed, fitsGpu: fits, loaded }).ids).toEqual(['ollama/qwen3:14b', 'ollama/qwen2.5-coder:7b', 'ollama/qwen2.5-coder:32b']);
  });

  it('puts the model Settings names for the role first, tag or id, `latest` or not', () => {
    const installed = ['ollama/qwen2.5-coder:32b', 'ollama/phi4-mini:latest', 'ollama/qwen2.5-coder:7b'];
    expect(rankLocalModels({ ...base, role: 'coder', installed, chosen: { coder: 'qwen2.5-coder:7b' } }).ids[0]).toBe('ollama/qwen2.5-coder:7b');
    expect(rankLocalModels({ ...base, role: 'chat', installed, chosen: { chat: 'phi4-mini' } }).ids[0]).toBe('ollama/phi4-mini:latest');
  });

  it('without a model of the role, the next best installed one answers and the note names the pull', () => {
    const r = rankLocalModels({ ...base, role: 'coder', installed: ['ollama/llama3.2:3b', 'ollama/gemma3:12b'] });
    expect(r.ids.slice(0, 2)).toEqual(['ollama/gemma3:12b', 'ollama/llama3.2:3b']);
    expect(r.ids).toContain('ollama/qwen2.5-coder:7b');
    expect(r.note).toMatch(/^No coder model is installed, so ollama\/gemma3:12b answers instead; for better code, pull qwen2\.5-coder:\d+b \(ollama pull qwen2\.5-coder:\d+b\)\.$/);
    expect(rankLocalModels({ ...base, role: 'coder', installed: [] })).toEqual({ ids: ['ollama/qwen2.5-coder:7b'], note: 'No local coder model is installed: pull qwen2.5-coder:7b (ollama pull qwen2.5-coder:7b).' });
  });

  it('a rung the user set goes first, and counts as having the role', () => {
    const installed = ['ollama/helper:3b', 'ollama/exec:1b'];
    expect(rankLocalModels({ ...base, role: 'coder', installed, defaults: ['ollama/exec:1b'], pinned: true })).toEqual({ ids: ['ollama/exec:1b', 'ollama/helper:3b'], note: null });
  });

  it('resolves the router, validator and summariser from Settings roles first', () => {
    const installed = ['ollama/phi3:mini', 'ollama/qwen2.5:3b', 'ollama/deepseek-coder:6.7b', 'ollama/gemma3:12b', 'ollama/qwen2.5-coder:7b'];
    expect(resolveLocalModels(DEFAULT_ROUTER_CONFIG.localModels, installed, roles, { router: 'qwen2.5:3b', chat: 'gemma3:12b' })).toEqual({
      router: 'ollama/qwen2.5:3b',
      validator: 'ollama/deepseek-coder:6.7b',
      summariser: 'ollama/gemma3:12b',
    });
  });
});
