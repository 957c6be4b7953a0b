import { createMockDirectory } from '@backstage/backend-test-utils';
import { promises as fs } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { fetchModule, moduleForTarget } from './workspace';

describe('fetchModule from a URL location', () => {
  const dir = createMockDirectory();
  const baseUrl =
    'https://github.com/acme/templates/blob/main/postgres/template.yaml';
  const integrations = {
    byUrl: () => ({
      resolveUrl: ({ url, base }: { url: string; base: string }) =>
        new URL(url, base).toString(),
    }),
  } as any;
  const reader = {
    readTree: jest.fn(async () => ({
      dir: async ({ targetDir }: { targetDir: string }) => {
        await fs.mkdir(targetDir, { recursive: true });
        await fs.writeFile(`${targetDir}/main.tf`, 'variable "name" {}');
        return targetDir;
      },
    })),
  } as any;

  beforeEach(() => {
    dir.clear();
    reader.readTree.mockClear();
  });

  it('reads the module next to the template through the URL reader', async () => {
    await fetchModule({
      templateInfo: { entityRef: 'template:default/x', baseUrl },
      modulePath: './module',
      destination: dir.resolve('work'),
      reader,
      integrations,
    });
    expect(reader.readTree).toHaveBeenCalledWith(
      'https://github.com/acme/templates/blob/main/postgres/module',
    );
    expect(await fs.readFile(dir.resolve('work/main.tf'), 'utf8')).toContain(
      'variable',
    );
  });

  it("refuses a module outside the template's directory", async () => {
    await expect(
      fetchModule({
        templateInfo: { entityRef: 'template:default/x', baseUrl },
        modulePath: '../other/module',
        destination: dir.resolve('work'),
        reader,
        integrations,
      }),
    ).rejects.toThrow(
      'module "../other/module" is outside the template\'s directory',
    );
    expect(reader.readTree).not.toHaveBeenCalled();
  });
});

describe('moduleForTarget', () => {
  const dir = createMockDirectory();
  beforeEach(() => {
    dir.clear();
    dir.setContent({
      'db/template.yaml': 'kind: Template',
      'db/module/main.tf': 'resource "aws_db_instance" "this" {}',
      'db/module-local/main.tf': 'resource "terraform_data" "database" {}',
    });
  });
  const baseUrl = () => pathToFileURL(dir.resolve('db/template.yaml')).toString();

  it("reads a target's sibling module where the template has one", async () => {
    expect(await moduleForTarget('./module', 'local', baseUrl())).toBe('./module-local');
    expect(await moduleForTarget('./module/', 'local', baseUrl())).toBe('./module-local');
    await fetchModule({
      templateInfo: { entityRef: 'template:default/db', baseUrl: baseUrl() },
      modulePath: './module',
      destination: dir.resolve('work'),
      target: 'local',
    });
    expect(await fs.readFile(dir.resolve('work/main.tf'), 'utf8')).toContain('terraform_data');
  });

  it('uses the module as written without a target, or without a variant for it', async () => {
    expect(await moduleForTarget('./module', undefined, baseUrl())).toBe('./module');
    expect(await moduleForTarget('./module', 'aws', baseUrl())).toBe('./module');
  });

  it('refuses a target that could name another path', async () => {
    await expect(moduleForTarget('./module', '../x', baseUrl())).rejects.toThrow(
      /selfService.terraform.target must be/,
    );
  });
});
