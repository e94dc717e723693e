import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../shared/errors';
import type { ChatProvider, ChatRequest, StreamPart } from '../runner';
import { ReliableChat } from './reliable-chat';

/** A provider that streams a tool call, then fails the connection: what a dropped Ollama stream does. */
function flakyToolProvider(): ChatProvider & { calls: number } {
  const provider = {
    id: 'ollama',
    calls: 0,
    listModels: async () => [],
    async *streamChat(_request: ChatRequest): AsyncIterable<StreamPart> {
      provider.calls += 1;
      yield { type: 'stream-start' };
      yield { type: 'tool-call', call: { id: `call_${provider.calls}`, name: 'get_weather', arguments: '{"city":"Paris"}' } };
      yield { type: 'error', error: new SwitchboardError('network', 'the connection was reset', { retryable: true }) };
    },
  };
  return provider;
}

describe('a tool call that reached the caller (issue #15)', () => {
  it('is not repeated by a retry or a fallback when the stream fails after it', async () => {
    const provider = flakyToolProvider();
    const chat = new ReliableChat({ providers: { resolve: (id) => ({ provider, model: id.slice(id.indexOf('/') + 1) }) }, random: () => 0 });
    const parts: StreamPart[] = [];
    for await (const part of chat.stream({ candidates: ['ollama/a:1b', 'ollama/b:1b'], messages: [{ role: 'user', content: 'Weather in Paris?' }] })) parts.push(part);
    expect(parts.filter((p) => p.type === 'tool-call')).toHaveLength(1);
    expect(parts.some((p) => p.type === 'fallback')).toBe(false);
    expect(provider.calls).toBe(1);
    const error = parts.find((p) => p.type === 'error');
    expect(error).toMatchObject({ type: 'error', partial: true });
  });
});
