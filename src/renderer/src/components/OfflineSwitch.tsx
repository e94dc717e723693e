import { useSettings } from '../stores/settings-store';
import { useSystem } from '../stores/system-store';
import './offline-switch.css';

/**
 * Offline mode, one click away: on, nothing leaves this machine (the guarded fetch refuses every
 * non-local host, the router uses local models only, pulls are refused).
 */
export function OfflineSwitch({ showHint = false }: { showHint?: boolean }) {
  const { settings, update } = useSettings();
  if (!settings) return null;
  const on = settings.offlineMode;
  return (
    <button
      type="button"
      role="switch"
      aria-checked={on}
      aria-label="Offline mode"
      className={`offline-switch${on ? ' on' : ''}`}
      title={on ? 'Offline: only models on this computer answer; nothing is sent to the internet. Click to go online.' : 'Online: cloud models may answer. Click to keep everything on this computer.'}
      // The model picker lists only models that can answer: cloud ones come and go with this switch.
      onClick={() => void update({ offlineMode: !on }).then((ok) => (ok ? useSystem.getState().refresh() : undefined))}
    >
      <span className="offline-track" aria-hidden="true">
        <span className="offline-thumb" />
      </span>
      <span className="offline-text">{on ? 'Offline' : 'Online'}</span>
      {showHint ? <span className="offline-hint">{on ? '— local models only' : '— cloud models allowed'}</span> : null}
    </button>
  );
}
