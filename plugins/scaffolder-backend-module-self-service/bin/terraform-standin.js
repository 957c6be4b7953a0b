#!/usr/bin/env node
/*
 * A stand-in for the `terraform` CLI, for tests on machines where no real
 * binary can be installed. It replays RECORDED outputs in Terraform's
 * documented machine formats (the `show -json` plan representation, `-json`
 * UI lines, `output -json`) for a scenario, and records every invocation so
 * tests can assert on the argv, the generated tfvars and the backend config.
 *
 * Scenario: first line of `<cwd>/.standin-scenario`, else $TF_STANDIN_SCENARIO,
 * else "create". Fixtures: $TF_STANDIN_FIXTURES (default ../fixtures/standin),
 * one directory per scenario holding any of plan.json, plan.jsonl,
 * apply.jsonl, outputs.json, init.txt and behaviour.json
 * ({ "plan": "error" | "slow" | "stubborn", "apply": "error", "planExit": 1 }).
 * Record: JSON lines appended to $TF_STANDIN_RECORD (default
 * `<cwd>/.standin-calls.jsonl`).
 *
 * A whole-string JSON value "{{var.NAME}}" in a fixture is replaced by the
 * value of NAME from the generated *.auto.tfvars.json, so plans reflect the
 * submitted variables the way a real plan would.
 */
const fs = require('node:fs');
const path = require('node:path');

const cwd = process.cwd();
const argv = process.argv.slice(2);
const fixturesRoot =
  process.env.TF_STANDIN_FIXTURES ||
  path.join(__dirname, '..', 'fixtures', 'standin');
const recordFile =
  process.env.TF_STANDIN_RECORD || path.join(cwd, '.standin-calls.jsonl');

function scenarioName() {
  try {
    return fs
      .readFileSync(path.join(cwd, '.standin-scenario'), 'utf8')
      .split('\n')[0]
      .trim();
  } catch {
    return process.env.TF_STANDIN_SCENARIO || 'create';
  }
}

function readTfvars() {
  const values = {};
  for (const file of fs.readdirSync(cwd).sort()) {
    if (file.endsWith('.auto.tfvars.json')) {
      Object.assign(
        values,
        JSON.parse(fs.readFileSync(path.join(cwd, file), 'utf8')),
      );
    }
  }
  return values;
}

function record(extra) {
  let backendOverride;
  try {
    backendOverride = JSON.parse(
      fs.readFileSync(
        path.join(cwd, 'self_service_backend_override.tf.json'),
        'utf8',
      ),
    );
  } catch {
    backendOverride = undefined;
  }
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith('TF_') || k === 'CHECKPOINT_DISABLE') env[k] = v;
  }
  const entry = {
    argv,
    cwd,
    scenario: scenarioName(),
    tfvars: readTfvars(),
    backendOverride,
    env,
    envNames: Object.keys(process.env).sort(),
    ...extra,
  };
  fs.appendFileSync(recordFile, `${JSON.stringify(entry)}\n`);
}

function substitute(value, vars) {
  if (typeof value === 'string') {
    const m = /^\{\{var\.([\w-]+)\}\}$/.exec(value);
    if (!m) return value;
    return Object.prototype.hasOwnProperty.call(vars, m[1]) ? vars[m[1]] : null;
  }
  if (Array.isArray(value)) return value.map(v => substitute(v, vars));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = substitute(v, vars);
    return out;
  }
  return value;
}

