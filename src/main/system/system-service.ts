import type { ModelInfo, OllamaStatus, SystemStatus } from '../../shared/contract';
import type { Logger } from '../logger';
import type { OllamaProvider } from '../providers/ollama/ollama-provider';
import type { ProviderRegistry } from '../providers/registry';
import type { SecretStore } from '../secrets/secret-store';
import { schemaVersion, type Db } from '../store';

export const APP_VERSION = '0.1.0';

export interface SystemServiceDeps {
  db: Db;
  dataDir: string;
  mode: SystemStatus['mode'];
  ollama: OllamaProvider;
  providers: ProviderRegistry;
  secrets: SecretStore;
  logger: Logger;
}

/** How the app is doing: the answers behind `doctor`, the status banners and the model picker. */
export class SystemService {
  constructor(private readonly deps: SystemServiceDeps) {}

  async ollamaStatus(signal?: AbortSignal): Promise<OllamaStatus> {
    const host = this.deps.ollama.host;
    try {
      const version = await this.deps.ollama.version(signal ?? AbortSignal.timeout(3000));
      return { host, reachable: true, version, error: null };
    } catch (error) {
      return { host, reachable: false, version: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  async status(): Promise<SystemStatus> {
    const [ollama, keychain] = await Promise.all([this.ollamaStatus(), this.deps.secrets.keychainStatus()]);
    return {
      version: APP_VERSION,
      mode: this.deps.mode,
      dataDir: this.deps.dataDir,
      schemaVersion: schemaVersion(this.deps.db),
      ollama,
      keychain,
    };
  }

  /** Installed models across providers; a provider that is down contributes none and says why. */
  async listModels(): Promise<{ models: ModelInfo[]; ollama: OllamaStatus }> {
    const ollama = await this.ollamaStatus();
    const models: ModelInfo[] = [];
    for (const provider of this.deps.providers.all()) {
      if (provider.id === this.deps.ollama.id && !ollama.reachable) continue;
      try {
        models.push(...(await provider.listModels(AbortSignal.timeout(5000))));
      } catch (error) {
        this.deps.logger.warn('listing models failed', { provider: provider.id, error });
      }
    }
    return { models, ollama };
  }
}
