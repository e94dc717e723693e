import type { Message } from '../../../../shared/contract';
import { formatBytes } from './attachment-files';
import './attachments.css';

/** The files a sent message carried: name, kind and size (their text went to the model). */
export function MessageAttachments({ message }: { message: Message }) {
  if (!message.attachments?.length) return null;
  return (
    <ul className="message-attachments" aria-label="Files sent with this message">
      {message.attachments.map((a) => (
        <li key={a.id} className="attachment-chip">
          <span className="chip-kind">{a.kind === 'pdf' ? 'PDF' : a.kind === 'image' ? 'Image' : 'Text'}</span>
          <span className="chip-name" title={a.name}>
            {a.name}
          </span>
          <span className="chip-size">{formatBytes(a.sizeBytes)}</span>
        </li>
      ))}
    </ul>
  );
}
