import { useEffect, useMemo, useRef, useState } from 'react';
import { versionPosition, visibleBranch } from '../../../../shared/chat-branch';
import type { Message } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { OfflineSwitch } from '../../components/OfflineSwitch';
import { useChat } from '../../stores/chat-store';
import { useConversations } from '../../stores/conversations-store';
import { useSettings } from '../../stores/settings-store';
import { useSystem } from '../../stores/system-store';
import { CacheToggle } from '../cache/CacheToggle';
import { WorkspaceBar } from '../workspace/WorkspaceBar';
import { Composer } from './Composer';
import { MessageView } from './MessageView';
import { BudgetBanner } from './BudgetBanner';
import { ModelPicker } from './ModelPicker';
import { UnavailableModel } from './UnavailableModel';
import { WhyPanel } from './WhyPanel';
import { chatModel, isLocalOnly, offeredModels } from './chat-model';
import { ChatSettingsPanel } from './ChatSettingsPanel';
import { useChatLibrary } from '../../stores/chat-library-store';
import './chat-actions.css';

const EMPTY: never[] = [];

export function ChatView({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { items, selectedId, draft, create, update, settled } = useConversations();
  const conversation = items.find((c) => c.id === selectedId) ?? null;
  const all = useChat((s) => (selectedId ? s.byConversation[selectedId] : undefined)) ?? EMPTY;
  const { load, send, stop, regenerate, edit, regenerateVersion, showVersion, deleteMessage, sendError, clearSendError } = useChat();
  const { models, ollama, modelsLoaded, refresh, refreshing } = useSystem();
  const { settings } = useSettings();
  const listRef = useRef<HTMLDivElement>(null);
  const [why, setWhy] = useState<Message | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const library = useChatLibrary();
  const loadLibrary = library.load;
  const libraryLoaded = library.loaded;
  useEffect(() => {
    if (!libraryLoaded) void loadLibrary();
  }, [libraryLoaded, loadLibrary]);

  useEffect(() => {
    if (selectedId) void load(selectedId);
  }, [selectedId, load]);

  // Issue #14: the choice is the conversation's (stored in SQLite), or the unsaved new chat's;
  // nothing here falls back to another model when it is missing — the user is asked instead.
  const model = chatModel(conversation, draft, settings?.defaultModel ?? null);
  const localOnly = isLocalOnly(model);
  const offered = offeredModels(models, localOnly);
  const offline = settings?.offlineMode === true;
  const messages = useMemo(() => visibleBranch(all), [all]);
  const streaming = useMemo(() => all.find((m) => m.status === 'streaming') ?? null, [all]);
  const lastContent = messages.at(-1)?.content.length ?? 0;

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, lastContent]);

  // Esc stops the reply being written (an open editor or menu handles its own Esc first).
  useEffect(() => {
    if (!streaming) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) void stop(streaming.id);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [streaming, stop]);

  const ollamaDown = ollama !== null && !ollama.reachable;
  const noModels = modelsLoaded && !ollamaDown && models.length === 0;
  const lastUser = [...messages].reverse().find((m) => m.role === 'user') ?? null;

  return (
    <section className="chat" aria-label="Chat">
      <a className="skip-link" href="#composer" onClick={(e) => {
        e.preventDefault();
        document.getElementById('composer')?.focus();
      }}>
        Skip to composer
      </a>
      <header className="chat-header">
        <h1 className="chat-title">{conversation?.title ?? 'New chat'}</h1>
        <div className="chat-controls">
          <ModelPicker models={models} value={model} localUnavailable={ollamaDown} onChange={(id) => void update(selectedId, { model: id })} />
          <button type="button" className="chat-settings-button" aria-expanded={settingsOpen} onClick={() => setSettingsOpen((o) => !o)}>
            Chat settings
          </button>
          <CacheToggle conversation={conversation} />
          <OfflineSwitch />
        </div>
      </header>
      <WorkspaceBar conversationId={selectedId} ensureConversation={async () => selectedId ?? (await create())?.id ?? null} />
      {settingsOpen ? (
        <ChatSettingsPanel
          key={`settings-${selectedId ?? 'new'}`}
          model={model}
          chatSettings={conversation ? conversation.chatSettings : draft.chatSettings}
          models={models}
          defaultTemperature={settings?.chatTemperature ?? null}
          onSave={(patch) => update(selectedId, patch)}
          onClose={() => setSettingsOpen(false)}
        />
      ) : null}
      <BudgetBanner onOpenSettings={onOpenSettings} />
      <UnavailableModel key={`unavailable-${selectedId ?? 'new'}`} model={model} models={models} modelsLoaded={modelsLoaded} ollamaDown={ollamaDown} offline={offline} />
      {ollamaDown ? (
        <Banner
          tone="warn"
          title={`Ollama isn't running at ${ollama.host}`}
          action={
            <>
              <button type="button" onClick={() => void refresh()} disabled={refreshing}>
                {refreshing ? 'Checking…' : 'Retry'}
              </button>
              <button type="button" onClick={onOpenSettings}>
                Change host
              </button>
            </>
          }
        >
          Start it with <code>ollama serve</code> (or open the Ollama app). Its models are unavailable until it answers.
        </Banner>
      ) : null}
      {noModels ? (
        <Banner tone="info" title="No local models installed">
          Pull one in a terminal, for example <code>ollama pull llama3.2:3b</code>, then press Retry.
          <button type="button" onClick={() => void refresh()}>Retry</button>
        </Banner>
      ) : null}
      <div className="messages" ref={listRef} aria-live="polite">
        {messages.length === 0 ? (
          <div className="empty">
            <p className="muted">Send a message to start. Your conversations are stored on this computer.</p>
            {library.presets.length > 0 ? (
              <label className="chat-presets">
                Start from a preset
                <select
                  value=""
                  onChange={(e) => {
                    const preset = library.presets.find((p) => p.id === e.target.value);
                    if (preset) void update(selectedId, { ...(preset.model ? { model: preset.model } : {}), chatSettings: preset.chatSettings });
                  }}
                >
                  <option value="">Choose a preset…</option>
                  {library.presets.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
          </div>
        ) : null}
        {messages.map((m) => (
          <MessageView
            key={m.id}
            message={m}
            onWhy={setWhy}
            onAskAgain={streaming ? undefined : (cached) => void regenerate(cached.id, null)}
            continueModels={offered}
            actions={{
              versions: versionPosition(all, m.id),
              busy: streaming !== null,
              models: offered,
              editing: editingId === m.id,
              onEditDone: (text) => {
                setEditingId(null);
                if (text !== null && text !== m.content) void edit(m.id, text);
                if (text === null) document.getElementById('composer')?.focus();
              },
              handlers: {
                onEdit: () => setEditingId(m.id),
                onRegenerate: (other) => void regenerateVersion(m.id, other),
                // A failed reply is answered again in its place, on the same route.
                onRetry: () => void regenerate(m.id, null, false),
                onDelete: () => void deleteMessage(m.conversationId, m.id),
                onShowVersion: (id) => void showVersion(m.conversationId, id),
              },
            }}
          />
        ))}
      </div>
      {sendError ? (
        <Banner tone="error" title="Could not send" action={<button type="button" onClick={clearSendError}>Dismiss</button>}>
          {sendError}
        </Banner>
      ) : null}
      {why ? <WhyPanel message={why} onClose={() => setWhy(null)} /> : null}
      <Composer
        offline={offline}
        disabled={false}
        disabledReason={null}
        streamingMessageId={streaming?.id ?? null}
        onStop={(id) => void stop(id)}
        onEditLast={lastUser && !streaming ? () => setEditingId(lastUser.id) : undefined}
        prompts={library.prompts}
        onSend={async (text, attachments) => {
          // Empty chats are not saved (issue #14): the conversation is created with its first message.
          const target = conversation ?? (await create());
          if (!target) return false;
          if (!useChat.getState().byConversation[target.id]) await load(target.id);
          // A model just picked is stored before the message goes: the conversation's choice answers.
          await settled();
          return send(target.id, text, undefined, attachments);
        }}
      />
    </section>
  );
}
