import { formatGiB } from '../../../../shared/format';
import { useSetup } from '../../stores/setup-store';

const TIER_TEXT = {
  'large-gpu': 'A large GPU: 32B coding models run entirely in VRAM.',
  'mid-gpu': 'A mid-size GPU: 7B–14B coding models run entirely in VRAM.',
  'small-gpu': 'A small GPU: 3B–7B models run in VRAM; larger ones split with the CPU.',
  'cpu-only': 'No GPU for models: small local models run on the CPU, and cloud models do the heavy lifting.',
} as const;

export function HardwareStep() {
  const { hardware, recommendation, loadHardware, loadRecommendation } = useSetup();
  const detectAgain = async () => {
    await loadHardware(true);
    await loadRecommendation();
  };
  return (
    <section aria-labelledby="step-hardware">
      <h2 id="step-hardware">Your computer</h2>
      <p className="muted">Switchboard sizes local models for this machine: a model that does not fit in GPU memory runs several times slower.</p>
      {!hardware ? (
        <p className="muted">Looking at your hardware…</p>
      ) : (
        <>
          <div className="hw-grid">
            {hardware.gpus.length === 0 ? (
              <div className="hw-card">
                <div className="hw-label">GPU</div>
                <div className="hw-value">None found</div>
              </div>
            ) : (
              hardware.gpus.map((g) => (
                <div className="hw-card" key={g.index}>
                  <div className="hw-label">GPU {hardware.gpus.length > 1 ? g.index + 1 : ''}</div>
                  <div className="hw-value">{g.name}</div>
                  <div className="muted small">
                    {formatGiB(g.vramBytes)} {hardware.unifiedMemory ? 'usable by the GPU' : 'VRAM'}
                    {g.freeVramBytes !== null ? `, ${formatGiB(g.freeVramBytes)} free` : ''}
                    {g.integrated ? ' · integrated, not used for models' : ''}
                  </div>
                </div>
              ))
            )}
            <div className="hw-card">
              <div className="hw-label">Memory</div>
              <div className="hw-value">{formatGiB(hardware.ramBytes)} RAM</div>
              <div className="muted small">{hardware.unifiedMemory ? 'Unified with the GPU' : `${formatGiB(hardware.freeRamBytes)} free`}</div>
            </div>
            <div className="hw-card">
              <div className="hw-label">CPU</div>
              <div className="hw-value">{hardware.cpu.model}</div>
              <div className="muted small">
                {hardware.cpu.cores} cores, {hardware.cpu.threads} threads
              </div>
            </div>
            <div className="hw-card">
              <div className="hw-label">Disk</div>
              <div className="hw-value">{hardware.disk.freeBytes !== null ? `${formatGiB(hardware.disk.freeBytes, 0)} free` : 'Unknown'}</div>
              <div className="muted small mono">{hardware.disk.path}</div>
            </div>
          </div>
          {recommendation ? <p className="tier-note">{TIER_TEXT[recommendation.tier]}</p> : null}
          {hardware.notes.length > 0 ? (
            <ul className="notes small muted">
              {hardware.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          ) : null}
          <button type="button" className="small" onClick={() => void detectAgain()}>
            Detect again
          </button>
        </>
      )}
    </section>
  );
}
