import { getEnv } from '@/lib/env';
import { enginePrices, type Engine } from '@/lib/jobs';

/** Today's price of each engine: spec section 2's table with PRICE_OVERRIDES applied. */
export function currentPrices(): Record<Engine, number> {
  return { ...enginePrices, ...getEnv().PRICE_OVERRIDES };
}
