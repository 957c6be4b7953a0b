import { costDeltaText } from './costDelta';

describe('costDeltaText', () => {
  it('shows the old and new monthly cost and the signed difference', () => {
    expect(costDeltaText(20, 35, 'USD')).toBe('$20 → $35 per month (+$15)');
    expect(costDeltaText(412.5, 200.25, 'USD')).toBe(
      '$412.50 → $200.25 per month (-$212.25)',
    );
  });

  it('calls a difference below a cent no change', () => {
    expect(costDeltaText(20, 20.001, 'USD')).toBe(
      '$20 → $20 per month (no change)',
    );
  });
});
