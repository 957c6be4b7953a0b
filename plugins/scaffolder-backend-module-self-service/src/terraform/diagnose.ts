/**
 * Turns a failed Terraform command's output into a message a requester can
 * read: Terraform's own "Error: …" headings with their detail, and a hint
 * for the usual causes. Input is either the `-json` UI's diagnostics or the
 * human output (stderr), whichever the command produced.
 */

/** A diagnostic of Terraform's `-json` UI. @internal */
export interface TerraformDiagnostic {
  severity?: string;
  summary?: string;
  detail?: string;
  address?: string;
  range?: { filename?: string; start?: { line?: number } };
}

/** One "Error: …" of Terraform, heading first. @internal */
export interface TerraformError {
  summary: string;
  detail: string;
  /** e.g. "main.tf line 18" */
  where?: string;
  /** The resource the error is about (an API error while applying it). */
  resource?: string;
}

/** @internal */
export type FailureCause = 'registry' | 'credentials' | 'state-lock' | 'module';

const HINTS: Record<FailureCause, string> = {
  registry:
    'Terraform could not download a provider or module: the backend host cannot reach the registry ' +
    '(registry.terraform.io, registry.opentofu.org) or the module source. The platform team gives it ' +
    'network access (an HTTPS_PROXY passed with selfService.terraform.inheritEnvironment), or a ' +
    'provider mirror or plugin cache (TF_PLUGIN_CACHE_DIR, a provider_installation block in the CLI configuration).',
  credentials:
    'The provider could not sign in to the cloud: its credentials are missing, invalid or expired on the ' +
    'backend host. The platform team sets them with selfService.terraform.environment or passes them on ' +
    'with selfService.terraform.inheritEnvironment (e.g. AWS_*), or gives the host a role. Nothing was created.',
  'state-lock':
    'Another Terraform run holds the state lock of this request (the lock info above says who and since ' +
    'when). Wait for it to finish and try again; if that run was interrupted, a platform engineer checks the ' +
    'state and releases the lock with `terraform force-unlock <ID>`.',
  module:
    "The template's Terraform module has an error (file and line above); nothing you entered can fix it. " +
    "Tell the template's owners.",
};

const MAX_ERRORS = 3;
const MAX_DETAIL = 700;

/** Which usual cause an error looks like, if any. @internal */
export function causeOf(errors: TerraformError[]): FailureCause | undefined {
  const text = errors.map(e => `${e.summary}\n${e.detail}`).join('\n');
  if (
    /acquiring the state lock|state lock|ConditionalCheckFailedException/i.test(
      text,
    )
  ) {
    return 'state-lock';
  }
  if (
    /credential|security token included in the request is invalid|InvalidClientTokenId|ExpiredToken|SignatureDoesNotMatch|UnrecognizedClientException|could not find default credentials|building AzureRM Client|acquire access token|AADSTS\d+|oauth2: cannot fetch token|Unable to locate credentials/i.test(
      text,
    )
  ) {
    return 'credentials';
  }
  if (
    /Failed to query available provider packages|Failed to install provider|Error while installing|could not connect to registry|Failed to download module|Failed to retrieve available versions for module|Invalid provider registry host|Failed to install provider from shared cache|Incompatible provider version/i.test(
      text,
    )
  ) {
    return 'registry';
  }
  if (
    errors.some(e => e.where && !e.resource) ||
    /Unsupported argument|Missing required argument|Unsupported block type|Invalid reference|Reference to undeclared|Duplicate .* configuration|Argument or block definition required|Invalid expression|Unclosed configuration block|Invalid block definition|Module not installed|Unsupported attribute|Invalid function argument|Call to unknown function|Missing newline after argument|Invalid character/.test(
      text,
    )
  ) {
    return 'module';
  }
  return undefined;
}

/** The errors among `-json` diagnostics. @internal */
export function errorsFromDiagnostics(
  diagnostics: TerraformDiagnostic[],
): TerraformError[] {
  return diagnostics
    .filter(d => d.severity === 'error')
    .map(d => ({
      summary: (d.summary ?? 'Terraform reported an error').trim(),
      detail: (d.detail ?? '').trim(),
      where: d.range?.filename
        ? `${d.range.filename}${d.range.start?.line ? ` line ${d.range.start.line}` : ''}`
        : undefined,
      resource: d.address,
    }));
}

