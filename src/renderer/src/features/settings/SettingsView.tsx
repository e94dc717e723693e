import { useEffect, useState } from 'react';
import type { SecretProvider, SecretStatus } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { ApiSection } from './ApiSection';
import { AppearanceSection } from './AppearanceSection';
import { CacheSection } from './CacheSection';
import { LibrarySection } from './LibrarySection';
import { ProvidersSection } from './ProvidersSection';
import { NetworkLogSection, OfflineSection } from './NetworkSection';
import { NetworkHostsSection } from './NetworkHostsSection';
import { OllamaHostsSection } from './OllamaHostsSection';
import { RoutingSection } from './RoutingSection';
import { WorkspaceSection } from '../workspace/WorkspaceSection';
import './routing-settings.css';
import { useSettings } from '../../stores/settings-store';
import { useSystem } from '../../stores/system-store';

const PROVIDER_NAMES: Record<SecretProvider, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  groq: 'Groq',
  openrouter: 'OpenRouter',
  deepseek: 'DeepSeek',
};

export function SettingsView() {
  const { settings, keychain, secrets, error, saved, load, update } = useSettings();
  const { ollama } = useSystem();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="settings" aria-label="Settings">
      <h1>Settings</h1>
      {error ? <Banner tone="error" title="That did not work">{error}</Banner> : null}
      {saved && !error ? <p className="saved" role="status">{saved}</p> : null}

      <AppearanceSection />
      <OfflineSection />
      <NetworkHostsSection />

      <h2>Ollama</h2>
      {settings ? <OllamaHostForm key={settings.ollamaHost} saved={settings.ollamaHost} onSave={update} /> : null}
      {ollama ? (
        <p className={ollama.reachable ? 'ok' : 'bad'}>
          {ollama.reachable ? `Connected: Ollama ${ollama.version} at ${ollama.host}` : `Not reachable: ${ollama.error}`}
        </p>
      ) : null}
      {settings ? <OllamaAutoStart on={settings.ollamaAutoStart} onSave={update} /> : null}
      {settings ? <OllamaKeepAliveChoice value={settings.ollamaKeepAlive ?? null} onSave={update} /> : null}
      <OllamaHostsSection />

      <h2>Setup</h2>
      <p className="muted">The setup wizard checks your hardware and Ollama, recommends local models and downloads them.</p>
      <button type="button" onClick={() => (window.location.hash = '#/setup')}>
        Run setup again
      </button>

      <LibrarySection />

      <h2>API keys</h2>
      {keychain && !keychain.available ? (
        <Banner tone="warn" title="The OS keychain is unavailable — keys are kept for this session only">
          {keychain.reason}
        </Banner>
      ) : (
        <p className="muted">Keys are stored in your operating system's keychain, never in Switchboard's database or logs. Environment variables take precedence.</p>
      )}
      <table className="keys">
        <thead>
          <tr>
            <th>Provider</th>
            <th>Status</th>
            <th>Key</th>
          </tr>
        </thead>
        <tbody>
          {secrets.map((s) => (
            <KeyRow key={s.provider} status={s} />
          ))}
        </tbody>
      </table>

      <ProvidersSection />
      <RoutingSection />
      <CacheSection />
      <WorkspaceSection />
      <ApiSection />
      <NetworkLogSection />
    </section>
  );
}

function OllamaHostForm({ saved, onSave }: { saved: string; onSave: (patch: { ollamaHost: string }) => Promise<boolean> }) {
  const { refresh } = useSystem();
  const [host, setHost] = useState(saved);
  const hostError = useSettings((s) => s.fieldErrors.ollamaHost);
  return (
    <form
      className="row"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await onSave({ ollamaHost: host })) await refresh();
      }}
    >
      <label>
        <span className="label">Ollama host</span>
        <input
          aria-label="Ollama host"
          value={host}
          onChange={(e) => setHost(e.target.value)}
          placeholder="http://127.0.0.1:11434"
          aria-invalid={hostError ? true : undefined}
          aria-describedby={hostError ? 'ollama-host-error' : undefined}
        />
        {hostError ? (
          <p id="ollama-host-error" className="field-error" role="alert">
            {hostError}
          </p>
        ) : null}
      </label>
      <button type="submit">Save and test</button>
    </form>
  );
}

