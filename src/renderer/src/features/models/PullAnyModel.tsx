import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { pullNameProblem } from '../../../../shared/pull-name';
import { modelKey, useLocalModels } from '../../stores/local-models-store';
import { HfFitEstimate } from './HfFitEstimate';
import { suggestionsFor, useLibrarySearch } from './LibrarySuggestions';
import { PullProgress } from './PullProgress';

/**
 * Any Ollama model, not only the catalog's (issue #13): a library tag (`qwen3:14b`), a namespaced one
 * (`user/model:tag`) or a Hugging Face GGUF (`hf.co/{user}/{repo}:{quant}`), checked as it is typed.
 * A Hugging Face GGUF's fit is estimated before the pull from the file's header; once pulled, every
 * model's fit comes from Ollama's own metadata (/api/show) in the Installed table. A plain name
 * suggests models from ollama.com/library (a combobox); offline, free text works as before.
 */
export function PullAnyModel() {
  const { pull, cancel, pulls, contextLength } = useLocalModels();
  const [name, setName] = useState('');
  const [pulled, setPulled] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const search = useLibrarySearch(name);
  const options = suggestionsFor(name, search);
  const expanded = open && options.length > 0;
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

  const pick = (value: string) => {
    setName(value);
    setTouched(false);
    setActive(-1);
    setOpen(value.includes(':') ? false : true);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!options.length) return;
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i < 0 ? (step > 0 ? 0 : options.length - 1) : (i + step + options.length) % options.length));
    } else if (e.key === 'Enter' && expanded && active >= 0 && options[active]) {
      e.preventDefault();
      pick(options[active].value);
    } else if (e.key === 'Escape' && expanded) {
      e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
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
            role="combobox"
            aria-autocomplete="list"
            aria-expanded={expanded}
            aria-controls="pull-any-suggestions"
            aria-activedescendant={expanded && active >= 0 ? `pull-any-option-${active}` : undefined}
            onKeyDown={onKeyDown}
            value={name}
            spellCheck={false}
            autoComplete="off"
            placeholder="qwen3:14b or hf.co/user/repo:Q4_K_M"
            aria-invalid={showProblem ? true : undefined}
            aria-describedby="pull-any-help"
            onChange={(e) => {
              setName(e.target.value);
              setTouched(false);
              setOpen(true);
              setActive(-1);
            }}
            onBlur={() => {
              setTouched(true);
              setOpen(false);
            }}
          />
          <ul id="pull-any-suggestions" role="listbox" aria-label="Ollama library suggestions" className="pull-any-suggestions" hidden={!expanded}>
            {expanded
              ? options.map((o, i) => (
                  <li
                    key={o.value}
                    id={`pull-any-option-${i}`}
                    role="option"
                    aria-selected={i === active}
                    // mousedown, not click: the input's blur would close the list first.
                    onMouseDown={(e) => {
                      e.preventDefault();
                      pick(o.value);
                    }}
                  >
                    <span className="mono">{o.value}</span>
                    {o.detail ? <span className="muted small"> {o.detail}</span> : null}
                  </li>
                ))
              : null}
          </ul>
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
          Any tag from ollama.com/library (type a name for suggestions), or a GGUF on Hugging Face as hf.co/user/repo:quantization. A Hugging Face model's fit is read from its file header before the pull; any other's once it is downloaded.
        </p>
      )}
      {search && !search.available ? (
        <p role="note" aria-label="Library search" className="muted small">
          {search.reason === 'offline' ? 'Library search is unavailable offline — type any tag.' : 'Library search is unavailable right now — type any tag.'}
        </p>
      ) : null}
      {!problem ? <HfFitEstimate model={name.trim().replace(/^ollama\//, '')} contextLength={contextLength} /> : null}
      {job ? <PullProgress job={job} onCancel={() => void cancel(job.id)} onRetry={() => void pull(job.model)} /> : null}
    </section>
  );
}
