import type { ModelListStatus } from '../../../../shared/contract';
import { useProviders } from '../../stores/providers-store';

/** What a provider's live model list says, in a line a user reads (issue #15). */
export function modelListText(name: string, l: ModelListStatus | undefined): { ok: boolean; text: string } {
  if (!l) return { ok: true, text: 'Models: the bundled catalog' };
  const when = l.listedAt === null ? null : new Date(l.listedAt).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
  const kept = when ? `${l.count} models listed ${when}` : 'the bundled catalog';
  if (l.reason === 'no-key') return { ok: false, text: `Not refreshed: add a ${name} key first. Models: ${kept}.` };
  if (l.reason === 'offline') return { ok: false, text: `Not refreshed: offline mode is on. Models: ${kept}.` };
  if (l.error) return { ok: false, text: `Not refreshed (${l.error.message}). Still using: ${kept}.` };
  return { ok: true, text: `Models: ${kept}` };
}

/**
 * Settings → Providers: the provider's live model list (when it was read, how many models) and a
 * Refresh button that reads it now. New models the catalog has no price for are priced in
 * Settings → Prices (the link opens it).
 */
export function ModelListRefresh({ id, name, unpriced, onShowPrices }: { id: string; name: string; unpriced: number; onShowPrices: () => void }) {
  const l = useProviders((s) => s.lists[id]);
  const refresh = useProviders((s) => s.refreshModels);
  const running = l === 'running';
  const shown = modelListText(name, running ? undefined : l);
  return (
    <div className="model-list small">
      <span className={shown.ok ? 'muted' : 'bad'} role="note" aria-live="polite" aria-label={`Model list of ${name}`}>
        {running ? 'Reading the model list…' : shown.text}
      </span>{' '}
      <button type="button" className="small" onClick={() => void refresh(id)} disabled={running} aria-label={`Refresh models of ${name}`}>
        {running ? 'Refreshing…' : 'Refresh'}
      </button>
      {unpriced > 0 ? (
        <>
          {' '}
          <button type="button" className="link small" onClick={onShowPrices}>
            {unpriced === 1 ? '1 model without a price: set it in Prices' : `${unpriced} models without a price: set them in Prices`}
          </button>
        </>
      ) : null}
    </div>
  );
}
