export * from './priceBook';
export * from './priceBookLoader';
export * from './priceParameters';
export * from './pricePlan';
