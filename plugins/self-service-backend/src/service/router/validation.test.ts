import { as, startHarness, type TestHarness } from '../../__testUtils__/backend';
import { ALICE, BOB, requestBody, sha } from '../../__testUtils__/fixtures';
import { createTestDatabases } from '../../__testUtils__/store';

jest.setTimeout(60_000);

const API = '/api/self-service';
const ID = '3f2b8c1e-4a5d-4e6f-8a7b-9c0d1e2f3a4b';
const SCAFFOLDER = as.service('plugin:scaffolder');

type Case = {
  name: string;
  method: 'get' | 'post';
  path: string;
  auth: string;
  body?: unknown;
  raw?: string;
  status?: number;
  /** The field at fault, which the message must name (`field:` or `"field"`). */
  names: string;
  /** When `names` is plain text to find rather than a field path. */
  text?: boolean;
};

const createBody = (patch: Record<string, unknown>) => {
  const body: Record<string, unknown> = { ...requestBody(), ...patch };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete body[key];
  }
  return body;
};
const stage = { name: 'lead', groups: ['group:default/team-a-leads'], quorum: 1 };
const create = (name: string, patch: Record<string, unknown>, names: string): Case => ({
  name: `create: ${name}`,
  method: 'post',
  path: `${API}/requests`,
  auth: as.scaffolderFor(ALICE),
  body: createBody(patch),
  names,
});
const list = (query: string, names: string): Case => ({
  name: `list: ?${query}`,
  method: 'get',
  path: `${API}/requests?${query}`,
  auth: as.user(ALICE),
  names,
});
const decide = (name: string, id: string, body: unknown, names: string, status = 400): Case => ({
  text: status === 404,
  name: `decide: ${name}`,
  method: 'post',
  path: `${API}/requests/${id}/decisions`,
  auth: as.user(BOB),
  body,
  names,
  status,
});
const redeem = (name: string, patch: Record<string, unknown>, names: string): Case => ({
  name: `redeem: ${name}`,
  method: 'post',
  path: `${API}/grants/redeem`,
  auth: SCAFFOLDER,
  body: {
    requestId: ID,
    templateRef: 'template:default/postgres-database',
    parametersHash: sha('p'),
    planHash: sha('plan'),
    taskId: 'task-1',
    token: 't'.repeat(43),
    ...patch,
  },
  names,
});

const status = (name: string, outputs: unknown, names: string, state = 'succeeded'): Case => ({
  name: `status: ${name}`,
  method: 'post',
  path: `${API}/requests/${ID}/status`,
  auth: SCAFFOLDER,
  body: { state, taskId: 't', outputs },
  names,
});

