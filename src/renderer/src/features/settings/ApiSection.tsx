import { useEffect, useState } from 'react';
import type { ApiStatus } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { useCache } from '../../stores/cache-store';
import '../cache/cache.css';

const SOURCE: Record<ApiStatus['tokenSource'], string> = {
  env: 'from SWITCHBOARD_API_TOKEN',
  keychain: 'kept in the OS keychain',
  database: "kept in Switchboard's database (the OS keychain is unavailable)",
};

/** Settings → API: the OpenAI-compatible endpoint for editors and agents. */
export function ApiSection() {
  const { api, load, saveApi, rotateToken } = useCache();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="api-heading" className="api-settings">
      <h2 id="api-heading">API</h2>
      <p className="muted">
        An OpenAI-compatible endpoint on 127.0.0.1 for editors and agents: use the model <code>switchboard/auto</code> to route like the chat does (cache and budget included),{' '}
        <code>switchboard/local</code> to stay on this machine, or any model id such as <code>ollama/llama3.2:3b</code>.
      </p>
      {api ? <ApiForm key={JSON.stringify(api.settings)} api={api} onSave={saveApi} /> : null}
      {api?.error ? <Banner tone="error" title="The endpoint did not start">{api.error}</Banner> : null}
      {api ? (
        <>
          <p>
            {api.running ? (
              <>
                Listening at <code>{api.baseUrl}</code>
                {api.mount === 'headless' ? ' (headless mode always serves it, beside the page)' : null}.
              </>
            ) : (
              'The endpoint is off.'
            )}
          </p>
          <TokenRow api={api} onRotate={rotateToken} />
          {api.running ? <Example api={api} /> : null}
        </>
      ) : null}
    </section>
  );
}

function ApiForm({ api, onSave }: { api: ApiStatus; onSave: (s: ApiStatus['settings']) => Promise<boolean> }) {
  const [enabled, setEnabled] = useState(api.settings.enabled);
  const [port, setPort] = useState(String(api.settings.port));
  if (api.mount === 'headless') return null;
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave({ enabled, port: Number(port) });
      }}
    >
      <label className="cache-toggle">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Serve the OpenAI-compatible endpoint
      </label>
      <label>
        <span className="label">Port</span>
        <input aria-label="API port" type="number" min={1024} max={65535} value={port} onChange={(e) => setPort(e.target.value)} style={{ minWidth: 0, width: 110 }} />
      </label>
      <button type="submit">Save</button>
    </form>
  );
}

function TokenRow({ api, onRotate }: { api: ApiStatus; onRotate: () => Promise<void> }) {
  const [shown, setShown] = useState(false);
  return (
    <div className="row" style={{ alignItems: 'center' }}>
      <span>Token ({SOURCE[api.tokenSource]}):</span>
      <span className="token" aria-label="API token">{shown ? api.token : `${api.token.slice(0, 6)}…${api.token.slice(-4)}`}</span>
      <button type="button" className="small" onClick={() => setShown(!shown)}>
        {shown ? 'Hide' : 'Show'}
      </button>
      <button type="button" className="small" onClick={() => void navigator.clipboard?.writeText(api.token)}>
        Copy
      </button>
      {api.tokenSource !== 'env' ? (
        <button type="button" className="small" onClick={() => void onRotate()} title="Clients with the old token get 401 until they use the new one">
          New token
        </button>
      ) : null}
    </div>
  );
}

function Example({ api }: { api: ApiStatus }) {
  return (
    <pre className="example" aria-label="Example request">{`curl ${api.baseUrl}/chat/completions \\
  -H "Authorization: Bearer $SWITCHBOARD_API_TOKEN" -H "Content-Type: application/json" \\
  -d '{"model": "switchboard/auto", "messages": [{"role": "user", "content": "Hello"}]}'`}</pre>
  );
}
