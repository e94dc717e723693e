import { useEffect } from 'react';
import { Banner } from '../../components/Banner';
import { formatPct, formatUsd, TIER_COLOR, TIER_LABEL } from '../../components/usd';
import { useDashboard } from '../../stores/dashboard-store';
import { BudgetChart } from './BudgetChart';
import { ChartCard, EmptyChart } from './ChartSvg';
import { DailyRequests, DailySpend } from './DailyCharts';
import { FailuresChart } from './FailuresChart';
import { LatencyChart } from './LatencyChart';
import { PurposeTable } from './PurposeTable';
import { EscalationRing, TierDonut } from './RingCharts';
import { SavingsChart } from './SavingsChart';
import './dashboard.css';

const PERIODS = [7, 14, 30, 90];

/** Spend, savings, tiers, escalations, latency and failures: what routing did, as charts. */
export function DashboardView() {
  const { data, days, loading, error, exported, load, exportJson, setShown } = useDashboard();
  useEffect(() => {
    void load();
  }, [load]);
  // Live while shown: each finished reply reloads the numbers (main.tsx listens for chat.message).
  useEffect(() => {
    setShown(true);
    return () => setShown(false);
  }, [setShown]);

  return (
    <section className="dashboard" aria-label="Dashboard">
      <header className="dashboard-header">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">What routing did with your requests: where they went, what they cost, and what it saved.</p>
        </div>
        <div className="dashboard-actions">
          <label>
            <span className="label">Period</span>
            <select aria-label="Period" value={days} onChange={(e) => void load(Number(e.target.value))}>
              {PERIODS.map((d) => (
                <option key={d} value={d}>
                  Last {d} days
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void load()} disabled={loading}>
            {loading ? 'Refreshing…' : 'Refresh'}
          </button>
          <button type="button" className="primary" onClick={() => void exportJson()}>
            Export metrics (JSON)
          </button>
        </div>
      </header>
      {error ? <Banner tone="error" title="The dashboard could not be loaded">{error}</Banner> : null}
      {exported ? (
        <p className="saved" role="status">
          {exported}
        </p>
      ) : null}
      {data ? <Charts data={data} /> : !error ? <p className="muted">Loading…</p> : null}
    </section>
  );
}

function Charts({ data }: { data: NonNullable<ReturnType<typeof useDashboard.getState>['data']> }) {
  const { savings, escalation, requests } = data;
  const answered = data.tiers.reduce((n, t) => n + t.requests, 0);
  const saved =
    savings.savedUsd === null ? (
      <span className="muted">{savings.referenceModel} has no price in the catalog.</span>
    ) : (
      <>
        <strong className={savings.savedUsd >= 0 ? 'good' : 'bad'}>{formatUsd(savings.savedUsd)}</strong> saved
        {savings.savedPct !== null ? <span className="muted"> ({formatPct(savings.savedPct)} less)</span> : null}
      </>
    );
  return (
    <div className="chart-grid">
      <ChartCard title="Budget" note={data.budget.message}>
        <BudgetChart budget={data.budget} />
      </ChartCard>
      <ChartCard title={`Savings, last ${data.days} days`} headline={saved} note={`Every call's tokens priced at ${savings.referenceModel} ($${savings.referencePrice?.input ?? '?'} in / $${savings.referencePrice?.output ?? '?'} out per 1M tokens), against what they cost.`}>
        {savings.calls ? <SavingsChart savings={savings} /> : <EmptyChart>No model calls in this period.</EmptyChart>}
      </ChartCard>
      <ChartCard
        title="Cost by purpose"
        headline={<span className="muted">{data.spend.calls} model calls · {formatUsd(data.spend.windowUsd)}</span>}
        note="What each model call was for. A cascade escalation is a stronger model answering after a reply failed a quality check."
      >
        {data.byPurpose.length ? <PurposeTable byPurpose={data.byPurpose} /> : <EmptyChart>No model calls in this period.</EmptyChart>}
      </ChartCard>
      <ChartCard title="Requests per tier" headline={<span className="muted">{requests.total} request{requests.total === 1 ? '' : 's'} · {requests.failed + requests.refused} not answered</span>}>
        {answered ? <TierDonut tiers={data.tiers} /> : <EmptyChart>No answered requests in this period.</EmptyChart>}
      </ChartCard>
      <ChartCard title="Escalations" note="An escalation: the first model's reply failed a quality check, and the next model on the chain answered.">
        {escalation.requests ? <EscalationRing escalation={escalation} /> : <EmptyChart>No routed requests in this period.</EmptyChart>}
      </ChartCard>
      <ChartCard title="Latency per model" note="Successful calls, from request to last token. p95: 1 call in 20 is slower.">
        {data.latency.length ? <LatencyChart latency={data.latency} /> : <EmptyChart>No successful calls in this period.</EmptyChart>}
      </ChartCard>
      <ChartCard title="Failures by type">{data.failures.length ? <FailuresChart failures={data.failures} /> : <EmptyChart>No failures in this period.</EmptyChart>}</ChartCard>
      <ChartCard title="Requests per day" wide headline={<TierLegend />}>
        <DailyRequests series={data.series} />
      </ChartCard>
      <ChartCard title="Spend per day" wide headline={<SpendLegend referenceModel={savings.referenceModel} />}>
        <DailySpend series={data.series} referenceModel={savings.referenceModel} />
      </ChartCard>
    </div>
  );
}

function TierLegend() {
  return (
    <span className="legend">
      {(['local', 'free', 'paid'] as const).map((t) => (
        <span key={t}>
          <span className="swatch" style={{ background: TIER_COLOR[t] }} />
          {TIER_LABEL[t]}
        </span>
      ))}
    </span>
  );
}

function SpendLegend({ referenceModel }: { referenceModel: string }) {
  return (
    <span className="legend">
      <span>
        <span className="swatch" style={{ background: '#2f855a' }} />
        Actual
      </span>
      <span>
        <span className="swatch" style={{ background: '#c5c9d6' }} />
        On {referenceModel}
      </span>
    </span>
  );
}
