import { useState, type FormEvent } from 'react';
import { pullNameProblem } from '../../../../shared/pull-name';
import { modelKey, useLocalModels } from '../../stores/local-models-store';
import { PullProgress } from './PullProgress';

/**
 * Any Ollama model, not only the catalog's (issue #13): a library tag (`qwen3:14b`), a namespaced one
 * (`user/model:tag`) or a Hugging Face GGUF (`hf.co/{user}/{repo}:{quant}`), checked as it is typed.
 * Once pulled, its fit comes from Ollama's own metadata (/api/show) in the Installed table.
 */
export function PullAnyModel() {
  const { pull, cancel, pulls } = useLocalModels();
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
          Any tag from ollama.com/library, or a GGUF on Hugging Face as hf.co/user/repo:quantization. Its fit is read from the model itself once it is downloaded.
        </p>
      )}
      {job ? <PullProgress job={job} onCancel={() => void cancel(job.id)} onRetry={() => void pull(job.model)} /> : null}
    </section>
  );
}
