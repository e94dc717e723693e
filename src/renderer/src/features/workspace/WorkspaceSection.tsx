import { useId, useState } from 'react';
import './workspace.css';
import type { Settings } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { useSettings } from '../../stores/settings-store';
import { WorkspaceValidationSettings } from '../coding/WorkspaceValidationSettings';

/** Seed 002's 20 KB, as src/main/workspace/workspace-settings.ts (the renderer does not import main). */
const DEFAULT_BUDGET_KB = 20;

/** Settings → Workspace: the folders the browser may open (headless mode) and the context budget per request. */
export function WorkspaceSection() {
  const settings = useSettings((s) => s.settings);
  // Kept here: the form below starts afresh from what is stored after each save.
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const id = useId();
  if (!settings) return null;
  return (
    <section aria-labelledby={`${id}-heading`} className="workspace-settings">
      <h2 id={`${id}-heading`}>Workspace</h2>
      <p className="muted">
        A coding request sends only the files of its workspace that matter, within the budget below (about 5–20 KB does for most tasks); a follow-up sends only what changed. In the browser
        (headless mode) a folder can be opened only under one of the allowed roots; the desktop app’s folder dialog and the command line are not limited.
      </p>
      {error ? <Banner tone="error" title="Not saved">{error}</Banner> : null}
      {saved && !error ? <p className="saved" role="status">Workspace settings saved.</p> : null}
      <WorkspaceForm key={JSON.stringify(settings.workspace)} stored={settings.workspace} id={id} onResult={(ok, message) => (setSaved(ok), setError(message))} />
      <WorkspaceValidationSettings />
    </section>
  );
}

function WorkspaceForm({ stored, id, onResult }: { stored: Settings['workspace']; id: string; onResult: (saved: boolean, error: string | null) => void }) {
  const { update } = useSettings();
  const [roots, setRoots] = useState((stored.allowedRoots ?? []).join('\n'));
  const [budgetKb, setBudgetKb] = useState(String((stored.contextBudgetBytes ?? DEFAULT_BUDGET_KB * 1000) / 1000));

  const save = async () => {
    const kb = Number(budgetKb);
    if (!Number.isFinite(kb) || kb < 1) return onResult(false, 'The context budget must be at least 1 KB.');
    const allowedRoots = roots.split('\n').map((r) => r.trim()).filter(Boolean);
    const ok = await update({ workspace: { ...stored, allowedRoots, contextBudgetBytes: Math.round(kb * 1000) } });
    const state = useSettings.getState();
    onResult(ok, ok ? null : (state.fieldErrors.workspace ?? state.error));
  };

  return (
    <>
      <label htmlFor={`${id}-roots`} className="label">
        Allowed root folders (one absolute path per line)
      </label>
      <textarea id={`${id}-roots`} rows={3} value={roots} placeholder="/home/me/code" onChange={(e) => setRoots(e.target.value)} />
      <label htmlFor={`${id}-budget`} className="label">
        Context budget per request (KB)
      </label>
      <input id={`${id}-budget`} type="number" min={1} max={2000} step={1} value={budgetKb} onChange={(e) => setBudgetKb(e.target.value)} />
      <div>
        <button type="button" className="primary" onClick={() => void save()}>
          Save workspace settings
        </button>
      </div>
    </>
  );
}
