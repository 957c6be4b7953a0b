import { backendFor } from './stateBackend';

describe('backendFor', () => {
  const key = {
    team: 'team-a',
    template: 'postgres-database',
    requestKey: 'task-1',
  };

  it('keys a local state file by team, template and request', () => {
    expect(backendFor({ stateDirectory: '/state' }, key)).toEqual({
      type: 'local',
      config: {
        path: '/state/team-a/postgres-database/task-1/terraform.tfstate',
      },
    });
  });

  it('fills the placeholders of a configured backend', () => {
    expect(
      backendFor(
        {
          stateDirectory: '/unused',
          backend: {
            type: 's3',
            config: {
              bucket: 'b',
              key: 'ss/{team}/{template}/{requestKey}.tfstate',
              region: 'eu-west-1',
            },
          },
        },
        key,
      ),
    ).toEqual({
      type: 's3',
      config: {
        bucket: 'b',
        key: 'ss/team-a/postgres-database/task-1.tfstate',
        region: 'eu-west-1',
      },
    });
  });

  it.each(['..', '../x', 'a/b', '', '.hidden', 'a b', 'x'.repeat(200)])(
    'refuses the request key %j',
    requestKey => {
      expect(() =>
        backendFor({ stateDirectory: '/state' }, { ...key, requestKey }),
      ).toThrow(/cannot key Terraform state/);
    },
  );
});
