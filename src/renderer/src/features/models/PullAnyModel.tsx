import { useState, type FormEvent } from 'react';
import { pullNameProblem } from '../../../../shared/pull-name';
import { modelKey, useLocalModels } from '../../stores/local-models-store';
import { HfFitEstimate } from './HfFitEstimate';
import { PullProgress } from './PullProgress';

/**
 * Any Ollama model, not only the catalog's (issue #13): a library tag (`qwen3:14b`), a namespaced one
 * (`user/model:tag`) or a Hugging Face GGUF (`hf.co/{user}/{repo}:{quant}`), checked as it is typed.
 * A Hugging Face GGUF's fit is estimated before the pull from the file's header; once pulled, every
 * model's fit comes from Ollama's own metadata (/api/show) in the Installed table.
 */
export function PullAnyModel() {
  const { pull, cancel, pulls, contextLength } = useLocalModels();
  const [name, setName] = useState('');
  const [pulled, setPulled] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const problem = pullNameProblem(name);
  const job = pulled ? pulls[modelKey(pulled.replace(/^ollama\//, ''))] : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    const model = name.trim().replace(/^ollama\//, '');
    setPulled(model);
    await pull(model);
  };

  const showProblem = touched && name.trim() !== '' && problem;
  return (
    <section className="pull-any" aria-labelledby="pull-any-title">
      <h2 id="pull-any-title">Pull any model</h2>
      <form className="pull-any-form" onSubmit={(e) => void submit(e)} noValidate>
        <label className="pull-any-field">
          <span className="label">Model name</span>
          <input
            type="text"
            value={name}
            spellCheck={false}
            autoComplete="off"
            placeholder="qwen3:14b or hf.co/user/repo:Q4_K_M"
            aria-invalid={showProblem ? true : undefined}
            aria-describedby="pull-any-help"
            onChange={(e) => {
              setName(e.target.value);
              setTouched(false);
            }}
            onBlur={() => setTouched(true)}
          />
        </label>
        <button type="submit" className="primary">
          Pull
        </button>
      </form>
      {showProblem ? (
        <p id="pull-any-help" className="bad small" role="alert">
          {problem}
        </p>
      ) : (
        <p id="pull-any-help" className="muted small">
          Any tag from ollama.com/library, or a GGUF on Hugging Face as hf.co/user/repo:quantization. A Hugging Face model's fit is read from its file header before the pull; any other's once it is downloaded.
        </p>
      )}
      {!problem ? <HfFitEstimate model={name.trim().replace(/^ollama\//, '')} contextLength={contextLength} /> : null}
      {job ? <PullProgress job={job} onCancel={() => void cancel(job.id)} onRetry={() => void pull(job.model)} /> : null}
    </section>
  );
}
