import type { PlanSummary } from '@internal/plugin-self-service-common';
import {
  canonicalJson,
  hashParameters,
  hashPlanSummary,
  planChangeSet,
} from './hashing';

describe('hashing', () => {
  it('serialises canonically: sorted keys at every level, undefined dropped', () => {
    expect(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: undefined }], c: null } }),
    ).toBe('{"a":{"c":null,"d":[2,{"f":1}]},"b":1}');
    expect(canonicalJson([undefined, 'x'])).toBe('[null,"x"]');
  });

  it('hashes parameters independently of key order', () => {
    expect(hashParameters({ a: 1, b: 'x' })).toBe(
      hashParameters({ b: 'x', a: 1 }),
    );
    expect(hashParameters({ a: 1 })).not.toBe(hashParameters({ a: '1' }));
    expect(hashParameters({})).toMatch(/^[0-9a-f]{64}$/);
  });

  const summary = (resources: PlanSummary['resources']) => ({ resources });
  const r = (address: string, action: any, changes: any[] = []) => ({
    address,
    type: 't',
    mode: 'managed' as const,
    action,
    changes,
  });

  it('covers addresses, actions and after values of the change set only', () => {
    const base = summary([
      r('a.one', 'create', [
        { path: 'x', after: 1 },
        { path: 'id', afterUnknown: true },
      ]),
      r('a.two', 'update', [{ path: 'y', before: 1, after: 2 }]),
      r('a.same', 'no-op'),
      r('data.d', 'read'),
    ]);
    expect(planChangeSet(base)).toEqual([
      {
        address: 'a.one',
        action: 'create',
        after: [
          ['id', { unknown: true }],
          ['x', 1],
        ],
      },
      { address: 'a.two', action: 'update', after: [['y', 2]] },
    ]);
    const h = hashPlanSummary(base);
    // before values, no-ops, reads and order do not matter
    expect(
      hashPlanSummary(
        summary([
          r('a.two', 'update', [{ path: 'y', before: 99, after: 2 }]),
          r('a.one', 'create', [
            { path: 'id', afterUnknown: true },
            { path: 'x', after: 1 },
          ]),
        ]),
      ),
    ).toBe(h);
    // after values, actions and addresses do
    expect(
      hashPlanSummary(
        summary([
          r('a.one', 'create', [
            { path: 'x', after: 2 },
            { path: 'id', afterUnknown: true },
          ]),
          r('a.two', 'update', [{ path: 'y', after: 2 }]),
        ]),
      ),
    ).not.toBe(h);
    expect(
      hashPlanSummary(
        summary([
          r('a.one', 'replace', [
            { path: 'x', after: 1 },
            { path: 'id', afterUnknown: true },
          ]),
          r('a.two', 'update', [{ path: 'y', after: 2 }]),
        ]),
      ),
    ).not.toBe(h);
    expect(
      hashPlanSummary(
        summary([
          r('a.one', 'create', [
            { path: 'x', after: 1 },
            { path: 'id', afterUnknown: true },
          ]),
        ]),
      ),
    ).not.toBe(h);
  });
});
