// @ts-check

/**
 * Requests get a kind. Besides provisioning a resource ('provision', every
 * request so far), a request may now ask for a day-2 change of a live
 * resource ('change': an update plan against its state, approved like any
 * request) or for more time before it expires ('extension'). Both point at
 * the request whose resource they concern (`target_request_id`).
 *
 * - `state_key` keys the resource's Terraform state: the id of the task that
 *   first planned it, shared by its changes and its tear-down (backfilled
 *   from `task_id`, which is that task for every existing request).
 * - `previous_monthly_cost`: a change reserves only what it adds to the
 *   resource's cost, and on success moves the resource from this cost to its
 *   own.
 * - `extension_days`, `extension_from`, `extension_to`: what an extension
 *   asked for and, once applied, the expiry it moved.
 */

/**
 * Not in one transaction: SQLite drops a column by copying the table, and
 * with foreign keys on, dropping the old copy would cascade to the grants,
 * decisions and approver rows of every request. Knex turns the checks off
 * for that copy, which SQLite ignores inside a transaction. Each step below
 * is its own transaction (or a single statement) instead.
 */
exports.config = { transaction: false };

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.transaction(async trx => {
    await addColumns(trx);
    await trx('requests').update({ state_key: trx.ref('task_id') });
  });
};

/** @param {import('knex').Knex} knex */
async function addColumns(knex) {
  await knex.schema.alterTable('requests', table => {
    table
      .string('kind', 16)
      .notNullable()
      .defaultTo('provision')
      .comment("'provision', 'change' or 'extension'");
    table
      .uuid('target_request_id')
      .nullable()
      .comment('change / extension: the request whose resource it concerns');
    table.string('state_key', 200).nullable().comment('Keys the Terraform state');
    table.decimal('previous_monthly_cost', 18, 4).nullable();
    table.integer('extension_days').nullable();
    table.timestamp('extension_from', { useTz: true }).nullable();
    table.timestamp('extension_to', { useTz: true }).nullable();
    table.index(['target_request_id'], 'requests_target_idx');
  });
}

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Changes and extensions have no place in the older schema; their events stay.
  await knex.transaction(async trx => {
    const followUps = trx('requests').whereNot('kind', 'provision').select('id');
    for (const table of ['request_approvers', 'decisions', 'grants', 'request_notices']) {
      await trx(table).whereIn('request_id', followUps).delete();
    }
    await trx('grants').where({ purpose: 'change' }).delete();
    await trx('requests').whereNot('kind', 'provision').delete();
  });
  await knex.schema.alterTable('requests', table => {
    table.dropIndex(['target_request_id'], 'requests_target_idx');
    table.dropColumn('kind');
    table.dropColumn('target_request_id');
    table.dropColumn('state_key');
    table.dropColumn('previous_monthly_cost');
    table.dropColumn('extension_days');
    table.dropColumn('extension_from');
    table.dropColumn('extension_to');
  });
};
