import { useEffect, useState } from 'react';
import type { AvailableModel } from '../../../../shared/contract';
import { client } from '../../client/switchboard-client';
import { errorText } from '../../stores/errors';
import { useProviders } from '../../stores/providers-store';
import { useSettings } from '../../stores/settings-store';

/** Settings → Providers → Prices: the catalog's USD per 1M tokens, editable per model. */
export function PriceOverridesSection() {
  const { settings, update } = useSettings();
  const [models, setModels] = useState<AvailableModel[]>([]);
  const [error, setError] = useState<string | null>(null);
  const overrides = settings?.priceOverrides ?? {};
  const listsVersion = useProviders((s) => s.listsVersion);
  const open = useProviders((s) => s.pricesOpen);
  const setOpen = useProviders((s) => s.setPricesOpen);

  const load = () =>
    client()
      .invoke('providers.catalog', {})
      // Models with a price, and paid models a provider lists whose price nobody knows yet (issue #15).
      .then((all) => setModels(all.filter((m) => m.tier !== 'local' && (m.price || (m.tier === 'paid' && m.available)))))
      .catch((e: unknown) => setError(errorText(e)));
  useEffect(() => {
    void load();
  }, [listsVersion]);

  const save = async (id: string, price: { input: number; output: number } | null) => {
    const next = { ...overrides };
    if (price) next[id] = { ...next[id], ...price };
    else delete next[id];
    if (await update({ priceOverrides: next })) await load();
  };

  return (
    <details className="price-overrides" id="prices" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Prices (USD per 1M tokens) — change them if your plan or a provider's price differs</summary>
      {error ? <p className="bad">{error}</p> : null}
      <table className="providers">
        <thead>
          <tr>
            <th>Model</th>
            <th>Input</th>
            <th>Output</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <PriceRow key={`${m.id}:${m.price?.input}:${m.price?.output}`} model={m} overridden={m.id in overrides} onSave={(p) => void save(m.id, p)} />
          ))}
        </tbody>
      </table>
    </details>
  );
}

function PriceRow({ model, overridden, onSave }: { model: AvailableModel; overridden: boolean; onSave: (price: { input: number; output: number } | null) => void }) {
  const [input, setInput] = useState(model.price ? String(model.price.input) : '');
  const [output, setOutput] = useState(model.price ? String(model.price.output) : '');
  const valid = Number.isFinite(Number(input)) && Number(input) >= 0 && Number.isFinite(Number(output)) && Number(output) >= 0 && input !== '' && output !== '';
  return (
    <tr aria-label={`Price of ${model.id}`}>
      <td>
        {model.id}
        {overridden ? <span className="muted small"> · your price</span> : null}
        {!model.price ? <span className="bad small"> · price unknown: the budget counts it at {model.provider}'s dearest price until you set one</span> : null}
      </td>
      <td>
        <input aria-label={`${model.id} input price`} inputMode="decimal" value={input} onChange={(e) => setInput(e.target.value)} size={8} />
      </td>
      <td>
        <input aria-label={`${model.id} output price`} inputMode="decimal" value={output} onChange={(e) => setOutput(e.target.value)} size={8} />
      </td>
      <td className="actions">
        <button type="button" className="small" disabled={!valid} onClick={() => onSave({ input: Number(input), output: Number(output) })}>
          Save
        </button>
        {overridden ? (
          <button type="button" className="small" onClick={() => onSave(null)}>
            Reset
          </button>
        ) : null}
      </td>
    </tr>
  );
}
