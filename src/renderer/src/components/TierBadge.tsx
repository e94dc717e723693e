import type { Tier } from '../../../shared/contract';
import { TIER_LABEL } from './usd';

export function TierBadge({ tier }: { tier: Tier }) {
  return (
    <span className={`tier tier-${tier}`} title={`Tier: ${TIER_LABEL[tier]}`}>
      {TIER_LABEL[tier]}
    </span>
  );
}
