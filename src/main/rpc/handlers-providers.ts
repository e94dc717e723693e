import type { ModelInfo } from '../../shared/contract';
import type { AvailableModels, LiveModels, PriceBook } from '../catalog';
import type { ProviderSettingsService } from '../providers/provider-settings-service';
import type { ProviderHealth } from '../reliability';
import type { SystemService } from '../system/system-service';
import { isEmbeddingModel } from '../router';
import type { DomainHandlers } from './dispatcher';

/** What the model lists read: the provider settings (extra Ollama hosts), every callable model, the primary Ollama. */
export interface ModelListDeps {
  providers: Pick<ProviderSettingsService, 'extraOllamaModels'>;
  models: AvailableModels;
  system: SystemService;
}

export interface ProviderHandlerDeps extends ModelListDeps {
  providers: ProviderSettingsService;
  prices: PriceBook;
  health: ProviderHealth;
  /** The providers' live model lists (issue #15). */
  live: LiveModels;
}

export function buildProviderHandlers(d: ProviderHandlerDeps): DomainHandlers<'providers'> {
  const p = d.providers;
  return {
    'providers.list': () => p.list(),
    'providers.update': (input) => p.update(input),
    'providers.test': ({ id }) => p.test(id),
    'providers.health': () => d.health.list(),
    'providers.catalog': async () => d.models.list((await localModels(d)).models),
    'providers.addCustom': (input) => p.addCustom(input),
    'providers.refreshPrices': () => d.prices.refreshPrices(AbortSignal.timeout(20_000)),
    'providers.refreshModels': ({ id }) => d.live.refresh(id),
    'providers.modelLists': () => d.live.lists(),
    'providers.removeCustom': async ({ id }) => ({ removed: await p.removeCustom(id) }),
    'providers.addOllamaHost': (input) => p.addOllamaHost(input),
    'providers.removeOllamaHost': async ({ name }) => ({ removed: await p.removeOllamaHost(name) }),
  };
}

/**
 * Installed models on the primary Ollama host and on every extra host (`ollama-<name>/…`), listed
 * in parallel; a host that is down contributes none (see `hostErrors`).
 */
export async function localModels(d: Pick<ModelListDeps, 'providers' | 'system'>) {
  const [primary, extra] = await Promise.all([d.system.listModels(), d.providers.extraOllamaModels()]);
  return { models: [...primary.models, ...extra.models], ollama: primary.ollama, hostErrors: extra.errors };
}

/** The model picker's list: installed local models, then cloud models that can be called now. */
export async function pickerModels(d: ModelListDeps) {
  const local = await localModels(d);
  const cloud = (await d.models.list([]))
    .filter((m) => m.available)
    .map(
      (m): ModelInfo => ({ id: m.id, provider: m.provider, name: m.name, tier: m.tier, sizeBytes: null, family: null, parameterSize: null, quantization: null, contextLength: m.contextWindow }),
    );
  // Embedding-only models (nomic-embed-text …) cannot chat: the cache uses them, the picker does not offer them.
  return { models: [...local.models.filter((m) => !isEmbeddingModel(m)), ...cloud], ollama: local.ollama };
}
