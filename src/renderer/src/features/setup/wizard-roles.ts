import type { LocalRoleSettings, Recommendation } from '../../../../shared/contract';

/**
 * The wizard's picks as Settings' `localRoles` (issue #13): each role's recommended model when it
 * is installed or chosen for download. A role left out is resolved by the router to the best
 * installed model for it.
 */
export function wizardRoles(recommendation: Recommendation | null, selected: readonly string[]): LocalRoleSettings {
  const out: LocalRoleSettings = {};
  for (const r of recommendation?.roles ?? []) {
    if (r.model && (r.installed || selected.includes(r.model))) out[r.role] = r.model;
  }
  return out;
}
