import { useCallback, useState, type ClipboardEvent, type DragEvent } from 'react';
import type { PreparedAttachment } from '../../../../shared/contract';
import { client } from '../../client/switchboard-client';
import { errorText } from '../../stores/errors';
import { LARGE_PASTE_CHARS, toBase64, tooMany } from './attachment-files';

export interface AttachmentTray {
  files: PreparedAttachment[];
  /** Files being read (a PDF's text is extracted in main). */
  reading: number;
  errors: string[];
  /** A large paste, collapsed until it is shown in full or attached as a file. */
  pasted: string | null;
  add(files: readonly File[]): Promise<void>;
  remove(index: number): void;
  dismissErrors(): void;
  onPaste(e: ClipboardEvent<HTMLTextAreaElement>): void;
  onDrop(e: DragEvent): void;
  /** "Show all": the paste goes into the message text; returns it. */
  expandPasted(): string;
  attachPasted(): Promise<void>;
  discardPasted(): void;
  clear(): void;
}

/** The composer's attachments: files added by the button, drag-and-drop or paste, each read by `attachments.prepare`. */
export function useAttachmentTray(): AttachmentTray {
  const [files, setFiles] = useState<PreparedAttachment[]>([]);
  const [reading, setReading] = useState(0);
  const [errors, setErrors] = useState<string[]>([]);
  const [pasted, setPasted] = useState<string | null>(null);

  const prepare = useCallback(async (file: File): Promise<PreparedAttachment | null> => {
    try {
      const dataBase64 = toBase64(new Uint8Array(await file.arrayBuffer()));
      return await client().invoke('attachments.prepare', { name: file.name || 'pasted-file', mediaType: file.type, dataBase64 });
    } catch (error) {
      setErrors((e) => [...e, errorText(error)]);
      return null;
    }
  }, []);

  const add = useCallback(
    async (incoming: readonly File[]) => {
      if (incoming.length === 0) return;
      const limit = tooMany(files.length + reading, incoming.length);
      if (limit) {
        setErrors((e) => [...e, limit]);
        return;
      }
      setReading((n) => n + incoming.length);
      for (const file of incoming) {
        const prepared = await prepare(file);
        setReading((n) => n - 1);
        if (prepared) setFiles((f) => [...f, prepared]);
      }
    },
    [files.length, reading, prepare],
  );

  return {
    files,
    reading,
    errors,
    pasted,
    add,
    remove: (index) => setFiles((f) => f.filter((_, i) => i !== index)),
    dismissErrors: () => setErrors([]),
    onPaste(e) {
      const pastedFiles = [...e.clipboardData.files];
      if (pastedFiles.length) {
        e.preventDefault();
        void add(pastedFiles);
        return;
      }
      const text = e.clipboardData.getData('text/plain');
      if (text.length > LARGE_PASTE_CHARS) {
        e.preventDefault();
        setPasted((p) => (p ? `${p}\n${text}` : text));
      }
    },
    onDrop(e) {
      if (!e.dataTransfer.files.length) return;
      e.preventDefault();
      void add([...e.dataTransfer.files]);
    },
    expandPasted() {
      const text = pasted ?? '';
      setPasted(null);
      return text;
    },
    async attachPasted() {
      if (!pasted) return;
      const text = pasted;
      setPasted(null);
      await add([new File([text], 'pasted-text.txt', { type: 'text/plain' })]);
    },
    discardPasted: () => setPasted(null),
    clear() {
      setFiles([]);
      setErrors([]);
      setPasted(null);
    },
  };
}
