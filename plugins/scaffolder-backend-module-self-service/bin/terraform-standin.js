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
 * ({ "plan": "error" | "slow" | "stubborn", "apply": "error", "planExit": 1,
 * "like": "<scenario whose files fill in the missing ones>",
 * "destroyPlan": "as-recorded" }).
 *
 * `plan -destroy` replays `<scenario>-destroy` when it exists; a scenario
 * whose plan already deletes everything is its own destroy plan; otherwise
 * the stand-in turns the recorded plan around (everything it creates is
 * deleted), unless behaviour says "destroyPlan": "as-recorded" (a module
 * whose destroy plan would still create things, for the refusal tests).
 * A plan against a state this stand-in applied (and did not destroy since)
 * replays `<scenario>-update` when it exists: a day-2 change plans an
 * update of what is there, not a second creation.
 * Record: JSON lines appended to $TF_STANDIN_RECORD (default
 * `<cwd>/.standin-calls.jsonl`).
 *
 * Slow apply: $TF_STANDIN_APPLY_DELAY_MS makes `apply` wait that long (after
 * recording the call, before printing or writing anything), e.g. to stop the
 * backend while an apply runs. SIGTERM ends the wait (exit 1), like an
 * interrupted Terraform.
 *
 * A whole-string JSON value "{{var.NAME}}" in a fixture is replaced by the
 * value of NAME from the generated *.auto.tfvars.json, so plans reflect the
 * submitted variables the way a real plan would; inside a longer string it
 * is replaced by the value's text, and NAME may be a dotted path
 * ("{{var.tags.team}}").
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