/** Settings' `ollamaAutoStart`: the desktop app and headless mode start `ollama serve` at launch. */
function OllamaAutoStart({ on, onSave }: { on: boolean; onSave: (patch: { ollamaAutoStart: boolean }) => Promise<boolean> }) {
  // Shown at once, not after the round trip (a controlled checkbox would otherwise spring back); a failed save shows the saved value again.
  const [pending, setPending] = useState<boolean | null>(null);
  const toggle = async (value: boolean) => {
    setPending(value);
    try {
      await onSave({ ollamaAutoStart: value });
    } finally {
      setPending(null);
    }
  };
  return (
    <div>
      <label className="check">
        <input type="checkbox" checked={pending ?? on} aria-describedby="ollama-autostart-hint" onChange={(e) => void toggle(e.target.checked)} /> Start Ollama when Switchboard starts
      </label>
      <p id="ollama-autostart-hint" className="muted small" style={{ margin: '2px 0 12px 22px' }}>
        Only when Ollama is installed on this computer and not already running; Switchboard stops it again on quit only if it started it.
      </p>
    </div>
  );
}

/** Settings' `ollamaKeepAlive` (issue #13): how long Ollama keeps a model loaded after a request (`keep_alive`). */
const KEEP_ALIVE_CHOICES: Array<[string, string]> = [
  ['', "5 minutes (Ollama's default)"],
  ['30m', '30 minutes'],
  ['1h', '1 hour'],
  ['4h', '4 hours'],
  ['-1', 'Until Ollama stops'],
  ['0', 'Unload after each request'],
];

function OllamaKeepAliveChoice({ value, onSave }: { value: string | null; onSave: (patch: { ollamaKeepAlive: string | null }) => Promise<boolean> }) {
  const [pending, setPending] = useState<string | null>(null);
  const current = pending ?? value ?? '';
  // A value set elsewhere (router.json, an older version) that is not one of the choices is shown as itself.
  const choices = KEEP_ALIVE_CHOICES.some(([v]) => v === current) ? KEEP_ALIVE_CHOICES : [...KEEP_ALIVE_CHOICES, [current, current] as [string, string]];
  const choose = async (next: string) => {
    setPending(next);
    try {
      await onSave({ ollamaKeepAlive: next === '' ? null : next });
    } finally {
      setPending(null);
    }
  };
  return (
    <div>
      <label>
        <span className="label">Keep models loaded</span>
        <select aria-label="Keep models loaded" aria-describedby="ollama-keepalive-hint" value={current} onChange={(e) => void choose(e.target.value)}>
          {choices.map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <p id="ollama-keepalive-hint" className="muted small" style={{ margin: '2px 0 12px 0' }}>
        Sent to Ollama with every request (<code>keep_alive</code>). Longer saves the seconds a cold load takes; shorter gives the GPU memory back sooner.
      </p>
    </div>
  );
}

function describe(status: SecretStatus): string {
  if (!status.configured) return 'Not set';
  const where = status.source === 'env' ? `from ${status.envVar}` : status.source === 'memory' ? 'this session only' : 'in the keychain';
  return `Set (…${status.last4}), ${where}`;
}

function KeyRow({ status }: { status: SecretStatus }) {
  const { setKey, deleteKey } = useSettings();
  const keyError = useSettings((s) => s.keyErrors[status.provider]);
  const [value, setValue] = useState('');
  const name = PROVIDER_NAMES[status.provider];
  const errorId = `key-error-${status.provider}`;
  return (
    <tr>
      <td>{name}</td>
      <td>{describe(status)}</td>
      <td>
        {status.source === 'env' ? (
          <span className="muted small">Unset {status.envVar} to manage it here.</span>
        ) : (
          <form
            className="row"
            onSubmit={async (e) => {
              e.preventDefault();
              if (await setKey(status.provider, value)) setValue('');
            }}
          >
            <input
              type="password"
              autoComplete="off"
              aria-label={`${name} API key`}
              aria-invalid={keyError ? true : undefined}
              aria-describedby={keyError ? errorId : undefined}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder={status.configured ? 'Replace key' : 'Paste key'}
            />
            <button type="submit" disabled={!value.trim()}>
              Save
            </button>
            {status.configured ? (
              <button type="button" className="danger" onClick={() => void deleteKey(status.provider)} aria-label={`Remove ${name} key`}>
                Remove
              </button>
            ) : null}
            {keyError ? (
              <p id={errorId} className="field-error" role="alert">
                {keyError}
              </p>
            ) : null}
          </form>
        )}
      </td>
    </tr>
  );
}
