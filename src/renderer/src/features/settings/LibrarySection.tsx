import { useRef, useState } from 'react';
import type { ImportResult } from '../../../../shared/contract';
import { errorText } from '../../stores/errors';
import { downloadFile, useLibrary } from '../../stores/library-store';
import '../library/library.css';

const FORMAT_NAMES: Record<ImportResult['format'], string> = { switchboard: 'a Switchboard archive', chatgpt: 'a ChatGPT export' };

/** Settings → Conversations: every conversation as one archive, and importing one (or ChatGPT's export). */
export function LibrarySection() {
  const { exportAll, importFile } = useLibrary();
  const [exportError, setExportError] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const onExport = async () => {
    setExportError(null);
    try {
      downloadFile(await exportAll());
    } catch (error) {
      setExportError(errorText(error));
    }
  };

  const onImport = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setImportError(null);
    setResult(null);
    try {
      setResult(await importFile(file));
    } catch (error) {
      setImportError(errorText(error));
    } finally {
      setBusy(false);
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <>
      <h2>Conversations</h2>
      <p className="muted">
        Export every conversation as one JSON archive (with each reply's “Why this model?” record), or import an archive or ChatGPT's{' '}
        <code>conversations.json</code> (from ChatGPT's Settings → Data controls → Export). An import adds new conversations beside yours; it never replaces any.
      </p>
      <div className="library-actions">
        <button type="button" onClick={() => void onExport()} aria-describedby={exportError ? 'export-all-error' : undefined}>
          Export all conversations
        </button>
        <label>
          <span className="label">Import conversations</span>
          <input
            ref={fileInput}
            type="file"
            accept=".json,application/json"
            aria-label="Import conversations"
            aria-invalid={importError ? true : undefined}
            aria-describedby={importError ? 'import-error' : undefined}
            disabled={busy}
            onChange={(e) => void onImport(e.target.files?.[0])}
          />
        </label>
        {busy ? <span className="muted" role="status">Importing…</span> : null}
      </div>
      {exportError ? (
        <p id="export-all-error" className="field-error" role="alert">
          {exportError}
        </p>
      ) : null}
      {importError ? (
        <p id="import-error" className="field-error" role="alert">
          {importError}
        </p>
      ) : null}
      {result ? (
        <div className="import-result ok" role="status">
          Imported {result.conversationIds.length} conversation{result.conversationIds.length === 1 ? '' : 's'} ({result.messages} message
          {result.messages === 1 ? '' : 's'}) from {FORMAT_NAMES[result.format]}. They are in the sidebar.
          {result.skipped.length ? (
            <>
              <div className="muted">Left out:</div>
              <ul className="muted">
                {result.skipped.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
