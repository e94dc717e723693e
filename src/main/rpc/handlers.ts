import { SwitchboardError } from '../../shared/errors';
import { DEFAULT_CONVERSATION_TITLE, type ChatService } from '../chat/chat-service';
import type { EventBus } from '../events/event-bus';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsService } from '../settings/settings-service';
import type { ChatLibraryRepo, ConversationsRepo, MessagesRepo } from '../store';
import type { SystemService } from '../system/system-service';
import type { CallOutput } from '../../shared/contract';
import type { DomainHandlers } from './dispatcher';

export interface HandlerDeps {
  conversations: ConversationsRepo;
  messages: MessagesRepo;
  /** Issue #14: chat presets and the prompt library. */
  library: ChatLibraryRepo;
  chat: ChatService;
  settings: SettingsService;
  secrets: SecretStore;
  system: SystemService;
  events: EventBus;
  /** The model picker's list (local installed + cloud models that can be called now). */
  listModels: () => Promise<CallOutput<'models.list'>>;
}

/** The core domains; other domains' handlers (handlers-setup.ts …) are merged in app.ts. */
export type CoreHandlers = DomainHandlers<'conversations' | 'chat' | 'system' | 'models' | 'settings' | 'secrets'>;

export function buildHandlers(d: HandlerDeps): CoreHandlers {
  const requireConversation = (id: string) => {
    const conversation = d.conversations.get(id);
    if (!conversation) throw new SwitchboardError('not_found', 'That conversation no longer exists.');
    return conversation;
  };
  return {
    'conversations.list': () => d.conversations.list(),
    'conversations.create': ({ title, model, chatSettings }) => {
      // Issue #14: a new chat starts from the user's default unless it is started with a choice (a preset).
      const start = model ?? d.settings.get().defaultModel ?? undefined;
      if (start !== undefined) d.chat.checkModel(start);
      const conversation = d.conversations.create(title ?? DEFAULT_CONVERSATION_TITLE, Date.now(), { model: start ?? null, chatSettings });
      d.events.emit('conversations.changed', { conversation });
      return conversation;
    },
    'conversations.rename': ({ id, title }) => {
      requireConversation(id);
      const conversation = d.conversations.rename(id, title)!;
      d.events.emit('conversations.changed', { conversation });
      return conversation;
    },
    'conversations.delete': async ({ id }) => {
      requireConversation(id);
      // Stop any reply still streaming into it first, so its row is finished before it is deleted.
      const streaming = d.messages.listByConversation(id).filter((m) => m.status === 'streaming');
      await Promise.all(streaming.map((m) => d.chat.stopAndWait(m.id)));
      const deleted = d.conversations.delete(id);
      d.events.emit('conversations.changed', { conversation: null, deletedId: id });
      return { deleted };
    },
    'conversations.messages': ({ id }) => {
      requireConversation(id);
      return d.messages.listByConversation(id);
    },
    'conversations.update': ({ id, cacheOptOut, model, chatSettings }) => {
      requireConversation(id);
      if (model !== undefined) d.chat.checkModel(model);
      if (cacheOptOut !== undefined) d.conversations.setCacheOptOut(id, cacheOptOut);
      if (model !== undefined) d.conversations.setModel(id, model);
      if (chatSettings !== undefined) d.conversations.setChatSettings(id, chatSettings);
      const conversation = d.conversations.get(id)!;
      d.events.emit('conversations.changed', { conversation });
      return conversation;
    },
    'chat.send': (input) => d.chat.send(input),
    'chat.stop': ({ messageId }) => ({ stopped: d.chat.stop(messageId) }),
    'chat.regenerate': (input) => d.chat.regenerate(input),
    'chat.edit': (input) => d.chat.edit(input),
    'chat.showVersion': ({ messageId }) => d.chat.showVersion(messageId),
    'chat.deleteMessage': ({ messageId }) => d.chat.deleteMessage(messageId),
    'chat.presets': () => d.library.presets(),
    'chat.savePreset': ({ name, model, chatSettings }) => {
      if (model !== null) d.chat.checkModel(model);
      return d.library.savePreset({ name, model, chatSettings });
    },
    'chat.deletePreset': ({ id }) => ({ deleted: d.library.deletePreset(id) }),
    'chat.prompts': () => d.library.prompts(),
    'chat.savePrompt': (input) => d.library.savePrompt(input),
    'chat.deletePrompt': ({ id }) => ({ deleted: d.library.deletePrompt(id) }),
    'system.status': () => d.system.status(),
    'models.list': () => d.listModels(),
    'settings.get': () => d.settings.get(),
    'settings.update': (patch) => d.settings.update(patch),
    'secrets.status': async () => ({ keychain: await d.secrets.keychainStatus(), secrets: await d.secrets.statusAll() }),
    'secrets.set': ({ provider, value }) => d.secrets.set(provider, value),
    'secrets.delete': ({ provider }) => d.secrets.delete(provider),
  };
}
