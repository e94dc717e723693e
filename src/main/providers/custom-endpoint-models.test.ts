import { describe, expect, it } from 'vitest';
import type { CustomEndpoint, ModelInfo } from '../../shared/contract';
import { silentLogger } from '../logger';
import { CustomEndpointModels } from './custom-endpoint-models';
import { ProviderRegistry } from './registry';
import type { ChatProvider } from '../runner/chat-provider';

const model = (provider: string, name: string): ModelInfo => ({
  id: `${provider}/${name}`, provider, name, tier: 'local', sizeBytes: null, family: null, parameterSize: null, quantization: null, contextLength: null,
});

function setup() {
  const clock = { now: 0 };
  const state: Record<string, { models: string[]; fail: boolean; calls: number }> = {};
  const registry = new ProviderRegistry();
  const add = (id: string, models: string[]) => {
    state[id] = { models, fail: false, calls: 0 };
    registry.register({
      id,
      listModels: async () => {
        const s = state[id]!;
        s.calls++;
        if (s.fail) throw new Error('connect ECONNREFUSED');
        return s.models.map((m) => model(id, m));
      },
    } as unknown as ChatProvider);
  };
  const models = new CustomEndpointModels({ registry, logger: silentLogger, now: () => clock.now });
  return { clock, state, add, models };
}
const endpoint = (id: string, baseUrl = 'http://127.0.0.1:1234/v1'): CustomEndpoint => ({ id, name: id, baseUrl, tier: 'local' });
const ids = (list: ModelInfo[]) => list.map((m) => m.id);

describe('CustomEndpointModels', () => {
  it('asks each endpoint once for concurrent reads and keeps the answer for 30 s', async () => {
    const { clock, state, add, models } = setup();
    add('lm', ['a', 'b']);
    const [one, two] = await Promise.all([models.list([endpoint('lm')], false), models.list([endpoint('lm')], false)]);
    expect(ids(one)).toEqual(['lm/a', 'lm/b']);
    expect(ids(two)).toEqual(['lm/a', 'lm/b']);
    expect(state.lm!.calls).toBe(1);
    state.lm!.models = ['c'];
    clock.now = 29_000;
    expect(ids(await models.list([endpoint('lm')], false))).toEqual(['lm/a', 'lm/b']);
    clock.now = 31_000;
    expect(ids(await models.list([endpoint('lm')], false))).toEqual(['lm/c']);
    expect(state.lm!.calls).toBe(2);
  });

  it('lists nothing from an endpoint that fails, asks it again after 15 s, or at once after forget()', async () => {
    const { clock, state, add, models } = setup();
    add('lm', ['a']);
    add('box', ['x']);
    expect(ids(await models.list([endpoint('lm'), endpoint('box')], false))).toEqual(['lm/a', 'box/x']);
    state.box!.fail = true;
    clock.now = 31_000;
    expect(ids(await models.list([endpoint('lm'), endpoint('box')], false))).toEqual(['lm/a']);
    state.box!.fail = false;
    clock.now = 40_000;
    expect(ids(await models.list([endpoint('box')], false))).toEqual([]);
    expect(state.box!.calls).toBe(2);
    models.forget('box');
    expect(ids(await models.list([endpoint('box')], false))).toEqual(['box/x']);
    expect(state.box!.calls).toBe(3);
  });

  it('asks again when the URL changed, and in offline mode asks only endpoints on this machine', async () => {
    const { state, add, models } = setup();
    add('lm', ['a']);
    add('team', ['big']);
    await models.list([endpoint('lm')], false);
    await models.list([endpoint('lm', 'http://localhost:9999/v1')], false);
    expect(state.lm!.calls).toBe(2);
    expect(ids(await models.list([endpoint('lm'), endpoint('team', 'http://203.0.113.7/v1')], true))).toEqual(['lm/a']);
    expect(state.team!.calls).toBe(0);
  });
});
