// @ts-check

/**
 * The provisioned resource's name and Terraform outputs, for the catalog,
 * and every approver group of a request in one delimited column
 * (`|group:default/dba|group:default/finance|`), so a permission rule can
 * filter lists by approver with a plain LIKE on both databases.
 *
 * Outputs are JSON stored as text, like every other JSON value here, so that
 * SQLite and PostgreSQL return the same shape.
 */

/**
 * Mirrors `resourceNameOf` in src/database/derived.ts at the time of writing;
 * a migration must not change when the code does.
 * @param {string} id
 * @param {string} parametersJson
 */
function resourceName(id, parametersJson) {
  let name;
  try {
    name = JSON.parse(parametersJson)?.name;
  } catch {
    name = undefined;
  }
  return typeof name === 'string' && name.trim() ? name.trim().slice(0, 255) : id.slice(0, 8);
}

/**
 * Mirrors `approverGroupsOf` in src/database/derived.ts.
 * @param {string} policyJson
 */
function approverGroups(policyJson) {
  let stages;
  try {
    stages = JSON.parse(policyJson)?.stages;
  } catch {
    stages = undefined;
  }
  const groups = new Set();
  for (const stage of Array.isArray(stages) ? stages : []) {
    for (const group of Array.isArray(stage?.groups) ? stage.groups : []) {
      if (typeof group === 'string') groups.add(group.toLowerCase());
    }
  }
  return groups.size ? `|${[...groups].sort().join('|')}|` : '';
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requests', table => {
    table
      .string('resource_name', 255)
      .nullable()
      .comment('The `name` parameter, else the short request id');
    table.text('outputs').nullable().comment('JSON object of non-sensitive Terraform outputs');
    table
      .text('approver_groups')
      .nullable()
      .comment('Every stage group, lower case, as |ref|ref|; empty when no stages');
  });

  const BATCH = 500;
  /** @type {string | undefined} */
  let lastId;
  for (;;) {
    const query = knex('requests')
      .select('id', 'parameters', 'approval_policy')
      .orderBy('id')
      .limit(BATCH);
    if (lastId) query.where('id', '>', lastId);
    const rows = await query;
    for (const row of rows) {
      await knex('requests')
        .where({ id: row.id })
        .update({
          resource_name: resourceName(row.id, row.parameters),
          approver_groups: approverGroups(row.approval_policy),
        });
    }
    if (rows.length < BATCH) break;
    lastId = rows[rows.length - 1].id;
  }
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('requests', table => {
    table.dropColumn('approver_groups');
    table.dropColumn('outputs');
    table.dropColumn('resource_name');
  });
};
