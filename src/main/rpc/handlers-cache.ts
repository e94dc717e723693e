import type { AppCache } from '../cache/app-cache';
import type { DomainHandlers } from './dispatcher';

/** `cache.*`: Settings → Cache and the Dashboard's savings. Settings themselves go through settings.update. */
export function buildCacheHandlers(cache: AppCache): DomainHandlers<'cache'> {
  return {
    'cache.status': () => cache.overview(),
    'cache.stats': () => cache.service.stats(),
    'cache.clear': ({ resetStats }) => {
      const cleared = cache.service.stats().entries;
      cache.service.clear();
      if (resetStats) cache.service.resetStats();
      return { cleared };
    },
  };
}
