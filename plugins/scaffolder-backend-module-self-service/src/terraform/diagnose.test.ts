import {
  causeOf,
  describeFailure,
  errorsFromDiagnostics,
  errorsFromText,
} from './diagnose';

// Terraform 1.x output with -no-color (DiagnosticPlain), as printed on stderr.
const REGISTRY_UNREACHABLE = `
Initializing the backend...

Successfully configured the backend "local"! Terraform will automatically
use this backend unless the backend configuration changes.

Initializing provider plugins...
- Finding hashicorp/aws versions matching "~> 5.0"...

Error: Failed to query available provider packages

Could not retrieve the list of available versions for provider hashicorp/aws:
could not connect to registry.terraform.io: failed to request discovery
document: Get "https://registry.terraform.io/.well-known/terraform.json": dial
tcp: lookup registry.terraform.io on 127.0.0.53:53: server misbehaving

`;

const NO_CREDENTIALS = `
Error: No valid credential sources found

  with provider["registry.terraform.io/hashicorp/aws"],
  on main.tf line 10, in provider "aws":
  10: provider "aws" {

Please see https://registry.terraform.io/providers/hashicorp/aws/latest/docs
for more information about providing credentials.

Error: failed to refresh cached credentials, no EC2 IMDS role found, operation
error ec2imds: GetMetadata, request canceled, context deadline exceeded

`;

// Coloured output keeps the frame even when colours are stripped.
const STATE_LOCK = `╷
│ Error: Error acquiring the state lock
│ 
│ Error message: resource temporarily unavailable
│ Lock Info:
│   ID:        8c1a6f3e-43b1-37c9-1e43-f1a2c2f9a8d1
│   Path:      /var/lib/self-service/state/3f2a/terraform.tfstate
│   Operation: OperationTypeApply
│   Who:       backstage@backend-1
│   Version:   1.11.4
│   Created:   2026-11-23 18:16:20.847297 +0000 UTC
│   Info:      
│ 
│ 
│ Terraform acquires a state lock to protect the state from being written
│ by multiple users at the same time. Please resolve the issue above and try
│ again. For most commands, you can disable locking with the "-lock=false"
│ flag, but this is not recommended.
╵
`;

const SYNTAX = `
Error: Unsupported argument

  on main.tf line 22, in resource "aws_db_instance" "this":
  22:   storage_gb = var.storage_gb

An argument named "storage_gb" is not expected here.
`;

// The stand-in's plan-error fixture: a -json UI diagnostic.
const DUPLICATE = {
  severity: 'error',
  summary: 'Duplicate resource "terraform_data" configuration',
  detail:
    'A terraform_data resource named "db" was already declared at bad.tf:1,1-31. Resource names must be unique per type in each module.',
  range: { filename: 'main.tf', start: { line: 18 } },
};

