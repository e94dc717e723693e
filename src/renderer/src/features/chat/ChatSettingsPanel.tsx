import { useEffect, useState } from 'react';
import type { ChatSettings, ModelInfo } from '../../../../shared/contract';
import { useChatLibrary } from '../../stores/chat-library-store';
import { useSettings } from '../../stores/settings-store';
import { AUTO_MODEL_ID, LOCAL_MODEL_ID } from './ModelPicker';

/** A number field's text as a setting: blank is "the app's default". */
function numberOrUndefined(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/**
 * Issue #14: this chat's system prompt, temperature, max reply length and mode/model, saved with the
 * conversation (or the unsaved new chat) and sent with every reply; "Save as preset" keeps them to
 * start other chats from; the prompt library holds prompts to insert with `/` in the composer.
 */
export function ChatSettingsPanel(props: {
  model: string;
  chatSettings: ChatSettings;
  models: readonly ModelInfo[];
  defaultTemperature: number | null;
  onSave: (patch: { model: string; chatSettings: ChatSettings }) => Promise<boolean>;
  onClose: () => void;
}) {
  const { savePreset, savePrompt, deletePrompt, prompts, error, load, loaded } = useChatLibrary();
  const [systemPrompt, setSystemPrompt] = useState(props.chatSettings.systemPrompt ?? '');
  const [temperature, setTemperature] = useState(props.chatSettings.temperature?.toString() ?? '');
  const [maxTokens, setMaxTokens] = useState(props.chatSettings.maxTokens?.toString() ?? '');
  const [model, setModel] = useState(props.model);
  const [presetName, setPresetName] = useState('');
  const [promptName, setPromptName] = useState('');
  const [promptText, setPromptText] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const defaultModel = useSettings((st) => st.settings?.defaultModel ?? null) ?? AUTO_MODEL_ID;
  const updateSettings = useSettings((st) => st.update);

  useEffect(() => {
    if (!loaded) void load();
  }, [loaded, load]);

  const settings = (): ChatSettings | null => {
    const t = numberOrUndefined(temperature);
    const m = numberOrUndefined(maxTokens);
    if (t !== undefined && (!Number.isFinite(t) || t < 0 || t > 2)) return (setProblem('Temperature is a number from 0 to 2 (blank: the app’s default).'), null);
    if (m !== undefined && (!Number.isInteger(m) || m < 16 || m > 200_000)) return (setProblem('Max reply length is a whole number of tokens from 16 to 200,000 (blank: no limit of its own).'), null);
    setProblem(null);
    return { ...(systemPrompt.trim() ? { systemPrompt } : {}), ...(t !== undefined ? { temperature: t } : {}), ...(m !== undefined ? { maxTokens: m } : {}) };
  };

  return (
    <section className="chat-settings" aria-label="Chat settings">
      <header className="chat-settings-head">
        <h2>Chat settings</h2>
        <button type="button" className="small" onClick={props.onClose}>
          Close
        </button>
      </header>
      <form
        className="chat-settings-form"
        // Our own check says what is wrong next to the fields, in words (not the browser's bubble).
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const s = settings();
          if (s) void props.onSave({ model, chatSettings: s }).then((ok) => ok && setNote('Saved for this chat.'));
        }}
      >
        <label>
          {/* Not "Model": the header's picker has that name. */}
          Answer with
          <select value={model} onChange={(e) => setModel(e.target.value)}>
            <option value={AUTO_MODEL_ID}>Auto — cheapest capable model</option>
            <option value={LOCAL_MODEL_ID}>Local only — stays on this computer</option>
            {props.models.some((m) => m.id === model) || model === AUTO_MODEL_ID || model === LOCAL_MODEL_ID ? null : <option value={model}>{model} (not available)</option>}
            {props.models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.id}
              </option>
            ))}
          </select>
        </label>
        <div className="chat-settings-actions">
          <span className="muted small">New chats start with {defaultModel === AUTO_MODEL_ID ? 'Auto' : defaultModel === LOCAL_MODEL_ID ? 'Local only' : defaultModel}.</span>
          <button type="button" className="small" disabled={model === defaultModel} onClick={() => void updateSettings({ defaultModel: model }).then((ok) => ok && setNote('New chats now start with this choice.'))}>
            Set as default
          </button>
        </div>
        <label>
          System prompt
          <textarea value={systemPrompt} rows={3} maxLength={20_000} placeholder="For example: You are a concise assistant. Answer in British English." onChange={(e) => setSystemPrompt(e.target.value)} />
        </label>
        <div className="chat-settings-row">
          <label>
            Temperature
            <input type="number" inputMode="decimal" min={0} max={2} step={0.1} value={temperature} placeholder={props.defaultTemperature !== null ? `${props.defaultTemperature} (default)` : 'default'} onChange={(e) => setTemperature(e.target.value)} />
          </label>
          <label>
            Max reply length (tokens)
            <input type="number" inputMode="numeric" min={16} max={200_000} step={1} value={maxTokens} placeholder="no limit of its own" onChange={(e) => setMaxTokens(e.target.value)} />
          </label>
        </div>
        {problem ? (
          <p className="field-error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="chat-settings-actions">
          <button type="submit" className="primary">
            Save chat settings
          </button>
          {note ? <span role="status" className="muted small">{note}</span> : null}
        </div>
        <div className="chat-settings-row">
          <label>
            Preset name
            <input value={presetName} maxLength={80} placeholder="e.g. Private code review" onChange={(e) => setPresetName(e.target.value)} />
          </label>
          <button
            type="button"
            disabled={!presetName.trim()}
            onClick={() => {
              const s = settings();
              if (s) void savePreset({ name: presetName.trim(), model, chatSettings: s }).then((ok) => ok && setNote(`Preset “${presetName.trim()}” saved: start a new chat from it.`));
            }}
          >
            Save as preset
          </button>
        </div>
      </form>
      <section className="prompt-library" aria-label="Prompt library">
        <h3>Prompt library</h3>
        <p className="muted small">Type / in the message box to insert one.</p>
        <ul>
          {prompts.map((p) => (
            <li key={p.id}>
              <strong>{p.name}</strong> <span className="muted small">{p.text.length > 60 ? `${p.text.slice(0, 60)}…` : p.text}</span>
              <button type="button" className="small" aria-label={`Delete prompt ${p.name}`} onClick={() => void deletePrompt(p.id)}>
                Delete
              </button>
            </li>
          ))}
        </ul>
        <form
          className="chat-settings-row"
          onSubmit={(e) => {
            e.preventDefault();
            void savePrompt({ name: promptName.trim(), text: promptText }).then((ok) => {
              if (!ok) return;
              setPromptName('');
              setPromptText('');
            });
          }}
        >
          <label>
            Prompt name
            <input value={promptName} maxLength={80} onChange={(e) => setPromptName(e.target.value)} />
          </label>
          <label className="grow">
            Prompt text
            <textarea rows={2} value={promptText} onChange={(e) => setPromptText(e.target.value)} />
          </label>
          <button type="submit" disabled={!promptName.trim() || !promptText.trim()}>
            Save prompt
          </button>
        </form>
      </section>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
