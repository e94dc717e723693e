import { useEffect } from 'react';
import { useRoutingLearning } from '../../stores/routing-learning-store';

/** What a dial position means, in words a user can act on. */
export function dialText(value: number): string {
  if (value <= 35) return 'Most savings: the local model answers unless it is quite likely to fall short.';
  if (value <= 70) return 'Balanced: a cheaper tier answers when it is more likely than not to do as well as a paid model.';
  if (value < 95) return 'Quality first: a cheaper tier answers only when it is very likely to do as well as a paid model.';
  return 'Most quality: almost everything goes to a paid model.';
}

/**
 * Issue #11's Savings ↔ Quality dial: how sure the difficulty estimator must be that a cheaper tier
 * answers as well as a paid model before that tier goes first. A native range input: keyboard,
 * screen readers (value text) and touch work as they do everywhere.
 */
export function SavingsQualityDial({ value, defaultValue, onChange, disabled = false }: { value: number; defaultValue: number; onChange: (v: number) => void; disabled?: boolean }) {
  return (
    <fieldset className="dial" disabled={disabled}>
      <legend>Savings ↔ Quality</legend>
      <div className="dial-row">
        <span aria-hidden="true" className="dial-end">
          Savings
        </span>
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={value}
          aria-label="Savings ↔ Quality"
          aria-valuetext={`${value} %: ${dialText(value)}`}
          aria-describedby="dial-help"
          onChange={(e) => onChange(Number(e.target.value))}
        />
        <span aria-hidden="true" className="dial-end">
          Quality
        </span>
        <output className="dial-value" aria-hidden="true">
          {value} %
        </output>
      </div>
      <p id="dial-help" className="muted small">
        {dialText(value)} A cheaper tier goes first when it is at least {value} % likely to answer as well as a paid model. Default {defaultValue} % (keeps about 95 % of a paid
        model&apos;s quality on our measurements at the lowest cost).{' '}
        {disabled ? 'The dial applies when “Estimate difficulty” is on. ' : null}
        {value !== defaultValue && !disabled ? (
          <button type="button" className="link" onClick={() => onChange(defaultValue)}>
            Back to the default
          </button>
        ) : null}
      </p>
    </fieldset>
  );
}

/** How much routing has learnt, and a way to forget it (issue #11). */
export function LearningControls() {
  const { outcomes, note, error, load, forget } = useRoutingLearning();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section className="learning" aria-labelledby="learning-heading">
      <h3 id="learning-heading">Learnt from your outcomes</h3>
      <p className="muted small">
        {outcomes === null
          ? 'Loading…'
          : outcomes === 0
            ? 'Nothing yet: escalations and your “Good answer” / “Bad answer” ratings on replies will teach routing where similar requests should start.'
            : `${outcomes} outcome${outcomes === 1 ? '' : 's'} remembered (as hashed word fragments, not text). Similar requests start on the tier that worked; “Why this model?” says when.`}
      </p>
      <button type="button" onClick={() => void forget()} disabled={outcomes === 0}>
        Forget what routing learnt
      </button>
      {note ? (
        <p className="saved" role="status">
          {note}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
