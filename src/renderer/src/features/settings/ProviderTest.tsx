import type { ReactNode } from 'react';
import { useProviders } from '../../stores/providers-store';

/**
 * "Test <name>" for a provider or Ollama host (lists its models with the current key and URL) and
 * the result under it. `children` sit between the button and the result (a Remove button).
 */
export function ProviderTest({ id, name, children }: { id: string; name: string; children?: ReactNode }) {
  const t = useProviders((s) => s.tests[id]);
  const test = useProviders((s) => s.test);
  return (
    <>
      <button type="button" onClick={() => void test(id)} disabled={t === 'running'} aria-label={`Test ${name}`}>
        {t === 'running' ? 'Testing…' : 'Test'}
      </button>
      {children}
      {t && t !== 'running' ? (
        <div className={t.ok ? 'ok small' : 'bad small'} role="status">
          {t.text}
        </div>
      ) : null}
    </>
  );
}
