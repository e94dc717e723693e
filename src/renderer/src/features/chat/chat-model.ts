import type { Conversation, ModelInfo } from '../../../../shared/contract';
import type { DraftChat } from '../../stores/conversations-store';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID } from './ModelPicker';

/**
 * The mode or model that answers this chat (issue #14): the conversation's stored choice, the unsaved
 * new chat's, else the user's default (Settings' `defaultModel`), else Auto.
 */
export function chatModel(conversation: Conversation | null, draft: DraftChat, defaultModel: string | null): string {
  const own = conversation ? conversation.model : draft.model;
  return own ?? defaultModel ?? AUTO_MODEL_ID;
}

export function isLocalOnly(model: string): boolean {
  return model === LOCAL_MODEL_ID;
}

/** Models a chat may offer for one reply: a Local-only chat offers only models on the user's machines. */
export function offeredModels(models: readonly ModelInfo[], localOnly: boolean): ModelInfo[] {
  return localOnly ? models.filter((m) => m.tier === 'local') : [...models];
}

/** Why a chosen model is missing from the list of models that can answer now, in the user's words. */
export function unavailableReason(model: string, o: { ollamaDown: boolean; offline: boolean }): string {
  const provider = model.slice(0, Math.max(0, model.indexOf('/')));
  const ollama = provider === 'ollama' || provider.startsWith('ollama-');
  if (ollama) return o.ollamaDown ? 'Ollama is not running' : 'it is not installed (it may have been removed)';
  if (o.offline) return 'offline mode is on, so cloud models cannot answer';
  return 'its provider is switched off or has no key, or the model was retired';
}
