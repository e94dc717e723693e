import { useEffect, useId, useState } from 'react';
import type { CodingWorkspaceSettings } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { client } from '../../client/switchboard-client';
import { errorText } from '../../stores/errors';
import { useCoding } from './coding-store';
import './coding.css';
import { formFromSettings, inputFromForm, STEP_LABELS, STEP_NAMES, type FieldKey, type StepKey, type ValidationFormState } from './validation-form';

/**
 * Settings → Workspace, validation of one workspace (issue #12): its own build/test/lint commands
 * over the detected ones, its retry count (seed 002's max_retries) and step timeouts, and whether its
 * commands may run. Stored per workspace, where the coding loop reads them.
 */
export function WorkspaceValidationSettings() {
  const id = useId();
  const openRun = useCoding((s) => s.run?.root ?? '');
  const [root, setRoot] = useState(openRun);
  const [known, setKnown] = useState<string[]>([]);
  const [loaded, setLoaded] = useState<CodingWorkspaceSettings | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    client()
      .invoke('workspaces.list', {})
      .then(({ workspaces }) => setKnown(workspaces.map((w) => w.root)))
      .catch((e: unknown) => setError(errorText(e)));
  }, []);

  const load = async () => {
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      setLoaded(await client().invoke('coding.workspaceSettings', { root: root.trim() }));
    } catch (e) {
      setLoaded(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="workspace-validation" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>Validation commands, retries and timeouts</h3>
      <p className="muted small">
        Each coding attempt is checked with the workspace&apos;s build, tests and lint. Switchboard detects the commands (package.json scripts, pyproject, go.mod, Cargo.toml); here one workspace can use its own,
        retry more or less often, and give each step more or less time.
      </p>
      <form
        className="workspace-validation-pick"
        aria-label="Choose a workspace"
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <label htmlFor={`${id}-root`} className="label">
          Workspace folder
        </label>
        <div className="row">
          <input id={`${id}-root`} className="mono" list={`${id}-known`} value={root} placeholder="/home/me/code/app" onChange={(e) => setRoot(e.target.value)} />
          <datalist id={`${id}-known`}>
            {known.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          <button type="submit" disabled={busy || !root.trim()}>
            Load
          </button>
        </div>
      </form>
      {error ? <Banner tone="error" title="Validation settings">{error}</Banner> : null}
      {saved && !error ? <p className="saved" role="status">Validation settings saved for {loaded?.root}.</p> : null}
      {loaded ? (
        <ValidationForm
          key={JSON.stringify(loaded)}
          settings={loaded}
          onSaved={(next) => {
            setLoaded(next);
            setSaved(true);
            setError(null);
          }}
          onError={(message) => {
            setSaved(false);
            setError(message);
          }}
        />
      ) : null}
    </section>
  );
}

function ValidationForm({ settings, onSaved, onError }: { settings: CodingWorkspaceSettings; onSaved: (s: CodingWorkspaceSettings) => void; onError: (message: string) => void }) {
  const id = useId();
  const [form, setForm] = useState<ValidationFormState>(() => formFromSettings(settings));
  const [errors, setErrors] = useState<Partial<Record<FieldKey, string>>>({});
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const r = inputFromForm(settings.root, form);
    if ('errors' in r) {
      setErrors(r.errors);
      onError('Not saved: correct the fields marked below.');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      onSaved(await client().invoke('coding.setWorkspaceSettings', r.input));
    } catch (e) {
      onError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (key: FieldKey) =>
    errors[key] ? (
      <p id={`${id}-${key}-error`} className="field-error">
        {errors[key]}
      </p>
    ) : null;
  const invalid = (key: FieldKey) => ({ 'aria-invalid': errors[key] ? true : undefined, 'aria-describedby': errors[key] ? `${id}-${key}-error` : undefined });
  const setCommand = (step: StepKey, text: string) => setForm((f) => ({ ...f, commands: { ...f.commands, [step]: text } }));
  const setSkip = (step: StepKey, skip: boolean) => setForm((f) => ({ ...f, skip: { ...f.skip, [step]: skip } }));
  const setTimeoutText = (step: StepKey, text: string) => setForm((f) => ({ ...f, timeouts: { ...f.timeouts, [step]: text } }));

  return (
    <form
      className="workspace-validation-form"
      aria-label={`Validation settings of ${settings.root}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted small">
        For <span className="mono">{settings.root}</span>. One command per line, run without a shell (quotes group words; no pipes or variables). Empty: the detected commands.
      </p>
      <div className="validation-steps">
        {STEP_NAMES.map((step) => {
          const detected = settings.detected[step];
          return (
            <fieldset key={step} className="validation-step">
              <legend>{STEP_LABELS[step]}</legend>
              <label htmlFor={`${id}-${step}-commands`} className="label">
                {STEP_LABELS[step]} commands
              </label>
              <textarea
                id={`${id}-${step}-commands`}
                rows={Math.min(8, Math.max(2, form.commands[step].split('\n').length))}
                value={form.commands[step]}
                disabled={form.skip[step]}
                placeholder={detected.length ? detected.join('\n') : 'nothing detected'}
                onChange={(e) => setCommand(step, e.target.value)}
                {...invalid(`commands.${step}`)}
              />
              <p className="muted small">Detected: {detected.length ? <span className="mono">{detected.join(', ')}</span> : 'nothing'}</p>
              {fieldError(`commands.${step}`)}
              <label className="coding-check">
                <input type="checkbox" checked={form.skip[step]} onChange={(e) => setSkip(step, e.target.checked)} />
                <span>Skip the {step} step in this workspace</span>
              </label>
              <label htmlFor={`${id}-${step}-timeout`} className="label">
                {STEP_LABELS[step]} timeout (seconds)
              </label>
              <input
                id={`${id}-${step}-timeout`}
                type="text"
                inputMode="decimal"
                value={form.timeouts[step]}
                placeholder={`${settings.defaults.timeoutsSec[step]} (default)`}
                onChange={(e) => setTimeoutText(step, e.target.value)}
                {...invalid(`timeouts.${step}`)}
              />
              {fieldError(`timeouts.${step}`)}
            </fieldset>
          );
        })}
      </div>
      <label htmlFor={`${id}-retries`} className="label">
        Retries after a failed attempt (max_retries)
      </label>
      <input
        id={`${id}-retries`}
        type="text"
        inputMode="numeric"
        value={form.maxRetries}
        placeholder={`${settings.defaults.maxRetries} (default)`}
        onChange={(e) => setForm((f) => ({ ...f, maxRetries: e.target.value }))}
        {...invalid('maxRetries')}
      />
      {fieldError('maxRetries')}
      <label className="coding-check">
        <input type="checkbox" checked={form.commandsAllowed} onChange={(e) => setForm((f) => ({ ...f, commandsAllowed: e.target.checked }))} />
        <span>Allow this workspace&apos;s build, test and lint commands to run</span>
      </label>
      <div>
        <button type="submit" className="primary" disabled={busy}>
          Save validation settings
        </button>
      </div>
    </form>
  );
}
