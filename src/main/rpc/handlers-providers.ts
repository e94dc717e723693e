import type { ModelInfo } from '../../shared/contract';
import type { ProviderServices } from '../providers/provider-services';
import type { SystemService } from '../system/system-service';
import type { DomainHandlers } from './dispatcher';

export function buildProviderHandlers(p: ProviderServices, system: SystemService): DomainHandlers<'providers'> {
  return {
    'providers.list': () => p.list(),
    'providers.update': (input) => p.update(input),
    'providers.test': ({ id }) => p.test(id),
    'providers.health': () => p.health(),
    'providers.catalog': async () => p.catalogModels((await system.listModels()).models),
    'providers.addCustom': (input) => p.addCustom(input),
    'providers.refreshPrices': () => p.refreshPrices(AbortSignal.timeout(20_000)),
    'providers.removeCustom': async ({ id }) => ({ removed: await p.removeCustom(id) }),
  };
}

/** The model picker's list: installed local models, then cloud models that can be called now. */
export async function pickerModels(p: ProviderServices, system: SystemService) {
  const local = await system.listModels();
  const cloud = (await p.catalogModels([]))
    .filter((m) => m.available)
    .map(
      (m): ModelInfo => ({ id: m.id, provider: m.provider, name: m.name, tier: m.tier, sizeBytes: null, family: null, parameterSize: null, quantization: null, contextLength: m.contextWindow }),
    );
  return { models: [...local.models, ...cloud], ollama: local.ollama };
}
