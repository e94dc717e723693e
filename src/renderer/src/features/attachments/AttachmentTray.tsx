import { useRef } from 'react';
import type { AttachmentTray as Tray } from './use-attachment-tray';
import { formatBytes } from './attachment-files';
import './attachments.css';

const KIND_LABEL = { text: 'Text', pdf: 'PDF', image: 'Image' } as const;

/** "Attach files" (a hidden file input behind a button); what the composer will send with the message. */
export function AttachButton({ tray, disabled }: { tray: Tray; disabled?: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="attach-button" onClick={() => input.current?.click()} disabled={disabled} title="Text and code files, PDFs, images (for vision models)">
        Attach files
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label="Files to attach"
        onChange={(e) => {
          void tray.add([...(e.target.files ?? [])]);
          e.target.value = '';
        }}
      />
    </>
  );
}

/** The chips, the errors, and a collapsed large paste above the message box. */
export function AttachmentTray({ tray, onShowPasted }: { tray: Tray; onShowPasted: (text: string) => void }) {
  if (!tray.files.length && !tray.reading && !tray.errors.length && tray.pasted === null) return null;
  return (
    <div className="attachment-tray">
      {tray.files.length || tray.reading ? (
        <ul className="attachment-chips" aria-label="Attached files">
          {tray.files.map((f, i) => (
            <li key={`${f.name}-${i}`} className={`attachment-chip kind-${f.kind}`}>
              {f.kind === 'image' && f.dataBase64 ? <img src={`data:${f.mediaType};base64,${f.dataBase64}`} alt="" /> : <span className="chip-kind">{KIND_LABEL[f.kind]}</span>}
              <span className="chip-name" title={f.name}>
                {f.name}
              </span>
              <span className="chip-size">{formatBytes(f.sizeBytes)}</span>
              <button type="button" className="chip-remove" aria-label={`Remove ${f.name}`} onClick={() => tray.remove(i)}>
                ×
              </button>
            </li>
          ))}
          {tray.reading ? (
            <li className="attachment-chip reading" role="status">
              Reading {tray.reading} file{tray.reading === 1 ? '' : 's'}…
            </li>
          ) : null}
        </ul>
      ) : null}
      {tray.errors.length ? (
        <div className="attachment-errors" role="alert">
          {tray.errors.map((e, i) => (
            <p key={i}>{e}</p>
          ))}
          <button type="button" className="small" onClick={tray.dismissErrors}>
            Dismiss
          </button>
        </div>
      ) : null}
      {tray.pasted !== null ? (
        <div className="pasted-block" role="group" aria-label="Pasted text">
          <span className="pasted-preview">
            <strong>Pasted text</strong> ({tray.pasted.length.toLocaleString('en')} characters): {tray.pasted.slice(0, 140)}…
          </span>
          <button type="button" className="small" onClick={() => onShowPasted(tray.expandPasted())}>
            Show all
          </button>
          <button type="button" className="small" onClick={() => void tray.attachPasted()}>
            Attach as file
          </button>
          <button type="button" className="small" aria-label="Remove pasted text" onClick={tray.discardPasted}>
            ×
          </button>
        </div>
      ) : null}
    </div>
  );
}
