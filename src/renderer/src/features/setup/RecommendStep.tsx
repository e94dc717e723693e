import type { RoleRecommendation } from '../../../../shared/contract';
import { formatBytes, formatContext } from '../../../../shared/format';
import { useSetup } from '../../stores/setup-store';
import { FitBadge } from '../models/FitBadge';
import { FitBar } from '../models/FitBar';

export const ROLE_TEXT: Record<RoleRecommendation['role'], { title: string; what: string }> = {
  router: { title: 'Router', what: 'reads each request and picks the cheapest model that can answer it' },
  coder: { title: 'Coder', what: 'writes and edits code' },
  validator: { title: 'Validator', what: 'checks answers and builds before you see them' },
  chat: { title: 'Chat', what: 'everyday questions and writing' },
  embeddings: { title: 'Embeddings', what: 'finds related conversations and documents' },
};

function RoleCard({ role }: { role: RoleRecommendation }) {
  const { recommendation, selected, toggle } = useSetup();
  const text = ROLE_TEXT[role.role];
  const onGpu = role.placement === 'gpu' || role.placement === 'swap';
  const capacity = onGpu ? (recommendation?.gpuBudgetBytes ?? 0) : (recommendation?.ramBudgetBytes ?? 0);
  return (
    <article className="role-card" aria-label={`${text.title}: ${role.model ?? 'none'}`}>
      <header className="role-head">
        <div>
          <div className="role-title">
            {text.title} <span className="muted small">— {text.what}</span>
          </div>
          <div className="role-model">{role.model ?? 'No local model'}</div>
        </div>
        {role.model ? (
          role.installed ? (
            <span className="ok small">✓ Installed</span>
          ) : (
            <label className="check">
              <input type="checkbox" checked={selected.includes(role.model)} onChange={(e) => toggle(role.model!, e.target.checked)} />
              Download {role.downloadBytes ? formatBytes(role.downloadBytes) : ''}
            </label>
          )
        ) : null}
      </header>
      {role.fit ? (
        <>
          <div className="role-fit">
            <FitBadge fit={role.fit} />
            <span className="muted small">
              at {formatContext(role.contextLength)} context
              {role.placement === 'swap' ? ' · loads when needed, swapping with the coder' : role.placement === 'cpu' && recommendation?.tier !== 'cpu-only' ? ' · kept on the CPU so the coder stays in VRAM' : ''}
            </span>
          </div>
          <FitBar fit={role.fit} capacityBytes={capacity} capacityLabel={onGpu ? 'free VRAM' : 'RAM for models'} />
        </>
      ) : null}
      <p className="role-reason small">{role.reason}</p>
    </article>
  );
}

export function RecommendStep() {
  const { recommendation, selected } = useSetup();
  const sizes = new Map((recommendation?.roles ?? []).filter((r) => r.model).map((r) => [r.model!, r.downloadBytes ?? 0]));
  const total = selected.reduce((sum, m) => sum + (sizes.get(m) ?? 0), 0);
  return (
    <section aria-labelledby="step-models">
      <h2 id="step-models">Recommended models</h2>
      <p className="muted">
        One model per job, chosen for what fits your computer. The bar shows the memory each needs — weights, the KV cache for its context, and Ollama&apos;s working buffers —
        against what you have.
      </p>
      {!recommendation ? (
        <p className="muted">Working out what fits…</p>
      ) : (
        <>
          <div className="role-list">
            {recommendation.roles.map((r) => (
              <RoleCard key={r.role} role={r} />
            ))}
          </div>
          {recommendation.swapNote ? <p className="muted small">{recommendation.swapNote}</p> : null}
          <p className="download-total">
            {selected.length === 0 ? 'Nothing selected to download.' : `${selected.length} model${selected.length > 1 ? 's' : ''} selected, ${formatBytes(total)} to download.`}
          </p>
        </>
      )}
    </section>
  );
}
