import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadPriceBook, parsePriceBook } from './priceBook';
import { PriceBookLoader } from './priceBookLoader';
import { priceParameters } from './priceParameters';

describe('price book', () => {
  it('parses the example price book in examples/', async () => {
    const book = await loadPriceBook(
      resolve(__dirname, '../../../../examples/price-book.yaml'),
    );
    expect(book.version).toBe('2026-11-01');
    expect(book.currency).toBe('USD');
    expect(Object.keys(book.templates)).toEqual([
      'postgres-database',
      'object-storage-bucket',
      'message-queue',
    ]);
    const estimate = priceParameters(
      book,
      'template:default/postgres-database',
      {
        instance_size: 'medium',
        storage_gb: 100,
        backup_enabled: true,
        environment: 'production',
      },
    );
    expect(estimate.unpriced).toEqual([]);
    expect(estimate.monthlyTotal).toBe(122.46);
    for (const type of [
      'aws_db_instance',
      'random_password',
      'terraform_data',
      'aws_s3_bucket',
      'aws_sqs_queue',
    ]) {
      expect(book.resources[type]).toBeDefined();
    }
  });

  it('fills defaults', () => {
    expect(parsePriceBook('version: 3')).toEqual({
      version: '3',
      currency: 'USD',
      hoursPerMonth: 730,
      templates: {},
      resources: {},
    });
  });

  it.each([
    ['no version', 'templates: {}', /\(root\)|version/],
    [
      'a table without by',
      'version: 1\ntemplates:\n  t:\n    components:\n      - { name: a, monthly: { s: 1 } }',
      /templates\.t\.components\.0\.by: a price table needs `by`/,
    ],
    [
      'both monthly and hourly',
      'version: 1\nresources:\n  r:\n    components:\n      - { name: a, monthly: 1, hourly: 1 }',
      /resources\.r\.components\.0: give exactly one of monthly, hourly/,
    ],
    [
      'a negative price',
      'version: 1\nresources:\n  r:\n    components:\n      - { name: a, monthly: -1 }',
      /resources\.r\.components\.0\.monthly/,
    ],
    [
      'an entry neither free nor priced',
      'version: 1\nresources:\n  r: { description: x }',
      /resources\.r: give either free: true or components/,
    ],
    ['an unknown key', 'version: 1\nprices: {}', /Unrecognized key.*prices/],
    ['broken YAML', 'version: [1', /is not valid YAML/],
  ])('rejects %s, naming the field', (_what, yaml, message) => {
    expect(() => parsePriceBook(yaml, 'book.yaml')).toThrow(message);
    expect(() => parsePriceBook(yaml, 'book.yaml')).toThrow(/^book\.yaml /);
  });

  it('reloads the file when it changes', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'price-book-'));
    const file = join(dir, 'book.yaml');
    await fs.writeFile(file, 'version: a');
    const loader = new PriceBookLoader(file);
    expect((await loader.load()).version).toBe('a');
    expect(await loader.load()).toBe(await loader.load());
    await fs.writeFile(file, 'version: b');
    await fs.utimes(file, new Date(), new Date(Date.now() + 5000));
    expect((await loader.load()).version).toBe('b');
    await fs.rm(dir, { recursive: true });
  });

  it('is configured by selfService.priceBook.path', () => {
    const config = {
      getOptionalString: (key: string) =>
        key === 'selfService.priceBook.path' ? 'book.yaml' : undefined,
    } as any;
    expect(PriceBookLoader.fromConfig(config)!.path).toBe(resolve('book.yaml'));
    expect(
      PriceBookLoader.fromConfig({ getOptionalString: () => undefined } as any),
    ).toBeUndefined();
  });
});
