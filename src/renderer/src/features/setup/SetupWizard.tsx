import { useEffect, useState } from 'react';
import { Banner } from '../../components/Banner';
import { useSettings } from '../../stores/settings-store';
import { useSetup } from '../../stores/setup-store';
import { DownloadStep } from './DownloadStep';
import { DoneStep, KeysStep, OfflineStep } from './FinishSteps';
import { HardwareStep } from './HardwareStep';
import { OllamaStep } from './OllamaStep';
import { RecommendStep } from './RecommendStep';
import { wizardRoles } from './wizard-roles';

const STEPS = [
  { id: 'hardware', title: 'Your computer', Body: HardwareStep },
  { id: 'ollama', title: 'Ollama', Body: OllamaStep },
  { id: 'models', title: 'Models', Body: RecommendStep },
  { id: 'download', title: 'Download', Body: DownloadStep },
  { id: 'keys', title: 'Cloud keys', Body: KeysStep },
  { id: 'offline', title: 'Offline', Body: OfflineStep },
  { id: 'done', title: 'Done', Body: DoneStep },
] as const;

/**
 * First-run setup: what this computer can run, Ollama, the recommended local models and their
 * downloads, optional cloud keys, offline-only or not. Shown until finished or skipped; Settings can
 * run it again.
 */
export function SetupWizard({ onFinish }: { onFinish: () => void }) {
  const [index, setIndex] = useState(0);
  const { update } = useSettings();
  const { error } = useSetup();
  const [finishing, setFinishing] = useState(false);
  const step = STEPS[index]!;
  const last = index === STEPS.length - 1;

  useEffect(() => {
    // Everything the steps show is asked for once, up front, so each step opens ready.
    const s = useSetup.getState();
    void s.loadHardware();
    void s.checkOllama();
    void s.loadRecommendation();
  }, []);

  const finish = async () => {
    setFinishing(true);
    // The roles the wizard picked become Settings' local roles: Auto uses them (issue #13).
    const { recommendation, selected } = useSetup.getState();
    if (await update({ setupCompleted: true, localRoles: { ...useSettings.getState().settings?.localRoles, ...wizardRoles(recommendation, selected) } })) onFinish();
    else setFinishing(false);
  };

  return (
    <div className="setup" role="dialog" aria-modal="true" aria-labelledby="setup-title">
      <div className="setup-card">
        <header className="setup-header">
          <div>
            <div className="setup-kicker">Switchboard</div>
            <h1 id="setup-title">Set up Switchboard</h1>
          </div>
          <button type="button" className="link" onClick={() => void finish()} disabled={finishing}>
            Skip setup
          </button>
        </header>
        <ol className="stepper" aria-label="Setup steps">
          {STEPS.map((s, i) => (
            <li key={s.id} className={i === index ? 'current' : i < index ? 'done' : ''} aria-current={i === index ? 'step' : undefined}>
              <span className="step-dot">{i < index ? '✓' : i + 1}</span>
              <span className="step-title">{s.title}</span>
            </li>
          ))}
        </ol>
        {error ? <Banner tone="error" title="Something went wrong">{error}</Banner> : null}
        <div className="setup-body">
          <step.Body />
        </div>
        <footer className="setup-footer">
          <button type="button" onClick={() => setIndex(index - 1)} disabled={index === 0}>
            Back
          </button>
          <span className="muted small">
            Step {index + 1} of {STEPS.length}
          </span>
          {last ? (
            <button type="button" className="primary" onClick={() => void finish()} disabled={finishing}>
              Finish setup
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => setIndex(index + 1)}>
              Next
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}
