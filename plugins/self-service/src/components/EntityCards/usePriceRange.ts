import { stringifyEntityRef, type Entity } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { selfServiceApiRef } from '../../api';
import { ANNOTATION_PRICE_RANGE } from '../../annotations';
import { formatMoney } from '../../utils/format';
import { priceRangeParameters } from './templatePriceRange';

export type PriceRange =
  | {
      source: 'estimate';
      min: number;
      max: number;
      currency: string;
      unpriced: boolean;
    }
  | { source: 'annotation'; text: string }
  | { source: 'none' };

/** Formats an estimated range; one price when both ends agree. */
export function formatRange(range: {
  min: number;
  max: number;
  currency: string;
}): string {
  const low = formatMoney(range.min, range.currency);
  const high = formatMoney(range.max, range.currency);
  return low === high ? `${low} per month` : `${low} – ${high} per month`;
}

/**
 * The price range of a template: estimated for its cheapest and dearest
 * options when the template is simple enough, else its price-range
 * annotation. An estimate the backend refuses falls back to the annotation.
 */
export function usePriceRange(entity: Entity) {
  const api = useApi(selfServiceApiRef);
  return useAsync(async (): Promise<PriceRange> => {
    const annotation = entity.metadata.annotations?.[ANNOTATION_PRICE_RANGE];
    const fallback: PriceRange = annotation
      ? { source: 'annotation', text: annotation }
      : { source: 'none' };
    const options = priceRangeParameters(entity);
    if (!options) {
      return fallback;
    }
    const templateRef = stringifyEntityRef(entity);
    try {
      const [low, high] = await Promise.all([
        api.estimate({ templateRef, parameters: options.min }),
        api.estimate({ templateRef, parameters: options.max }),
      ]);
      return {
        source: 'estimate',
        min: Math.min(low.monthlyTotal, high.monthlyTotal),
        max: Math.max(low.monthlyTotal, high.monthlyTotal),
        currency: low.currency,
        unpriced: low.unpriced.length + high.unpriced.length > 0,
      };
    } catch {
      return fallback;
    }
  }, [api, entity]);
}
