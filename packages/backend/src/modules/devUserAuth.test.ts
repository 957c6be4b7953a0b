import { ConfigReader } from '@backstage/config';
import type { Request } from 'express';
import { DEV_USER_HEADER, devUserAuthenticator } from './devUserAuth';

function request(user?: string) {
  return { header: (name: string) => (name === DEV_USER_HEADER ? user : undefined) } as unknown as Request;
}

describe('development user sign-in', () => {
  const env = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = env;
  });

  it('signs in as the named example user in development', async () => {
    process.env.NODE_ENV = 'development';
    const ctx = devUserAuthenticator.initialize({ config: new ConfigReader({}) });
    await expect(devUserAuthenticator.authenticate({ req: request('dba-alice') }, ctx)).resolves.toEqual({
      result: { userName: 'dba-alice' },
    });
  });

  it.each([undefined, '', 'user:default/x', '../admin', 'A'.repeat(80)])(
    'refuses a malformed user name %p',
    async name => {
      process.env.NODE_ENV = 'development';
      const ctx = devUserAuthenticator.initialize({ config: new ConfigReader({}) });
      await expect(devUserAuthenticator.authenticate({ req: request(name) }, ctx)).rejects.toThrow(
        /must name an example user/,
      );
    },
  );

  it('refuses to run outside development', async () => {
    process.env.NODE_ENV = 'production';
    const ctx = devUserAuthenticator.initialize({ config: new ConfigReader({}) });
    await expect(devUserAuthenticator.authenticate({ req: request('dev') }, ctx)).rejects.toThrow(
      /only runs in development/,
    );
  });
});