const CASES: Case[] = [
  create('empty body', { templateRef: undefined, cost: undefined }, 'templateRef'),
  create('bad template ref', { templateRef: 'postgres' }, 'templateRef'),
  create('steps hash not sha256', { templateStepsHash: 'abc' }, 'templateStepsHash'),
  create('parameters not an object', { parameters: 'x' }, 'parameters'),
  create('parameters hash a number', { parametersHash: 123 }, 'parametersHash'),
  create('team without kind', { team: 'team-a' }, 'team'),
  create('unknown environment', { environment: 'prod' }, 'environment'),
  create('category too long', { category: 'c'.repeat(101) }, 'category'),
  create('justification a number', { justification: 5 }, 'justification'),
  create('finding without code', { findings: [{ code: '', severity: 'deny', message: 'm' }] }, 'findings.0.code'),
  create('finding severity', { findings: [{ code: 'c', severity: 'fatal', message: 'm' }] }, 'findings.0.severity'),
  create('negative cost', { cost: { currency: 'USD', monthlyTotal: -5, lines: [], unpriced: [] } }, 'cost.monthlyTotal'),
  create('cost lines a string', { cost: { currency: 'USD', monthlyTotal: 5, lines: 'x', unpriced: [] } }, 'cost.lines'),
  create('missing cost', { cost: undefined }, 'cost'),
  create('plan hash not hex', { planHash: 'zz' }, 'planHash'),
  create('plan file digest not sha256', { planFileDigest: 'abc' }, 'planFileDigest'),
  create('parameters hash of other parameters', { parametersHash: sha('other') }, 'parametersHash'),
  create('plan hash of another plan', { planHash: sha('other plan') }, 'planHash'),
  create('plan summary counts', { planSummary: { counts: {}, resources: [] } }, 'planSummary.counts.create'),
  create('empty stage name', { approvalPolicy: { stages: [{ ...stage, name: '' }] } }, 'approvalPolicy.stages.0.name'),
  create('stage group not a ref', { approvalPolicy: { stages: [{ ...stage, groups: ['leads'] }] } }, 'approvalPolicy.stages.0.groups.0'),
  create('zero quorum', { approvalPolicy: { stages: [{ ...stage, quorum: 0 }] } }, 'approvalPolicy.stages.0.quorum'),
  create('too many stages', { approvalPolicy: { stages: Array(11).fill(stage) } }, 'approvalPolicy.stages'),
  create('expiry not a datetime', { expiresAt: 'tomorrow' }, 'expiresAt'),
  create('empty task id', { taskId: '' }, 'taskId'),
  create('missing step id', { stepId: undefined }, 'stepId'),
  create('unknown key', { admin: true }, 'admin'),
  { name: 'create: array body', method: 'post', path: `${API}/requests`, auth: as.scaffolderFor(ALICE), body: [1], names: 'expected object', text: true },
  { name: 'create: broken JSON', method: 'post', path: `${API}/requests`, auth: as.scaffolderFor(ALICE), raw: '{"templateRef": ', names: 'not valid JSON', text: true },
  decide('id not a uuid', 'not-a-uuid', { decision: 'approve' }, 'id'),
  decide('id with SQL', "1'; DROP TABLE requests; --", { decision: 'approve' }, 'id'),
  decide('unknown decision', ID, { decision: 'maybe' }, 'decision'),
  decide('reject without comment', ID, { decision: 'reject' }, 'comment'),
  decide('comment too long', ID, { decision: 'approve', comment: 'x'.repeat(2001) }, 'comment'),
  decide('unknown key', ID, { decision: 'approve', stage: 3 }, 'stage'),
  decide('unknown request', ID, { decision: 'approve' }, ID, 404),
  list('limit=0', 'limit'),
  list('limit=abc', 'limit'),
  list('limit=1000', 'limit'),
  list('state=bogus', 'state'),
  list('state=pending_approval&state=nope', 'state'),
  list('mine=yes', 'mine'),
  list('team=nope', 'team'),
  list('template=bad%20ref', 'template'),
  list('cursor=garbage', 'cursor'),
  list('cursor=WyJ4IiwieSJd', 'cursor'),
  list('sort=asc', 'sort'),
  list('state[a]=b', 'state'),
  { name: 'detail: id not a uuid', method: 'get', path: `${API}/requests/abc`, auth: as.user(ALICE), names: 'id' },
  { name: 'cancel: id not a uuid', method: 'post', path: `${API}/requests/xyz/cancel`, auth: as.user(ALICE), names: 'id' },
  { name: 'cancel: unknown request', method: 'post', path: `${API}/requests/${ID}/cancel`, auth: as.user(ALICE), names: ID, status: 404, text: true },
  { name: 'usage: not a ref', method: 'get', path: `${API}/teams/team-a/usage`, auth: as.user(ALICE), names: 'ref' },
  { name: 'usage: a user ref', method: 'get', path: `${API}/teams/${encodeURIComponent('user:default/alice')}/usage`, auth: as.user(ALICE), names: 'ref' },
  { name: 'inbox: negative limit', method: 'get', path: `${API}/inbox?limit=-1`, auth: as.user(BOB), names: 'limit' },
  { name: 'inbox: bad cursor', method: 'get', path: `${API}/inbox?cursor=x`, auth: as.user(BOB), names: 'cursor' },
  redeem('request id not a uuid', { requestId: 'nope' }, 'requestId'),
  redeem('plan hash not hex', { planHash: 'xyz' }, 'planHash'),
  redeem('plan file digest a number', { planFileDigest: 7 }, 'planFileDigest'),
  redeem('token too short', { token: 'abc' }, 'token'),
  redeem('missing task id', { taskId: undefined }, 'taskId'),
  redeem('unknown key', { grantId: ID }, 'grantId'),
  { name: 'estimate: bad template ref', method: 'post', path: `${API}/estimate`, auth: as.user(ALICE), body: { templateRef: 'x', parameters: {} }, names: 'templateRef' },
  { name: 'estimate: team a user', method: 'post', path: `${API}/estimate`, auth: as.user(ALICE), body: { templateRef: 'template:default/x', parameters: {}, team: 'user:default/alice' }, names: 'team' },
  { name: 'status: not a reportable state', method: 'post', path: `${API}/requests/${ID}/status`, auth: SCAFFOLDER, body: { state: 'approved', taskId: 't' }, names: 'state' },
  { name: 'status: resource ref', method: 'post', path: `${API}/requests/${ID}/status`, auth: SCAFFOLDER, body: { state: 'succeeded', taskId: 't', resourceRefs: ['db'] }, names: 'resourceRefs.0' },
  status('output name with a space', { 'db host': 'x' }, 'outputs.db host'),
  status('output value too long', { endpoint: 'x'.repeat(2001) }, 'outputs.endpoint'),
  status('output value an object', { endpoint: { host: 'x' } }, 'outputs.endpoint'),
  status('51 outputs', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`o${i}`, i])), 'outputs'),
  status('outputs on a failure', { a: 1 }, 'outputs', 'failed'),
];

const messages: string[] = [];
afterAll(() => {
  if (process.env.SHOW_MESSAGES) console.log(messages.join('\n'));
});

describe('malformed input', () => {
  const databases = createTestDatabases();

  it('has a large table', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  describe.each(databases.eachSupportedId())('on %p', databaseId => {
    let h: TestHarness;
    beforeAll(async () => {
      h = await startHarness({ knex: await databases.init(databaseId) });
    });

    it.each(CASES.map(c => [c.name, c] as const))('%s -> 4xx naming the field', async (_name, c) => {
      let call = h.http[c.method](c.path).set('authorization', c.auth);
      if (c.raw !== undefined) {
        call = call.set('content-type', 'application/json').send(c.raw);
      } else if (c.body !== undefined) {
        call = call.send(c.body as object);
      }
      const res = await call;
      expect(res.status).toBe(c.status ?? 400);
      const named = c.text
        ? c.names
        : new RegExp(`(^|[ "])${c.names.replace(/\./g, '\\.')}("|:)`);
      expect(res.body.error.message).toMatch(named);
      messages.push(`${res.status} ${c.name}: ${res.body.error.message}`);
    });
  });
});