function lookupVar(vars, dotted) {
  let value = vars;
  for (const key of dotted.split('.')) {
    if (!value || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

function substitute(value, vars) {
  if (typeof value === 'string') {
    const m = /^\{\{var\.([\w.-]+)\}\}$/.exec(value);
    if (m) return lookupVar(vars, m[1]) ?? null;
    // Inside a longer string (e.g. a path made from the name).
    return value.replace(/\{\{var\.([\w.-]+)\}\}/g, (_, name) => {
      const found = lookupVar(vars, name);
      return found === undefined || found === null ? '' : String(found);
    });
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
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  const own = path.join(fixturesRoot, scenario, 'behaviour.json');
  const like = fs.existsSync(own)
    ? JSON.parse(fs.readFileSync(own, 'utf8')).like
    : undefined;
  return like && name !== 'behaviour.json' ? fixture(like, name) : undefined;
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

/**
 * `plan -destroy` of a scenario without its own `<scenario>-destroy`
 * fixture: the scenario's plan turned around, every managed resource it
 * creates or keeps going away, as Terraform renders a destroy plan (actions
 * ["delete"], the old values in `before`, `after` null).
 */
function destroyPlanOf(json) {
  const managed = (json.resource_changes ?? []).filter(
    rc => rc.mode === 'managed',
  );
  return {
    ...json,
    planned_values: { root_module: {} },
    resource_changes: managed.map(rc => ({
      ...rc,
      change: {
        actions: ['delete'],
        before: rc.change.after ?? rc.change.before,
        after: null,
        after_unknown: {},
        before_sensitive:
          rc.change.after_sensitive ?? rc.change.before_sensitive ?? false,
        after_sensitive: false,
      },
    })),
    output_changes: Object.fromEntries(
      Object.entries(json.output_changes ?? {}).map(([name, oc]) => [
        name,
        {
          ...oc,
          actions: ['delete'],
          before: oc.after ?? null,
          after: null,
          after_unknown: false,
        },
      ]),
    ),
  };
}

/** The `resource` object of a UI line, from a plan's resource change. */
function uiResource(rc) {
  const module = rc.module_address ?? '';
  return {
    addr: rc.address,
    module,
    resource: module ? rc.address.slice(module.length + 1) : rc.address,
    resource_type: rc.type,
    resource_name: rc.name,
    resource_key: rc.index ?? null,
  };
}

/** Plan and apply UI lines of a destroy, in Terraform's `-json` format. */
function destroyLines(changes, phase) {
  const lines = [];
  const addresses = changes.map(rc => rc.address);
  for (const rc of changes) {
    const addr = rc.address;
    const resource = uiResource(rc);
    if (phase === 'plan') {
      lines.push(
        uiLine('info', `${addr}: Plan to delete`, 'planned_change', {
          change: { resource, action: 'delete' },
        }),
      );
    } else {
      lines.push(
        uiLine('info', `${addr}: Destroying...`, 'apply_start', {
          hook: { resource, action: 'delete' },
        }),
      );
      lines.push(
        uiLine(
          'info',
          `${addr}: Destruction complete after 0s`,
          'apply_complete',
          { hook: { resource, action: 'delete', elapsed_seconds: 0 } },
        ),
      );
    }
  }
  const counts = { add: 0, change: 0, import: 0, remove: addresses.length };
  lines.push(
    phase === 'plan'
      ? uiLine(
          'info',
          `Plan: 0 to add, 0 to change, ${addresses.length} to destroy.`,
          'change_summary',
          { changes: { ...counts, operation: 'plan' } },
        )
      : uiLine(
          'info',
          `Destroy complete! Resources: ${addresses.length} destroyed.`,
          'change_summary',
          { changes: { ...counts, operation: 'destroy' } },
        ),
  );
  for (const line of lines) process.stdout.write(`${line}\n`);
}

function deletesEverything(json) {
  const changes = json.resource_changes ?? [];
  return (
    changes.length > 0 &&
    changes.every(
      rc => rc.mode !== 'managed' || rc.change.actions.join() === 'delete',
    )
  );
}

/** Which fixture a plan replays: `<scenario>-destroy` when there is one. */
function destroyFixtureOf(scenario, ownDestroy) {
  return ownDestroy && fixture(`${scenario}-destroy`, 'plan.json') !== undefined
    ? `${scenario}-destroy`
    : scenario;
}

function scenarioPlan(name) {
  return JSON.parse(
    fixture(name, 'plan.json') ?? fail(`no plan.json for ${name}`),
  );
}

/**
 * Whether the backend's state holds what an earlier apply here made: the
 * state file the stand-in writes at the configured backend path, unless a
 * destroy emptied it.
 */
function hasLiveState() {
  try {
    const backend = JSON.parse(
      fs.readFileSync(path.join(cwd, '.terraform', 'standin-backend.json'), 'utf8'),
    );
    if (!backend.path || !fs.existsSync(backend.path)) return false;
    const state = JSON.parse(fs.readFileSync(backend.path, 'utf8'));
    return !(Array.isArray(state.resources) && state.resources.length === 0);
  } catch {
    return false;
  }
}

const command = argv[0];
const scenario = scenarioName();
const vars = readTfvars();
const plan = behaviour(scenario);

function apply() {
  const file = argv[argv.length - 1];
  if (!fs.existsSync(path.join(cwd, file)))
    fail(`apply needs a saved plan file, got ${file}`);
  const saved = JSON.parse(fs.readFileSync(path.join(cwd, file), 'utf8'));
  if (saved.destroy) {
    destroyLines(
      destroyPlanOf(scenarioPlan(saved.standinPlan)).resource_changes,
      'apply',
    );
  } else {
    replayLines(saved.standinPlan ?? scenario, 'apply.jsonl', vars);
  }
  if (plan.apply === 'error') process.exit(1);
  const backend = JSON.parse(
    fs.readFileSync(
      path.join(cwd, '.terraform', 'standin-backend.json'),
      'utf8',
    ),
  );
  if (backend.path) {
    fs.mkdirSync(path.dirname(backend.path), { recursive: true });
    // After a destroy the state holds no resources, as Terraform leaves it.
    fs.writeFileSync(
      backend.path,
      JSON.stringify({
        version: 4,
        serial: saved.destroy ? 2 : 1,
        standinScenario: scenario,
        resources: saved.destroy ? [] : undefined,
      }),
    );
  }
}

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
    const destroy = argv.includes('-destroy');
    // Replay a recorded destroy plan when there is one; else turn the
    // scenario's plan around.
    const ownDestroy =
      destroy &&
      (fixture(`${scenario}-destroy`, 'plan.json') !== undefined ||
        plan.destroyPlan === 'as-recorded' ||
        deletesEverything(scenarioPlan(scenario)));
    if (destroy && !ownDestroy) {
      destroyLines(
        destroyPlanOf(scenarioPlan(scenario)).resource_changes,
        'plan',
      );
    }
    const update =
      !destroy &&
      fixture(`${scenario}-update`, 'plan.json') !== undefined &&
      hasLiveState();
    const planned = update
      ? `${scenario}-update`
      : destroyFixtureOf(scenario, ownDestroy);
    if (!destroy || ownDestroy) replayLines(planned, 'plan.jsonl', vars);
    if (plan.plan === 'error') process.exit(1);
    fs.writeFileSync(
      path.join(cwd, out),
      JSON.stringify({
        standinPlan: planned,
        destroy: destroy && !ownDestroy,
        vars,
      }),
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
    const recorded = scenarioPlan(saved.standinPlan);
    const json = saved.destroy ? destroyPlanOf(recorded) : recorded;
    json.variables = Object.fromEntries(
      Object.entries(saved.vars).map(([k, v]) => [k, { value: v }]),
    );
    process.stdout.write(JSON.stringify(substitute(json, saved.vars)));
    break;
  }
  case 'apply': {
    record();
    const delayMs = Number(process.env.TF_STANDIN_APPLY_DELAY_MS || 0);
    if (delayMs > 0) {
      process.on('SIGTERM', () => process.exit(1));
      setTimeout(apply, delayMs);
    } else {
      apply();
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
