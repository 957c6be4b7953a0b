import type { CostEstimate } from '@internal/plugin-self-service-common';
import {
  type PriceBookLoader,
  priceParameters,
  templateNameOf,
} from '@internal/plugin-self-service-node';

/** Prices a template's parameters for the form's live estimate. @internal */
export interface CostEstimator {
  estimate(
    templateRef: string,
    parameters: Record<string, unknown>,
  ): Promise<CostEstimate>;
}

/**
 * Uses the price book from `selfService.priceBook.path`. Without one every
 * template is reported as not priced, never as free.
 * @internal
 */
export class PriceBookEstimator implements CostEstimator {
  constructor(
    private readonly loader: PriceBookLoader | undefined,
    private readonly currency: string,
  ) {}

  async estimate(
    templateRef: string,
    parameters: Record<string, unknown>,
  ): Promise<CostEstimate> {
    if (!this.loader) {
      const item = templateNameOf(templateRef);
      return {
        currency: this.currency,
        monthlyTotal: 0,
        lines: [{ item, monthly: null, detail: 'no price book is configured' }],
        unpriced: [item],
      };
    }
    return priceParameters(await this.loader.load(), templateRef, parameters);
  }
}
