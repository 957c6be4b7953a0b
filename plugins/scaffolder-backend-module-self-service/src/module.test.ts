import {
  coreServices,
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import {
  selfServiceGuardrailsExtensionPoint,
  selfServiceTerraformExtensionPoint,
} from '@internal/plugin-self-service-node';
import { scaffolderModuleSelfService } from './module';
import { usage } from './__testUtils__/fakes';
import { runAction } from './__testUtils__/runAction';
import {
  readCalls,
  standinRunner,
  templateInfo,
} from './__testUtils__/terraform';

describe('scaffolderModuleSelfService', () => {
  const dir = createMockDirectory();
  const LAUNCHED = '3f1c2a64-1d0b-4f6e-9a43-4d1b1c1e2f3a';

  it('registers the actions, wires the backend client, the catalog, the price book and the extension points', async () => {
    dir.setContent({
      'price-book.yaml':
        'version: m1\ntemplates:\n  postgres-database:\n    components:\n      - { name: flat, monthly: 40 }\n',
    });
    const record = dir.resolve('calls.jsonl');
    const usageRequests: string[] = [];
    // the self-service backend's usage route, served over real HTTP
    const fakeSelfService = createBackendPlugin({
      pluginId: 'self-service',
      register(reg) {
        reg.registerInit({
          deps: { http: coreServices.httpRouter },
          async init({ http }) {
            http.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
            http.use((req: any, res: any, next: any) => {
              if (req.method === 'GET' && req.path === `/requests/${LAUNCHED}`)
                return res.json({ id: LAUNCHED, taskIds: ['task-original'] });
              if (req.method !== 'GET' || !req.path.startsWith('/teams/'))
                return next();
              usageRequests.push(decodeURIComponent(req.path.split('/')[2]));
              return res.json(
                usage({
                  budget: { limit: 100, live: 90 },
                  costCenter: 'CC-88',
                }),
              );
            });
          },
        });
      },
    });
    const extensions = createBackendModule({
      pluginId: 'scaffolder',
      moduleId: 'self-service-test-extensions',
      register(reg) {
        reg.registerInit({
          deps: {
            guardrails: selfServiceGuardrailsExtensionPoint,
            terraform: selfServiceTerraformExtensionPoint,
          },
          async init({ guardrails, terraform }) {
            guardrails.addRule({
              id: 'org-max-storage',
              require: { parameter: 'storage_gb', max: 200 },
            });
            terraform.setRunner(standinRunner({ record }));
          },
        });
      },
    });
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...a: any[]) => actions.push(...a) },
        ],
      ],
      features: [
        scaffolderModuleSelfService,
        extensions,
        fakeSelfService,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: {
                name: 'team-a',
                namespace: 'default',
                annotations: { 'self-service.io/cost-center': 'CC-77' },
              },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            selfService: {
              priceBook: { path: dir.resolve('price-book.yaml') },
              terraform: { stateDirectory: dir.resolve('state') },
            },
          },
        }),
      ],
    });
    expect(actions.map(a => a.id)).toEqual([
      'self-service:guardrails',
      'self-service:cost:estimate',
      'terraform:plan',
      'self-service:request',
      'terraform:apply',
      'terraform:destroy',
    ]);
    for (const action of actions) {
      expect(action.description).toBeTruthy();
      expect(action.examples?.length).toBeGreaterThan(0);
      expect(action.schema?.input).toMatchObject({ type: 'object' });
    }

    const guardrails = actions.find(a => a.id === 'self-service:guardrails')!;
    const { outputs, error } = await runAction(guardrails, {
      team: 'group:default/team-a',
      parameters: { storage_gb: 300, environment: 'dev' },
    });
    expect(usageRequests).toEqual(['group:default/team-a']);
    expect(outputs.tags['cost-center']).toBe('CC-88');
    expect(outputs.monthlyCost).toBe(40);
    expect(error?.message).toContain(
      'policy.org-max-storage: storage_gb is 300, at most 200 allowed',
    );
    expect(error?.message).toContain(
      "budget.exceeded: Team team-a's monthly budget of $100 would be exceeded",
    );

    // A run launched after approval reads no usage: the catalog gives the
    // team's cost center.
    const launched = await runAction(
      guardrails,
      {
        team: 'group:default/team-a',
        parameters: { storage_gb: 100, environment: 'dev' },
      },
      {
        taskId: 'task-launched',
        secrets: {
          selfServiceRequestId: LAUNCHED,
          selfServiceGrantToken: 'x'.repeat(40),
        },
      },
    );
    expect(launched.error).toBeUndefined();
    expect(launched.outputs.tags['cost-center']).toBe('CC-77');
    expect(usageRequests).toHaveLength(1);

    const plan = actions.find(a => a.id === 'terraform:plan')!;
    const planned = await runAction(
      plan,
      {
        module: './module',
        variables: { name: 'x' },
        tags: { team: 'team-a', 'request-key': 'task-1' },
      },
      {
        workspacePath: dir.resolve('workspace'),
        templateInfo: templateInfo('postgres'),
      },
    );
    expect(planned.error).toBeUndefined();
    expect((await readCalls(record)).map(c => c.argv[0])).toEqual([
      'init',
      'plan',
      'show',
    ]);
  });
});