function fixture(scenario, name) {
  const file = path.join(fixturesRoot, scenario, name);
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

function behaviour(scenario) {
  const text = fixture(scenario, 'behaviour.json');
  return text ? JSON.parse(text) : {};
}

function uiLine(level, message, type, extra) {
  return JSON.stringify({
    '@level': level,
    '@message': message,
    '@module': 'terraform.ui',
    '@timestamp': new Date().toISOString(),
    type,
    ...extra,
  });
}

function replayLines(scenario, name, vars) {
  const text = fixture(scenario, name);
  if (!text) return;
  for (const line of text.split('\n')) {
    if (line.trim())
      process.stdout.write(
        `${JSON.stringify(substitute(JSON.parse(line), vars))}\n`,
      );
  }
}

function fail(message) {
  process.stderr.write(`terraform-standin: ${message}\n`);
  process.exit(1);
}

function option(name) {
  const prefix = `-${name}=`;
  const found = argv.find(a => a.startsWith(prefix));
  return found === undefined ? undefined : found.slice(prefix.length);
}

function waitForever(stubborn) {
  process.on('SIGTERM', () => {
    record({ signal: 'SIGTERM' });
    if (stubborn) return; // ignores it: only SIGKILL stops this one
    process.stdout.write(
      `${uiLine('info', 'Interrupt received. Gracefully shutting down...', 'log')}\n`,
    );
    setTimeout(() => process.exit(1), 20);
  });
  setInterval(() => {}, 1000);
}

const command = argv[0];
const scenario = scenarioName();
const vars = readTfvars();
const plan = behaviour(scenario);

switch (command) {
  case 'version':
  case '-version':
    record();
    process.stdout.write('Terraform v1.11.4-standin\non linux_amd64\n');
    break;
  case 'init': {
    record();
    if (!argv.includes('-input=false'))
      fail('init without -input=false would prompt');
    const backendConfig = argv
      .filter(a => a.startsWith('-backend-config='))
      .map(a => a.slice('-backend-config='.length));
    fs.mkdirSync(path.join(cwd, '.terraform'), { recursive: true });
    fs.writeFileSync(
      path.join(cwd, '.terraform', 'standin-backend.json'),
      JSON.stringify(
        Object.fromEntries(
          backendConfig.map(kv => [
            kv.split('=')[0],
            kv.slice(kv.indexOf('=') + 1),
          ]),
        ),
      ),
    );
    process.stdout.write(
      fixture(scenario, 'init.txt') ??
        '\nInitializing the backend...\n\nInitializing provider plugins...\n\nTerraform has been successfully initialized!\n',
    );
    break;
  }
  case 'plan': {
    record();
    if (!fs.existsSync(path.join(cwd, '.terraform'))) fail('plan before init');
    const out = option('out');
    if (!out || !argv.includes('-json')) fail('expected plan -json -out=FILE');
    process.stdout.write(
      `${uiLine('info', 'Terraform 1.11.4', 'version', { terraform: '1.11.4', ui: '1.2' })}\n`,
    );
    if (plan.plan === 'slow' || plan.plan === 'stubborn') {
      waitForever(plan.plan === 'stubborn');
      break;
    }
    replayLines(scenario, 'plan.jsonl', vars);
    if (plan.plan === 'error') process.exit(1);
    const destroy = argv.includes('-destroy');
    const planScenario =
      destroy && fixture(`${scenario}-destroy`, 'plan.json')
        ? `${scenario}-destroy`
        : scenario;
    fs.writeFileSync(
      path.join(cwd, out),
      JSON.stringify({ standinPlan: planScenario, vars }),
    );
    break;
  }
  case 'show': {
    record();
    const file = argv[argv.length - 1];
    if (!argv.includes('-json')) fail('expected show -json');
    let saved;
    try {
      saved = JSON.parse(fs.readFileSync(path.join(cwd, file), 'utf8'));
    } catch {
      fail(`cannot read plan file ${file}`);
    }
    const json = JSON.parse(
      fixture(saved.standinPlan, 'plan.json') ??
        fail(`no plan.json for ${saved.standinPlan}`),
    );
    json.variables = Object.fromEntries(
      Object.entries(saved.vars).map(([k, v]) => [k, { value: v }]),
    );
    process.stdout.write(JSON.stringify(substitute(json, saved.vars)));
    break;
  }
  case 'apply': {
    record();
    const file = argv[argv.length - 1];
    if (!fs.existsSync(path.join(cwd, file)))
      fail(`apply needs a saved plan file, got ${file}`);
    replayLines(scenario, 'apply.jsonl', vars);
    if (plan.apply === 'error') process.exit(1);
    const backend = JSON.parse(
      fs.readFileSync(
        path.join(cwd, '.terraform', 'standin-backend.json'),
        'utf8',
      ),
    );
    if (backend.path) {
      fs.mkdirSync(path.dirname(backend.path), { recursive: true });
      fs.writeFileSync(
        backend.path,
        JSON.stringify({ version: 4, serial: 1, standinScenario: scenario }),
      );
    }
    break;
  }
  case 'output':
    record();
    process.stdout.write(
      JSON.stringify(
        substitute(JSON.parse(fixture(scenario, 'outputs.json') ?? '{}'), vars),
      ),
    );
    break;
  default:
    record();
    fail(`unsupported command ${command}`);
}
