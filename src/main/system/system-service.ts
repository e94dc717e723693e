import type { ModelInfo, OllamaStatus, SystemStatus } from '../../shared/contract';
import type { Logger } from '../logger';
import type { OllamaProvider } from '../providers/ollama/ollama-provider';
import type { SecretStore } from '../secrets/secret-store';
import { schemaVersion, type Db } from '../store';

export const APP_VERSION = '0.1.0';

export interface SystemServiceDeps {
  db: Db;
  dataDir: string;
  mode: SystemStatus['mode'];
  ollama: OllamaProvider;
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

  /** Models installed in Ollama; when Ollama is down, none, and the status says why. */
  async listModels(): Promise<{ models: ModelInfo[]; ollama: OllamaStatus }> {
    const ollama = await this.ollamaStatus();
    if (!ollama.reachable) return { models: [], ollama };
    try {
      return { models: await this.deps.ollama.listModels(AbortSignal.timeout(5000)), ollama };
    } catch (error) {
      this.deps.logger.warn('listing Ollama models failed', { error });
      return { models: [], ollama: { ...ollama, error: error instanceof Error ? error.message : String(error) } };
    }
  }
}
