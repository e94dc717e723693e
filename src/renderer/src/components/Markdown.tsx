import { useRef, type ReactNode } from 'react';
import ReactMarkdown from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CopyButton } from './CopyButton';

/** A code block with its own Copy (issue #14): the code as written, without the highlighting. */
function CodeBlock({ children }: { children?: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div className="code-block">
      <pre ref={pre}>{children}</pre>
      <div className="code-copy">
        <CopyButton text={() => pre.current?.textContent ?? ''} />
      </div>
    </div>
  );
}

/** Model output as markdown, with highlighted code blocks. Raw HTML in the text is not rendered. */
export function Markdown({ text, copyCode = false }: { text: string; copyCode?: boolean }) {
  return (
    <div className="markdown">
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[[rehypeHighlight, { detect: true, ignoreMissing: true }]]}
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {children}
            </a>
          ),
          ...(copyCode ? { pre: ({ children }: { children?: ReactNode }) => <CodeBlock>{children}</CodeBlock> } : {}),
        }}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
