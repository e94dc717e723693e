import { useEffect } from 'react';
import { formatBytes } from '../../../../shared/format';
import { modelKey, useLocalModels } from '../../stores/local-models-store';
import { useSetup } from '../../stores/setup-store';
import { PullCell } from '../models/ModelTables';

export function DownloadStep() {
  const { selected, recommendation, ollama } = useSetup();
  const { pulls, pull, loadPulls } = useLocalModels();
  const installed = new Set((recommendation?.roles ?? []).filter((r) => r.installed && r.model).map((r) => modelKey(r.model!)));
  const sizes = new Map((recommendation?.roles ?? []).filter((r) => r.model).map((r) => [r.model!, r.downloadBytes]));

  useEffect(() => {
    // Start what was chosen and has not been asked for yet; the manager joins a pull already running.
    void loadPulls().then(() => {
      const known = useLocalModels.getState().pulls;
      for (const model of useSetup.getState().selected) if (!known[modelKey(model)]) void pull(model);
    });
  }, [loadPulls, pull]);

  return (
    <section aria-labelledby="step-download">
      <h2 id="step-download">Download models</h2>
      {ollama && !ollama.running ? <p className="bad">Ollama is not running, so downloads cannot start. Go back a step to start it, or skip this.</p> : null}
      {selected.length === 0 ? (
        <p className="muted">Nothing to download: you chose no models, or they are all installed.</p>
      ) : (
        <>
          <p className="muted">Downloads continue in the background if you go on; a dropped connection resumes where it stopped.</p>
          <ul className="download-list">
            {selected.map((model) => (
              <li key={model}>
                <div className="model-name">
                  {model} <span className="muted small">{sizes.get(model) ? formatBytes(sizes.get(model)!) : ''}</span>
                </div>
                <PullCell model={model} installed={installed.has(modelKey(model))} job={pulls[modelKey(model)]} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
