import { parsePriceBook } from './priceBook';
import { priceParameters, templateNameOf } from './priceParameters';

const book = parsePriceBook(`
version: v9
currency: EUR
hoursPerMonth: 700
templates:
  db:
    components:
      - { name: instance, by: size, hourly: { small: 0.1, large: 1 } }
      - { name: storage, per: storage_gb, unit: GB, monthly: 0.2 }
      - { name: backups, when: { backup: true }, per: storage_gb, unit: GB, monthly: 0.05 }
      - { name: standby, when: { environment: [production, staging] }, by: size, hourly: { small: 0.1, large: 1 } }
      - { name: support, monthly: 5 }
      - { name: nested, per: limits.connections, monthly: 0.01 }
  free-thing: { free: true }
`);

describe('priceParameters', () => {
  it('prices each applicable component with its explanation', () => {
    const estimate = priceParameters(book, 'template:default/db', {
      size: 'small',
      storage_gb: '100',
      backup: true,
      environment: 'dev',
      limits: { connections: 50 },
    });
    expect(estimate).toEqual({
      currency: 'EUR',
      priceBookVersion: 'v9',
      monthlyTotal: 100.5,
      unpriced: [],
      lines: [
        {
          item: 'db',
          monthly: 70,
          detail: 'instance: size=small 0.1/hour x 700 h',
        },
        { item: 'db', monthly: 20, detail: 'storage: 0.2/month x 100 GB' },
        { item: 'db', monthly: 5, detail: 'backups: 0.05/month x 100 GB' },
        { item: 'db', monthly: 5, detail: 'support: 5/month' },
        { item: 'db', monthly: 0.5, detail: 'nested: 0.01/month x 50' },
      ],
    });
  });

  it('applies `when` lists', () => {
    const estimate = priceParameters(book, 'db', {
      size: 'large',
      storage_gb: 0,
      backup: false,
      environment: 'staging',
      limits: { connections: 0 },
    });
    expect(estimate.lines.map(l => l.detail)).toContain(
      'standby: size=large 1/hour x 700 h',
    );
    expect(estimate.monthlyTotal).toBe(1405);
  });

  it('lists what it cannot price and never counts it as zero', () => {
    const estimate = priceParameters(book, 'db', {
      size: 'huge',
      storage_gb: 'lots',
      environment: 'dev',
    });
    expect(estimate.unpriced).toEqual([
      'db (instance)',
      'db (storage)',
      'db (backups)',
      'db (nested)',
    ]);
    expect(estimate.lines.find(l => l.detail?.startsWith('instance'))).toEqual({
      item: 'db',
      monthly: null,
      detail: 'instance: no price for size=huge',
    });
    expect(
      estimate.lines.find(l => l.detail?.startsWith('backups'))!.detail,
    ).toBe('backups: depends on backup, which is not set');
    expect(estimate.monthlyTotal).toBe(5);
  });

  it('lists a template missing from the book as unpriced', () => {
    expect(priceParameters(book, 'template:default/queue', {})).toEqual({
      currency: 'EUR',
      priceBookVersion: 'v9',
      monthlyTotal: 0,
      lines: [
        {
          item: 'queue',
          monthly: null,
          detail: 'template not in the price book',
        },
      ],
      unpriced: ['queue'],
    });
  });

  it('prices free templates at zero, as priced', () => {
    expect(priceParameters(book, 'free-thing', {})).toMatchObject({
      monthlyTotal: 0,
      unpriced: [],
      lines: [{ monthly: 0 }],
    });
  });

  it('does not read inherited properties', () => {
    expect(priceParameters(book, 'constructor', {}).unpriced).toEqual([
      'constructor',
    ]);
    const estimate = priceParameters(book, 'db', {
      size: 'toString',
      storage_gb: 1,
      backup: false,
      environment: 'dev',
      limits: { connections: 1 },
    });
    expect(estimate.unpriced).toEqual(['db (instance)']);
  });

  it('derives template names from refs', () => {
    expect(templateNameOf('template:default/postgres-database')).toBe(
      'postgres-database',
    );
    expect(templateNameOf('postgres-database')).toBe('postgres-database');
  });
});
