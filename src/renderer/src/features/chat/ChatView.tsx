import { useEffect, useMemo, useRef, useState } from 'react';
import type { Message } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { OfflineSwitch } from '../../components/OfflineSwitch';
import { useChat } from '../../stores/chat-store';
import { useConversations } from '../../stores/conversations-store';
import { useSettings } from '../../stores/settings-store';
import { useSystem } from '../../stores/system-store';
import { CacheToggle } from '../cache/CacheToggle';
import { Composer } from './Composer';
import { MessageView } from './MessageView';
import { BudgetBanner } from './BudgetBanner';
import { AUTO_MODEL_ID, ModelPicker } from './ModelPicker';
import { WhyPanel } from './WhyPanel';

const EMPTY: never[] = [];

export function ChatView({ onOpenSettings }: { onOpenSettings: () => void }) {
  const { items, selectedId, create } = useConversations();
  const conversation = items.find((c) => c.id === selectedId) ?? null;
  const messages = useChat((s) => (selectedId ? s.byConversation[selectedId] : undefined)) ?? EMPTY;
  const { load, send, stop, regenerate, sendError, clearSendError } = useChat();
  const { models, ollama, modelsLoaded, refresh, refreshing } = useSystem();
  const { settings } = useSettings();
  const listRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (selectedId) void load(selectedId);
  }, [selectedId, load]);

  // The model chosen in the picker for this conversation wins; then the one (or the mode) it last
  // used; a new chat starts on Auto, the cheapest model that can do it well.
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [why, setWhy] = useState<Message | null>(null);
  const pickKey = selectedId ?? 'new';
  const model = picked[pickKey] ?? conversation?.lastModelId ?? AUTO_MODEL_ID;
  const choose = (id: string) => setPicked((p) => ({ ...p, [pickKey]: id }));
  const offline = settings?.offlineMode === true;
  const streaming = useMemo(() => messages.find((m) => m.status === 'streaming') ?? null, [messages]);
  const lastContent = messages.at(-1)?.content.length ?? 0;

  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages.length, lastContent]);

  const ollamaDown = ollama !== null && !ollama.reachable;
  const noModels = modelsLoaded && !ollamaDown && models.length === 0;
  const disabledReason = !model ? 'Choose a model first' : null;

  return (
    <section className="chat" aria-label="Chat">
      <header className="chat-header">
        <h1 className="chat-title">{conversation?.title ?? 'New chat'}</h1>
        <div className="chat-controls">
          <CacheToggle conversation={conversation} />
          <OfflineSwitch />
          <ModelPicker models={models} value={model} localUnavailable={ollama !== null && !ollama.reachable} onChange={choose} />
        </div>
      </header>
      <BudgetBanner onOpenSettings={onOpenSettings} />
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
        {messages.length === 0 ? <p className="empty muted">Send a message to start. Your conversations are stored on this computer.</p> : null}
        {messages.map((m) => (
          <MessageView key={m.id} message={m} onWhy={setWhy} onAskAgain={streaming ? undefined : (cached) => void regenerate(cached.id, model)} />
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
        disabled={!model}
        disabledReason={disabledReason}
        streamingMessageId={streaming?.id ?? null}
        onStop={(id) => void stop(id)}
        onSend={async (text, attachments) => {
          if (!model) return false;
          const target = conversation ?? (await create());
          if (!target) return false;
          if (!useChat.getState().byConversation[target.id]) await load(target.id);
          return send(target.id, text, model, attachments);
        }}
      />
    </section>
  );
}
