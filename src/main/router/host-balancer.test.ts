import { describe, expect, it } from 'vitest';
import type { ModelRunner, RunRequest, StreamPart } from '../runner';
import { HostBalancer } from './host-balancer';

const A = 'ollama/llama3.2:3b';
const B = 'ollama-box/llama3.2:3b';

function balancer(open: string[] = [], clock = { t: 0 }): HostBalancer {
  return new HostBalancer({ replicas: (id) => (id.startsWith('groq/') ? [] : [A, B]), isOpen: (id) => open.includes(id), now: () => clock.t });
}

/** A runner whose replies wait until the test releases them. */
function heldRunner(): { runner: ModelRunner; requests: RunRequest[]; release(): void } {
  const requests: RunRequest[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  return {
    requests,
    release: () => release(),
    runner: {
      async *stream(r): AsyncIterable<StreamPart> {
        requests.push(r);
        await gate;
        yield { type: 'text-delta', text: 'hi' };
        yield { type: 'finish', reason: 'stop' };
      },
    },
  };
}

async function drain(parts: AsyncIterable<StreamPart>): Promise<void> {
  for await (const _ of parts) void _;
}

describe('HostBalancer', () => {
  it('leaves a model no other host serves, and cloud models, alone', () => {
    expect(balancer().order('groq/llama-3.1-8b-instant')).toEqual(['groq/llama-3.1-8b-instant']);
  });

  it('sends concurrent requests to the least loaded host, the others as alternates', async () => {
    const b = balancer();
    const held = heldRunner();
    const runner = b.runner(held.runner);
    const first = drain(runner.stream({ model: A, messages: [], purpose: 'chat' }));
    const second = drain(runner.stream({ model: A, messages: [], purpose: 'chat' }));
    while (held.requests.length < 2) await new Promise((r) => setImmediate(r));
    expect(held.requests.map((r) => [r.model, r.alternates])).toEqual([
      [A, [B]],
      [B, [A]],
    ]);
    expect(b.load()).toEqual({ [A]: 1, [B]: 1 });
    held.release();
    await Promise.all([first, second]);
    expect(b.load()).toEqual({ [A]: 0, [B]: 0 });
  });

  it('on equal load the faster host goes first; a host with an open breaker goes last', async () => {
    const clock = { t: 0 };
    const b = balancer([], clock);
    const slow: ModelRunner = {
      async *stream(r): AsyncIterable<StreamPart> {
        clock.t += r.model === A ? 500 : 50;
        yield { type: 'text-delta', text: 'x' };
      },
    };
    await drain(b.runner(slow).stream({ model: A, messages: [], purpose: 'chat' }));
    await drain(b.runner(slow).stream({ model: A, messages: [], purpose: 'chat' }));
    expect(b.order(A)).toEqual([B, A]);
    expect(balancer([A]).order(A)).toEqual([B, A]);
    expect(balancer([B]).order(B)).toEqual([A, B]);
  });
});
