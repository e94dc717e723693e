import { useState, type FormEvent } from 'react';
import { COUNCIL_POOL_NAMES, type AvailableModel, type CallInput, type CouncilModeName, type CouncilPoolName } from '../../../../shared/contract';
import { defaultMinResponses } from '../../../../shared/parallel-format';
import { client } from '../../client/switchboard-client';
import { CostEstimate, refusalIdOf } from '../../components/CostEstimate';
import { useCostEstimate } from '../../components/use-cost-estimate';
import { useCouncil } from '../../stores/council-store';

const POOL_LABEL: Record<CouncilPoolName, string> = { quick: 'Quick', balanced: 'Balanced', high: 'High', reasoning: 'Reasoning' };
const TOP_RANKED = '';
/** Stands in for a question not written yet: the models, mode and chairman set most of the cost. */
const QUESTION_TO_COME = 'A question of a few words.';
const ESTIMATE_ID = 'council-cost';

const estimateCouncil = (input: CallInput<'council.estimate'>) => client().invoke('council.estimate', input);

function ModelChecks({ models, chosen, toggle }: { models: AvailableModel[]; chosen: string[]; toggle: (id: string) => void }) {
  return (
    <div className="council-models" role="group" aria-label="Council models">
      {models.map((m) => (
        <label key={m.id} className={`council-model${chosen.includes(m.id) ? ' chosen' : ''}`}>
          <input type="checkbox" checked={chosen.includes(m.id)} onChange={() => toggle(m.id)} aria-label={m.id} />
          <span className="mono">{m.id}</span>
          <span className={`tier tier-${m.tier}`}>{m.tier}</span>
        </label>
      ))}
    </div>
  );
}

/** The question, the members, how many answers to wait for, the timeout pool and the mode. */
export function CouncilForm({ runningId }: { runningId: string | null }) {
  const { models, unavailable, poolTimeoutsMs, starting, start, cancel } = useCouncil();
  const [question, setQuestion] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [minEdited, setMinEdited] = useState<number | null>(null);
  const [pool, setPool] = useState<CouncilPoolName>('balanced');
  const [timeoutEdited, setTimeoutEdited] = useState<number | null>(null);
  const [mode, setMode] = useState<CouncilModeName>('synthesis');
  const [chairman, setChairman] = useState(TOP_RANKED);

  const minResponses = Math.min(minEdited ?? defaultMinResponses(chosen.length), Math.max(chosen.length, 1));
  const poolSeconds = Math.round((poolTimeoutsMs?.[pool] ?? 90_000) / 1000);
  const timeoutS = timeoutEdited ?? poolSeconds;
  const localCount = chosen.filter((id) => models.find((m) => m.id === id)?.tier === 'local').length;
  const problem = !question.trim() ? 'Write a question.' : chosen.length < 2 ? 'Pick at least two models.' : null;

  const input: CallInput<'council.start'> = {
    question: question.trim(), models: chosen, minResponses, pool, mode,
    ...(timeoutS !== poolSeconds ? { perModelTimeoutMs: timeoutS * 1000 } : {}),
    ...(mode === 'synthesis' && chairman && chosen.includes(chairman) ? { chairman } : {}),
  };
  const cost = useCostEstimate(chosen.length >= 2 && !runningId ? { ...input, question: input.question || QUESTION_TO_COME } : null, estimateCouncil);
  // The newest answer decides, even while a newer one is on its way: Start never flickers on for a stopped budget.
  const refusal = cost.estimate?.refusal ?? null;

  const toggle = (id: string) => setChosen((c) => (c.includes(id) ? c.filter((x) => x !== id) : [...c, id]));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem || runningId || refusal) return;
    void start(input);
  };

  return (
    <form className="pcard council-form" onSubmit={submit} aria-label="Ask the council">
      <label className="label" htmlFor="council-question">Question</label>
      <textarea id="council-question" aria-label="Question" rows={3} value={question} onChange={(e) => setQuestion(e.target.value)} placeholder="Ask several models at once; they answer in parallel, rank each other's answers anonymously, and a chairman writes the final answer." />
      <div className="label">Models</div>
      {models.length ? (
        <ModelChecks models={models} chosen={chosen} toggle={toggle} />
      ) : (
        <p className="muted small">No model can run now. Install a local model (Models page) or add a cloud key (Settings → Providers).</p>
      )}
      {unavailable > 0 ? <p className="muted small">{unavailable} cloud models are hidden: they need a key in Settings → Providers.</p> : null}
      <div className="council-options">
        <label>
          <span className="label">Min responses</span>
          <input type="number" aria-label="Min responses" min={1} max={Math.max(chosen.length, 1)} value={minResponses} onChange={(e) => setMinEdited(Number(e.target.value) || 1)} />
        </label>
        <label>
          <span className="label">Pool</span>
          <select aria-label="Pool" value={pool} onChange={(e) => { setPool(e.target.value as CouncilPoolName); setTimeoutEdited(null); }}>
            {COUNCIL_POOL_NAMES.map((p) => (
              <option key={p} value={p}>{POOL_LABEL[p]} ({Math.round((poolTimeoutsMs?.[p] ?? 0) / 1000)} s)</option>
            ))}
          </select>
        </label>
        <label>
          <span className="label">Timeout per model (s)</span>
          <input type="number" aria-label="Timeout per model (seconds)" min={1} max={3600} value={timeoutS} onChange={(e) => setTimeoutEdited(Math.max(1, Number(e.target.value) || 1))} />
        </label>
        <fieldset className="council-mode">
          <legend className="label">Mode</legend>
          <label className="check"><input type="radio" name="mode" checked={mode === 'synthesis'} onChange={() => setMode('synthesis')} /> Synthesis</label>
          <label className="check"><input type="radio" name="mode" checked={mode === 'consensus'} onChange={() => setMode('consensus')} /> Consensus vote</label>
        </fieldset>
        {mode === 'synthesis' ? (
          <label>
            <span className="label">Chairman</span>
            <select aria-label="Chairman" value={chairman} onChange={(e) => setChairman(e.target.value)}>
              <option value={TOP_RANKED}>Author of the top-ranked answer</option>
              {chosen.map((id) => <option key={id} value={id}>{id}</option>)}
            </select>
          </label>
        ) : null}
      </div>
      <p className="muted small">
        {chosen.length >= 2
          ? `Goes on once ${minResponses} of ${chosen.length} have answered; the others are stopped. Each model has ${timeoutS} s${localCount ? ' (local models get 60 s more if Ollama has to load them)' : ''}.`
          : 'Early completion: the council goes on once enough answers are in, and stops the slower models.'}
        {localCount > 2 ? ' Ollama answers two requests at a time, so some local models wait their turn.' : ''}
      </p>
      <div className="row start-row">
        {runningId ? (
          <button type="button" className="danger" onClick={() => void cancel(runningId)}>Stop</button>
        ) : (
          <button type="submit" className="primary" disabled={!!problem || starting || !!refusal} title={problem ?? undefined} aria-describedby={refusal ? refusalIdOf(ESTIMATE_ID) : undefined}>
            {starting ? 'Starting…' : 'Ask the council'}
          </button>
        )}
        {problem && !runningId ? <span className="muted small start-problem">{problem}</span> : null}
        <CostEstimate id={ESTIMATE_ID} state={cost} />
      </div>
    </form>
  );
}
