import { expiryCountdown, extendedExpiry } from './expiry';

describe('expiry', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');

  it('counts down to the expiry with its date', () => {
    expect(expiryCountdown('2026-12-09T12:00:00Z', now)).toEqual({
      text: 'Expires in 6 days · 9 Dec 2026',
      soon: false,
      past: false,
    });
  });

  it('warns from three days before the expiry, and after it', () => {
    expect(expiryCountdown('2026-12-06T12:00:00Z', now)?.soon).toBe(true);
    expect(expiryCountdown('2026-12-06T13:00:00Z', now)?.soon).toBe(false);
    expect(expiryCountdown('2026-12-01T12:00:00Z', now)).toEqual({
      text: 'Expired 2 days ago · 1 Dec 2026',
      soon: true,
      past: true,
    });
    expect(expiryCountdown('soon', now)).toBeUndefined();
  });

  it('counts in days, not calendar weeks, and in hours on the last day', () => {
    expect(expiryCountdown('2026-12-13T12:00:00Z', now)?.text).toBe(
      'Expires in 10 days · 13 Dec 2026',
    );
    expect(expiryCountdown('2026-12-04T12:00:00Z', now)?.text).toBe(
      'Expires tomorrow · 4 Dec 2026',
    );
    expect(expiryCountdown('2026-12-03T17:00:00Z', now)?.text).toBe(
      'Expires in 5 hours · 3 Dec 2026',
    );
  });

  it('moves the expiry by the days of an extension', () => {
    expect(extendedExpiry('2026-12-09T12:00:00.000Z', 14)).toBe(
      '2026-12-23T12:00:00.000Z',
    );
    expect(extendedExpiry(undefined, 14)).toBeUndefined();
  });
});
