const { test } = require('node:test');
const assert = require('node:assert/strict');
const { BACKEND, api, eventually } = require('../lib/api');

test('the backend is ready', async () => {
  const res = await fetch(`${BACKEND}/.backstage/health/v1/readiness`);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).status, 'ok');
});

test('the catalog lists the example template, users and groups', async () => {
  const names = await eventually(async () => {
    const { body } = await api('guest', 'GET', '/api/catalog/entities/by-query?fields=kind,metadata.name&limit=200');
    const refs = (body.items ?? []).map(e => `${e.kind}:${e.metadata.name}`);
    return refs.includes('Template:postgres-database') && refs.includes('User:outsider') ? refs : undefined;
  }, 120000, 2000);
  for (const ref of [
    'Template:postgres-database',
    'User:dev',
    'User:lead',
    'User:dba-alice',
    'User:dba-bob',
    'User:finance',
    'User:outsider',
    'Group:team-a',
    'Group:dba',
    'Group:finance',
    'System:self-service-infrastructure',
  ]) {
    assert.ok(names.includes(ref), `catalog has ${ref}`);
  }
});

test('development sign-in resolves real group membership', async () => {
  const { body } = await api('lead', 'GET', '/api/auth/v1/userinfo');
  assert.equal(body.claims.sub, 'user:default/lead');
  assert.ok(body.claims.ent.includes('group:default/team-a-leads'));
  const unknown = await fetch(`${BACKEND}/api/auth/development/refresh`, {
    headers: { 'x-self-service-dev-user': 'nobody-here' },
  });
  assert.ok(unknown.status >= 400 && unknown.status < 500, `unknown user gets ${unknown.status}`);
});

test('the self-service backend answers its health route', async () => {
  const res = await fetch(`${BACKEND}/api/self-service/health`);
  assert.equal(res.status, 200);
});
