import type { CallPurpose, MetricsDashboard } from '../../../../shared/contract';

/** What a model call was for, in words (the values are `CallPurpose`, issue #10). */
export const PURPOSE_LABEL: Record<CallPurpose, string> = {
  chat: 'Chat reply',
  api: 'API request (/v1)',
  escalation: 'Cascade escalation',
  'router.classify': 'Router classification',
  'router.validate': 'Answer validation',
  'context.summary': 'Context summary',
  'council.answer': 'Council member',
  'council.vote': 'Council vote',
  'council.review': 'Council review',
  'council.synthesis': 'Council chairman',
  'tasks.plan': 'Task planning',
  'tasks.node': 'Task node',
  'tasks.synthesis': 'Task synthesis',
  embedding: 'Embeddings (/v1)',
  'coding.plan': 'Coding plan (architect)',
  'coding.edit': 'Coding edit',
  other: 'Other',
};

/** One line of "Cost by purpose": its label, its share of the period's cost, and its bar (of the most expensive). */
export interface PurposeRow {
  purpose: CallPurpose;
  label: string;
  calls: number;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  /** Of the period's cost; 0 when nothing cost anything. */
  share: number;
  /** Bar length, 0–1 of the most expensive purpose. */
  bar: number;
}

/** The dashboard's `byPurpose` as table rows, in its order (most expensive first). */
export function purposeRows(byPurpose: MetricsDashboard['byPurpose']): PurposeRow[] {
  const total = byPurpose.reduce((sum, p) => sum + p.costUsd, 0);
  const max = Math.max(0, ...byPurpose.map((p) => p.costUsd));
  return byPurpose.map((p) => ({
    ...p,
    label: PURPOSE_LABEL[p.purpose] ?? p.purpose,
    share: total > 0 ? p.costUsd / total : 0,
    bar: max > 0 ? p.costUsd / max : 0,
  }));
}

/** 950 → "950", 1_234 → "1.2k", 12_345 → "12k", 2_500_000 → "2.5M". */
export function formatTokenCount(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(tokens < 10_000 ? 1 : 0)}k`;
  return `${(tokens / 1_000_000).toFixed(1)}M`;
}
