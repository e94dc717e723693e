import { describe, expect, it } from 'vitest';
import type { Recommendation, RoleRecommendation } from '../../../../shared/contract';
import { wizardRoles } from './wizard-roles';

const role = (r: RoleRecommendation['role'], model: string | null, installed: boolean): RoleRecommendation => ({
  role: r, model, installed, contextLength: 4096, fit: null, placement: null, reason: '', downloadBytes: null,
});

describe('wizardRoles', () => {
  it('keeps the roles whose model is installed or chosen for download', () => {
    const recommendation = {
      roles: [role('router', 'phi4-mini', true), role('coder', 'qwen2.5-coder:14b', false), role('chat', 'gemma3:12b', false), role('embeddings', null, false)],
    } as unknown as Recommendation;
    expect(wizardRoles(recommendation, ['qwen2.5-coder:14b'])).toEqual({ router: 'phi4-mini', coder: 'qwen2.5-coder:14b' });
    expect(wizardRoles(null, [])).toEqual({});
  });
});