describe('errorsFromText', () => {
  it("keeps Terraform's heading and joins the wrapped detail", () => {
    expect(errorsFromText(REGISTRY_UNREACHABLE)).toEqual([
      {
        summary: 'Failed to query available provider packages',
        detail:
          'Could not retrieve the list of available versions for provider hashicorp/aws: could not connect to registry.terraform.io: failed to request discovery document: Get "https://registry.terraform.io/.well-known/terraform.json": dial tcp: lookup registry.terraform.io on 127.0.0.53:53: server misbehaving',
        where: undefined,
        resource: undefined,
      },
    ]);
  });

  it('takes the location, drops the snippet, and reads every error', () => {
    const errors = errorsFromText(NO_CREDENTIALS);
    expect(errors.map(e => e.summary)).toEqual([
      'No valid credential sources found',
      'failed to refresh cached credentials, no EC2 IMDS role found, operation',
    ]);
    expect(errors[0].where).toBe('main.tf line 10');
    expect(errors[0].detail).not.toMatch(/provider "aws" \{/);
    expect(errors[0].detail).toMatch(/^Please see https:/);
  });

  it('reads framed diagnostics and keeps the lock info lines apart', () => {
    const [error] = errorsFromText(STATE_LOCK);
    expect(error.summary).toBe('Error acquiring the state lock');
    expect(error.detail).toContain(
      '\nID:        8c1a6f3e-43b1-37c9-1e43-f1a2c2f9a8d1\n',
    );
    expect(error.detail).toContain('Who:       backstage@backend-1');
  });

  it('ignores warnings and text before the first error', () => {
    expect(
      errorsFromText('Initializing...\n\nWarning: Deprecated\n\nold thing\n'),
    ).toEqual([]);
  });
});

describe('causeOf', () => {
  it.each([
    [REGISTRY_UNREACHABLE, 'registry'],
    [NO_CREDENTIALS, 'credentials'],
    [STATE_LOCK, 'state-lock'],
    [SYNTAX, 'module'],
    [
      `Error: configuring Terraform AWS Provider: validating provider credentials: retrieving caller identity from STS: operation error STS: GetCallerIdentity, https response error StatusCode: 403, RequestID: 1e9a, api error InvalidClientTokenId: The security token included in the request is invalid.`,
      'credentials',
    ],
    [
      `Error: Failed to install provider\n\nError while installing hashicorp/aws v5.31.0: could not query provider registry for registry.terraform.io/hashicorp/aws: the request failed after 2 attempts, please try again later: Get "https://registry.terraform.io/v1/providers/hashicorp/aws/5.31.0/download/linux/amd64": context deadline exceeded`,
      'registry',
    ],
  ])('%#: recognises the cause', (text, cause) => {
    expect(causeOf(errorsFromText(text))).toBe(cause);
  });

  it('does not blame the module for an API error on a resource', () => {
    const errors = errorsFromDiagnostics([
      {
        severity: 'error',
        summary:
          'creating RDS DB Instance (orders-db): operation error RDS: CreateDBInstance, api error DBInstanceAlreadyExists: DB instance already exists',
        detail: '',
        address: 'aws_db_instance.this',
        range: { filename: 'main.tf', start: { line: 27 } },
      },
    ]);
    expect(causeOf(errors)).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('shows the -json diagnostics with a module hint', () => {
    const message = describeFailure({
      label: 'terraform plan',
      exitCode: 1,
      diagnostics: [{ severity: 'warning', summary: 'Deprecated' }, DUPLICATE],
      output: [],
    });
    expect(message).toBe(
      [
        'terraform plan failed with exit code 1:',
        'Error: Duplicate resource "terraform_data" configuration (main.tf line 18)\nA terraform_data resource named "db" was already declared at bad.tf:1,1-31. Resource names must be unique per type in each module.',
        "Hint: The template's Terraform module has an error (file and line above); nothing you entered can fix it. Tell the template's owners.",
      ].join('\n\n'),
    );
  });

  it('starts at the heading, not mid-message, and suggests the registry fix', () => {
    const message = describeFailure({
      label: 'terraform init',
      exitCode: 1,
      diagnostics: [],
      output: REGISTRY_UNREACHABLE.split('\n'),
    });
    expect(message).toMatch(
      /^terraform init failed with exit code 1:\n\nError: Failed to query available provider packages\nCould not retrieve/,
    );
    expect(message).toMatch(
      /\n\nHint: Terraform could not download a provider/,
    );
    expect(message).not.toMatch(/Initializing/);
    expect(message).not.toMatch(/\n\s+at /);
  });

  it('falls back to the last lines when Terraform printed no error heading', () => {
    expect(
      describeFailure({
        label: 'terraform apply',
        exitCode: 2,
        diagnostics: [],
        output: ['one', '', 'panic: runtime error', 'goroutine 1'],
      }),
    ).toBe(
      'terraform apply failed with exit code 2:\n\none\npanic: runtime error\ngoroutine 1',
    );
    expect(
      describeFailure({
        label: 'terraform apply',
        exitCode: 1,
        diagnostics: [],
        output: [],
      }),
    ).toBe('terraform apply failed with exit code 1');
  });

  it('lists at most three errors', () => {
    const message = describeFailure({
      label: 'terraform plan',
      exitCode: 1,
      diagnostics: [1, 2, 3, 4, 5].map(n => ({
        severity: 'error',
        summary: `Problem ${n}`,
      })),
      output: [],
    });
    expect(message).toContain('Error: Problem 3');
    expect(message).not.toContain('Error: Problem 4');
    expect(message).toContain('…and 2 more errors in the log above.');
  });
});
