import { useSetup } from '../../stores/setup-store';

export function OllamaStep() {
  const { ollama, checkOllama, startOllama, starting, checkingOllama, loadRecommendation } = useSetup();
  const recheck = async () => {
    await checkOllama();
    await loadRecommendation();
  };
  return (
    <section aria-labelledby="step-ollama">
      <h2 id="step-ollama">Ollama</h2>
      <p className="muted">
        Local models run in <a href="https://ollama.com" target="_blank" rel="noreferrer">Ollama</a>, a free program that keeps them on your computer.
      </p>
      {!ollama ? (
        <p className="muted">Checking…</p>
      ) : ollama.running ? (
        <div className="status-card ok-card" role="status">
          <strong>✓ Ollama {ollama.version} is running</strong>
          <div className="muted small">
            at {ollama.host}
            {ollama.startedByUs ? ' · started by Switchboard, which stops it again when it quits' : ''}
          </div>
        </div>
      ) : ollama.installed && ollama.local ? (
        <div className="status-card warn-card" role="status">
          <strong>Ollama is installed but not running</strong>
          <div className="muted small mono">{ollama.binaryPath}</div>
          <p>Switchboard can start it now and stop it again when you quit.</p>
          <button type="button" className="primary" onClick={async () => {
              await startOllama();
              await loadRecommendation();
            }} disabled={starting}>
            {starting ? 'Starting…' : 'Start Ollama'}
          </button>
        </div>
      ) : !ollama.local ? (
        <div className="status-card warn-card" role="status">
          <strong>Ollama at {ollama.host} is not answering</strong>
          <p>That host is another machine: start Ollama there (<code>ollama serve</code>), or change the host in Settings.</p>
        </div>
      ) : (
        <div className="status-card warn-card" role="status">
          <strong>Ollama is not installed</strong>
          {ollama.guidance ? (
            <>
              <p>{ollama.guidance.summary}</p>
              {ollama.guidance.command ? <pre className="command">{ollama.guidance.command}</pre> : null}
              <ol className="small">
                {ollama.guidance.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
              <a className="button-link primary" href={ollama.guidance.url} target="_blank" rel="noreferrer">
                Download Ollama
              </a>
            </>
          ) : null}
        </div>
      )}
      <p>
        <button type="button" className="small" onClick={() => void recheck()} disabled={checkingOllama}>
          {checkingOllama ? 'Checking…' : 'Check again'}
        </button>
      </p>
      <p className="muted small">No local models? You can skip ahead and use cloud models only.</p>
    </section>
  );
}
