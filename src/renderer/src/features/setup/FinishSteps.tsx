import { useEffect, useState } from 'react';
import type { SecretProvider, SecretStatus } from '../../../../shared/contract';
import { modelKey, useLocalModels } from '../../stores/local-models-store';
import { useProviders } from '../../stores/providers-store';
import { ProviderTest } from '../settings/ProviderTest';
import { useSettings } from '../../stores/settings-store';
import { useSetup } from '../../stores/setup-store';

const PROVIDERS: Record<SecretProvider, { name: string; what: string }> = {
  groq: { name: 'Groq', what: 'free tier, very fast open models' },
  openrouter: { name: 'OpenRouter', what: 'one key for hundreds of models, some free' },
  deepseek: { name: 'DeepSeek', what: 'strong and inexpensive coding models' },
  anthropic: { name: 'Anthropic', what: 'Claude' },
  openai: { name: 'OpenAI', what: 'GPT models' },
};

function KeyForm({ status }: { status: SecretStatus }) {
  const { setKey } = useSettings();
  const keyError = useSettings((s) => s.keyErrors[status.provider]);
  const tested = useProviders((s) => s.tests[status.provider]);
  const [value, setValue] = useState('');
  const p = PROVIDERS[status.provider];
  const errorId = `wizard-key-error-${status.provider}`;
  return (
    <li className="key-row">
      <div>
        <strong>{p.name}</strong> <span className="muted small">— {p.what}</span>
        <div className={`small ${status.configured ? 'ok' : 'muted'}`}>
          {status.configured ? `✓ Set (…${status.last4})${status.source === 'env' ? ` from ${status.envVar}` : ''}` : 'Not set'}
        </div>
      </div>
      {status.source === 'env' ? null : (
        <form
          className="row"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await setKey(status.provider, value)) {
              setValue('');
              // Issue #14: a key is tested as soon as it is entered (the provider lists its models with it).
              void useProviders.getState().test(status.provider);
            }
          }}
        >
          <input
            type="password"
            autoComplete="off"
            aria-label={`${p.name} API key`}
            aria-invalid={keyError ? true : undefined}
            aria-describedby={keyError ? errorId : undefined}
            placeholder={status.configured ? 'Replace key' : 'Paste key'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <button type="submit" disabled={!value.trim()}>
            Save
          </button>
          {status.configured && tested ? <ProviderTest id={status.provider} name={p.name} /> : null}
          {keyError ? (
            <p id={errorId} className="field-error" role="alert">
              {keyError}
            </p>
          ) : null}
        </form>
      )}
    </li>
  );
}

export function KeysStep() {
  const { secrets, keychain, load, error } = useSettings();
  useEffect(() => {
    void load();
  }, [load]);
  const order = Object.keys(PROVIDERS) as SecretProvider[];
  return (
    <section aria-labelledby="step-keys">
      <h2 id="step-keys">Cloud keys (optional)</h2>
      <p className="muted">
        With a key, Switchboard can send a request a local model cannot handle well to a cloud model — free tiers first, paid only when needed. Keys go to your
        system&apos;s keychain{keychain && !keychain.available ? ' (unavailable here: kept for this session only)' : ''}, never to Switchboard&apos;s database or logs.
      </p>
      {error ? <p className="bad">{error}</p> : null}
      <ul className="key-list">
        {order
          .map((p) => secrets.find((s) => s.provider === p))
          .filter((s): s is SecretStatus => s !== undefined)
          .map((s) => (
            <KeyForm key={s.provider} status={s} />
          ))}
      </ul>
    </section>
  );
}

export function OfflineStep() {
  const { settings, update } = useSettings();
  // The choice shows at once; the setting follows (a controlled radio waiting for the round trip flickers).
  const [offline, setOffline] = useState(settings?.offlineMode ?? false);
  const choose = (value: boolean) => {
    setOffline(value);
    void update({ offlineMode: value }).then((saved) => {
      if (!saved) setOffline(!value);
    });
  };
  return (
    <section aria-labelledby="step-offline">
      <h2 id="step-offline">Offline mode</h2>
      <p className="muted">Choose whether anything may leave this computer. You can change it any time in Settings.</p>
      <div className="choice-list" role="radiogroup" aria-label="Offline mode">
        <label className={`choice ${!offline ? 'chosen' : ''}`}>
          <input type="radio" name="offline" checked={!offline} onChange={() => choose(false)} />
          <span>
            <strong>Local first, cloud when it helps</strong>
            <span className="muted small">Local models answer what they can; harder requests may go to the cloud providers you added keys for.</span>
          </span>
        </label>
        <label className={`choice ${offline ? 'chosen' : ''}`}>
          <input type="radio" name="offline" checked={offline} onChange={() => choose(true)} />
          <span>
            <strong>Offline only</strong>
            <span className="muted small">Only local models. No request leaves this computer, even when a key is set.</span>
          </span>
        </label>
      </div>
    </section>
  );
}

export function DoneStep() {
  const { recommendation } = useSetup();
  const { pulls } = useLocalModels();
  const { settings, secrets } = useSettings();
  const jobs = Object.values(pulls);
  const downloading = jobs.filter((j) => j.state === 'pulling' || j.state === 'retrying').length;
  const ready = new Set([
    ...(recommendation?.roles ?? []).filter((r) => r.installed && r.model).map((r) => modelKey(r.model!)),
    ...jobs.filter((j) => j.state === 'completed').map((j) => modelKey(j.model)),
  ]).size;
  const keys = secrets.filter((s) => s.configured).length;
  return (
    <section aria-labelledby="step-done">
      <h2 id="step-done">You&apos;re set</h2>
      <ul className="summary">
        <li>
          Local models: {ready > 0 ? `${ready} ready` : 'none yet'}
          {downloading > 0 ? `, ${downloading} still downloading (it carries on in the background)` : ''}.
        </li>
        <li>Cloud keys: {keys > 0 ? `${keys} provider${keys > 1 ? 's' : ''}` : 'none'}.</li>
        <li>{settings?.offlineMode ? 'Offline only: nothing leaves this computer.' : 'Local first, cloud when it helps.'}</li>
      </ul>
      <p className="muted">The Models page shows what fits at any context length; Settings can run this setup again.</p>
    </section>
  );
}
