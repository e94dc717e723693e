import { useEffect, useState } from 'react';

/** A "Copy" button (its name stays "Copy"); a short "Copied" or the reason it failed is announced beside it. */
export function CopyButton({ text, className = 'small' }: { text: string | (() => string); className?: string }) {
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    if (!note) return;
    const timer = setTimeout(() => setNote(null), 2000);
    return () => clearTimeout(timer);
  }, [note]);
  return (
    <>
      <button
        type="button"
        className={className}
        onClick={() => {
          navigator.clipboard.writeText(typeof text === 'function' ? text() : text).then(
            () => setNote('Copied'),
            (error: unknown) => setNote(`Could not copy: ${error instanceof Error ? error.message : String(error)}`),
          );
        }}
      >
        Copy
      </button>
      {note ? (
        <span className="copy-note" role="status">
          {note}
        </span>
      ) : null}
    </>
  );
}
