import { SwitchboardError } from '../../shared/errors';
import { parseModelId } from '../../shared/model-id';
import type { ChatProvider } from '../runner/chat-provider';

/** The providers the app knows, by id (`ollama`, `groq`, ...). */
export class ProviderRegistry {
  private readonly providers = new Map<string, ChatProvider>();

  /** Why a provider may not be used right now (switched off in Settings), or null. */
  private gate: (id: string) => string | null = () => null;

  register(provider: ChatProvider): void {
    this.providers.set(provider.id, provider);
  }

  unregister(id: string): boolean {
    return this.providers.delete(id);
  }

  setGate(gate: (id: string) => string | null): void {
    this.gate = gate;
  }

  get(id: string): ChatProvider | undefined {
    return this.providers.get(id);
  }

  all(): ChatProvider[] {
    return [...this.providers.values()];
  }

  /** Resolves `provider/model` to its provider and the provider-local model name. */
  resolve(modelId: string): { provider: ChatProvider; model: string } {
    const { provider: providerId, model } = parseModelId(modelId);
    const provider = this.providers.get(providerId);
    if (!provider) {
      const known = [...this.providers.keys()].join(', ');
      throw new SwitchboardError('invalid_input', `Unknown provider "${providerId}" in model id "${modelId}". Known providers: ${known}.`);
    }
    const blocked = this.gate(providerId);
    if (blocked) throw new SwitchboardError('unavailable', blocked, { retryable: false, details: { provider: providerId } });
    return { provider, model };
  }
}
