import { useEffect } from 'react';
import { OfflineSwitch } from '../../components/OfflineSwitch';
import { useRoutingSettings } from '../../stores/routing-settings-store';
import { useSettings } from '../../stores/settings-store';

/** Settings → Offline mode: the switch and what it does. */
export function OfflineSection() {
  const offline = useSettings((s) => s.settings?.offlineMode === true);
  const hosts = useSettings((s) => s.settings?.networkHosts.length ?? 0);
  return (
    <section aria-labelledby="offline-heading" className={`offline-section${offline ? ' on' : ''}`}>
      <div className="offline-head">
        <h2 id="offline-heading">Offline mode</h2>
        <OfflineSwitch showHint />
      </div>
      <p>
        {offline
          ? hosts > 0
            ? 'On — nothing leaves this computer except to the hosts on your network listed below. Only'
            : 'On — nothing leaves this computer. Only'
          : 'Off — cloud models may answer when routing picks them. Turn it on to keep everything on this computer: only'}{' '}
        models on this computer and on the hosts you marked as on your network (Network, below) answer, and every other connection is refused before it is made and shows as{' '}
        <strong>Refused</strong> in the log below, whatever tier an endpoint claims. Downloading models is refused too: the Ollama daemon downloads them from the internet itself,
        where Switchboard cannot check each connection.
      </p>
    </section>
  );
}

function time(at: number): string {
  const d = new Date(at);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

/** Settings → Outbound connections: every request Switchboard made or refused, newest first. */
export function NetworkLogSection() {
  const { log, logError, loadLog } = useRoutingSettings();
  useEffect(() => {
    void loadLog();
  }, [loadLog]);
  return (
    <section aria-labelledby="network-heading">
      <div className="offline-head">
        <h2 id="network-heading">Outbound connections</h2>
        <button type="button" onClick={() => void loadLog()}>
          Refresh
        </button>
      </div>
      <p className="muted">Every HTTP request Switchboard made or refused (the address without its query string), newest first.</p>
      {logError ? <p className="bad">{logError}</p> : null}
      {log.length === 0 ? (
        <p className="muted">No outbound requests yet.</p>
      ) : (
        <div className="network-log-scroll">
          <table className="network-log">
            <thead>
              <tr>
                <th>Time</th>
                <th>Host</th>
                <th>Purpose</th>
                <th>Result</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {log.map((e, i) => (
                <tr key={`${e.at}-${i}`} className={e.allowed ? 'allowed' : 'refused'} title={`${e.method} ${e.url}`}>
                  <td className="nowrap">{time(e.at)}</td>
                  <td className="mono">{e.host}</td>
                  <td>{e.purpose}</td>
                  <td>
                    <span className={`net-result ${e.allowed ? 'net-allowed' : 'net-refused'}`}>{e.allowed ? 'Allowed' : 'Refused'}</span>
                  </td>
                  <td className="small">{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
