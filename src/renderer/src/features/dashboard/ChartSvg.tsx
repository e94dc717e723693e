import { useId, type ReactNode } from 'react';

/**
 * An SVG chart with an accessible name: `title` names it, `desc` reads its numbers out (screen
 * readers and tests find it as role "img" with that name). Scales to its container's width.
 */
export function ChartSvg({ title, desc, width, height, children }: { title: string; desc: string; width: number; height: number; children: ReactNode }) {
  const id = useId();
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-t ${id}-d`} preserveAspectRatio="xMinYMin meet">
      <title id={`${id}-t`}>{title}</title>
      <desc id={`${id}-d`}>{desc}</desc>
      {children}
    </svg>
  );
}

/** A card: heading, the chart, and an optional one-line note under it. */
export function ChartCard({ title, headline, note, wide, children }: { title: string; headline?: ReactNode; note?: ReactNode; wide?: boolean; children: ReactNode }) {
  return (
    <section className={`chart-card${wide ? ' wide' : ''}`} aria-label={title}>
      <h2>{title}</h2>
      {headline ? <div className="chart-headline">{headline}</div> : null}
      {children}
      {note ? <p className="chart-note">{note}</p> : null}
    </section>
  );
}

export function EmptyChart({ children }: { children: ReactNode }) {
  return <p className="chart-empty">{children}</p>;
}
