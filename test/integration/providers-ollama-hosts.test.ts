import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OllamaHostPool, ollamaHostProviderId } from '../../src/main/providers/ollama';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { StreamPart } from '../../src/main/runner/chat-provider';
import { ReliableChat } from '../../src/main/reliability';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { NOTHING_LISTENING_URL as DOWN } from '../helpers/app-harness';

let desktop: FakeOllama;
let gpu: FakeOllama;

beforeAll(async () => {
  desktop = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }] });
  gpu = await startFakeOllama({ models: [{ name: 'llama3.2:3b' }, { name: 'qwen2.5-coder:32b' }] });
});
afterAll(async () => {
  await desktop.close();
  await gpu.close();
});

async function text(parts: AsyncIterable<StreamPart>): Promise<{ text: string; parts: StreamPart[] }> {
  const out: StreamPart[] = [];
  for await (const p of parts) out.push(p);
  return { text: out.map((p) => (p.type === 'text-delta' ? p.text : '')).join(''), parts: out };
}

describe('several Ollama hosts', () => {
  it('keeps ollama/<model> on the primary host and adds ollama-<name>/<model> per host', async () => {
    const pool = new OllamaHostPool({ primary: () => desktop.url, hosts: () => [{ name: 'GPU box', url: gpu.url, maxConcurrent: 1 }] });
    const registry = new ProviderRegistry();
    for (const p of pool.providers()) registry.register(p);
    expect(pool.providers().map((p) => p.id)).toEqual(['ollama', 'ollama-gpu-box']);
    expect(pool.concurrency()).toEqual({ 'ollama-gpu-box': 1 });

    desktop.setBehavior('*', { reply: 'from the desktop' });
    gpu.setBehavior('*', { reply: 'from the GPU box' });
    const chat = new ReliableChat({ providers: registry });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    expect((await text(chat.stream({ candidates: ['ollama/llama3.2:3b'], messages }))).text).toBe('from the desktop');
    expect((await text(chat.stream({ candidates: ['ollama-gpu-box/qwen2.5-coder:32b'], messages }))).text).toBe('from the GPU box');
    expect(await pool.locate('llama3.2:3b')).toEqual(['ollama/llama3.2:3b', 'ollama-gpu-box/llama3.2:3b']);
  });

  it('lists every host and reports a host that is down without failing the others', async () => {
    const down = DOWN;
    const pool = new OllamaHostPool({ primary: () => desktop.url, hosts: () => [{ name: 'gpu', url: gpu.url }, { name: 'laptop', url: down }] });
    const { models, errors } = await pool.listModels();
    expect(models.map((m) => m.id).sort()).toEqual(['ollama-gpu/llama3.2:3b', 'ollama-gpu/qwen2.5-coder:32b', 'ollama/llama3.2:3b']);
    expect(models.every((m) => m.tier === 'local')).toBe(true);
    expect(errors).toEqual([expect.objectContaining({ providerId: 'ollama-laptop', host: down, error: expect.objectContaining({ code: 'unavailable' }) })]);
  });

  it('falls back from a host that is down to the same model on another host', async () => {
    const down = DOWN;
    const pool = new OllamaHostPool({ primary: () => down, hosts: () => [{ name: 'gpu', url: gpu.url }] });
    const registry = new ProviderRegistry();
    for (const p of pool.providers()) registry.register(p);
    gpu.setBehavior('*', { reply: 'gpu answered' });
    const chat = new ReliableChat({ providers: registry, retry: { maxAttempts: 1 } });
    const { text: reply, parts } = await text(chat.stream({ candidates: ['ollama/llama3.2:3b', 'ollama-gpu/llama3.2:3b'], messages: [{ role: 'user', content: 'hi' }] }));
    expect(reply).toBe('gpu answered');
    expect(parts.find((p) => p.type === 'fallback')).toMatchObject({ from: 'ollama/llama3.2:3b', to: 'ollama-gpu/llama3.2:3b', error: { code: 'unavailable' } });
  });

  it('refuses host names that make no id or collide', () => {
    expect(ollamaHostProviderId('Living room PC')).toBe('ollama-living-room-pc');
    expect(() => ollamaHostProviderId('!!!')).toThrow(/cannot name/);
    const pool = new OllamaHostPool({ primary: () => desktop.url, hosts: () => [{ name: 'gpu', url: gpu.url }, { name: 'GPU', url: gpu.url }] });
    expect(() => pool.providers()).toThrow(/Two Ollama hosts/);
  });
});
