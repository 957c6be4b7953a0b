import { makeTemplate } from '../../__testUtils__/templateEntity';
import { priceRangeParameters } from './templatePriceRange';

describe('priceRangeParameters', () => {
  it('takes the first and last enum values, the bounds, and the defaults', () => {
    expect(priceRangeParameters(makeTemplate())).toEqual({
      min: { instance_size: 'small', storage_gb: 20, backup_enabled: true },
      max: { instance_size: 'large', storage_gb: 500, backup_enabled: true },
    });
  });

  it('is not simple with conditional schemas or nothing that varies', () => {
    expect(
      priceRangeParameters(
        makeTemplate({
          spec: {
            parameters: {
              properties: { size: { enum: ['a', 'b'] } },
              dependencies: {},
            },
          },
        }),
      ),
    ).toBeUndefined();
    expect(
      priceRangeParameters(
        makeTemplate({
          spec: { parameters: { properties: { name: { type: 'string' } } } },
        }),
      ),
    ).toBeUndefined();
  });

  it('is not simple with too many options', () => {
    const properties = Object.fromEntries(
      ['a', 'b', 'c', 'd', 'e'].map(name => [name, { enum: [1, 2] }]),
    );
    expect(
      priceRangeParameters(
        makeTemplate({ spec: { parameters: { properties } } }),
      ),
    ).toBeUndefined();
  });
});
