import { spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from './lint';

const REPO = resolve(__dirname, '../../../..');
const BIN = resolve(__dirname, '../../bin/self-service-lint.js');
const EXAMPLE = readFileSync(
  join(REPO, 'examples/templates/postgres-database/template.yaml'),
  'utf8',
);
/** The example with its apply step no longer gated on the approval. */
const UNGATED = EXAMPLE.replace(
  '      if: ${{ steps.request.output.approved }}\n',
  '      if: ${{ parameters.skipApproval }}\n',
);
/** The example with its request stages chosen by the requester. */
const UNWIRED = EXAMPLE.replace(
  'stages: ${{ steps.guardrails.output.stages }}',
  'stages: ${{ parameters.stages }}',
);
const GROUP = `apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-a
spec:
  type: team
  children: []
`;

function run(args: string[], cwd: string) {
  const child = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

describe('self-service-lint', () => {
  let dir: string;

  beforeAll(() => {
    // The edits must have changed the example, or the bad cases prove nothing.
    if (UNGATED === EXAMPLE || UNWIRED === EXAMPLE) {
      throw new Error('the example template changed; update the edits');
    }
    dir = mkdtempSync(join(tmpdir(), 'self-service-lint-'));
    mkdirSync(join(dir, 'templates/good'), { recursive: true });
    mkdirSync(join(dir, 'templates/bad'), { recursive: true });
    writeFileSync(join(dir, 'templates/good/template.yaml'), EXAMPLE);
    writeFileSync(join(dir, 'templates/bad/template.yaml'), UNGATED);
    // Several documents, one of them not a Template.
    writeFileSync(
      join(dir, 'templates/bad/all.yaml'),
      [
        GROUP,
        EXAMPLE,
        UNWIRED.replace('name: postgres-database', 'name: pg-unwired'),
      ].join('---\n'),
    );
    writeFileSync(join(dir, 'org.yaml'), GROUP);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes the good template, as a child process', () => {
    const result = run(['templates/good/*.yaml', 'org.yaml'], dir);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('1 template(s) in 2 file(s), 0 problem(s)');
    expect(result.code).toBe(0);
  });

  it('fails the bad templates with one "file: step: code: message" line per problem', () => {
    const result = run(['templates/**/*.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n').sort()).toEqual([
      expect.stringMatching(
        /^templates\/bad\/all\.yaml#pg-unwired: request: request-input-not-wired: Step 'request' \(self-service:request\): input stages must be/,
      ),
      expect.stringMatching(
        /^templates\/bad\/template\.yaml: apply: apply-if-caller-controlled: Step 'apply'/,
      ),
      expect.stringMatching(
        /^templates\/bad\/template\.yaml: apply: apply-if-not-gated: Step 'apply' \(terraform:apply\): must run only when/,
      ),
    ]);
    expect(result.stderr).toContain('4 template(s) in 3 file(s), 3 problem(s)');
  });

  it('passes the shipped examples from the repository root', () => {
    const result = run(['examples/templates/**/*.yaml'], REPO);
    expect(result.stderr).toContain('0 problem(s)');
    expect(result.code).toBe(0);
  });

  it('exits 2 when an argument matches nothing, and on no arguments', () => {
    const none = run(['missing/**/*.yaml'], dir);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no file matches missing/**/*.yaml');
    expect(run([], dir).code).toBe(2);
  });

  it('takes a directory, resolves local placeholders and reports invalid YAML', () => {
    const sub = join(dir, 'placeholders');
    mkdirSync(sub);
    const steps = UNGATED.split('  steps:\n')[1].split('  output:\n')[0];
    writeFileSync(join(sub, 'steps.yaml'), steps.replace(/^ {4}/gm, ''));
    writeFileSync(
      join(sub, 'template.yaml'),
      `apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: split
spec:
  type: database
  steps:
    $yaml: ./steps.yaml
`,
    );
    writeFileSync(join(sub, 'broken.yml'), 'kind: [Template\n');
    const lines: string[] = [];
    const code = main(['placeholders'], {
      cwd: dir,
      out: line => lines.push(line),
      err: () => {},
    });
    expect(code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^placeholders\/broken\.yml: -: invalid-yaml: /),
      expect.stringMatching(
        /^placeholders\/template\.yaml: apply: apply-if-not-gated: /,
      ),
      expect.stringMatching(
        /^placeholders\/template\.yaml: apply: apply-if-caller-controlled: /,
      ),
    ]);
  });
});
