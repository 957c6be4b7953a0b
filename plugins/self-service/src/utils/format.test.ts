import {
  eventLabel,
  formatMoney,
  formatRelative,
  formatValue,
  shortRef,
  stateLabel,
} from './format';

describe('format', () => {
  it('formats money and survives an unknown currency', () => {
    expect(formatMoney(412.5, 'USD')).toBe('$412.50');
    expect(formatMoney(3, 'NOTACURRENCY')).toBe('3 NOTACURRENCY');
  });

  it('formats relative times', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(formatRelative('2026-01-07T12:00:00Z', now)).toBe('3 days ago');
    expect(formatRelative('2026-01-10T14:00:00Z', now)).toBe('in 2 hours');
    // A week's expiry looked at a minute after it was set.
    expect(formatRelative('2026-01-17T11:59:00Z', now)).toBe('in 7 days');
    expect(formatRelative('2026-01-08T13:00:00Z', now)).toBe('2 days ago');
    expect(formatRelative('not a date', now)).toBe('not a date');
  });

  it('labels states and refs', () => {
    expect(stateLabel('pending_approval')).toBe('pending approval');
    expect(shortRef('template:default/postgres-database')).toBe(
      'postgres-database',
    );
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(null)).toBe('null');
  });
});

describe('eventLabel', () => {
  const stages = [{ name: 'team-lead' }, { name: 'dba' }];
  it.each([
    ['approved-stage-0', 'Approved (stage 1: team-lead)'],
    ['rejected-stage-1', 'Rejected (stage 2: dba)'],
    ['approved-stage-5', 'Approved (stage 6)'],
    ['auto-approved', 'Approved automatically'],
    ['some-new_code', 'Some new code'],
  ])('%s', (action, words) => {
    expect(eventLabel(action, stages)).toBe(words);
  });
});
