import type { AvailableModel } from '../../../../shared/contract';
import { TierBadge } from '../../components/TierBadge';
import { writerChoices } from './final-answer-writer';

/**
 * Which model writes a graph's final answer from every task's output (issue #10): at the budget's
 * stop a paid writer is the one thing between the user and a run on local models.
 */
export function FinalAnswerPicker({ models, value, onChange, paidStopped, disabled }: {
  models: readonly AvailableModel[]; value: string; onChange: (id: string) => void; paidStopped: boolean; disabled: boolean;
}) {
  const { unavailable, groups } = writerChoices(models, value, paidStopped);
  const tier = models.find((m) => m.id === value)?.tier ?? null;
  return (
    <div className="final-answer-picker">
      <label htmlFor="graph-final-answer">Final answer by</label>
      <span className="final-answer-choice">
        <select id="graph-final-answer" aria-label="Final answer by" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {unavailable ? <option value={unavailable}>{unavailable}{models.length ? ' (cannot answer now)' : ''}</option> : null}
          {groups.map((g) => (
            <optgroup key={g.tier} label={g.label}>
              {g.ids.map((id) => <option key={id} value={id}>{id}</option>)}
            </optgroup>
          ))}
        </select>
        {tier ? <TierBadge tier={tier} /> : null}
      </span>
    </div>
  );
}
