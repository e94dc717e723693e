import type { ApiService } from '../api';
import type { DomainHandlers } from './dispatcher';

/** `api.*`: Settings → API (the toggle and port themselves go through settings.update). */
export function buildApiHandlers(api: ApiService): DomainHandlers<'api'> {
  return {
    'api.status': () => api.status(),
    'api.rotateToken': () => api.rotateToken(),
  };
}
