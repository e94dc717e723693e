import { useEffect, useState } from 'react';
import type { BudgetLimits, RoutingConfig, RoutingPreference } from '../../../../shared/contract';
import { Banner } from '../../components/Banner';
import { useRoutingSettings } from '../../stores/routing-settings-store';
import { LearningControls, SavingsQualityDial } from './RoutingDial';

const PREFERENCES: Array<{ id: RoutingPreference; label: string; text: string }> = [
  { id: 'cost', label: 'Cost', text: 'The cheapest model that can do it well goes first (local, then free, then paid).' },
  { id: 'speed', label: 'Speed', text: 'The fastest capable model goes first (local, then Groq, then the rest).' },
  { id: 'quality', label: 'Quality', text: 'The best capable model goes first, whatever it costs.' },
];

const BUDGET_FIELDS: Array<{ period: string; fields: Array<[keyof BudgetLimits, string]> }> = [
  { period: 'Daily', fields: [['warnThresholdUsd', 'Warn at'], ['dailyBudgetUsd', 'Budget'], ['stopThresholdUsd', 'Stop at']] },
  { period: 'Monthly', fields: [['monthlyWarnUsd', 'Warn at'], ['monthlyBudgetUsd', 'Budget'], ['monthlyStopUsd', 'Stop at']] },
];

/** Settings → Routing: preference, budgets and thresholds, the dashboard's reference model. */
export function RoutingSection() {
  const { config, priced, error, saved, load, save } = useRoutingSettings();
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <section aria-labelledby="routing-heading" className="routing-settings">
      <h2 id="routing-heading">Routing</h2>
      <p className="muted">
        Every message goes to the cheapest model that can do it well: a local model first for simple work, then the free cloud tier, then paid models. A reply that fails a quality check
        (empty, a refusal, cut off, broken JSON or code) is retried on the next model.
      </p>
      {error ? <Banner tone="error" title="Not saved">{error}</Banner> : null}
      {saved && !error ? (
        <p className="saved" role="status">
          {saved}
        </p>
      ) : null}
      {config ? <RoutingForm key={JSON.stringify(config.patch)} config={config.config} defaults={config.defaults} priced={priced.map((m) => m.id)} onSave={save} /> : null}
      <LearningControls />
    </section>
  );
}

function RoutingForm({
  config,
  defaults,
  priced,
  onSave,
}: {
  config: RoutingConfig;
  defaults: RoutingConfig;
  priced: string[];
  onSave: (patch: Record<string, unknown>, o?: { replace?: boolean }) => Promise<boolean>;
}) {
  const [preference, setPreference] = useState(config.preference);
  const dialDefault = defaults.difficulty?.threshold ?? 0.8;
  const [dial, setDial] = useState(Math.round((config.difficulty?.threshold ?? dialDefault) * 100));
  const [learn, setLearn] = useState(config.difficulty?.learnFromOutcomes ?? true);
  const [estimate, setEstimate] = useState(config.difficulty?.enabled ?? false);
  const [cost, setCost] = useState<Record<keyof BudgetLimits, string>>(() => Object.fromEntries(Object.entries(config.cost).map(([k, v]) => [k, String(v)])) as Record<keyof BudgetLimits, string>);
  const [reference, setReference] = useState(config.referenceModel);
  const references = priced.includes(reference) ? priced : [reference, ...priced];

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const numbers = Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, Number(v)]));
        void onSave({ preference, cost: numbers, referenceModel: reference, difficulty: { enabled: estimate, threshold: dial / 100, learnFromOutcomes: learn } });
      }}
    >
      <label className="learn-toggle">
        <input type="checkbox" checked={estimate} onChange={(e) => setEstimate(e.target.checked)} />
        <span>
          <strong>Estimate difficulty (experimental)</strong>
          <span className="muted small">
            {estimate
              ? 'Auto starts on the cheapest tier the learned estimator expects to answer as well as a paid model. On our held-out data it does no better than the length rules and sends more requests to cloud models (README: “Routing by difficulty”).'
              : 'Off: Auto starts from the length and topic rules, local first. Turn it on to let the learned estimator choose the starting tier with the dial below.'}
          </span>
        </span>
      </label>
      <SavingsQualityDial value={dial} defaultValue={Math.round(dialDefault * 100)} onChange={setDial} disabled={!estimate} />
      <label className="learn-toggle">
        <input type="checkbox" checked={learn} onChange={(e) => setLearn(e.target.checked)} />
        <span>
          <strong>Learn from outcomes</strong>
          <span className="muted small">
            Escalations, failed checks, regenerating on a stronger model and your “Good answer” / “Bad answer” ratings teach routing where similar requests should start. Kept on this machine only.
          </span>
        </span>
      </label>
      <fieldset className="preference">
        <legend>Prefer</legend>
        {PREFERENCES.map((p) => (
          <label key={p.id} className={`choice${preference === p.id ? ' chosen' : ''}`}>
            <input type="radio" name="preference" value={p.id} checked={preference === p.id} onChange={() => setPreference(p.id)} />
            <span>
              <strong>{p.label}</strong>
              <span className="muted small">{p.text}</span>
            </span>
          </label>
        ))}
      </fieldset>

      <div className="budget-grid">
        {BUDGET_FIELDS.map(({ period, fields }) => (
          <fieldset key={period}>
            <legend>{period} spend (USD)</legend>
            {fields.map(([key, label]) => (
              <label key={key}>
                <span className="label">{label}</span>
                <input type="number" min={0} step={0.01} aria-label={`${period} ${label.toLowerCase()}`} value={cost[key]} onChange={(e) => setCost((c) => ({ ...c, [key]: e.target.value }))} />
              </label>
            ))}
          </fieldset>
        ))}
      </div>
      <p className="muted small">
        Past <em>warn</em> a banner shows the spend; past the <em>budget</em> local and free models go first; at <em>stop</em> only local models run until the day (or month) ends.
      </p>

      <label className="reference">
        <span className="label">Reference model for savings</span>
        <select aria-label="Reference model" value={reference} onChange={(e) => setReference(e.target.value)}>
          {references.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
        <span className="muted small">The dashboard prices every call at this model to show what routing saved.</span>
      </label>

      <div className="row">
        <button type="submit" className="primary">
          Save routing
        </button>
        <button type="button" onClick={() => void onSave({}, { replace: true })}>
          Reset to defaults
        </button>
      </div>
    </form>
  );
}
