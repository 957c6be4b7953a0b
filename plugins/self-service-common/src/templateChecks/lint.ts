/**
 * `self-service-lint`: runs `checkTemplate` over Template YAML files, for a
 * platform team's CI. Node only (reads files); not exported from the package
 * index, which the frontend also loads.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { globSync } from 'glob';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import {
  checkTemplate,
  TemplateProblem,
  TemplateSpecLike,
} from './checkTemplate';

/** One line of the report. */
export interface LintFinding {
  file: string;
  stepId: string;
  code: string;
  message: string;
}

export interface LintResult {
  findings: LintFinding[];
  /** Files read and Template documents checked in them. */
  files: number;
  templates: number;
  /** Arguments that matched no file. */
  unmatched: string[];
}

const USAGE = `Usage: self-service-lint [--json] <file | directory | glob>...

Checks every Template (kind: Template) in the given YAML files against the
rules for the self-service actions (the rules the catalog refuses templates
on). Globs are expanded here, so quote them: 'templates/**/*.yaml'.
A directory stands for every .yaml / .yml file below it.

Prints one line per problem, "file: step: code: message", and exits 1 when
there are problems, 2 on a usage error or an argument matching no file, and 0
otherwise.`;

const GLOB_MAGIC = /[*?[\]{}]/;

/** The files an argument stands for, relative to cwd when inside it. */
function expand(arg: string, cwd: string): string[] {
  const show = (path: string) => {
    const rel = relative(cwd, path);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };
  const absolute = resolve(cwd, arg);
  if (existsSync(absolute)) {
    if (statSync(absolute).isDirectory()) {
      return globSync('**/*.{yaml,yml}', {
        cwd: absolute,
        nodir: true,
        absolute: true,
        ignore: ['**/node_modules/**'],
      })
        .map(show)
        .sort();
    }
    return [show(absolute)];
  }
  if (!GLOB_MAGIC.test(arg)) return [];
  return globSync(arg.split('\\').join('/'), {
    cwd,
    nodir: true,
    absolute: true,
    ignore: ['**/node_modules/**'],
  })
    .map(show)
    .sort();
}

const PLACEHOLDERS = ['$text', '$json', '$yaml'];

/**
 * Resolves the catalog's `$text` / `$json` / `$yaml` placeholders that point
 * at local files, as the catalog would before checking the template.
 * Throws for one it cannot resolve here (a URL).
 */
function resolvePlaceholders(value: unknown, baseDir: string): unknown {
  if (Array.isArray(value))
    return value.map(v => resolvePlaceholders(v, baseDir));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && PLACEHOLDERS.includes(entries[0][0])) {
    const [kind, target] = entries[0];
    if (typeof target !== 'string' || /^[a-z][a-z0-9+.-]*:/i.test(target)) {
      throw new Error(
        `cannot resolve the placeholder ${kind}: ${JSON.stringify(target)} here; only local files are read`,
      );
    }
    const file = resolve(baseDir, target);
    const text = readFileSync(file, 'utf8');
    if (kind === '$text') return text;
    const parsed = kind === '$json' ? JSON.parse(text) : parseYaml(text);
    return resolvePlaceholders(parsed, dirname(file));
  }
  return Object.fromEntries(
    entries.map(([k, v]) => [k, resolvePlaceholders(v, baseDir)]),
  );
}

/** Checks every Template document of the files the arguments stand for. */
export function lintTemplates(args: string[], cwd: string): LintResult {
  const result: LintResult = {
    findings: [],
    files: 0,
    templates: 0,
    unmatched: [],
  };
  const files: string[] = [];
  for (const arg of args) {
    const matched = expand(arg, cwd);
    if (!matched.length) result.unmatched.push(arg);
    for (const file of matched) if (!files.includes(file)) files.push(file);
  }
  for (const file of files) {
    result.files += 1;
    const path = resolve(cwd, file);
    const documents = parseAllDocuments(readFileSync(path, 'utf8'));
    const list = Array.isArray(documents) ? documents : [documents];
    const templates: Array<{ name: string; problems: LintFinding[] }> = [];
    for (const [index, document] of list.entries()) {
      if (document.errors.length) {
        result.findings.push({
          file,
          stepId: '-',
          code: 'invalid-yaml',
          message: `document ${index + 1}: ${document.errors[0].message.split('\n')[0]}`,
        });
        continue;
      }
      const entity = document.toJS() as {
        kind?: unknown;
        metadata?: { name?: unknown };
        spec?: unknown;
      } | null;
      if (!entity || typeof entity !== 'object' || entity.kind !== 'Template') {
        continue;
      }
      result.templates += 1;
      const name =
        typeof entity.metadata?.name === 'string'
          ? entity.metadata.name
          : `document ${index + 1}`;
      let problems: TemplateProblem[];
      try {
        const spec = resolvePlaceholders(entity.spec ?? {}, dirname(path));
        problems = checkTemplate(spec as TemplateSpecLike);
      } catch (e) {
        problems = [];
        result.findings.push({
          file,
          stepId: '-',
          code: 'unresolved-placeholder',
          message: `template ${name}: ${(e as Error).message}`,
        });
      }
      templates.push({
        name,
        problems: problems.map(p => ({
          file,
          stepId: p.stepId ?? '-',
          code: p.code,
          message: p.message,
        })),
      });
    }
    // Several templates in one file: say which one each line is about.
    for (const { name, problems } of templates) {
      for (const problem of problems) {
        result.findings.push(
          templates.length > 1
            ? { ...problem, file: `${file}#${name}` }
            : problem,
        );
      }
    }
  }
  return result;
}

/** Runs the command; returns its exit code. */
export function main(
  argv: string[],
  io: {
    cwd: string;
    out: (line: string) => void;
    err: (line: string) => void;
  } = {
    cwd: process.cwd(),
    out: line => process.stdout.write(`${line}\n`),
    err: line => process.stderr.write(`${line}\n`),
  },
): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  const json = argv.includes('--json');
  const args = argv.filter(a => a !== '--json' && a !== '--');
  const unknown = args.filter(a => a.startsWith('-'));
  if (!args.length || unknown.length) {
    io.err(
      unknown.length
        ? `Unknown option ${unknown.join(', ')}`
        : 'No files given',
    );
    io.err(USAGE);
    return 2;
  }
  const result = lintTemplates(args, io.cwd);
  if (json) {
    io.out(JSON.stringify(result, null, 2));
  } else {
    for (const f of result.findings) {
      io.out(`${f.file}: ${f.stepId}: ${f.code}: ${f.message}`);
    }
  }
  for (const arg of result.unmatched) {
    io.err(`self-service-lint: no file matches ${arg}`);
  }
  io.err(
    `self-service-lint: ${result.templates} template(s) in ${result.files} file(s), ${result.findings.length} problem(s)`,
  );
  if (result.unmatched.length) return 2;
  return result.findings.length ? 1 : 0;
}
