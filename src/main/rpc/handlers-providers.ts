import type { ModelInfo } from '../../shared/contract';
import type { ProviderServices } from '../providers/provider-services';
import type { SystemService } from '../system/system-service';
import { isEmbeddingModel } from '../router';
import type { DomainHandlers } from './dispatcher';

export function buildProviderHandlers(p: ProviderServices, system: SystemService): DomainHandlers<'providers'> {
  return {
    'providers.list': () => p.list(),
    'providers.update': (input) => p.update(input),
    'providers.test': ({ id }) => p.test(id),
    'providers.health': () => p.health(),
    'providers.catalog': async () => p.catalogModels((await localModels(p, system)).models),
    'providers.addCustom': (input) => p.addCustom(input),
    'providers.refreshPrices': () => p.refreshPrices(AbortSignal.timeout(20_000)),
    'providers.removeCustom': async ({ id }) => ({ removed: await p.removeCustom(id) }),
    'providers.addOllamaHost': (input) => p.addOllamaHost(input),
    'providers.removeOllamaHost': async ({ name }) => ({ removed: await p.removeOllamaHost(name) }),
  };
}

/** The model picker's list: installed local models, then cloud models that can be called now. */
/**
 * Installed models on the primary Ollama host and on every extra host (`ollama-<name>/…`), listed
 * in parallel; a host that is down contributes none (see `hostErrors`).
 */
export async function localModels(p: ProviderServices, system: SystemService) {
  const [primary, extra] = await Promise.all([system.listModels(), p.extraOllamaModels()]);
  return { models: [...primary.models, ...extra.models], ollama: primary.ollama, hostErrors: extra.errors };
}

export async function pickerModels(p: ProviderServices, system: SystemService) {
  const local = await localModels(p, system);
  const cloud = (await p.catalogModels([]))
    .filter((m) => m.available)
    .map(
      (m): ModelInfo => ({ id: m.id, provider: m.provider, name: m.name, tier: m.tier, sizeBytes: null, family: null, parameterSize: null, quantization: null, contextLength: m.contextWindow }),
    );
  // Embedding-only models (nomic-embed-text …) cannot chat: the cache uses them, the picker does not offer them.
  return { models: [...local.models.filter((m) => !isEmbeddingModel(m)), ...cloud], ollama: local.ollama };
}
