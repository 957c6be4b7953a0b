/**
 * Template annotation with a human price range, e.g. `$20–$400 / month`,
 * shown when the range cannot be estimated from the template's options.
 * @public
 */
export const ANNOTATION_PRICE_RANGE = 'self-service.io/price-range';
