import { describe, expect, it } from 'vitest';
import { CALL_PURPOSES } from '../../../../shared/contract';
import { formatTokenCount, PURPOSE_LABEL, purposeRows } from './purpose-labels';

describe('purpose labels', () => {
  it('names every purpose in words, each differently', () => {
    const labels = CALL_PURPOSES.map((p) => PURPOSE_LABEL[p]);
    expect(labels.every((l) => l.length > 0 && !l.includes('.'))).toBe(true);
    expect(new Set(labels).size).toBe(CALL_PURPOSES.length);
    expect(PURPOSE_LABEL['council.answer']).toBe('Council member');
    expect(PURPOSE_LABEL['tasks.node']).toBe('Task node');
    expect(PURPOSE_LABEL.escalation).toBe('Cascade escalation');
    expect(PURPOSE_LABEL['router.classify']).toBe('Router classification');
  });
});

describe('purposeRows', () => {
  const row = (purpose: (typeof CALL_PURPOSES)[number], calls: number, costUsd: number) => ({ purpose, calls, costUsd, inputTokens: 10, outputTokens: 2 });

  it('keeps the order, labels each row, and gives its share of the cost and its bar against the largest', () => {
    const rows = purposeRows([row('escalation', 2, 0.375), row('chat', 5, 0.125), row('router.classify', 4, 0)]);
    expect(rows.map((r) => [r.label, r.calls, r.share, r.bar])).toEqual([
      ['Cascade escalation', 2, 0.75, 1],
      ['Chat reply', 5, 0.25, expect.closeTo(1 / 3, 12)],
      ['Router classification', 4, 0, 0],
    ]);
  });

  it('gives no share and no bar when nothing cost anything (local and free models only)', () => {
    expect(purposeRows([row('chat', 3, 0), row('tasks.node', 1, 0)]).map((r) => [r.share, r.bar])).toEqual([[0, 0], [0, 0]]);
    expect(purposeRows([])).toEqual([]);
  });
});

describe('formatTokenCount', () => {
  it('keeps small counts whole and shortens large ones', () => {
    expect(formatTokenCount(0)).toBe('0');
    expect(formatTokenCount(950)).toBe('950');
    expect(formatTokenCount(1_234)).toBe('1.2k');
    expect(formatTokenCount(12_345)).toBe('12k');
    expect(formatTokenCount(2_500_000)).toBe('2.5M');
  });
});
