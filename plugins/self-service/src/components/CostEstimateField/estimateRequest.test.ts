import { estimateRequest } from './estimateRequest';

describe('estimateRequest', () => {
  it('needs a template', () => {
    expect(
      estimateRequest({ formData: { a: 1 }, ownName: 'cost' }),
    ).toBeUndefined();
  });

  it('leaves out the field itself and undefined values, and reads the team field', () => {
    expect(
      estimateRequest({
        templateRef: 'template:default/t',
        formData: {
          cost: 'x',
          size: 'small',
          empty: undefined,
          owner: 'group:platform/dba',
        },
        ownName: 'cost',
        teamField: 'owner',
      }),
    ).toEqual({
      templateRef: 'template:default/t',
      parameters: { size: 'small', owner: 'group:platform/dba' },
      team: 'group:platform/dba',
    });
  });

  it.each([[''], [42], [undefined]])('omits a team of %p', team => {
    expect(
      estimateRequest({
        templateRef: 'template:default/t',
        formData: { team },
        ownName: 'cost',
      }),
    ).not.toHaveProperty('team');
  });
});