/** Box-drawing frame of coloured diagnostics ("╷", "│ ", "╵"). */
const FRAME = /^[╷╵]\s*$|^│ ?/;

/**
 * The "Error: …" blocks of Terraform's human output (plain or framed): the
 * heading, the source location, and the text after the snippet.
 * @internal
 */
export function errorsFromText(text: string): TerraformError[] {
  const errors: TerraformError[] = [];
  let current:
    | { summary: string; lines: string[]; where?: string; resource?: string }
    | undefined;
  const finish = () => {
    if (!current) return;
    errors.push({
      summary: current.summary,
      detail: paragraphs(current.lines),
      where: current.where,
      resource: current.resource,
    });
    current = undefined;
  };
  for (const raw of text.split(/\r?\n/)) {
    if (/^[╷╵]\s*$/.test(raw)) continue;
    const line = raw.replace(FRAME, '');
    const heading = /^(Error|Warning): (.*)$/.exec(line);
    if (heading) {
      finish();
      if (heading[1] === 'Error')
        current = { summary: heading[2].trim(), lines: [] };
      continue;
    }
    if (!current) continue;
    const on = /^\s+on (.+?) line (\d+)/.exec(line);
    if (on) {
      current.where ??= `${on[1]} line ${on[2]}`;
      continue;
    }
    const withWhat = /^\s+with ([^,]+),?\s*$/.exec(line);
    if (withWhat) {
      if (!withWhat[1].startsWith('provider['))
        current.resource ??= withWhat[1];
      continue;
    }
    // Source snippet and the snippet's value notes.
    if (/^\s*\d+:|^\s+[├│└]/.test(line)) continue;
    current.lines.push(line);
  }
  finish();
  return errors;
}

/** Joins wrapped lines into paragraphs; keeps indented lines (lock info) apart. */
function paragraphs(lines: string[]): string {
  const out: string[] = [];
  let para = '';
  const flush = () => {
    if (para) out.push(para);
    para = '';
  };
  for (const line of lines) {
    if (!line.trim()) flush();
    else if (/^\s{2,}\S/.test(line) || /^\S.{0,30}:\s*$/.test(line)) {
      flush();
      para = line.trim();
    } else para = para ? `${para} ${line.trim()}` : line.trim();
  }
  flush();
  const text = out.join('\n');
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text;
}

/** @internal */
export interface FailedCommand {
  /** e.g. "terraform plan" */
  label: string;
  exitCode: number | null;
  /** Error diagnostics from the `-json` UI, if it was used. */
  diagnostics: TerraformDiagnostic[];
  /** What the command printed in human form (stderr, or stdout without `-json`). */
  output: string[];
}

/**
 * The message of a failed command: what failed, Terraform's errors, and a
 * hint when the cause is a usual one. Never a stack trace.
 * @internal
 */
export function describeFailure(failed: FailedCommand): string {
  const fromJson = errorsFromDiagnostics(failed.diagnostics);
  const errors = fromJson.length
    ? fromJson
    : errorsFromText(failed.output.join('\n'));
  const head = `${failed.label} failed with exit code ${failed.exitCode}`;
  if (!errors.length) {
    const tail = failed.output
      .filter(l => l.trim())
      .slice(-5)
      .join('\n');
    return tail ? `${head}:\n\n${tail}` : head;
  }
  const shown = errors.slice(0, MAX_ERRORS).map(e => {
    const heading = `Error: ${e.summary}${e.where ? ` (${e.where})` : ''}`;
    return e.detail ? `${heading}\n${e.detail}` : heading;
  });
  if (errors.length > MAX_ERRORS) {
    shown.push(
      `…and ${errors.length - MAX_ERRORS} more errors in the log above.`,
    );
  }
  const cause = causeOf(errors);
  return [
    `${head}:`,
    ...shown,
    ...(cause ? [`Hint: ${HINTS[cause]}`] : []),
  ].join('\n\n');
}
